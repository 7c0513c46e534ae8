/*
 * rpc_sched_plan.c: `admin schedule` (schedule_run).  Turns the database
 * into a sched_problem (one engine period per school and bell period, so
 * a slot also says where it is), runs the pure engine, and writes the
 * outcome back: new sessions, moved published sessions (sequence + 1),
 * cycles scheduled or unplaceable with the engine's reason.  A dry run
 * makes the same writes under a savepoint and rolls them back, so what it
 * shows is exactly what publishing would do.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "change.h"
#include "log.h"
#include "rpc.h"
#include "rpc_sched_plan.h"
#include "store_sched.h"
#include "errmsg.h"
#include "rpc_caps.h"
#include "xmalloc.h"


/* ---- output -------------------------------------------------------------- */

static Coachd__V1__SchedSession *
out_session(const struct plan *p, const struct p_cycle *y,
    const struct p_teacher *t, int k, struct sched_slot sl, int64_t id)
{
	Coachd__V1__SchedSession	*m;
	const struct tt_bell		*b;
	const struct p_slot		*ts;
	char				 date[CALENDAR_DATE_LEN];

	m = xmalloc(sizeof(*m));
	coachd__v1__sched_session__init(m);
	calendar_format_date(p->days[sl.day], date, sizeof(date));
	b = tt_period(&p->tt, p->periods[sl.period].school, p->days[sl.day],
	    p->periods[sl.period].period);
	ts = plan_teacher_slot(p, t, sl.day, sl.period, k == SCHED_OBSERVATION);
	m->id = id;
	m->cycle = y->id;
	m->kind = xstrdup(sched_kind_name((enum sched_kind)k));
	m->coach = xstrdup(y->coach);
	m->teacher = xstrdup(y->teacher);
	m->coach_name = xstrdup(y->cname);
	m->teacher_name = xstrdup(y->tname);
	m->school = xstrdup(p->periods[sl.period].school);
	m->room = xstrdup(ts != NULL ? ts->room : "");
	m->class_id = xstrdup(ts != NULL && k == SCHED_OBSERVATION ?
	    ts->class_id : "");
	m->date = xstrdup(date);
	m->period = xstrdup(p->periods[sl.period].period);
	m->start_min = b != NULL ? (uint32_t)b->start : 0;
	m->end_min = b != NULL ? (uint32_t)config_sched_session_end(
	    p->ctx->conf, m->kind, b->start, b->end) : 0;
	m->status = xstrdup("proposed");
	m->initiated_by = xstrdup("scheduler");
	return m;
}

static void
entry_add_session(Coachd__V1__SchedPlanEntry *e, Coachd__V1__SchedSession *m)
{
	e->sessions = xreallocarray(e->sessions, e->n_sessions + 1,
	    sizeof(*e->sessions));
	e->sessions[e->n_sessions++] = m;
}

/*
 * Caps check of a whole cycle before anything is written (1 = allowed):
 * its sessions together, minutes of a category summed per week.
 */
static int
caps_ok(struct rpc_ctx *ctx, Coachd__V1__SchedPlanEntry *e, char *reason,
    size_t reasonlen)
{
	struct caps_booking	b[SCHED_NKINDS];
	size_t			i, n = 0;

	for (i = 0; i < e->n_sessions && n < SCHED_NKINDS; i++, n++) {
		b[n].school = e->sessions[i]->school;
		b[n].category = caps_session_category(e->sessions[i]->kind);
		b[n].date = e->sessions[i]->date;
		b[n].minutes = (int)(e->sessions[i]->end_min -
		    e->sessions[i]->start_min);
	}
	return caps_bookings_allowed(ctx, e->sessions[0]->coach, b, n,
	    reason, reasonlen);
}

