/*
 * rpc_caps_log.c: the log operations of time caps: a coach's

 * log entries added, changed, deleted and listed, each checked against
 * the caps (stored but flagged past a cap; will-not-do needs an audited
 * admin override).  Notes are returned only here, to their coach or an
 * admin.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "rpc_caps_int.h"

#define RC_NOTE_MAX	1000

/* A log entry's --school must be one the coach serves. */
static int
rc_school_arg(struct rpc_ctx *ctx, const char *op, const char *coach,
    const char *school, Coachd__V1__Response *resp)
{
	struct rc_who		rw;
	enum store_status	ret;
	char			err[ERRMSG_LEN];
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
		    "%s: %s does not serve school '%s'", op, coach, school);
	return 0;
}


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
	char				 err[ERRMSG_LEN], msg[512], a[32], b[32];
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
	add = (struct caps_entry){ .category = category, .minutes = minutes,
	    .day = day, .source = CAPS_LOGGED, .state = CAPS_ENTRY_DONE,
	    .override = override };

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
		    " cap (%ld%%)", category, fmt_minutes(chk.after, a, sizeof a),
		    fmt_minutes(chk.limit, b, sizeof b), chk.period == CAPS_TERM ?
		    "term" : "week", chk.limit > 0 ? chk.after * 100 /
		    chk.limit : 100);
	if (chk.breaks_protected)
		snprintf(msg + strlen(msg), sizeof msg - strlen(msg),
		    "%scoaching share this week falls below the protected"
		    " minimum of %d%%", msg[0] ? "; " : "warning: ",
		    p->protected_bp / 100);
	*warning = xstrdup(msg);
	rc = 0;
out:
	free(v);
	rc_who_free(&rw);
	store_caps_entries_free(&ents);
	return rc;
}

/*
 * The end of a log operation: on success entry e becomes the result, on
 * failure (rc -1, resp already failed) it is freed.  Returns rc.
 */
static int
rc_entry_done(Coachd__V1__Response *resp, Coachd__V1__CapsLogEntry *e,
    int rc)
{
	if (rc == 0)
		return rpc_set_result(resp,
		    COACHD__V1__RESPONSE__RESULT_CAPS_LOG_ENTRY, &e->base);
	if (e != NULL)
		protobuf_c_message_free_unpacked(&e->base, NULL);
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
	char				 date[STORE_CAPS_DATE_LEN], err[ERRMSG_LEN];
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
	    "log add", resp) == -1 || rc_school_arg(ctx, "log add", coach,
	    a->school, resp) == -1 || rc_policy(ctx, &p, resp) == -1)
		return -1;
	e = xcalloc(1, sizeof *e);
	coachd__v1__caps_log_entry__init(e);
	if (rc_log_check(ctx, &p, coach, a->school, a->category,
	    (int)a->minutes, day, a->override, NULL, &flagged, &e->warning,
	    resp) == -1)
		goto out;
	store_caps_date(day, date);
	e->coach = xstrdup(coach);
	e->category = xstrdup(a->category);
	e->minutes = a->minutes;
	e->date = xstrdup(date);
	e->note = xstrdup(a->note);
	e->flagged = flagged;
	e->override = a->override;
	e->created_at = ctx->now;
	e->created_by = xstrdup(ctx->who->user);
	e->school = xstrdup(a->school);
	if ((ret = store_caps_log_add(ctx->store, e, &id, err, sizeof err)) !=
	    STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	e->id = id;
	if (a->override && rc_audit(ctx, resp, "override: %u minutes of %s"
	    " (will-not-do) logged for %s on %s, entry %lld", a->minutes,
	    a->category, coach, date, (long long)id) == -1)
		goto out;
	rc = 0;
out:
	caps_policy_free(&p);
	return rc_entry_done(resp, e, rc);
}

/* The entry of id, if the caller may change it. */
static int
rc_log_mine(struct rpc_ctx *ctx, int64_t id, const char *what,
    Coachd__V1__CapsLogEntry **out, Coachd__V1__Response *resp)
{
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];
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
	char				 err[ERRMSG_LEN], *w = NULL;
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
	if (rc_log_mine(ctx, a->id, "log edit", &e, resp) == -1 ||
	    rc_school_arg(ctx, "log edit", e->coach, a->school, resp) == -1)
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
		e->category = xstrdup(a->category);
	}
	if (a->minutes > 0)
		e->minutes = a->minutes;
	if (a->school != NULL && *a->school != '\0') {
		free(e->school);
		e->school = xstrdup(a->school);
	}
	if (a->set_note) {
		free(e->note);
		e->note = xstrdup(a->note);
	}
	/* an override already recorded for the same category stands */
	override = a->override || (e->override &&
	    strcmp(e->category, old.category) == 0);
	if (rc_log_check(ctx, &p, e->coach, e->school, e->category,
	    (int)e->minutes, day, override, &old, &flagged, &w, resp) == -1)
		goto out;
	store_caps_date(day, date);
	free(e->date);
	e->date = xstrdup(date);
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
	if (a->override && rc_audit(ctx, resp, "override: entry %lld of %s"
	    " changed to %u minutes of %s (will-not-do) on %s",
	    (long long)e->id, e->coach, e->minutes, e->category, date) == -1)
		goto out;
	rc = 0;
out:
	free(w);
	caps_policy_free(&p);
	return rc_entry_done(resp, e, rc);
}

int
rpc_caps_log_delete(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__CapsLogRef	*a = req->caps_log_delete;
	Coachd__V1__CapsLogEntry	*e = NULL;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN];
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
	e->warning = xstrdup("deleted");
	rc = 0;
out:
	return rc_entry_done(resp, e, rc);
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
	char				 t[STORE_CAPS_DATE_LEN], err[ERRMSG_LEN];
	int32_t				 day;

	if (rc_coach(ctx, a != NULL ? a->coach : NULL, "log list", coach,
	    sizeof coach, school, sizeof school, resp) == -1 ||
	    rc_date(ctx, a != NULL ? a->week : NULL, &day, resp) == -1)
		return -1;
	day = caps_week_start(day);
	store_caps_date(day, f);
	store_caps_date(day + 6, t);
	l = xcalloc(1, sizeof *l);
	coachd__v1__caps_log_list__init(l);
	l->coach = xstrdup(coach);
	l->week_start = xstrdup(f);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CAPS_LOG_LIST,
	    &l->base);
	if ((ret = store_caps_log_list(ctx->store, coach, f, t, l, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}
