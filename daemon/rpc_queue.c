/*
 * rpc_queue.c: handlers of queue_list, queue_show and queue_stats: one
 * queue per expertise area of the taxonomy.  Admins see every

 * queue; a coach sees the queues of their expertise areas (level >= 1) or
 * holding a topic of their interests.  Order, aging breakdown and
 * statistics come from the queue engine (queue.h).
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"
#include "config.h"
#include "queue.h"
#include "rpc.h"
#include "rpc_question.h"
#include "rpc_question_int.h"
#include "store.h"
#include "store_question.h"
#include "taxonomy.h"

/* Topic ids of an area (borrowed), up to max; returns the count. */
static size_t
rq_area_topics(const struct taxonomy_topics *tt, const char *area,
    const char **out, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < tt->n && n < max; i++)
		if (strcmp(tt->v[i].area, area) == 0)
			out[n++] = tt->v[i].id;
	return n;
}

/* A coach's expertise level and interest for one area. */
static int
rq_area_fit(struct rpc_ctx *ctx, const char *area, int *level, int *interest,
    Coachd__V1__Response *resp)
{
	const char		*topics[64];
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];
	size_t			 nt;

	nt = rq_area_topics(ctx->topics, area, topics, 64);
	ret = store_question_coach_fit(ctx->store, ctx->who->user, area,
	    topics, nt, level, interest, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return 0;
}

/* Statistics of every area over all questions (caller frees s). */
static int
rq_stats(struct rpc_ctx *ctx, int weeks, const char **areas, size_t *nareas,
    struct queue_stats *s, Coachd__V1__Response *resp)
{
	struct queue_params	p;
	struct rq_all		a;
	char			err[ERRMSG_LEN];
	int			rc = 0;

	*nareas = taxonomy_areas(ctx->topics, areas, 64);
	if (*nareas > 64)
		*nareas = 64;
	if (rq_load_all(ctx, &a, resp) == -1)
		return -1;
	rq_params(ctx, &p);
	memset(s, 0, sizeof *s);
	if (queue_stats(a.items, a.n, areas, *nareas, ctx->now, weeks, &p, s,
	    err, sizeof err) == -1)
		rc = rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
	rq_free_all(&a);
	return rc;
}

int
rpc_queue_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__QueueList	*l;
	Coachd__V1__QueueInfo	*qi;
	struct queue_stats	 s;
	const char		*areas[64], *topics[64];
	size_t			 na, i, j, nt;
	int			 level = 0, interest = 0, rc = 0;

	(void)req;
	if (rq_stats(ctx, 1, areas, &na, &s, resp) == -1)
		return -1;
	l = xcalloc(1, sizeof *l);
	coachd__v1__queue_list__init(l);
	l->queues = xcalloc(na ? na : 1, sizeof *l->queues);
	for (i = 0; i < na; i++) {
		if (ctx->who->role == COACHD__V1__ROLE__COACH) {
			if ((rc = rq_area_fit(ctx, areas[i], &level, &interest,
			    resp)) == -1)
				break;
			if (level < 1 && !interest)
				continue;
		}
		qi = xcalloc(1, sizeof *qi);
		coachd__v1__queue_info__init(qi);
		qi->area = xstrdup(areas[i]);
		qi->depth = (uint32_t)s.areas[i].depth;
		qi->held = (uint32_t)s.areas[i].held;
		qi->oldest_wait = s.areas[i].oldest_wait;
		qi->level = (uint32_t)level;
		qi->interest = interest != 0;
		nt = rq_area_topics(ctx->topics, areas[i], topics, 64);
		qi->topics = xcalloc(nt ? nt : 1, sizeof *qi->topics);
		for (j = 0; j < nt; j++)
			qi->topics[qi->n_topics++] = xstrdup(topics[j]);
		l->queues[l->n_queues++] = qi;
	}
	queue_stats_free(&s);
	if (rc == -1) {
		protobuf_c_message_free_unpacked(&l->base, NULL);
		return -1;
	}
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_QUEUES,
	    &l->base);
}

/* One ranked queue entry as a wire message. */
static Coachd__V1__QueueEntry *
rq_entry(const Coachd__V1__Question *q, const struct queue_rank *r)
{
	Coachd__V1__QueueEntry	*e;

	e = xcalloc(1, sizeof *e);
	coachd__v1__queue_entry__init(e);
	e->position = (uint32_t)r->position;
	e->id = q->id;
	e->teacher = xstrdup(q->teacher);
	e->school = xstrdup(q->school);
	e->topic = xstrdup(q->topic);
	e->submitted_at = q->submitted_at;
	e->waited = r->waited;
	e->base_priority = r->base;
	e->aging = r->aging;
	e->total = r->total;
	e->text = xstrdup(q->text);
	e->boosted = q->boosted;
	e->new_teacher = q->new_teacher;
	return e;
}

