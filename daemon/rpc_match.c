/*
 * rpc_match.c: `assign_plan`.  The flow is read (store_match_load), build
 * the engine's problem, solve, describe, and -- unless this is a dry run
 * -- write each change with store_question_move (the questions area's one
 * writer of state changes and their events).  The whole request runs in
 * conn.c's transaction and savepoint, so a failure half-way through the
 * writes leaves every question as it was.
 *
 * Capacity is counted in teachers.  Each coach appears to the engine as
 * two nodes: the coach proper, whose capacity is the caseload cap minus
 * the distinct teachers it keeps, and a "same teacher" node with room for
 * every candidate whose teacher is already on that coach's caseload.  A
 * question of a teacher the coach already has therefore costs no
 * capacity, which is exactly what COUNT(DISTINCT teacher) says.  Two new
 * questions of the same new teacher still cost two units: conservative
 * (the plan never exceeds a cap), documented in docs/matching.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "errmsg.h"
#include "match.h"
#include "rpc.h"
#include "rpc_question.h"
#include "store.h"
#include "store_match.h"
#include "store_question.h"
#include "xmalloc.h"


#define RM_DAY		86400

/* The working state of one plan. */
struct rm_plan {
	struct store_match_data	 d;
	struct match_edge	*edges;		/* [n_edges], by question */
	struct match_score	*parts;		/* [n_edges] */
	size_t			*pair;		/* [n_edges]: its row in d.pairs */
	size_t			 n_edges;
	size_t			*first;		/* [n_questions + 1] */
	uint32_t		*capacity;	/* [2 * n_coaches] */
	int32_t			*old_coach;	/* [n_questions] coach index */
	int32_t			*new_coach;	/* [n_questions] coach index */
	struct match_result	 res;
	int			 solved;
};


static void
rm_plan_free(struct rm_plan *p)
{
	store_match_data_free(&p->d);
	free(p->edges);
	free(p->parts);
	free(p->pair);
	free(p->first);
	free(p->capacity);
	free(p->old_coach);
	free(p->new_coach);
	if (p->solved)
		match_result_free(&p->res);
}

/* Whole days a question has waited at time now. */
static uint32_t
rm_waiting_days(int64_t submitted_at, int64_t now)
{
	int64_t	days;

	if (now <= submitted_at)
		return 0;
	days = (now - submitted_at) / RM_DAY;
	return days > UINT32_MAX ? UINT32_MAX : (uint32_t)days;
}

/* Index of a coach id in the loaded coaches, or -1. */
static int32_t
rm_coach_index(const struct store_match_data *d, const char *id)
{
	size_t	i;

	/* Only for today's coaches of full re-plan candidates: few. */
	for (i = 0; i < d->n_coaches; i++)
		if (strcmp(d->coaches[i].id, id) == 0)
			return (int32_t)i;
	return -1;
}

/*
 * Turn the loaded rows into the engine's problem: score each pair with
 * the configured weights (dropping those the model does not allow) and
 * set the two capacities of every coach.
 */
