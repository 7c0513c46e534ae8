/*
 * rpc_caps.c: handlers of the time-caps operations (issue 6).  They turn
 * rows (store_caps.c) into the caps engine's plain entries, ask the engine
 * (caps.h) and turn its answers into wire messages.  The categories file
 * is held here as text and parsed per request together with the runtime
 * overrides, so a SIGHUP swap and an `admin caps set` both apply to the
 * very next request without any cache to keep in step.
 *
 * Confidentiality: log notes go back only through the log operations (to
 * their coach or an admin); reports are built from minutes and categories.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "calendar.h"
#include "config.h"
#include "log.h"
#include "rpc.h"
#include "rpc_caps.h"
#include "store.h"
#include "store_caps.h"

#define RC_ERRLEN	1024
#define RC_FILE_MAX	(1024 * 1024)
#define RC_NOTE_MAX	1000
#define RC_UNSEEN_DAYS	28	/* "more than 4 weeks" */

static char	*rc_text;		/* the categories file, parsed OK */
static char	 rc_name[CONFIG_PATH_MAX];		/* its base name, for messages */

/* ---- the categories file ---------------------------------------------- */

static char *
rc_slurp(const char *path, char *err, size_t errlen)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	buf = store_xcalloc(1, RC_FILE_MAX + 2);
	n = fread(buf, 1, RC_FILE_MAX + 1, f);
	if (ferror(f) || n > RC_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
		    "read error" : "larger than 1 MB");
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

int
rpc_caps_load(const struct coachd_config *conf, char *err, size_t errlen)
{
	struct caps_policy	 p;
	const char		*name;
	char			*text;

	if (conf->caps_categories[0] == '\0') {
		snprintf(err, errlen, "[caps] categories is not set (path of"
		    " the categories file, see conf/categories.conf)");
		return -1;
	}
	if ((text = rc_slurp(conf->caps_categories, err, errlen)) == NULL)
		return -1;
	name = strrchr(conf->caps_categories, '/');
	name = name != NULL ? name + 1 : conf->caps_categories;
	memset(&p, 0, sizeof p);
	if (caps_policy_parse(text, name, &p, err, errlen) == -1) {
		free(text);
		return -1;
	}
	caps_policy_free(&p);
	free(rc_text);
	rc_text = text;
	snprintf(rc_name, sizeof rc_name, "%s", name);
	return 0;
}

void
rpc_caps_free(void)
{
	free(rc_text);
	rc_text = NULL;
}

