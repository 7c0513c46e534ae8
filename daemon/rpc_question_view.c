/*
 * rpc_question_view.c: how a stored question is shown, against the topic
 * taxonomy the daemon loaded (ctx->topics): its topic name, ranked suggestions while unconfirmed, and where it stands (active
 * or held, position, depth, expected wait) as the queue engine computes
 * it, for one question or for a whole list in one pass.
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

#define RQ_SUGGEST_MAX	5
/* ---- helpers --------------------------------------------------------------- */

void
rq_params(const struct rpc_ctx *ctx, struct queue_params *p)
{
	queue_params_default(p);
	p->aging_hours = ctx->conf->queue_aging_hours;
	p->aging_cap = ctx->conf->queue_aging_cap;
	p->admin_boost_bonus = ctx->conf->queue_boost_bonus;
	p->new_teacher_bonus = ctx->conf->queue_new_bonus;
	p->rate_window_weeks = ctx->conf->queue_rate_weeks;
}

const struct taxonomy_topic *
rq_topic(const struct taxonomy_topics *topics, const char *id)
{
	int	i;

	if (id == NULL || *id == '\0' ||
	    (i = taxonomy_find_topic(topics, id)) < 0)
		return NULL;
	return &topics->v[i];
}

void
rq_free_all(struct rq_all *a)
{
	if (a->list != NULL)
		protobuf_c_message_free_unpacked(&a->list->base, NULL);
	free(a->items);
	memset(a, 0, sizeof *a);
}

