/*
 * rpc_caps.c: the time-caps area's shared part: the categories
 * file, the helpers the handlers share (rpc_caps_int.h) and the
 * scheduler's check.  The handlers live in rpc_caps_log.c (log entries),
 * rpc_caps_admin.c (runtime caps, working time) and rpc_caps_report.c
 * (standing, reports).  They turn rows (store_caps.c) into the caps
 * engine's plain entries, ask the engine (caps.h) and turn its answers
 * into wire messages.  The categories file
 * is held as text (struct rpc_caps_file, owned by the daemon, reached
 * through ctx->categories) and parsed per request together with the
 * runtime overrides, so a SIGHUP swap and an `admin caps set` both apply
 * to the very next request without any cache to keep in step.
 *
 * Confidentiality: log notes go back only through the log operations (to
 * their coach or an admin); reports are built from minutes and categories.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "xmalloc.h"
#include "calendar.h"
#include "config.h"
#include "errmsg.h"
#include "log.h"
#include "rpc.h"
#include "rpc_caps.h"
#include "store.h"
#include "store_caps.h"
#include "rpc_caps_int.h"

/* ---- the categories file ---------------------------------------------- */

int
rpc_caps_load(struct rpc_caps_file *cf, char *text, const char *name,
    char *err, size_t errlen)
{
	struct caps_policy	 p;

	memset(&p, 0, sizeof p);
	if (caps_policy_parse(text, name, &p, err, errlen) == -1) {
		free(text);
		return -1;
	}
	caps_policy_free(&p);
	free(cf->text);
	cf->text = text;
	snprintf(cf->name, sizeof cf->name, "%s", name);
	return 0;
}

void
rpc_caps_free(struct rpc_caps_file *cf)
{
	free(cf->text);
	cf->text = NULL;
}

enum caps_scope
rc_scope(const char *s, int *ok)
{
	*ok = 1;
	if (strcmp(s, "district") == 0)
		return CAPS_SCOPE_DISTRICT;
	if (strcmp(s, "school") == 0)
		return CAPS_SCOPE_SCHOOL;
	if (strcmp(s, "coach") == 0)
		return CAPS_SCOPE_COACH;
	*ok = 0;
	return CAPS_SCOPE_DISTRICT;
}

int
rpc_caps_policy(const struct rpc_ctx *ctx, struct caps_policy *out,
    char *err, size_t errlen)
{
	Coachd__V1__CapsRuleList	 rl = COACHD__V1__CAPS_RULE_LIST__INIT;
	enum caps_scope			 sc;
	char				 e2[ERRMSG_LEN];
	size_t				 i;
	int				 ok, rc = -1;

	if (rc_file_policy(ctx, out, err, errlen) == -1)
		return -1;
	if (store_caps_override_list(ctx->store, &rl, err, errlen) !=
	    STORE_OK) {
		caps_policy_free(out);
		goto out;
	}
	for (i = 0; i < rl.n_rules; i++) {
		sc = rc_scope(rl.rules[i]->scope, &ok);
		/* a rule for a category the file no longer has cannot
		   apply; it stays listed so an admin can unset it */
		if (ok)
			(void)caps_policy_set(out, sc, rl.rules[i]->scope_id,
			    rl.rules[i]->category, rl.rules[i]->spec, e2,
			    sizeof e2);
	}
	rc = 0;
out:
	for (i = 0; i < rl.n_rules; i++)
		protobuf_c_message_free_unpacked(&rl.rules[i]->base, NULL);
	free(rl.rules);
	return rc;
}

const char *
caps_session_category(const char *kind)
{
	if (strcmp(kind, "meeting") == 0)
		return "cycle-meeting";
	return kind;
}

/* The categories file alone (no runtime overrides), for `caps list`. */
int
rc_file_policy(const struct rpc_ctx *ctx, struct caps_policy *out,
    char *err, size_t errlen)
{
	const struct rpc_caps_file	*cf = ctx->categories;

	memset(out, 0, sizeof *out);
	if (cf == NULL || cf->text == NULL)
		return errmsg(err, errlen, "no categories file loaded");
	return caps_policy_parse(cf->text, cf->name, out, err, errlen);
}

const char *
rc_file_name(const struct rpc_ctx *ctx)
{
	return ctx->categories != NULL ? ctx->categories->name : "";
}

/* ---- helpers ------------------------------------------------------------- */

/* The district's local date of ctx->now, as a day number. */
int32_t
rc_today(const struct rpc_ctx *ctx)
{
	return calendar_today((long long)ctx->now, ctx->conf->timezone);
}