static enum caps_scope
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
rpc_caps_policy(struct store *st, struct caps_policy *out, char *err,
    size_t errlen)
{
	Coachd__V1__CapsRuleList	 rl = COACHD__V1__CAPS_RULE_LIST__INIT;
	enum caps_scope			 sc;
	char				 e2[RC_ERRLEN];
	size_t				 i;
	int				 ok, rc = -1;

	memset(out, 0, sizeof *out);
	if (rc_text == NULL) {
		snprintf(err, errlen, "no categories file loaded");
		return -1;
	}
	if (caps_policy_parse(rc_text, rc_name, out, err, errlen) == -1)
		return -1;
	if (store_caps_override_list(st, &rl, err, errlen) != STORE_OK) {
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

/* ---- helpers ------------------------------------------------------------- */

static void *
rc_alloc(size_t size)
{
	return store_xcalloc(1, size);
}

/* Append to a repeated message field. */
#define RC_PUSH(arr, n, item) do {					\
	(arr) = realloc((arr), ((n) + 1) * sizeof *(arr));		\
	if ((arr) == NULL)						\
		fatalx("out of memory");				\
	(arr)[(n)++] = (item);						\
} while (0)

/* The district's local date of ctx->now, as a day number. */
static int32_t
rc_today(const struct rpc_ctx *ctx)
{
	return calendar_today((long long)ctx->now, ctx->conf->timezone);
}

/* "4h30m", "45m", "0m". */
static const char *
rc_hm(long m, char *buf, size_t len)
{
	if (m >= 60 && m % 60 != 0)
		snprintf(buf, len, "%ldh%02ldm", m / 60, m % 60);
	else if (m >= 60)
		snprintf(buf, len, "%ldh", m / 60);
	else
		snprintf(buf, len, "%ldm", m);
	return buf;
}

/* Parse a date argument ("" = today). */
static int
rc_date(const struct rpc_ctx *ctx, const char *s, int32_t *day,
    Coachd__V1__Response *resp)
{
	char	err[256];

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
static int
rc_coach(struct rpc_ctx *ctx, const char *given, const char *what,
    char *coach, size_t len, char *school, size_t slen,
    Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	char			 err[RC_ERRLEN];

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

static int
rc_policy(struct rpc_ctx *ctx, struct caps_policy *p,
    Coachd__V1__Response *resp)
{
	char	err[RC_ERRLEN];

	if (rpc_caps_policy(ctx->store, p, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "caps policy: %s", err);
	return 0;
}

/*
 * Whose caps (caps_who plus the storage behind it): the school the time
 * was for when known, else every school the coach serves, so a coach
 * working in several schools gets the strictest of their caps.
 */
struct rc_who {
	struct caps_who	  who;
	char		**schools;
	size_t		  n;
};

static void	rc_who_free(struct rc_who *);

static enum store_status
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

/* A log entry's --school must be one the coach serves. */
static int
rc_school_arg(struct rpc_ctx *ctx, const char *coach, const char *school,
    Coachd__V1__Response *resp)
{
	struct rc_who		rw;
	enum store_status	ret;
	char			err[RC_ERRLEN];
	size_t			i;
	int			found = 0;

	if (school == NULL || *school == '\0')
		return 0;
	if ((ret = rc_who_load(ctx->store, coach, NULL, &rw, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	for (i = 0; i < rw.n; i++)
		found |= strcmp(rw.schools[i], school) == 0;
	rc_who_free(&rw);
	if (!found)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log add: %s does not serve school '%s'", coach, school);
	return 0;
}

static void
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
static struct caps_entry *
rc_known(const struct caps_policy *p, const struct store_caps_entries *e,
    size_t *n)
{
	struct caps_entry	*v;
	size_t			 i;

	v = store_xcalloc(e->n + 1, sizeof *v);
	*n = 0;
	for (i = 0; i < e->n; i++)
		if (caps_find_category(p, e->v[i].category) >= 0)
			v[(*n)++] = e->v[i];
	return v;
}

/* A coach's working minutes per week: their own, else the policy's. */
static long
rc_working(struct store *st, const struct caps_policy *p, const char *coach)
{
	char	err[RC_ERRLEN];
	long	m = 0;

	if (coach == NULL || *coach == '\0' || store_caps_working_get(st,
	    coach, &m, err, sizeof err) != STORE_OK || m <= 0)
		return p->working_minutes_week;
	return m;
}

static void
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
static enum store_status
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
static enum store_status
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

static int
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

/* ---- log entries ---------------------------------------------------------- */

/*
 * Will-not-do gate, then the cap check.  On success fills flagged and a
 * warning line (heap, "" if none) from the coach's week without `skip`.
 */
static int
rc_log_check(struct rpc_ctx *ctx, const struct caps_policy *p,
    const char *coach, const char *school, const char *category,
    int minutes, int32_t day, int override, const struct caps_entry *skip,
    int *flagged, char **warning, Coachd__V1__Response *resp)
{
	struct store_caps_entries	 ents;
	struct caps_entry		*v = NULL, add;
	struct caps_window		 w;
	struct caps_check		 chk;
	struct rc_who			 rw;
	enum store_status		 ret;
	char				 err[RC_ERRLEN], msg[512], a[32], b[32];
	size_t				 n, i;
	int				 rc = -1;

	memset(&ents, 0, sizeof ents);
	memset(&rw, 0, sizeof rw);
	*warning = NULL;
	if (caps_find_category(p, category) < 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "unknown category '%s' (see `coachctl admin caps list`)",
		    category);
	if (caps_needs_override(p, category) && !override)
		return rpc_fail(resp,
		    COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "category %s is marked will-not-do: it cannot be logged"
		    " without an admin override (admin: --override)",
		    category);
	if (override && !auth_is_admin(ctx->who))
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "only an admin may override a will-not-do category");
	rc_window(p, day, rc_working(ctx->store, p, coach), &w);
	if ((ret = rc_entries(ctx->store, coach, &w, rc_today(ctx), &ents,
	    err, sizeof err)) != STORE_OK || (ret = rc_who_load(ctx->store,
	    coach, school, &rw, err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	v = rc_known(p, &ents, &n);
	if (skip != NULL)	/* an edit: leave the entry's old self out */
		for (i = 0; i < n; i++)
			if (v[i].source == CAPS_LOGGED &&
			    v[i].day == skip->day &&
			    v[i].minutes == skip->minutes &&
			    strcmp(v[i].category, skip->category) == 0) {
				v[i] = v[--n];
				break;
			}
	memset(&add, 0, sizeof add);
	add.category = category;
	add.minutes = minutes;
	add.day = day;
	add.source = CAPS_LOGGED;
	add.state = CAPS_ENTRY_DONE;
	add.override = override;
	if (caps_check_entry(p, &rw.who, v, n, &w, &add, &chk, err,
	    sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "caps: %s", err);
		goto out;
	}
	*flagged = chk.over_cap;
	msg[0] = '\0';
	if (chk.over_cap)
		snprintf(msg, sizeof msg, "flagged: over the cap: %s",
		    chk.reason);
	else if (chk.status == CAPS_WARNING && chk.limit >= 0)
		snprintf(msg, sizeof msg, "warning: %s at %s of its %s %s"
		    " cap (%ld%%)", category, rc_hm(chk.after, a, sizeof a),
		    rc_hm(chk.limit, b, sizeof b), chk.period == CAPS_TERM ?
		    "term" : "week", chk.limit > 0 ? chk.after * 100 /
		    chk.limit : 100);
	if (chk.breaks_protected)
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
		    "%scoaching share this week falls below the protected"
		    " minimum of %d%%", msg[0] ? "; " : "warning: ",
		    p->protected_bp / 100);
	*warning = rpc_strdup(msg);
	rc = 0;
out:
	free(v);
	rc_who_free(&rw);
	store_caps_entries_free(&ents);
	return rc;
}

int
rpc_caps_log_add(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsLogAdd	*a = req->caps_log_add;
	Coachd__V1__CapsLogEntry	*e = NULL;
	struct caps_policy		 p;
	enum store_status		 ret;
	char				 coach[128], school[128];
	char				 date[STORE_CAPS_DATE_LEN], err[RC_ERRLEN];
	char				 what[512];
	int32_t				 day;
	int64_t				 id;
	int				 flagged = 0, rc = -1;

	memset(&p, 0, sizeof p);
	if (a == NULL || a->category == NULL || *a->category == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log add: --category is required");
	if (a->minutes < 1 || a->minutes > 1440)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log add: minutes must be 1 to 1440, not %u", a->minutes);
	if (a->note != NULL && strlen(a->note) > RC_NOTE_MAX)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log add: note longer than %d bytes", RC_NOTE_MAX);
	if (rc_coach(ctx, a->coach, "log add", coach, sizeof coach, school,
	    sizeof school, resp) == -1 || rc_date(ctx, a->date, &day,
	    resp) == -1 || rc_check_window(ctx, day, rc_today(ctx),
	    "log add", resp) == -1 || rc_school_arg(ctx, coach, a->school,
	    resp) == -1 || rc_policy(ctx, &p, resp) == -1)
		return -1;
	e = rc_alloc(sizeof *e);
	coachd__v1__caps_log_entry__init(e);
	if (rc_log_check(ctx, &p, coach, a->school, a->category,
	    (int)a->minutes, day, a->override, NULL, &flagged, &e->warning,
	    resp) == -1)
		goto out;
	store_caps_date(day, date);
	e->coach = rpc_strdup(coach);
	e->category = rpc_strdup(a->category);
	e->minutes = a->minutes;
	e->date = rpc_strdup(date);
	e->note = rpc_strdup(a->note);
	e->flagged = flagged;
	e->override = a->override;
	e->created_at = ctx->now;
	e->created_by = rpc_strdup(ctx->who->user);
	e->school = rpc_strdup(a->school);
	if ((ret = store_caps_log_add(ctx->store, e, &id, err, sizeof err)) !=
	    STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	e->id = id;
	if (a->override) {
		snprintf(what, sizeof what, "override: %u minutes of %s"
		    " (will-not-do) logged for %s on %s, entry %lld",
		    a->minutes, a->category, coach, date, (long long)id);
		if ((ret = store_caps_audit(ctx->store, ctx->who->user,
		    ctx->now, what, err, sizeof err)) != STORE_OK) {
			rpc_fail_store(resp, ret, err);
			goto out;
		}
	}
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_LOG_ENTRY;
	resp->caps_log_entry = e;
	e = NULL;
	rc = 0;
out:
	if (e != NULL)
		protobuf_c_message_free_unpacked(&e->base, NULL);
	caps_policy_free(&p);
	return rc;
}

/* The entry of id, if the caller may change it. */
static int
rc_log_mine(struct rpc_ctx *ctx, int64_t id, const char *what,
    Coachd__V1__CapsLogEntry **out, Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	char			 err[RC_ERRLEN];
	int32_t			 day;

	if ((ret = store_caps_log_get(ctx->store, id, out, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (ctx->who->role == COACHD__V1__ROLE__COACH &&
	    strcmp((*out)->coach, ctx->who->user) != 0)
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "%s: log entry %lld belongs to another coach", what,
		    (long long)id);
	if (caps_parse_date((*out)->date, &day, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s",
		    err);
	return rc_check_window(ctx, day, rc_today(ctx), what, resp);
}

int
rpc_caps_log_edit(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsLogEdit	*a = req->caps_log_edit;
	Coachd__V1__CapsLogEntry	*e = NULL;
	struct caps_policy		 p;
	struct caps_entry		 old;
	enum store_status		 ret;
	char				 date[STORE_CAPS_DATE_LEN];
	char				 err[RC_ERRLEN], what[512], *w = NULL;
	int32_t				 day, oldday;
	int				 flagged = 0, override, rc = -1;

	memset(&p, 0, sizeof p);
	if (a == NULL || a->id <= 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log edit: entry id is required");
	if (a->minutes > 1440 || (a->set_note && a->note != NULL &&
	    strlen(a->note) > RC_NOTE_MAX))
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log edit: minutes must be 1 to 1440 and the note at most"
		    " %d bytes", RC_NOTE_MAX);
	if (rc_log_mine(ctx, a->id, "log edit", &e, resp) == -1)
		goto out;
	(void)caps_parse_date(e->date, &oldday, NULL, 0);
	day = oldday;
	if (a->date != NULL && *a->date != '\0' && (rc_date(ctx, a->date,
	    &day, resp) == -1 || rc_check_window(ctx, day, rc_today(ctx),
	    "log edit", resp) == -1))
		goto out;
	if (rc_policy(ctx, &p, resp) == -1)
		goto out;
	memset(&old, 0, sizeof old);
	old.category = e->category;
	old.minutes = (int)e->minutes;
	old.day = oldday;
	if (a->category != NULL && *a->category != '\0') {
		free(e->category);
		e->category = rpc_strdup(a->category);
	}
	if (a->minutes > 0)
		e->minutes = a->minutes;
	if (a->set_note) {
		free(e->note);
		e->note = rpc_strdup(a->note);
	}
	/* an override already recorded for the same category stands */
	override = a->override || (e->override &&
	    strcmp(e->category, old.category) == 0);
	if (rc_log_check(ctx, &p, e->coach, e->school, e->category,
	    (int)e->minutes, day, override, &old, &flagged, &w, resp) == -1)
		goto out;
	store_caps_date(day, date);
	free(e->date);
	e->date = rpc_strdup(date);
	e->flagged = flagged;
	e->override = override;
	free(e->warning);
	e->warning = w;
	w = NULL;
	if ((ret = store_caps_log_update(ctx->store, e, err, sizeof err)) !=
	    STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if (a->override) {
		snprintf(what, sizeof what, "override: entry %lld of %s"
		    " changed to %u minutes of %s (will-not-do) on %s",
		    (long long)e->id, e->coach, e->minutes, e->category, date);
		if ((ret = store_caps_audit(ctx->store, ctx->who->user,
		    ctx->now, what, err, sizeof err)) != STORE_OK) {
			rpc_fail_store(resp, ret, err);
			goto out;
		}
	}
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_LOG_ENTRY;
	resp->caps_log_entry = e;
	e = NULL;
	rc = 0;
out:
	free(w);
	if (e != NULL)
		protobuf_c_message_free_unpacked(&e->base, NULL);
	caps_policy_free(&p);
	return rc;
}

int
rpc_caps_log_delete(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsLogRef	*a = req->caps_log_delete;
	Coachd__V1__CapsLogEntry	*e = NULL;
	enum store_status		 ret;
	char				 err[RC_ERRLEN];
	int				 rc = -1;

	if (a == NULL || a->id <= 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "log delete: entry id is required");
	if (rc_log_mine(ctx, a->id, "log delete", &e, resp) == -1)
		goto out;
	if ((ret = store_caps_log_delete(ctx->store, a->id, ctx->now, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	free(e->warning);
	e->warning = rpc_strdup("deleted");
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_LOG_ENTRY;
	resp->caps_log_entry = e;
	e = NULL;
	rc = 0;
out:
	if (e != NULL)
		protobuf_c_message_free_unpacked(&e->base, NULL);
	return rc;
}

int
rpc_caps_log_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsLogListRequest *a = req->caps_log_list;
	Coachd__V1__CapsLogList		*l;
	enum store_status		 ret;
	char				 coach[128], school[128];
	char				 f[STORE_CAPS_DATE_LEN];
	char				 t[STORE_CAPS_DATE_LEN], err[RC_ERRLEN];
	int32_t				 day;

	if (rc_coach(ctx, a != NULL ? a->coach : NULL, "log list", coach,
	    sizeof coach, school, sizeof school, resp) == -1 ||
	    rc_date(ctx, a != NULL ? a->week : NULL, &day, resp) == -1)
		return -1;
	day = caps_week_start(day);
	store_caps_date(day, f);
	store_caps_date(day + 6, t);
	l = rc_alloc(sizeof *l);
	coachd__v1__caps_log_list__init(l);
	l->coach = rpc_strdup(coach);
	l->week_start = rpc_strdup(f);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_LOG_LIST;
	resp->caps_log_list = l;
	if ((ret = store_caps_log_list(ctx->store, coach, f, t, l, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

/* ---- runtime caps ------------------------------------------------------- */

static int
rc_scope_arg(struct rpc_ctx *ctx, const char *scope, const char *id,
    enum caps_scope *sc, Coachd__V1__Response *resp)
{
	char	err[RC_ERRLEN];
	int	ok, r;

	*sc = rc_scope(scope != NULL && *scope ? scope : "district", &ok);
	if (!ok)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "scope must be district, school or coach, not '%s'",
		    scope);
	if (*sc == CAPS_SCOPE_DISTRICT) {
		if (id != NULL && *id != '\0')
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "a district cap takes no school or coach id");
		return 0;
	}
	if (id == NULL || *id == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "a %s cap needs the %s id", scope, scope);
	r = store_exists(ctx->store, *sc == CAPS_SCOPE_SCHOOL ?
	    "SELECT 1 FROM schools WHERE id = ?1" :
	    "SELECT 1 FROM coaches WHERE id = ?1", id, err, sizeof err);
	if (r == -1)
		return rpc_fail_store(resp, STORE_ERROR, err);
	if (r == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "%s '%s' not found", scope, id);
	return 0;
}

/* Reply with the file's caps, the runtime ones and the categories. */
static int
rc_rules_reply(struct rpc_ctx *ctx, Coachd__V1__Response *resp)
{
	Coachd__V1__CapsRuleList	*l;
	Coachd__V1__CapsRule		*r;
	Coachd__V1__CapsCategoryInfo	*c;
	struct caps_policy		 fp;
	enum store_status		 ret;
	char				 err[RC_ERRLEN], spec[64];
	size_t				 i;

	memset(&fp, 0, sizeof fp);
	if (rc_text == NULL || caps_policy_parse(rc_text, rc_name, &fp, err,
	    sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "categories file: %s", rc_text ? err : "not loaded");
	l = rc_alloc(sizeof *l);
	coachd__v1__caps_rule_list__init(l);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_RULES;
	resp->caps_rules = l;
	l->warn_bp = fp.warn_bp;
	l->protected_bp = fp.protected_bp;
	for (i = 0; i < fp.ncats; i++) {
		c = rc_alloc(sizeof *c);
		coachd__v1__caps_category_info__init(c);
		c->id = rpc_strdup(fp.cats[i].id);
		c->name = rpc_strdup(fp.cats[i].name);
		c->role = rpc_strdup(caps_role_name(fp.cats[i].role));
		c->coaching = fp.cats[i].coaching;
		c->mark = rpc_strdup(caps_mark_name(fp.cats[i].mark));
		RC_PUSH(l->categories, l->n_categories, c);
	}
	for (i = 0; i < fp.nrules; i++) {
		r = rc_alloc(sizeof *r);
		coachd__v1__caps_rule__init(r);
		r->scope = rpc_strdup(caps_scope_name(fp.rules[i].scope));
		r->scope_id = rpc_strdup(fp.rules[i].scope_id);
		r->category = rpc_strdup(fp.rules[i].category);
		caps_format_spec(&fp.rules[i].spec, spec, sizeof spec);
		r->spec = rpc_strdup(spec);
		r->source = rpc_strdup("file");
		r->set_by = rpc_strdup(rc_name);
		RC_PUSH(l->rules, l->n_rules, r);
	}
	caps_policy_free(&fp);
	if ((ret = store_caps_override_list(ctx->store, l, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

int
rpc_caps_set(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsSet	*a = req->caps_set;
	struct caps_policy		 p;
	struct caps_spec		 spec;
	enum caps_scope			 sc;
	enum store_status		 ret;
	char				 err[RC_ERRLEN], canon[64], what[512];
	const char			*id, *period;
	int				 rc = -1;

	memset(&p, 0, sizeof p);
	if (a == NULL || a->category == NULL || *a->category == '\0' ||
	    a->spec == NULL || *a->spec == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps set: category and cap are required");
	if (rc_scope_arg(ctx, a->scope, a->scope_id, &sc, resp) == -1)
		return -1;
	id = sc == CAPS_SCOPE_DISTRICT ? "" : a->scope_id;
	if (caps_parse_spec(a->spec, &spec, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	if (rc_policy(ctx, &p, resp) == -1)
		return -1;
	/* the engine's own check: known category, consistent rule */
	if (caps_policy_set(&p, sc, id, a->category, a->spec, err,
	    sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s", err);
		goto out;
	}
	caps_format_spec(&spec, canon, sizeof canon);
	period = spec.unit == CAPS_NOCAP ? "all" :
	    spec.period == CAPS_TERM ? "term" : "week";
	if ((ret = store_caps_override_put(ctx->store, caps_scope_name(sc),
	    id, a->category, period, canon, ctx->who->user, ctx->now, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	snprintf(what, sizeof what, "caps set %s %s (%s%s%s)", a->category,
	    canon, caps_scope_name(sc), *id ? " " : "", id);
	if ((ret = store_caps_audit(ctx->store, ctx->who->user, ctx->now,
	    what, err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	rc = rc_rules_reply(ctx, resp);
out:
	caps_policy_free(&p);
	return rc;
}

int
rpc_caps_unset(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsUnset	*a = req->caps_unset;
	enum caps_scope			 sc;
	enum store_status		 ret;
	char				 err[RC_ERRLEN], what[512];
	const char			*id, *period;
	int				 n;

	if (a == NULL || a->category == NULL || *a->category == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps unset: category is required");
	if (rc_scope_arg(ctx, a->scope, a->scope_id, &sc, resp) == -1)
		return -1;
	id = sc == CAPS_SCOPE_DISTRICT ? "" : a->scope_id;
	period = a->period != NULL ? a->period : "";
	if (*period && strcmp(period, "week") != 0 &&
	    strcmp(period, "term") != 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps unset: period must be week or term, not '%s'",
		    period);
	if ((ret = store_caps_override_del(ctx->store, caps_scope_name(sc),
	    id, a->category, period, &n, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (n == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "no runtime cap for %s at %s%s%s (caps from the file are"
		    " changed in the file)", a->category, caps_scope_name(sc),
		    *id ? " " : "", id);
	snprintf(what, sizeof what, "caps unset %s%s%s (%s%s%s)",
	    a->category, *period ? " " : "", period, caps_scope_name(sc),
	    *id ? " " : "", id);
	if ((ret = store_caps_audit(ctx->store, ctx->who->user, ctx->now,
	    what, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rc_rules_reply(ctx, resp);
}

int
rpc_caps_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	(void)req;
	return rc_rules_reply(ctx, resp);
}

/* "24h/week", "24h" or "default" (0: the policy's working_week). */
static int
rc_working_spec(const char *spec, long *minutes, char *err, size_t errlen)
{
	struct caps_spec	cs;
	char			buf[64];

	if (strcmp(spec, "default") == 0) {
		*minutes = 0;
		return 0;
	}
	snprintf(buf, sizeof buf, "%s%s", spec, strchr(spec, '/') != NULL ?
	    "" : "/week");
	if (caps_parse_spec(buf, &cs, err, errlen) == -1 ||
	    cs.unit != CAPS_MINUTES || cs.period != CAPS_WEEK ||
	    cs.value < 1 || cs.value > 10080) {
		snprintf(err, errlen, "working time must be a weekly duration"
		    " like 24h/week (up to 168h) or default, not '%s'", spec);
		return -1;
	}
	*minutes = cs.value;
	return 0;
}

int
rpc_caps_working_time(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsWorkingTime *a = req->caps_working_time;
	Coachd__V1__CapsWorkingTimeResult *r;
	struct caps_policy		 p;
	enum store_status		 ret;
	char				 err[RC_ERRLEN], what[512], hm[32];
	long				 minutes;
	int				 x, rc = -1;

	if (a == NULL || a->coach == NULL || *a->coach == '\0' ||
	    a->spec == NULL || *a->spec == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "caps working-time: coach and time (24h/week or default)"
		    " are required");
	if (rc_working_spec(a->spec, &minutes, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	x = store_exists(ctx->store, "SELECT 1 FROM coaches WHERE id = ?1",
	    a->coach, err, sizeof err);
	if (x == -1)
		return rpc_fail_store(resp, STORE_ERROR, err);
	if (x == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "coach '%s' not found", a->coach);
	if (rc_policy(ctx, &p, resp) == -1)
		return -1;
	if ((ret = store_caps_working_put(ctx->store, a->coach, minutes,
	    ctx->who->user, ctx->now, err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	snprintf(what, sizeof what, "caps working-time %s %s%s", a->coach,
	    minutes > 0 ? rc_hm(minutes, hm, sizeof hm) : "default",
	    minutes > 0 ? "/week" : "");
	if ((ret = store_caps_audit(ctx->store, ctx->who->user, ctx->now,
	    what, err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	r = rc_alloc(sizeof *r);
	coachd__v1__caps_working_time_result__init(r);
	r->coach = rpc_strdup(a->coach);
	r->minutes = minutes > 0 ? minutes : p.working_minutes_week;
	r->default_minutes = p.working_minutes_week;
	r->is_default = minutes <= 0;
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_WORKING_TIME;
	resp->caps_working_time = r;
	rc = 0;
out:
	caps_policy_free(&p);
	return rc;
}

/* ---- standing ------------------------------------------------------------- */

/* The term dates of w as wire strings ("" when no term applies). */
static void
rc_term_dates(const struct caps_window *w, char **start, char **end)
{
	char	d[STORE_CAPS_DATE_LEN];

	/* the fields hold protobuf-c's static "" until set */
	if (w->term_start > w->term_end) {
		*start = rpc_strdup("");
		*end = rpc_strdup("");
		return;
	}
	store_caps_date(w->term_start, d);
	*start = rpc_strdup(d);
	store_caps_date(w->term_end, d);
	*end = rpc_strdup(d);
}

/* One warning per cap (week, term) a category is near or over. */
static void
rc_usage_warnings(Coachd__V1__CapsStanding *s, const struct caps_usage *cu,
    int warn_bp)
{
	char	msg[256], x[32], y[32];

	if (cu->week_limit >= 0 && cu->week_used > 0 &&
	    cu->week_used * 10000 >= cu->week_limit * (long)warn_bp) {
		snprintf(msg, sizeof msg, "%s: %s of %s this week (%s)",
		    cu->category, rc_hm(cu->week_used, x, sizeof x),
		    rc_hm(cu->week_limit, y, sizeof y),
		    cu->week_used > cu->week_limit ? "over the cap" :
		    "near the cap");
		RC_PUSH(s->warnings, s->n_warnings, rpc_strdup(msg));
	}
	if (cu->term_limit >= 0 && cu->term_used > 0 &&
	    cu->term_used * 10000 >= cu->term_limit * (long)warn_bp) {
		snprintf(msg, sizeof msg, "%s: %s of %s this term (%s)",
		    cu->category, rc_hm(cu->term_used, x, sizeof x),
		    rc_hm(cu->term_limit, y, sizeof y),
		    cu->term_used > cu->term_limit ? "over the term cap" :
		    "near the term cap");
		RC_PUSH(s->warnings, s->n_warnings, rpc_strdup(msg));
	}
}

int
rpc_caps_standing(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsStandingRequest *a = req->caps_standing;
	Coachd__V1__CapsStanding	*s;
	Coachd__V1__CapsUsage		*u;
	struct store_caps_entries	 ents;
	struct caps_policy		 p;
	struct caps_window		 w;
	struct caps_eval		 ev;
	struct caps_entry		*v = NULL;
	struct rc_who			 rw;
	const struct caps_usage		*cu;
	enum store_status		 ret;
	char				 coach[128], school[128];
	char				 err[RC_ERRLEN], d[STORE_CAPS_DATE_LEN];
	char				 msg[256];
	int32_t				 day;
	size_t				 n, i;
	int				 ci, rc = -1;

	memset(&ents, 0, sizeof ents);
	memset(&p, 0, sizeof p);
	memset(&ev, 0, sizeof ev);
	memset(&rw, 0, sizeof rw);
	if (rc_coach(ctx, a != NULL ? a->coach : NULL, "caps", coach,
	    sizeof coach, school, sizeof school, resp) == -1 ||
	    rc_date(ctx, a != NULL ? a->date : NULL, &day, resp) == -1 ||
	    rc_policy(ctx, &p, resp) == -1)
		goto out;
	rc_window(&p, day, rc_working(ctx->store, &p, coach), &w);
	if ((ret = rc_entries(ctx->store, coach, &w, rc_today(ctx), &ents,
	    err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if ((ret = rc_who_load(ctx->store, coach, NULL, &rw, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	v = rc_known(&p, &ents, &n);
	if (caps_evaluate(&p, &rw.who, v, n, &w, &ev, err, sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "caps: %s", err);
		goto out;
	}
	s = rc_alloc(sizeof *s);
	coachd__v1__caps_standing__init(s);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_STANDING;
	resp->caps_standing = s;
	s->coach = rpc_strdup(coach);
	store_caps_date(w.week_start, d);
	s->week_start = rpc_strdup(d);
	s->week_used = ev.week_used;
	s->coaching_used = ev.coaching_used;
	s->coaching_share_bp = ev.coaching_share_bp;
	s->protected_bp = ev.protected_bp;
	s->below_protected = ev.below_protected;
	s->worst = rpc_strdup(caps_status_name(ev.worst));
	rc_term_dates(&w, &s->term_start, &s->term_end);
	s->working_minutes = w.working_minutes_week;
	for (i = 0; i < ev.n; i++) {
		cu = &ev.v[i];
		/* the categories that matter: used, or capped */
		if (cu->week_used == 0 && cu->week_limit < 0 &&
		    cu->term_used == 0 && cu->term_limit < 0)
			continue;
		ci = caps_find_category(&p, cu->category);
		u = rc_alloc(sizeof *u);
		coachd__v1__caps_usage__init(u);
		u->category = rpc_strdup(cu->category);
		u->name = rpc_strdup(ci >= 0 ? p.cats[ci].name : "");
		u->mark = rpc_strdup(ci >= 0 ?
		    caps_mark_name(p.cats[ci].mark) : "");
		u->coaching = cu->coaching;
		u->week_actual = cu->week_actual;
		u->week_planned = cu->week_planned;
		u->week_used = cu->week_used;
		u->week_limit = cu->week_limit;
		u->term_used = cu->term_used;
		u->term_limit = cu->term_limit;
		u->limit_scope = rpc_strdup(cu->week_limit >= 0 ?
		    caps_scope_name(cu->week_scope) : "");
		u->status = rpc_strdup(caps_status_name(cu->status));
		RC_PUSH(s->usage, s->n_usage, u);
		if (cu->status == CAPS_OK)
			continue;
		rc_usage_warnings(s, cu, p.warn_bp);
	}
	if (ev.below_protected) {
		snprintf(msg, sizeof msg, "coaching share %d%% is below the"
		    " protected minimum of %d%%", ev.coaching_share_bp / 100,
		    ev.protected_bp / 100);
		RC_PUSH(s->warnings, s->n_warnings, rpc_strdup(msg));
	}
	rc = 0;
out:
	free(v);
	rc_who_free(&rw);
	caps_eval_free(&ev);
	store_caps_entries_free(&ents);
	caps_policy_free(&p);
	return rc;
}

/* ---- reports -------------------------------------------------------------- */

static Coachd__V1__CapsReportRow *
rc_row(const struct caps_policy *p, const struct caps_report_row *r,
    long limit)
{
	Coachd__V1__CapsReportRow	*o;
	int				 ci;

	ci = caps_find_category(p, r->category);
	o = rc_alloc(sizeof *o);
	coachd__v1__caps_report_row__init(o);
	o->category = rpc_strdup(r->category);
	o->name = rpc_strdup(ci >= 0 ? p->cats[ci].name : r->category);
	o->coaching = r->coaching;
	o->planned = r->planned;
	o->actual = r->actual;
	o->share_bp = r->share_bp;
	o->limit = limit;
	return o;
}

static uint32_t
rc_weeks(uint32_t w)
{
	if (w == 0)
		return 4;
	return w > 104 ? 104 : w;
}

int
rpc_caps_report_time(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsReportTimeRequest *a = req->caps_report_time;
	Coachd__V1__CapsTimeReport	*t;
	struct store_caps_entries	 ents;
	struct caps_policy		 p;
	struct caps_report		 r;
	struct rc_who			 rw;
	enum store_status		 ret;
	char				 coach[128], school[128];
	char				 err[RC_ERRLEN], d[STORE_CAPS_DATE_LEN];
	char				 **ids = NULL;
	const char			*sch;
	int32_t				 from, to, today;
	uint32_t			 weeks;
	size_t				 nids = 0, i;
	long				 limit;
	int				 rc = -1, one;

	memset(&ents, 0, sizeof ents);
	memset(&p, 0, sizeof p);
	memset(&r, 0, sizeof r);
	memset(&rw, 0, sizeof rw);
	coach[0] = school[0] = '\0';
	sch = a != NULL && a->school != NULL ? a->school : "";
	one = *sch == '\0';
	if (!one && ctx->who->role != COACHD__V1__ROLE__ADMIN)
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "report time: a coach may see only their own report");
	if (!one && a->coach != NULL && *a->coach != '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "report time: give --coach or --school, not both");
	if (one && rc_coach(ctx, a != NULL ? a->coach : NULL, "report time",
	    coach, sizeof coach, school, sizeof school, resp) == -1)
		return -1;
	if (!one) {
		i = (size_t)store_exists(ctx->store,
		    "SELECT 1 FROM schools WHERE id = ?1", sch, err,
		    sizeof err);
		if (i != 1)
			return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
			    "school '%s' not found", sch);
	}
	if (rc_policy(ctx, &p, resp) == -1)
		return -1;
	weeks = rc_weeks(a != NULL ? a->weeks : 0);
	today = rc_today(ctx);
	from = caps_week_start(today) - 7 * (int32_t)(weeks - 1);
	to = caps_week_start(today) + 6;
	if (one)
		ret = store_caps_entries(ctx->store, coach, from, to, today,
		    &ents, err, sizeof err);
	else {
		ret = store_caps_coaches(ctx->store, sch, &ids, &nids, err,
		    sizeof err);
		for (i = 0; ret == STORE_OK && i < nids; i++)
			ret = store_caps_entries(ctx->store, ids[i], from,
			    to, today, &ents, err, sizeof err);
	}
	if (ret != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	if (caps_report_time(&p, ents.v, ents.n, from, to, &r, err,
	    sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "caps: %s", err);
		goto out;
	}
	t = rc_alloc(sizeof *t);
	coachd__v1__caps_time_report__init(t);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_TIME_REPORT;
	resp->caps_time_report = t;
	t->scope = rpc_strdup(one ? "coach" : "school");
	t->scope_id = rpc_strdup(one ? coach : sch);
	store_caps_date(from, d);
	t->from = rpc_strdup(d);
	store_caps_date(to, d);
	t->to = rpc_strdup(d);
	t->weeks = weeks;
	t->planned = r.planned;
	t->actual = r.actual;
	t->coaching_actual = r.coaching_actual;
	t->coaching_share_bp = r.coaching_share_bp;
	t->protected_bp = r.protected_bp;
	t->below_protected = r.below_protected;
	if (one && (ret = rc_who_load(ctx->store, coach, NULL, &rw, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	for (i = 0; i < r.nrows; i++) {
		if (r.rows[i].planned == 0 && r.rows[i].actual == 0)
			continue;	/* categories with no time at all */
		limit = -1;
		if (one)
			limit = caps_resolve_limit(&p, &rw.who,
			    r.rows[i].category, CAPS_WEEK, rc_working(
			    ctx->store, &p, coach), NULL);
		if (limit > 0)
			limit *= (long)weeks;
		RC_PUSH(t->rows, t->n_rows, rc_row(&p, &r.rows[i], limit));
	}
	rc = 0;
out:
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	rc_who_free(&rw);
	caps_report_free(&r);
	store_caps_entries_free(&ents);
	caps_policy_free(&p);
	return rc;
}

int
rpc_caps_report_district(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsReportDistrictRequest *a =
	    req->caps_report_district;
	Coachd__V1__CapsDistrictReport	*dr;
	Coachd__V1__CapsOverCap		*o;
	Coachd__V1__CapsUnseenTeacher	*u, **seen = NULL;
	struct store_caps_entries	*ents = NULL;
	struct caps_coach_input		*in = NULL;
	struct caps_teacher_seen	*ts = NULL;
	struct caps_entry		**kv = NULL;
	struct caps_policy		 p;
	struct caps_window		 w;
	struct caps_district		 out;
	enum store_status		 ret;
	char				 err[RC_ERRLEN], d[STORE_CAPS_DATE_LEN];
	char				 **ids = NULL;
	struct rc_who			*rws = NULL;
	int32_t				 from, to, today, day;
	uint32_t			 weeks;
	size_t				 nids = 0, nseen = 0, i, j;
	int				 rc = -1;

	memset(&p, 0, sizeof p);
	memset(&out, 0, sizeof out);
	dr = rc_alloc(sizeof *dr);
	coachd__v1__caps_district_report__init(dr);
	if (rc_policy(ctx, &p, resp) == -1)
		goto out;
	weeks = rc_weeks(a != NULL ? a->weeks : 0);
	today = rc_today(ctx);
	rc_window(&p, today, 0, &w);
	from = w.week_start - 7 * (int32_t)(weeks - 1);
	to = w.week_start + 6;
	if ((ret = store_caps_coaches(ctx->store, NULL, &ids, &nids, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	ents = store_xcalloc(nids + 1, sizeof *ents);
	in = store_xcalloc(nids + 1, sizeof *in);
	kv = store_xcalloc(nids + 1, sizeof *kv);
	rws = store_xcalloc(nids + 1, sizeof *rws);
	for (i = 0; i < nids; i++) {
		if ((ret = rc_span_entries(ctx->store, ids[i], from, to,
		    &w, today, &ents[i], err, sizeof err)) != STORE_OK ||
		    (ret = rc_who_load(ctx->store, ids[i], NULL, &rws[i], err,
		    sizeof err)) != STORE_OK) {
			rpc_fail_store(resp, ret, err);
			goto out;
		}
		kv[i] = rc_known(&p, &ents[i], &j);
		in[i].coach_id = ids[i];
		in[i].school_id = rws[i].who.school_id;
		in[i].schools = rws[i].who.schools;
		in[i].nschools = rws[i].who.nschools;
		in[i].entries = kv[i];
		in[i].n = j;
		in[i].working_minutes_week = rc_working(ctx->store, &p,
		    ids[i]);
	}
	store_caps_date(today, d);
	if ((ret = store_caps_teachers_seen(ctx->store, d, dr, err,
	    sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	/* the engine ranks; the store's rows are moved back by pointer */
	seen = dr->unseen;
	nseen = dr->n_unseen;
	dr->unseen = NULL;
	dr->n_unseen = 0;
	ts = store_xcalloc(nseen + 1, sizeof *ts);
	for (i = 0; i < nseen; i++) {
		ts[i].teacher_id = seen[i]->teacher;
		ts[i].last_seen = -1;
		if (*seen[i]->last_seen != '\0' && caps_parse_date(
		    seen[i]->last_seen, &day, NULL, 0) == 0)
			ts[i].last_seen = day;
	}
	if (caps_report_district(&p, in, nids, from, to, &w, ts, nseen,
	    today, RC_UNSEEN_DAYS, &out, err, sizeof err) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "caps: %s", err);
		goto out;
	}
	store_caps_date(from, d);
	dr->from = rpc_strdup(d);
	store_caps_date(to, d);
	dr->to = rpc_strdup(d);
	store_caps_date(w.week_start, d);
	dr->week_start = rpc_strdup(d);
	rc_term_dates(&w, &dr->term_start, &dr->term_end);
	dr->actual = out.actual;
	for (i = 0; i < out.nranked; i++)
		if (out.ranked[i].actual > 0)	/* time that was spent */
			RC_PUSH(dr->ranked, dr->n_ranked,
			    rc_row(&p, &out.ranked[i], -1));
	for (i = 0; i < out.nover; i++) {
		o = rc_alloc(sizeof *o);
		coachd__v1__caps_over_cap__init(o);
		o->coach = rpc_strdup(out.over[i].coach_id);
		o->category = rpc_strdup(out.over[i].category);
		o->period = rpc_strdup(out.over[i].period == CAPS_TERM ?
		    "term" : "week");
		o->used = out.over[i].used;
		o->limit = out.over[i].limit;
		o->pct_bp = out.over[i].pct_bp;
		RC_PUSH(dr->over, dr->n_over, o);
	}
	for (i = 0; i < out.nunseen; i++)
		for (j = 0; j < nseen; j++) {
			if (seen[j] == NULL ||
			    seen[j]->teacher != out.unseen[i].teacher_id)
				continue;
			u = seen[j];
			seen[j] = NULL;
			u->days = out.unseen[i].days;
			RC_PUSH(dr->unseen, dr->n_unseen, u);
			break;
		}
	rc = 0;
out:
	resp->result_case = COACHD__V1__RESPONSE__RESULT_CAPS_DISTRICT_REPORT;
	resp->caps_district_report = dr;
	for (i = 0; i < nseen; i++)
		if (seen[i] != NULL)
			protobuf_c_message_free_unpacked(&seen[i]->base, NULL);
	free(seen);
	free(ts);
	for (i = 0; i < nids; i++) {
		store_caps_entries_free(&ents[i]);
		free(kv[i]);
		free(ids[i]);
	}
	free(ents);
	free(kv);
	free(in);
	for (i = 0; rws != NULL && i < nids; i++)
		rc_who_free(&rws[i]);
	free(rws);
	free(ids);
	caps_district_free(&out);
	caps_policy_free(&p);
	return rc;
}

/* ---- the scheduler's check -------------------------------------------- */

int
caps_booking_allowed(struct store *st, const char *coach, const char *school,
    const char *category, int minutes, const char *date, char *reason,
    size_t reasonlen)
{
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
	if (rpc_caps_policy(st, &p, reason, reasonlen) == -1)
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
	memset(&add, 0, sizeof add);
	add.category = category;
	add.minutes = minutes;
	add.day = day;
	add.source = CAPS_SCHEDULED;
	add.state = CAPS_ENTRY_PLANNED;
	if (caps_check_entry(&p, &rw.who, v, n, &w, &add, &chk, reason,
	    reasonlen) == -1)
		goto out;
	rc = chk.allowed ? 1 : 0;
	if (!chk.allowed)
		snprintf(reason, reasonlen, "%s", chk.reason);
out:
	free(v);
	rc_who_free(&rw);
	store_caps_entries_free(&ents);
	caps_policy_free(&p);
	return rc;
}

/* ---- added by the scheduling area (issue 5): one cycle's bookings ---- */

int
caps_bookings_allowed(struct store *st, const char *coach,
    const struct caps_booking *b, size_t n, char *reason, size_t reasonlen)
{
	int32_t	*week;
	size_t	 i, j;
	int	 sum, r = 1, dup;

	if ((week = calloc(n + 1, sizeof(*week))) == NULL)
		fatalx("out of memory");
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
		r = caps_booking_allowed(st, coach, b[i].school,
		    b[i].category, sum, b[i].date, reason, reasonlen);
	}
out:
	free(week);
	return r;
}