int
rpc_queue_show(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const char		*area = req->queue_show->area, *areas[64];
	Coachd__V1__QueueShow	*qs;
	struct queue_params	 p;
	struct queue_rank	*rank = NULL;
	struct rq_all		 a;
	char			 err[ERRMSG_LEN];
	size_t			 na, i, m;
	int			 level, interest, known = 0;

	na = taxonomy_areas(ctx->topics, areas, 64);
	for (i = 0; i < na && i < 64; i++)
		known |= strcmp(areas[i], area) == 0;
	if (!known)
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "no queue '%s' (see coachctl queue list)", area);
	if (ctx->who->role == COACHD__V1__ROLE__COACH) {
		if (rq_area_fit(ctx, area, &level, &interest, resp) == -1)
			return -1;
		if (level < 1 && !interest)
			return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "queue %s does not match %s's expertise or "
			    "interests", area, ctx->who->user);
	}
	if (rq_load_all(ctx, &a, resp) == -1)
		return -1;
	rq_params(ctx, &p);
	rank = xcalloc(a.n ? a.n : 1, sizeof *rank);
	if (queue_order(a.items, a.n, area, ctx->now, &p, rank, &m, err,
	    sizeof err) == -1) {
		free(rank);
		rq_free_all(&a);
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
	}
	qs = xcalloc(1, sizeof *qs);
	coachd__v1__queue_show__init(qs);
	qs->area = xstrdup(area);
	qs->now = ctx->now;
	qs->aging_hours = p.aging_hours;
	qs->aging_cap = p.aging_cap;
	qs->entries = xcalloc(m ? m : 1, sizeof *qs->entries);
	for (i = 0; i < m; i++)
		qs->entries[qs->n_entries++] = rq_entry(
		    a.list->questions[rank[i].index], &rank[i]);
	free(rank);
	rq_free_all(&a);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_QUEUE,
	    &qs->base);
}

int
rpc_queue_stats(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__QueueStats	*out;
	Coachd__V1__QueueAreaStats *as;
	Coachd__V1__QueueWeekStats *ws;
	struct queue_stats	 s;
	const char		*areas[64];
	size_t			 na, i;
	int			 weeks;

	weeks = req->queue_stats->weeks ? (int)req->queue_stats->weeks : 4;
	if (weeks > 104)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "weeks must be 1..104");
	if (rq_stats(ctx, weeks, areas, &na, &s, resp) == -1)
		return -1;
	out = xcalloc(1, sizeof *out);
	coachd__v1__queue_stats__init(out);
	out->now = ctx->now;
	out->weeks = (uint32_t)weeks;
	out->areas = xcalloc(s.nareas ? s.nareas : 1,
	    sizeof *out->areas);
	for (i = 0; i < s.nareas; i++) {
		as = xcalloc(1, sizeof *as);
		coachd__v1__queue_area_stats__init(as);
		as->area = xstrdup(s.areas[i].area);
		as->depth = (uint32_t)s.areas[i].depth;
		as->held = (uint32_t)s.areas[i].held;
		as->wait_median = s.areas[i].wait_median;
		as->wait_p90 = s.areas[i].wait_p90;
		as->assigned = (uint32_t)s.areas[i].assigned;
		as->assign_median = s.areas[i].assign_median;
		as->assign_p90 = s.areas[i].assign_p90;
		as->oldest_id = s.areas[i].oldest_id;
		as->oldest_wait = s.areas[i].oldest_wait;
		out->areas[out->n_areas++] = as;
	}
	out->week_rows = xcalloc(s.nweeks ? s.nweeks : 1,
	    sizeof *out->week_rows);
	for (i = 0; i < s.nweeks; i++) {
		ws = xcalloc(1, sizeof *ws);
		coachd__v1__queue_week_stats__init(ws);
		ws->area = xstrdup(s.weeks[i].area);
		ws->iso_year = s.weeks[i].iso_year;
		ws->iso_week = s.weeks[i].iso_week;
		ws->arrivals = (uint32_t)s.weeks[i].arrivals;
		ws->assignments = (uint32_t)s.weeks[i].assignments;
		out->week_rows[out->n_week_rows++] = ws;
	}
	queue_stats_free(&s);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_QUEUE_STATS,
	    &out->base);
}
