/*
 * rpc_caps_report.c: a coach's standing (`coachctl caps`) and the
 * time-use reports (`report time`, `report district`) of time caps.
 * Built from minutes and categories only: never a note.

 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "rpc_caps_int.h"

#define RC_UNSEEN_DAYS	28	/* "more than 4 weeks" */

/* ---- standing ------------------------------------------------------------- */

/* The term dates of w as wire strings ("" when no term applies). */
static void
rc_term_dates(const struct caps_window *w, char **start, char **end)
{
	char	d[STORE_CAPS_DATE_LEN];

	/* the fields hold protobuf-c's static "" until set */
	if (w->term_start > w->term_end) {
		*start = xstrdup("");
		*end = xstrdup("");
		return;
	}
	store_caps_date(w->term_start, d);
	*start = xstrdup(d);
	store_caps_date(w->term_end, d);
	*end = xstrdup(d);
}

/* A warning when used is near (warn_bp) or over limit in one period. */
static void
rc_usage_warning(Coachd__V1__CapsStanding *s, const char *category,
    long used, long limit, int warn_bp, const char *period)
{
	char	msg[256], x[32], y[32];

	if (limit < 0 || used <= 0 || used * 10000 < limit * (long)warn_bp)
		return;
	snprintf(msg, sizeof msg, "%s: %s of %s this %s (%s the %scap)",
	    category, fmt_minutes(used, x, sizeof x), fmt_minutes(limit, y, sizeof y),
	    period, used > limit ? "over" : "near",
	    strcmp(period, "term") == 0 ? "term " : "");
	RC_PUSH(s->warnings, s->n_warnings, xstrdup(msg));
}

/* One warning per cap (week, term) a category is near or over. */
static void
rc_usage_warnings(Coachd__V1__CapsStanding *s, const struct caps_usage *cu,
    int warn_bp)
{
	rc_usage_warning(s, cu->category, cu->week_used, cu->week_limit,
	    warn_bp, "week");
	rc_usage_warning(s, cu->category, cu->term_used, cu->term_limit,
	    warn_bp, "term");
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
	char				 err[ERRMSG_LEN], d[STORE_CAPS_DATE_LEN];
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
	s = xcalloc(1, sizeof *s);
	coachd__v1__caps_standing__init(s);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CAPS_STANDING,
	    &s->base);
	s->coach = xstrdup(coach);
	store_caps_date(w.week_start, d);
	s->week_start = xstrdup(d);
	s->week_used = ev.week_used;
	s->coaching_used = ev.coaching_used;
	s->coaching_share_bp = ev.coaching_share_bp;
	s->protected_bp = ev.protected_bp;
	s->below_protected = ev.below_protected;
	s->worst = xstrdup(caps_status_name(ev.worst));
	rc_term_dates(&w, &s->term_start, &s->term_end);
	s->working_minutes = w.working_minutes_week;
	for (i = 0; i < ev.n; i++) {
		cu = &ev.v[i];
		/* the categories that matter: used, or capped */
		if (cu->week_used == 0 && cu->week_limit < 0 &&
		    cu->term_limit < 0)
			continue;
		ci = caps_find_category(&p, cu->category);
		u = xcalloc(1, sizeof *u);
		coachd__v1__caps_usage__init(u);
		u->category = xstrdup(cu->category);
		u->name = xstrdup(ci >= 0 ? p.cats[ci].name : "");
		u->mark = xstrdup(ci >= 0 ?
		    caps_mark_name(p.cats[ci].mark) : "");
		u->coaching = cu->coaching;
		u->week_actual = cu->week_actual;
		u->week_planned = cu->week_planned;
		u->week_used = cu->week_used;
		u->week_limit = cu->week_limit;
		u->term_used = cu->term_used;
		u->term_limit = cu->term_limit;
		u->limit_scope = xstrdup(cu->week_limit >= 0 ?
		    caps_scope_name(cu->week_scope) : "");
		u->status = xstrdup(caps_status_name(cu->status));
		RC_PUSH(s->usage, s->n_usage, u);
		if (cu->status == CAPS_OK)
			continue;
		rc_usage_warnings(s, cu, p.warn_bp);
	}
	if (ev.below_protected) {
		snprintf(msg, sizeof msg, "coaching share %d%% is below the"
		    " protected minimum of %d%%", ev.coaching_share_bp / 100,
		    ev.protected_bp / 100);
		RC_PUSH(s->warnings, s->n_warnings, xstrdup(msg));
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
	o = xcalloc(1, sizeof *o);
	coachd__v1__caps_report_row__init(o);
	o->category = xstrdup(r->category);
	o->name = xstrdup(ci >= 0 ? p->cats[ci].name : r->category);
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
	char				 err[ERRMSG_LEN], d[STORE_CAPS_DATE_LEN];
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
	t = xcalloc(1, sizeof *t);
	coachd__v1__caps_time_report__init(t);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CAPS_TIME_REPORT,
	    &t->base);
	t->scope = xstrdup(one ? "coach" : "school");
	t->scope_id = xstrdup(one ? coach : sch);
	store_caps_date(from, d);
	t->from = xstrdup(d);
	store_caps_date(to, d);
	t->to = xstrdup(d);
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
	char				 err[ERRMSG_LEN], d[STORE_CAPS_DATE_LEN];
	char				 **ids = NULL;
	struct rc_who			*rws = NULL;
	int32_t				 from, to, today, day;
	uint32_t			 weeks;
	size_t				 nids = 0, nseen = 0, i, j;
	int				 rc = -1;

	memset(&p, 0, sizeof p);
	memset(&out, 0, sizeof out);
	dr = xcalloc(1, sizeof *dr);
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
	ents = xcalloc(nids + 1, sizeof *ents);
	in = xcalloc(nids + 1, sizeof *in);
	kv = xcalloc(nids + 1, sizeof *kv);
	rws = xcalloc(nids + 1, sizeof *rws);
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
	ts = xcalloc(nseen + 1, sizeof *ts);
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
	dr->from = xstrdup(d);
	store_caps_date(to, d);
	dr->to = xstrdup(d);
	store_caps_date(w.week_start, d);
	dr->week_start = xstrdup(d);
	rc_term_dates(&w, &dr->term_start, &dr->term_end);
	dr->actual = out.actual;
	for (i = 0; i < out.nranked; i++)
		if (out.ranked[i].actual > 0)	/* time that was spent */
			RC_PUSH(dr->ranked, dr->n_ranked,
			    rc_row(&p, &out.ranked[i], -1));
	for (i = 0; i < out.nover; i++) {
		o = xcalloc(1, sizeof *o);
		coachd__v1__caps_over_cap__init(o);
		o->coach = xstrdup(out.over[i].coach_id);
		o->category = xstrdup(out.over[i].category);
		o->period = xstrdup(out.over[i].period == CAPS_TERM ?
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
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_CAPS_DISTRICT_REPORT,
	    &dr->base);
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