static int
write_new(struct plan *p, struct p_cycle *y, Coachd__V1__SchedPlanEntry *e,
    char *err, size_t errlen)
{
	struct store_sched_session	 ss;
	Coachd__V1__SchedSession	*m;
	char				 reason[ERRMSG_LEN];
	size_t				 i;
	int				 r;

	if ((r = caps_ok(p->ctx, e, reason, sizeof(reason))) != 1) {
		if (r == -1)
			return errmsg(err, errlen, "%s", reason);
		free(e->status);
		e->status = xstrdup("unplaceable");
		free(e->reason);
		e->reason = xstrdup(reason);
		return store_sched_cycle_state(p->ctx->store, y->id,
		    "unplaceable", reason, err, errlen) == STORE_OK ? 0 : -1;
	}
	for (i = 0; i < e->n_sessions; i++) {
		m = e->sessions[i];
		ss = (struct store_sched_session){
			.cycle = y->id, .kind = m->kind, .coach = m->coach,
			.teacher = m->teacher, .school = m->school,
			.room = m->room, .class_id = m->class_id,
			.date = m->date, .period = m->period,
			.start_min = (int)m->start_min,
			.end_min = (int)m->end_min, .status = "proposed",
			.initiated_by = "scheduler"
		};
		if (store_sched_session_insert(p->ctx->store, &ss, p->ctx->now,
		    &m->id, err, errlen) != STORE_OK)
			return -1;
	}
	if (store_sched_cycle_state(p->ctx->store, y->id, "scheduled", NULL,
	    err, errlen) != STORE_OK)
		return -1;
	if (y->question > 0 && store_sched_question_in_cycle(p->ctx->store,
	    y->question, p->ctx->who->user, p->ctx->now, err, errlen) !=
	    STORE_OK)
		return -1;
	return 0;
}

static const char *
status_word(enum sched_status s)
{
	switch (s) {
	case SCHED_PLACED:
		return "new";
	case SCHED_KEPT:
		return "unchanged";
	case SCHED_MOVED:
		return "moved";
	case SCHED_DROPPED:
		return "dropped";
	case SCHED_UNSCHEDULED:
		break;
	}
	return "unplaceable";
}

/* The feeds showing a cycle's sessions, old and new places. */
static void
touch_feeds(struct plan *p, const struct p_cycle *y,
    const Coachd__V1__SchedPlanEntry *e, const Coachd__V1__SchedRun *run)
{
	size_t	i;
	int	k;

	if (run->dry_run)
		return;
	change_touch(p->ctx->changes, y->coach, y->teacher,
	    p->teachers[y->teacher_i].school);
	for (i = 0; i < e->n_sessions; i++)
		change_touch(p->ctx->changes, NULL, NULL, e->sessions[i]->school);
	for (k = 0; k < SCHED_NKINDS; k++)
		if (y->prev_id[k] > 0 && y->prev[k].day >= 0)
			change_touch(p->ctx->changes, NULL, NULL,
			    p->periods[y->prev[k].period].school);
}

/* Write one cycle's outcome and describe it in the response. */
int
plan_apply_outcome(struct plan *p, struct p_cycle *y,
    const struct sched_outcome *o, Coachd__V1__SchedRun *run, char *err,
    size_t errlen)
{
	Coachd__V1__SchedPlanEntry	*e;
	Coachd__V1__SchedSession	*m;
	const struct p_teacher		*t = &p->teachers[y->teacher_i];
	char				 from[256], date[CALENDAR_DATE_LEN];
	int				 k;
	size_t				 i;

	e = xmalloc(sizeof(*e));
	coachd__v1__sched_plan_entry__init(e);
	run->entries[run->n_entries++] = e;
	e->cycle = y->id;
	e->question = y->question;
	e->coach = xstrdup(y->coach);
	e->teacher = xstrdup(y->teacher);
	e->status = xstrdup(status_word(o->status));
	e->reason = xstrdup(o->reason);
	for (k = 0; k < SCHED_NKINDS; k++) {
		if (o->slot[k].day < 0)
			continue;
		entry_add_session(e, out_session(p, y, t, k, o->slot[k],
		    y->prev_id[k]));
	}
	switch (o->status) {
	case SCHED_PLACED:
		if (write_new(p, y, e, err, errlen) == -1)
			return -1;
		if (strcmp(e->status, "new") == 0) {
			run->placed++;
			touch_feeds(p, y, e, run);
		} else
			run->unplaceable++;
		return 0;
	case SCHED_KEPT:
		run->unchanged++;
		return 0;
	case SCHED_MOVED:
		run->moved++;
		touch_feeds(p, y, e, run);
		for (i = 0; i < e->n_sessions; i++) {
			m = e->sessions[i];
			k = plan_kind_of(m->kind);
			if (k < 0 || (o->slot[k].day == y->prev[k].day &&
			    o->slot[k].period == y->prev[k].period))
				continue;
			calendar_format_date(p->days[y->prev[k].day], date,
			    sizeof(date));
			snprintf(from, sizeof(from), "%s %s %s", m->kind, date,
			    p->periods[y->prev[k].period].period);
			e->moved_from = xreallocarray(e->moved_from,
			    e->n_moved_from + 1, sizeof(*e->moved_from));
			e->moved_from[e->n_moved_from++] = xstrdup(from);
			if (store_sched_session_move(p->ctx->store, m->id,
			    m->date, m->period, (int)m->start_min,
			    (int)m->end_min, m->room, m->class_id, p->ctx->now,
			    err, errlen) != STORE_OK)
				return -1;
		}
		return 0;
	case SCHED_DROPPED:
		touch_feeds(p, y, e, run);
		for (k = 0; k < SCHED_NKINDS; k++)
			if (y->prev_id[k] > 0 && store_sched_session_status(
			    p->ctx->store, y->prev_id[k], "cancelled", 1,
			    p->ctx->now, err, errlen) != STORE_OK)
				return -1;
		__attribute__((fallthrough));	/* gcc and clang */
	case SCHED_UNSCHEDULED:
		run->unplaceable++;
		return store_sched_cycle_state(p->ctx->store, y->id,
		    "unplaceable", o->reason, err, errlen) == STORE_OK ? 0 : -1;
	}
	return 0;
}