/* Load every question as engine items. */
int
rq_load_all(struct rpc_ctx *ctx, struct rq_all *a, Coachd__V1__Response *resp)
{
	const struct taxonomy_topic	*t;
	Coachd__V1__Question		*q;
	enum store_status		 ret;
	enum queue_state		 s;
	char				 err[ERRMSG_LEN];
	size_t				 i;

	memset(a, 0, sizeof *a);
	a->topics = ctx->topics;
	if ((ret = store_question_list(ctx->store, NULL, &a->list, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	a->n = a->list->n_questions;
	a->items = xcalloc(a->n ? a->n : 1, sizeof *a->items);
	for (i = 0; i < a->n; i++) {
		q = a->list->questions[i];
		if (queue_state_parse(q->state, &s) == -1)
			s = QUEUE_WITHDRAWN;
		a->items[i].id = q->id;
		a->items[i].teacher_id = q->teacher;
		a->items[i].area = *q->area != '\0' ? q->area : NULL;
		a->items[i].state = s;
		a->items[i].submitted_at = q->submitted_at;
		a->items[i].assigned_at = q->assigned_at;
		t = rq_topic(a->topics, q->topic);
		a->items[i].topic_priority = t != NULL ? t->priority : 0;
		a->items[i].flags = (q->boosted ? QUEUE_FLAG_ADMIN_BOOST : 0) |
		    (q->new_teacher ? QUEUE_FLAG_NEW_TEACHER : 0);
	}
	return 0;
}

/* Ranked topic suggestions for q's text. */
void
rq_suggest(const struct taxonomy_topics *topics, Coachd__V1__Question *q)
{
	struct queue_suggestion	 sg[RQ_SUGGEST_MAX];
	const struct taxonomy_topic *t;
	Coachd__V1__TopicSuggestion *m;
	char			 err[ERRMSG_LEN];
	size_t			 n = 0, i;

	if (queue_suggest(topics, q->text, sg, RQ_SUGGEST_MAX, &n, err,
	    sizeof err) == -1 || n == 0)
		return;
	q->suggestions = xcalloc(n, sizeof *q->suggestions);
	for (i = 0; i < n; i++) {
		t = &topics->v[sg[i].topic];
		m = xcalloc(1, sizeof *m);
		coachd__v1__topic_suggestion__init(m);
		m->topic = xstrdup(t->id);
		m->name = xstrdup(t->name);
		m->area = xstrdup(t->area);
		m->score = sg[i].score;
		m->hits = sg[i].hits;
		q->suggestions[q->n_suggestions++] = m;
	}
}

/* Fill q's topic name, standing and (when unconfirmed) suggestions. */
void
rq_decorate(struct rpc_ctx *ctx, const struct rq_all *a,
    Coachd__V1__Question *q)
{
	static const char *const act[] = { "active", "held", "done" };
	const struct taxonomy_topic	*t;
	struct queue_standing		 st;
	struct queue_params		 p;
	char				 err[ERRMSG_LEN];

	if ((t = rq_topic(ctx->topics, q->topic)) != NULL) {
		free(q->topic_name);
		q->topic_name = xstrdup(t->name);
	}
	rq_params(ctx, &p);
	if (queue_standing(a->items, a->n, q->id, ctx->now, &p, &st, err,
	    sizeof err) == 0) {
		free(q->activity);
		q->activity = xstrdup(act[st.activity]);
		q->held_pos = (uint32_t)st.held_pos;
		q->held_behind = st.held_behind;
		q->position = (uint32_t)st.position;
		q->depth = (uint32_t)st.depth;
		q->expected_wait = st.expected_wait;
		q->rate_per_week = st.rate_per_week;
		q->rate_is_fallback = st.rate_is_fallback != 0;
	}
	if (strcmp(q->state, "submitted") == 0 && q->n_suggestions == 0)
		rq_suggest(a->topics, q);
}

/*
 * Standing of every question at once, for lists: one teacher split, one
 * ordering of all queues and one rate per area (queue_standing() on the
 * head of each queue), instead of a queue_standing() call per question,
 * which made a list quadratic in the number of questions.  The expected
 * wait is the engine's formula, position / rate weeks (docs/queues.md).
 */

/* The items being sorted by rq_idx_cmp (qsort passes no argument). */
static const struct queue_item *rq_sort_items;

/* Item indices by teacher, then index. */
static int
rq_idx_cmp(const void *x, const void *y)
{
	size_t	a = *(const size_t *)x, b = *(const size_t *)y;
	int	c;

	if ((c = strcmp(rq_sort_items[a].teacher_id,
	    rq_sort_items[b].teacher_id)) != 0)
		return c;
	return a < b ? -1 : a > b;
}

void
rq_batch_free(struct rq_batch *b)
{
	free(b->act);
	free(b->held_pos);
	free(b->held_behind);
	free(b->position);
	free(b->depth);
	free(b->rate);
	free(b->fallback);
}

/* Fill b for every item of a; -1 with err on failure. */
int
rq_batch_fill(struct rpc_ctx *ctx, const struct rq_all *a, struct rq_batch *b,
    char *err, size_t errlen)
{
	struct queue_standing	 st;
	struct queue_params	 p;
	struct queue_rank	*rk;
	size_t			*ix, i, j, g, m, n = a->n ? a->n : 1;
	int64_t			 active;
	int			 rc = -1;

	memset(b, 0, sizeof *b);
	b->act = xcalloc(n, sizeof *b->act);
	b->held_pos = xcalloc(n, sizeof *b->held_pos);
	b->held_behind = xcalloc(n, sizeof *b->held_behind);
	b->position = xcalloc(n, sizeof *b->position);
	b->depth = xcalloc(n, sizeof *b->depth);
	b->rate = xcalloc(n, sizeof *b->rate);
	b->fallback = xcalloc(n, sizeof *b->fallback);
	rk = xcalloc(n, sizeof *rk);
	ix = xcalloc(n, sizeof *ix);
	rq_params(ctx, &p);
	if (queue_teacher_split(a->items, a->n, b->act, b->held_pos, err,
	    errlen) == -1 || queue_order(a->items, a->n, NULL, ctx->now, &p,
	    rk, &m, err, errlen) == -1)
		goto out;
	/* held_behind: the active question of the same teacher */
	for (i = 0; i < a->n; i++)
		ix[i] = i;
	rq_sort_items = a->items;
	qsort(ix, a->n, sizeof *ix, rq_idx_cmp);
	for (g = 0; g < a->n; g = j) {
		active = 0;
		for (j = g; j < a->n && strcmp(a->items[ix[j]].teacher_id,
		    a->items[ix[g]].teacher_id) == 0; j++)
			if (b->act[ix[j]] == QUEUE_ACTIVE && active == 0)
				active = a->items[ix[j]].id;
		for (i = g; i < j; i++)
			if (b->act[ix[i]] == QUEUE_HELD)
				b->held_behind[ix[i]] = active;
	}
	for (i = 0; i < m; i++)
		b->position[rk[i].index] = rk[i].position;
	/*
	 * depth and rate are per area: ask the engine once per area (first
	 * item of it) and copy to the others, as queue_standing() fills them
	 * for every item that has an area, held ones included.
	 */
	for (i = 0; i < a->n; i++) {
		if (a->items[i].area == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (a->items[j].area != NULL && strcmp(a->items[j].area,
			    a->items[i].area) == 0)
				break;
		if (j < i) {
			b->depth[i] = b->depth[j];
			b->rate[i] = b->rate[j];
			b->fallback[i] = b->fallback[j];
			continue;
		}
		if (queue_standing(a->items, a->n, a->items[i].id, ctx->now,
		    &p, &st, err, errlen) == -1)
			goto out;
		b->depth[i] = st.depth;
		b->rate[i] = st.rate_per_week;
		b->fallback[i] = st.rate_is_fallback;
	}
	rc = 0;
out:
	free(rk);
	free(ix);
	if (rc == -1)
		rq_batch_free(b);
	return rc;
}

/* Index of question id among a's items (sorted by id), or -1. */
static ssize_t
rq_find(const struct rq_all *a, int64_t id)
{
	size_t	lo = 0, hi = a->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a->items[mid].id == id)
			return (ssize_t)mid;
		if (a->items[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* rq_decorate() from a batch. */
void
rq_decorate_batch(const struct rq_all *a, const struct rq_batch *b,
    Coachd__V1__Question *q)
{
	static const char *const act[] = { "active", "held", "done" };
	const struct taxonomy_topic	*t;
	ssize_t				 k;

	if ((t = rq_topic(a->topics, q->topic)) != NULL) {
		free(q->topic_name);
		q->topic_name = xstrdup(t->name);
	}
	if ((k = rq_find(a, q->id)) >= 0) {
		free(q->activity);
		q->activity = xstrdup(act[b->act[k]]);
		q->held_pos = (uint32_t)b->held_pos[k];
		q->held_behind = b->held_behind[k];
		q->position = (uint32_t)b->position[k];
		q->depth = (uint32_t)b->depth[k];
		q->rate_per_week = b->rate[k];
		q->rate_is_fallback = b->fallback[k] != 0;
		if (b->position[k] > 0) {
			q->expected_wait = (int64_t)(b->position[k] /
			    b->rate[k] * 7 * 86400 + 0.5);
		}
	}
	if (strcmp(q->state, "submitted") == 0 && q->n_suggestions == 0)
		rq_suggest(a->topics, q);
}

/* Whether a coach's profile matches a question's area or topic. */