static void
rm_build(struct rm_plan *p, const struct match_weights *w, int64_t now)
{
	const struct store_match_pair	*sp;
	const struct store_match_coach	*c;
	struct match_features		 f;
	struct match_score		 s;
	size_t				 i, q = 0;

	p->edges = xcalloc(p->d.n_pairs, sizeof(*p->edges));
	p->parts = xcalloc(p->d.n_pairs, sizeof(*p->parts));
	p->pair = xcalloc(p->d.n_pairs, sizeof(*p->pair));
	p->first = xcalloc(p->d.n_questions + 1, sizeof(*p->first));
	p->capacity = xcalloc(2 * p->d.n_coaches, sizeof(*p->capacity));
	p->old_coach = xcalloc(p->d.n_questions, sizeof(*p->old_coach));
	p->new_coach = xcalloc(p->d.n_questions, sizeof(*p->new_coach));
	for (i = 0; i < p->d.n_coaches; i++) {
		c = &p->d.coaches[i];
		if (c->active && c->cap > c->load)
			p->capacity[2 * i] = c->cap - c->load;
	}
	for (i = 0; i < p->d.n_pairs; i++) {
		sp = &p->d.pairs[i];
		while (q <= sp->question)
			p->first[q++] = p->n_edges;
		memset(&f, 0, sizeof(f));
		f.active = 1;		/* the query joins active coaches */
		f.serves_school = 1;	/* ... serving the teacher's school */
		f.expertise_level = sp->level;
		f.interest = sp->interest;
		f.continuity = sp->continuity;
		f.waiting_days = rm_waiting_days(
		    p->d.questions[sp->question].submitted_at, now);
		f.boosted = p->d.questions[sp->question].boosted;
		f.new_teacher = p->d.questions[sp->question].new_teacher;
		if (!match_score_pair(w, &f, &s))
			continue;
		p->edges[p->n_edges].request = (uint32_t)sp->question;
		p->edges[p->n_edges].coach = (uint32_t)(2 * sp->coach +
		    (sp->on_caseload ? 1 : 0));
		p->edges[p->n_edges].score = s.total;
		p->parts[p->n_edges] = s;
		p->pair[p->n_edges] = i;
		if (sp->on_caseload)
			p->capacity[2 * sp->coach + 1]++;
		p->n_edges++;
	}
	while (q <= p->d.n_questions)
		p->first[q++] = p->n_edges;
	for (i = 0; i < p->d.n_questions; i++) {
		p->old_coach[i] = p->d.questions[i].assigned ?
		    rm_coach_index(&p->d, p->d.questions[i].coach) : -1;
	}
}

/* Solve and fill new_coach[] with coach indices (not engine nodes). */
static int
rm_solve(struct rm_plan *p, char *err, size_t errlen)
{
	struct match_problem	mp;
	size_t			i;

	memset(&mp, 0, sizeof(mp));
	mp.n_coaches = 2 * p->d.n_coaches;
	mp.capacity = p->capacity;
	mp.n_requests = p->d.n_questions;
	mp.n_edges = p->n_edges;
	mp.edges = p->edges;
	if (match_solve(&mp, &p->res, err, errlen) == -1)
		return -1;
	p->solved = 1;
	for (i = 0; i < p->d.n_questions; i++)
		p->new_coach[i] = p->res.coach[i] < 0 ? -1 :
		    p->res.coach[i] / 2;
	return 0;
}

/* The edge question q took in the plan (index into edges), or -1. */
static long
rm_chosen_edge(const struct rm_plan *p, size_t q)
{
	size_t	e;

	if (p->res.coach[q] < 0)
		return -1;
	for (e = p->first[q]; e < p->first[q + 1]; e++)
		if ((int32_t)p->edges[e].coach == p->res.coach[q])
			return (long)e;
	return -1;
}

static Coachd__V1__AssignChange
rm_change(int32_t old, int32_t new)
{
	if (old == new)
		return COACHD__V1__ASSIGN_CHANGE__ASSIGN_KEPT;
	if (old == -1)
		return COACHD__V1__ASSIGN_CHANGE__ASSIGN_ADDED;
	if (new == -1)
		return COACHD__V1__ASSIGN_CHANGE__ASSIGN_REMOVED;
	return COACHD__V1__ASSIGN_CHANGE__ASSIGN_MOVED;
}