/* ---- groups: independent sub-problems ---------------------------------- */

static int
uf_find(int *up, int x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

/*
 * Cycles that share no coach and no teacher never compete for anything,
 * so the run splits into groups (connected components of coaches and
 * teachers through their cycles), each solved on its own with only its
 * schools' periods: the 64-period limit of the engine then applies per
 * group, not to the district.  grp[i] = group of cycle i (its root).
 */
static void
plan_groups(struct plan *p, int *grp)
{
	int	*up, nc = (int)p->n_coaches;
	size_t	 i;
	int	 a, b;

	up = xcalloc(p->n_coaches + p->n_teachers + 1, sizeof(*up));

	for (a = 0; a < nc + (int)p->n_teachers; a++)
		up[a] = a;
	for (i = 0; i < p->n_cycles; i++) {
		a = uf_find(up, p->cycles[i].coach_i);
		b = uf_find(up, nc + p->cycles[i].teacher_i);
		if (a != b)
			up[b] = a;
	}
	for (i = 0; i < p->n_cycles; i++)
		grp[i] = uf_find(up, p->cycles[i].coach_i);
	free(up);
}

/* Whether a coach of the group can ever be at school in the horizon. */
static int
coach_reaches(const struct plan *p, const struct p_coach *c,
    const char *school)
{
	size_t	k;
	int	d;

	if (c->n_avail > 0) {
		for (k = 0; k < c->n_avail; k++)
			if (strcmp(c->avail[k].school, school) == 0)
				return 1;
		return 0;
	}
	for (d = 0; d < p->n_days && c->n_schools > 0; d++)
		if (strcmp(plan_coach_school(c, p->days[d]), school) == 0)
			return 1;
	return 0;
}

/*
 * The periods of group g: those of its teachers' schools where one of its
 * coaches can be.  Sets p->periods to that view; -1 if over the engine's
 * limit.
 */
static int
group_periods(struct plan *p, const int *grp, int g, struct p_period *view)
{
	size_t	i, k;
	int	j, n = 0, mine, reach;

	for (j = 0; j < p->n_all; j++) {
		mine = reach = 0;
		for (i = 0; i < p->n_cycles && !(mine && reach); i++) {
			if (grp[i] != g)
				continue;
			k = (size_t)p->cycles[i].teacher_i;
			mine |= strcmp(p->teachers[k].school,
			    p->all[j].school) == 0;
			reach |= coach_reaches(p, &p->coaches[
			    p->cycles[i].coach_i], p->all[j].school);
		}
		if (!mine || !reach)
			continue;
		if (n == SCHED_MAX_PERIODS)
			return -1;
		view[n++] = p->all[j];
	}
	p->periods = view;
	p->n_periods = n;
	return 0;
}

/* A cycle of an oversized group: say so, leave scheduled ones alone. */
static int
group_too_big(struct plan *p, struct p_cycle *y, Coachd__V1__SchedRun *run,
    char *err, size_t errlen)
{
	struct sched_outcome	o;
	int			k;

	if (strcmp(y->state, "scheduled") == 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.status = SCHED_UNSCHEDULED;
	for (k = 0; k < SCHED_NKINDS; k++)
		o.slot[k].day = -1;
	snprintf(o.reason, sizeof(o.reason), "%s and %s share coaches and "
	    "teachers with more than %d school periods; split the coaches' "
	    "schools or set their availability", y->cname, y->tname,
	    SCHED_MAX_PERIODS);
	return plan_apply_outcome(p, y, &o, run, err, errlen);
}

struct group_solve {
	struct sched_coach	*sc;
	struct sched_teacher	*st;
	struct sched_cycle	*cy;
	size_t			*ci;		/* plan cycle of cy[i] */
	int			*cmap, *tmap;	/* plan index -> local, -1 */
	const char		**pnames;
	size_t			 nc, nt, ny;
};

/* Local coach/teacher arrays and cycles of group g. */
static void
group_build(struct plan *p, const int *grp, int g, struct group_solve *gs)
{
	struct p_cycle	*y;
	size_t		 i;
	int		 k;

	for (i = 0; i < p->n_cycles; i++) {
		y = &p->cycles[i];
		if (grp[i] != g)
			continue;
		if (gs->cmap[y->coach_i] == -1) {
			gs->cmap[y->coach_i] = (int)gs->nc;
			plan_build_coach(p, &p->coaches[y->coach_i]);
			gs->sc[gs->nc].name = p->coaches[y->coach_i].name;
			gs->sc[gs->nc].available =
			    p->coaches[y->coach_i].avail_bits;
			gs->sc[gs->nc].max_per_day =
			    p->ctx->conf->sched_max_per_day;
			gs->sc[gs->nc].max_teachers_per_week =
			    p->ctx->conf->sched_max_teachers_per_week;
			gs->sc[gs->nc].max_per_week =
			    p->ctx->conf->sched_max_per_week;
			gs->nc++;
		}
		if (gs->tmap[y->teacher_i] == -1) {
			gs->tmap[y->teacher_i] = (int)gs->nt;
			plan_build_teacher(p, &p->teachers[y->teacher_i]);
			gs->st[gs->nt].name = p->teachers[y->teacher_i].name;
			gs->st[gs->nt].place =
			    p->teachers[y->teacher_i].school_name;
			gs->st[gs->nt].teaching =
			    p->teachers[y->teacher_i].teach;
			gs->st[gs->nt].free = p->teachers[y->teacher_i].free;
			gs->nt++;
		}
		if (strcmp(y->state, "scheduled") == 0)
			plan_mark_prev(p, y);
		if (!y->in_problem)
			continue;
		plan_build_observe(p, y);
		gs->ci[gs->ny] = i;
		gs->cy[gs->ny].name = y->tname;
		gs->cy[gs->ny].coach = gs->cmap[y->coach_i];
		gs->cy[gs->ny].teacher = gs->tmap[y->teacher_i];
		gs->cy[gs->ny].kinds = y->kinds;
		gs->cy[gs->ny].observe_in = y->observe;
		gs->cy[gs->ny].debrief_within_days =
		    p->ctx->conf->sched_debrief_within_days;
		gs->cy[gs->ny].has_prev = y->has_prev;
		for (k = 0; k < SCHED_NKINDS; k++)
			gs->cy[gs->ny].prev[k] = y->prev[k];
		gs->ny++;
	}
}

/* Solve group g and write its outcomes; -1 with err on failure. */
static int
group_solve(struct plan *p, const int *grp, int g, struct group_solve *gs,
    Coachd__V1__SchedRun *run, char *err, size_t errlen)
{
	struct sched_problem	 pb;
	struct sched_result	 res;
	struct sched_fixed	*fx;
	struct timespec		 t0, t1;
	size_t			 i, nfx;
	int			 k, rc = -1;

	gs->nc = gs->nt = gs->ny = 0;
	group_build(p, grp, g, gs);
	if (gs->ny == 0)
		return 0;
	for (k = 0; k < p->n_periods; k++)
		gs->pnames[k] = p->periods[k].label;
	fx = plan_build_fixed(p, gs->cmap, gs->tmap, &nfx);
	memset(&res, 0, sizeof(res));
	pb = (struct sched_problem){
		.days = p->n_days,
		.n_periods = p->n_periods > 0 ? p->n_periods : 1,
		.period_names = p->n_periods > 0 ? gs->pnames : NULL,
		.day_names = p->dnames,
		.coaches = gs->sc, .n_coaches = gs->nc,
		.teachers = gs->st, .n_teachers = gs->nt,
		.cycles = gs->cy, .n_cycles = gs->ny,
		.fixed = fx, .n_fixed = nfx,
		.seed = (uint64_t)p->ctx->conf->sched_seed,
		.iterations = (uint64_t)p->ctx->conf->sched_iterations
	};

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sched_solve(&pb, &res, err, errlen) == -1)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	run->solve_ms += (uint32_t)((t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	for (i = 0; i < gs->ny; i++)
		if (plan_apply_outcome(p, &p->cycles[gs->ci[i]], &res.cycles[i],
		    run, err, errlen) == -1)
			goto out;
	rc = 0;
out:
	sched_result_free(&res);
	free(fx);
	return rc;
}

/* Every group in turn, in the order of their first cycle. */
static int
plan_solve(struct plan *p, Coachd__V1__SchedRun *run, char *err,
    size_t errlen)
{
	struct group_solve	 gs;
	struct p_period		 view[SCHED_MAX_PERIODS];
	int			*grp;
	size_t			 i, j;
	int			 rc = -1, seen;

	memset(&gs, 0, sizeof(gs));
	grp = xcalloc(p->n_cycles + 1, sizeof(*grp));
	gs.sc = xcalloc(p->n_coaches + 1, sizeof(*gs.sc));
	gs.st = xcalloc(p->n_teachers + 1, sizeof(*gs.st));
	gs.cy = xcalloc(p->n_cycles + 1, sizeof(*gs.cy));
	gs.ci = xcalloc(p->n_cycles + 1, sizeof(*gs.ci));
	gs.cmap = xcalloc(p->n_coaches + 1, sizeof(int));
	gs.tmap = xcalloc(p->n_teachers + 1, sizeof(int));
	gs.pnames = xcalloc(SCHED_MAX_PERIODS, sizeof(char *));
	memset(gs.cmap, 0xff, (p->n_coaches + 1) * sizeof(int));
	memset(gs.tmap, 0xff, (p->n_teachers + 1) * sizeof(int));
	plan_groups(p, grp);
	for (i = 0; i < p->n_cycles; i++) {
		for (seen = 0, j = 0; j < i && !seen; j++)
			seen = grp[j] == grp[i];
		if (seen)
			continue;
		if (group_periods(p, grp, grp[i], view) == -1) {
			for (j = i; j < p->n_cycles; j++)
				if (grp[j] == grp[i] && group_too_big(p,
				    &p->cycles[j], run, err, errlen) == -1)
					goto out;
			continue;
		}
		if (group_solve(p, grp, grp[i], &gs, run, err, errlen) == -1)
			goto out;
		run->groups++;
	}
	rc = 0;
out:
	p->periods = p->all;
	p->n_periods = p->n_all;
	free(grp);
	free(gs.sc);
	free(gs.st);
	free(gs.cy);
	free(gs.ci);
	free(gs.cmap);
	free(gs.tmap);
	free(gs.pnames);
	return rc;
}

int
rpc_schedule_run(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__SchedRunRequest	*rq = req->schedule_run;
	Coachd__V1__SchedRun			*run;
	struct plan				 p;
	char					 err[ERRMSG_LEN];
	int					 from, rc = -1, sp = 0;

	memset(&p, 0, sizeof(p));
	p.ctx = ctx;
	if (rq->from != NULL && rq->from[0] != '\0') {
		if (calendar_parse_date(rq->from, &from) == -1)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "--from: '%s' is not a YYYY-MM-DD date", rq->from);
	} else
		from = tt_today(ctx);
	run = xmalloc(sizeof(*run));
	coachd__v1__sched_run__init(run);
	run->dry_run = rq->dry_run;
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_SCHEDULE_RUN,
	    &run->base);
	if (rq->dry_run) {
		if (store_savepoint(ctx->store, err, sizeof(err)) != STORE_OK)
			return rpc_fail_store(resp, STORE_ERROR, err);
		sp = 1;
	}
	if (plan_load(&p, from, run, err, sizeof(err)) == -1 ||
	    plan_people(&p, err, sizeof(err)) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		goto out;
	}
	plan_build_periods(&p);
	run->entries = xcalloc(p.n_cycles + 1, sizeof(*run->entries));
	if (plan_solve(&p, run, err, sizeof(err)) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		goto out;
	}
	rc = 0;
out:
	if (sp)
		store_savepoint_rollback(ctx->store);
	plan_free(&p);
	return rc;
}