/* Parse a date argument ("" = today). */
int
rc_date(const struct rpc_ctx *ctx, const char *s, int32_t *day,
    Coachd__V1__Response *resp)
{
	char	err[ERRMSG_LEN];

	if (s == NULL || *s == '\0') {
		*day = rc_today(ctx);
		return 0;
	}
	if (caps_parse_date(s, day, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	return 0;
}

/*
 * Whose time: a coach acts for themself only, an admin for any coach
 * (named), a teacher never.  Fills coach (the id) and school.
 */
int
rc_coach(struct rpc_ctx *ctx, const char *given, const char *what,
    char *coach, size_t len, char *school, size_t slen,
    Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];

	if (given == NULL)
		given = "";
	switch (ctx->who->role) {
	case COACHD__V1__ROLE__COACH:
		if (*given != '\0' && strcmp(given, ctx->who->user) != 0)
			return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "%s: a coach may see and change only their own"
			    " time, not %s's", what, given);
		given = ctx->who->user;
		break;
	case COACHD__V1__ROLE__ADMIN:
		if (*given == '\0')
			return rpc_fail(resp,
			    COACHD__V1__STATUS__BAD_REQUEST,
			    "%s: name the coach (--coach ID)", what);
		break;
	default:
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "%s: not allowed for teachers", what);
	}
	snprintf(coach, len, "%s", given);
	if ((ret = store_caps_coach_school(ctx->store, coach, school, slen,
	    err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

int
rc_policy(struct rpc_ctx *ctx, struct caps_policy *p,
    Coachd__V1__Response *resp)
{
	char	err[ERRMSG_LEN];

	if (rpc_caps_policy(ctx, p, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "caps policy: %s", err);
	return 0;
}

/* Record a runtime change or an override in caps_audit. */
int
rc_audit(struct rpc_ctx *ctx, Coachd__V1__Response *resp, const char *fmt,
    ...)
{
	va_list			 ap;
	enum store_status	 ret;
	char			 what[512], err[ERRMSG_LEN];

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if ((ret = store_caps_audit(ctx->store, ctx->who->user, ctx->now,
	    what, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

enum store_status
rc_who_load(struct store *st, const char *coach, const char *school,
    struct rc_who *rw, char *err, size_t errlen)
{
	enum store_status	ret;

	memset(rw, 0, sizeof *rw);
	rw->who.coach_id = coach;
	if (school != NULL && *school != '\0') {
		rw->who.school_id = school;
		return STORE_OK;
	}
	if ((ret = store_caps_coach_schools(st, coach, &rw->schools, &rw->n,
	    err, errlen)) != STORE_OK)
		return ret;
	if (rw->n == 1)
		rw->who.school_id = rw->schools[0];
	rw->who.schools = (const char *const *)rw->schools;
	rw->who.nschools = rw->n;
	return STORE_OK;
}

void
rc_who_free(struct rc_who *rw)
{
	size_t	i;

	for (i = 0; i < rw->n; i++)
		free(rw->schools[i]);
	free(rw->schools);
	memset(rw, 0, sizeof *rw);
}

/*
 * Entries of known categories only: the engine refuses unknown ids in an
 * evaluation (a session kind with no category, a category dropped from
 * the file); reports keep them.  Borrowing copy, caller frees v.
 */
struct caps_entry *
rc_known(const struct caps_policy *p, const struct store_caps_entries *e,
    size_t *n)
{
	struct caps_entry	*v;
	size_t			 i;

	v = xcalloc(e->n + 1, sizeof *v);
	*n = 0;
	for (i = 0; i < e->n; i++)
		if (caps_find_category(p, e->v[i].category) >= 0)
			v[(*n)++] = e->v[i];
	return v;
}

/* A coach's working minutes per week: their own, else the policy's. */
long
rc_working(struct store *st, const struct caps_policy *p, const char *coach)
{
	char	err[ERRMSG_LEN];
	long	m = 0;

	if (coach == NULL || *coach == '\0' || store_caps_working_get(st,
	    coach, &m, err, sizeof err) != STORE_OK || m <= 0)
		return p->working_minutes_week;
	return m;
}

void
rc_window(const struct caps_policy *p, int32_t day, long working,
    struct caps_window *w)
{
	struct caps_term	t;

	memset(w, 0, sizeof *w);
	w->week_start = caps_week_start(day);
	w->term_start = 1;	/* outside every term: no term caps */
	w->term_end = 0;
	if (caps_term_of(p, day, &t)) {
		w->term_start = t.start;
		w->term_end = t.end;
	}
	w->working_minutes_week = working > 0 ? working :
	    p->working_minutes_week;
}

/*
 * A coach's entries in days [from, to] and, when a term applies to w,
 * the whole term, so both the weekly and the term caps see what counts.
 */
enum store_status
rc_span_entries(struct store *st, const char *coach, int32_t from,
    int32_t to, const struct caps_window *w, int32_t today,
    struct store_caps_entries *out, char *err, size_t errlen)
{
	if (w->term_start <= w->term_end) {
		if (w->term_start < from)
			from = w->term_start;
		if (w->term_end > to)
			to = w->term_end;
	}
	return store_caps_entries(st, coach, from, to, today, out, err,
	    errlen);
}

/* Entries for w's week (and term). */
enum store_status
rc_entries(struct store *st, const char *coach, const struct caps_window *w,
    int32_t today, struct store_caps_entries *out, char *err, size_t errlen)
{
	return rc_span_entries(st, coach, w->week_start, w->week_start + 6,
	    w, today, out, err, errlen);
}

/* Days a coach may reach back to add, change or delete log entries. */
static long
rc_window_days(const struct rpc_ctx *ctx)
{
	return ctx->conf->caps_edit_window / 86400;
}

int
rc_check_window(struct rpc_ctx *ctx, int32_t day, int32_t today,
    const char *what, Coachd__V1__Response *resp)
{
	char	d[STORE_CAPS_DATE_LEN];

	store_caps_date(day, d);
	if (day > today)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s: %s is in the future: the log records time already"
		    " spent", what, d);
	if (auth_is_admin(ctx->who))
		return 0;	/* admins correct records at any age */
	if (today - day > rc_window_days(ctx))
		return rpc_fail(resp,
		    COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "%s: %s is outside the edit window: log entries may be"
		    " added, changed or deleted up to %ld days back", what, d,
		    rc_window_days(ctx));
	return 0;
}

/* ---- the scheduler's check -------------------------------------------- */

int
caps_booking_allowed(const struct rpc_ctx *ctx, const char *coach,
    const char *school, const char *category, int minutes, const char *date,
    char *reason, size_t reasonlen)
{
	struct store			*st = ctx->store;
	struct store_caps_entries	 ents;
	struct caps_policy		 p;
	struct caps_window		 w;
	struct caps_check		 chk;
	struct caps_entry		*v = NULL, add;
	struct rc_who			 rw;
	int32_t				 day;
	size_t				 n;
	int				 rc = -1;

	memset(&ents, 0, sizeof ents);
	memset(&rw, 0, sizeof rw);
	if (reasonlen > 0)
		reason[0] = '\0';
	if (caps_parse_date(date, &day, reason, reasonlen) == -1)
		return -1;
	if (rpc_caps_policy(ctx, &p, reason, reasonlen) == -1)
		return -1;
	if (caps_find_category(&p, category) < 0) {
		rc = 1;		/* no category, no cap */
		goto out;
	}
	/* the session's school when given, else the strictest school */
	if (rc_who_load(st, coach, school, &rw, reason, reasonlen) !=
	    STORE_OK)
		goto out;
	rc_window(&p, day, rc_working(st, &p, coach), &w);
	/* planned vs done does not matter for what counts: both do */
	if (rc_entries(st, coach, &w, w.week_start - 1, &ents, reason,
	    reasonlen) != STORE_OK)
		goto out;
	v = rc_known(&p, &ents, &n);
	add = (struct caps_entry){ .category = category, .minutes = minutes,
	    .day = day, .source = CAPS_SCHEDULED,
	    .state = CAPS_ENTRY_PLANNED };

	if (caps_check_entry(&p, &rw.who, v, n, &w, &add, &chk, reason,
	    reasonlen) == -1)
		goto out;
	rc = chk.allowed ? 1 : 0;
	if (!chk.allowed)
		errmsg(reason, reasonlen, "%s", chk.reason);
out:
	free(v);
	rc_who_free(&rw);
	store_caps_entries_free(&ents);
	caps_policy_free(&p);
	return rc;
}

/* ---- one cycle's bookings, checked together ---------------------------- */

int
caps_bookings_allowed(const struct rpc_ctx *ctx, const char *coach,
    const struct caps_booking *b, size_t n, char *reason, size_t reasonlen)
{
	int32_t	*week;
	size_t	 i, j;
	int	 sum, r = 1, dup;

	week = xcalloc(n + 1, sizeof(*week));

	for (i = 0; i < n; i++) {
		if (caps_parse_date(b[i].date, &week[i], reason,
		    reasonlen) == -1) {
			r = -1;
			goto out;
		}
		week[i] = caps_week_start(week[i]);
	}
	for (i = 0; i < n && r == 1; i++) {
		for (dup = 0, j = 0; j < i && !dup; j++)
			dup = week[j] == week[i] &&
			    strcmp(b[j].category, b[i].category) == 0;
		if (dup)
			continue;	/* summed with its first session */
		for (sum = 0, j = i; j < n; j++)
			if (week[j] == week[i] &&
			    strcmp(b[j].category, b[i].category) == 0)
				sum += b[j].minutes;
		r = caps_booking_allowed(ctx, coach, b[i].school,
		    b[i].category, sum, b[i].date, reason, reasonlen);
	}
out:
	free(week);
	return r;
}