/* Describe question q's place in the plan (it has a coach now or before). */
static Coachd__V1__AssignProposal *
rm_proposal(const struct rm_plan *p, size_t q, int explain, int64_t now)
{
	const struct store_match_question	*sq = &p->d.questions[q];
	const struct store_match_pair		*sp = NULL;
	Coachd__V1__AssignProposal		*pr;
	Coachd__V1__AssignScore			*sc;
	long					 e, best = -1;
	size_t					 i;

	pr = xcalloc(1, sizeof(*pr));
	coachd__v1__assign_proposal__init(pr);
	sc = xcalloc(1, sizeof(*sc));
	coachd__v1__assign_score__init(sc);
	pr->score = sc;
	pr->question = sq->id;
	pr->teacher = xstrdup(sq->teacher);
	pr->area = xstrdup(sq->area);
	pr->topic = xstrdup(sq->topic);
	pr->previous_coach = xstrdup(sq->coach);
	pr->coach = xstrdup(p->new_coach[q] < 0 ? "" :
	    p->d.coaches[p->new_coach[q]].id);
	pr->change = rm_change(p->old_coach[q], p->new_coach[q]);
	if ((e = rm_chosen_edge(p, q)) != -1) {
		sc->total = p->parts[e].total;
		if (explain) {
			sc->expertise = p->parts[e].expertise;
			sc->interest = p->parts[e].interest;
			sc->continuity = p->parts[e].continuity;
			sc->aging = p->parts[e].aging;
			sc->boost = p->parts[e].boost;
			sc->new_teacher = p->parts[e].new_teacher;
		}
	}
	if (!explain)
		return pr;
	pr->eligible_coaches = (uint32_t)(p->first[q + 1] - p->first[q]);
	pr->waiting_days = rm_waiting_days(sq->submitted_at, now);
	for (i = p->first[q]; i < p->first[q + 1]; i++) {
		if ((long)i == e)
			continue;
		/* First best by (score, coach id order): deterministic. */
		if (best == -1 || p->edges[i].score > p->edges[best].score)
			best = (long)i;
	}
	if (best != -1) {
		pr->runner_up = xstrdup(
		    p->d.coaches[p->edges[best].coach / 2].id);
		pr->runner_up_score = p->edges[best].score;
	}
	if (e != -1) {
		/* The facts of the chosen pair: "why this coach". */
		sp = &p->d.pairs[p->pair[e]];
		pr->expertise_level = sp->level;
		pr->interest = sp->interest != 0;
		pr->continuity = sp->continuity != 0;
	}
	return pr;
}

/* Describe an unassigned candidate. */
static Coachd__V1__AssignUnassigned *
rm_unassigned(const struct rm_plan *p, size_t q)
{
	const struct store_match_question	*sq = &p->d.questions[q];
	Coachd__V1__AssignUnassigned		*u;

	u = xcalloc(1, sizeof(*u));
	coachd__v1__assign_unassigned__init(u);
	u->question = sq->id;
	u->teacher = xstrdup(sq->teacher);
	u->area = xstrdup(sq->area);
	u->topic = xstrdup(sq->topic);
	u->eligible_coaches = (uint32_t)(p->first[q + 1] - p->first[q]);
	u->reason = u->eligible_coaches == 0 ?
	    COACHD__V1__ASSIGN_REASON__ASSIGN_NO_ELIGIBLE_COACH :
	    COACHD__V1__ASSIGN_REASON__ASSIGN_NO_CAPACITY;
	return u;
}

/* Fill the reply message from a solved plan. */
static Coachd__V1__AssignPlan *
rm_describe(const struct rm_plan *p, int explain, int full, int64_t now)
{
	Coachd__V1__AssignPlan		*ap;
	Coachd__V1__AssignProposal	*pr;
	struct match_diff		 diff;
	size_t				 q, n = p->d.n_questions;

	ap = xcalloc(1, sizeof(*ap));
	coachd__v1__assign_plan__init(ap);
	ap->full_replan = full != 0;
	ap->candidates = (uint32_t)n;
	ap->assigned = (uint32_t)p->res.assigned;
	ap->total_score = p->res.total_score;
	ap->queued_without_area = p->d.queued_without_area;
	match_diff_plans(p->old_coach, p->new_coach, n, &diff);
	ap->kept = (uint32_t)diff.kept + p->d.retained_assigned;
	ap->added = (uint32_t)diff.added;
	ap->moved = (uint32_t)diff.moved;
	ap->removed = (uint32_t)diff.removed;
	ap->proposals = xcalloc(n, sizeof(*ap->proposals));
	ap->unassigned_questions = xcalloc(n,
	    sizeof(*ap->unassigned_questions));
	for (q = 0; q < n; q++) {
		if (p->new_coach[q] >= 0 || p->old_coach[q] >= 0) {
			pr = rm_proposal(p, q, explain, now);
			ap->proposals[ap->n_proposals++] = pr;
		}
		if (p->new_coach[q] < 0) {
			ap->unassigned_questions[ap->n_unassigned_questions] =
			    rm_unassigned(p, q);
			if (ap->unassigned_questions[
			    ap->n_unassigned_questions++]->reason ==
			    COACHD__V1__ASSIGN_REASON__ASSIGN_NO_ELIGIBLE_COACH)
				ap->no_eligible_coach++;
			else
				ap->no_capacity++;
		}
	}
	ap->unassigned = (uint32_t)ap->n_unassigned_questions;
	return ap;
}

/* The question_events note of one change: the score and its parts. */
static void
rm_note(const struct rm_plan *p, size_t q, char *note, size_t len)
{
	const struct match_score	*s;
	const char			*prev = p->d.questions[q].coach;
	long				 e;

	if ((e = rm_chosen_edge(p, q)) == -1) {
		snprintf(note, len, "admin assign (full re-plan): back to the "
		    "queue from %s", prev);
		return;
	}
	s = &p->parts[e];
	snprintf(note, len, "admin assign to %s%s%s: score %" PRIu32
	    " = expertise %" PRIu32 " + interest %" PRIu32 " + continuity %"
	    PRIu32 " + aging %" PRIu32 " + boost %" PRIu32 " + new teacher %"
	    PRIu32, p->d.coaches[p->new_coach[q]].id,
	    *prev != '\0' ? " (full re-plan), moved from " : "", prev,
	    s->total, s->expertise, s->interest, s->continuity, s->aging,
	    s->boost, s->new_teacher);
}

/*
 * Write every change of the plan; stops at the first failure.  The
 * store checks each question is still in the state the plan read
 * (CONFLICT otherwise); the whole request then rolls back.
 */
static enum store_status
rm_apply(struct rpc_ctx *ctx, const struct rm_plan *p, char *err,
    size_t errlen)
{
	const struct store_match_question	*sq;
	enum store_status			 ret;
	size_t					 q;
	int32_t					 nc;
	char					 note[256];

	for (q = 0; q < p->d.n_questions; q++) {
		if ((nc = p->new_coach[q]) == p->old_coach[q])
			continue;
		sq = &p->d.questions[q];
		rm_note(p, q, note, sizeof(note));
		/* Same as `question reassign`: the old coach's cycle ends. */
		if (sq->assigned && (ret = rpc_question_close_cycles(ctx,
		    sq->id, nc >= 0 ? p->d.coaches[nc].id : NULL, err,
		    errlen)) != STORE_OK)
			return ret;
		/* topic NULL: topic, area and priority stay as they are. */
		ret = store_question_move(ctx->store, sq->id,
		    sq->assigned ? "assigned" : "queued",
		    nc >= 0 ? "assigned" : "queued", NULL, NULL, 0,
		    nc >= 0 ? p->d.coaches[nc].id : NULL, ctx->who->user,
		    ctx->now, note, err, errlen);
		if (ret != STORE_OK)
			return ret;
	}
	return STORE_OK;
}

int
rpc_assign_plan(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__AssignPlanRequest	*ar = req->assign_plan;
	Coachd__V1__AssignPlan			*ap = NULL;
	struct rm_plan				 p;
	enum store_status			 ret;
	char					 err[ERRMSG_LEN];
	int					 rc = -1;

	memset(&p, 0, sizeof(p));
	if (ar == NULL)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "assign_plan: request body missing");
	if ((ret = store_match_load(ctx->store, ar->full_replan, &p.d, err,
	    sizeof(err))) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
	rm_build(&p, config_match_weights(ctx->conf,
	    &(struct match_weights){ 0 }), ctx->now);
	if (rm_solve(&p, err, sizeof(err)) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "assign: solver: %s", err);
		goto out;
	}
	ap = rm_describe(&p, ar->explain, ar->full_replan, ctx->now);
	if (!ar->dry_run) {
		if ((ret = rm_apply(ctx, &p, err, sizeof(err))) !=
		    STORE_OK) {
			rpc_fail_store(resp, ret, err);
			goto out;
		}
		ap->applied = 1;
	}
	rc = rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_ASSIGN_PLAN,
	    &ap->base);
	ap = NULL;
out:
	if (ap != NULL)
		coachd__v1__assign_plan__free_unpacked(ap, NULL);
	rm_plan_free(&p);
	return rc;
}
