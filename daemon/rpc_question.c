/*
 * rpc_question.c: inquiry questions over the wire (issue 3).  The handlers
 * turn rows (store_question.c) into the queue engine's plain structs
 * (queue.h) and back; the engine decides the state machine, the order of
 * a queue, a teacher's standing and the statistics.
 *
 * Who sees what (docs/queues.md): admins see every question; a teacher
 * sees only their own; a coach sees the questions assigned to them,
 * unconfirmed (submitted) ones, which the coaching team sorts, and queued
 * ones in the queues that match their profile (expertise level >= 1 in the
 * area, or an interest in the topic).  A question the caller may not see
 * is answered as NOT_FOUND, so its existence does not leak.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "queue.h"
#include "rpc.h"
#include "rpc_question.h"
#include "store.h"
#include "store_question.h"
#include "taxonomy.h"

#define RQ_ERRLEN	1024
#define RQ_SUGGEST_MAX	5
#define RQ_TOPICS_MAX	(1024 * 1024)	/* a topics file is a few KB */

/* The loaded taxonomy: replaced whole on SIGHUP, freed at exit. */
static struct taxonomy_topics	rq_topics;

/* All questions, and the same as engine items (strings borrowed). */
struct rq_all {
	Coachd__V1__QuestionList	*list;
	struct queue_item		*items;
	size_t				 n;
};

/* Read a whole small file into a NUL-terminated heap buffer. */
static char *
rq_slurp(const char *path, char *err, size_t errlen)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(RQ_TOPICS_MAX + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	n = fread(buf, 1, RQ_TOPICS_MAX + 1, f);
	if (ferror(f) || n > RQ_TOPICS_MAX) {
		snprintf(err, errlen, "%s: %s", path, ferror(f) ?
		    "read error" : "larger than 1 MB");
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
out:
	fclose(f);
	return buf;
}

int
rpc_question_load(const struct coachd_config *conf, char *err, size_t errlen)
{
	struct taxonomy_topics	 t;
	char			*text;
	const char		*name;

	if (conf->queue_topics[0] == '\0') {
		snprintf(err, errlen, "[queue] topics is not set (path of "
		    "the topics file, see conf/topics.conf)");
		return -1;
	}
	if ((text = rq_slurp(conf->queue_topics, err, errlen)) == NULL)
		return -1;
	name = strrchr(conf->queue_topics, '/');
	name = name != NULL ? name + 1 : conf->queue_topics;
	memset(&t, 0, sizeof t);
	if (taxonomy_parse_topics(text, name, &t, err, errlen) == -1) {
		free(text);
		return -1;
	}
	free(text);
	if (t.n == 0) {
		taxonomy_topics_free(&t);
		snprintf(err, errlen, "%s: no topics", conf->queue_topics);
		return -1;
	}
	taxonomy_topics_free(&rq_topics);
	rq_topics = t;
	return 0;
}

void
rpc_question_free(void)
{
	taxonomy_topics_free(&rq_topics);
	memset(&rq_topics, 0, sizeof rq_topics);
}

/* ---- helpers --------------------------------------------------------------- */

static void
rq_params(const struct rpc_ctx *ctx, struct queue_params *p)
{
	queue_params_default(p);
	p->aging_hours = ctx->conf->queue_aging_hours;
	p->aging_cap = ctx->conf->queue_aging_cap;
	p->rate_window_weeks = ctx->conf->queue_rate_weeks;
}

static enum queue_role
rq_role(const struct rpc_ctx *ctx)
{
	switch (ctx->who->role) {
	case COACHD__V1__ROLE__ADMIN:
		return QUEUE_ROLE_ADMIN;
	case COACHD__V1__ROLE__COACH:
		return QUEUE_ROLE_COACH;
	default:
		return QUEUE_ROLE_TEACHER;
	}
}

static const struct taxonomy_topic *
rq_topic(const char *id)
{
	int	i;

	if (id == NULL || *id == '\0' ||
	    (i = taxonomy_find_topic(&rq_topics, id)) < 0)
		return NULL;
	return &rq_topics.v[i];
}

static void
rq_free_all(struct rq_all *a)
{
	if (a->list != NULL)
		protobuf_c_message_free_unpacked(&a->list->base, NULL);
	free(a->items);
	memset(a, 0, sizeof *a);
}

/* Load every question as engine items. */
static int
rq_load_all(struct rpc_ctx *ctx, struct rq_all *a, Coachd__V1__Response *resp)
{
	const struct taxonomy_topic	*t;
	Coachd__V1__Question		*q;
	enum store_status		 ret;
	enum queue_state		 s;
	char				 err[RQ_ERRLEN];
	size_t				 i;

	memset(a, 0, sizeof *a);
	if ((ret = store_question_list(ctx->store, NULL, &a->list, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	a->n = a->list->n_questions;
	a->items = store_xcalloc(a->n ? a->n : 1, sizeof *a->items);
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
		t = rq_topic(q->topic);
		a->items[i].topic_priority = t != NULL ? t->priority : 0;
	}
	return 0;
}

/* Ranked topic suggestions for q's text. */
static void
rq_suggest(Coachd__V1__Question *q)
{
	struct queue_suggestion	 sg[RQ_SUGGEST_MAX];
	const struct taxonomy_topic *t;
	Coachd__V1__TopicSuggestion *m;
	char			 err[RQ_ERRLEN];
	size_t			 n = 0, i;

	if (queue_suggest(&rq_topics, q->text, sg, RQ_SUGGEST_MAX, &n, err,
	    sizeof err) == -1 || n == 0)
		return;
	q->suggestions = store_xcalloc(n, sizeof *q->suggestions);
	for (i = 0; i < n; i++) {
		t = &rq_topics.v[sg[i].topic];
		m = store_xcalloc(1, sizeof *m);
		coachd__v1__topic_suggestion__init(m);
		m->topic = rpc_strdup(t->id);
		m->name = rpc_strdup(t->name);
		m->area = rpc_strdup(t->area);
		m->score = sg[i].score;
		m->hits = sg[i].hits;
		q->suggestions[q->n_suggestions++] = m;
	}
}

/* Fill q's topic name, standing and (when unconfirmed) suggestions. */
static void
rq_decorate(struct rpc_ctx *ctx, const struct rq_all *a,
    Coachd__V1__Question *q)
{
	static const char *const act[] = { "active", "held", "done" };
	const struct taxonomy_topic	*t;
	struct queue_standing		 st;
	struct queue_params		 p;
	char				 err[RQ_ERRLEN];

	if ((t = rq_topic(q->topic)) != NULL) {
		free(q->topic_name);
		q->topic_name = rpc_strdup(t->name);
	}
	rq_params(ctx, &p);
	if (queue_standing(a->items, a->n, q->id, ctx->now, &p, &st, err,
	    sizeof err) == 0) {
		free(q->activity);
		q->activity = rpc_strdup(act[st.activity]);
		q->held_pos = (uint32_t)st.held_pos;
		q->held_behind = st.held_behind;
		q->position = (uint32_t)st.position;
		q->depth = (uint32_t)st.depth;
		q->expected_wait = st.expected_wait;
		q->rate_per_week = st.rate_per_week;
		q->rate_is_fallback = st.rate_is_fallback != 0;
	}
	if (strcmp(q->state, "submitted") == 0 && q->n_suggestions == 0)
		rq_suggest(q);
}

/*
 * Standing of every question at once, for lists: one teacher split, one
 * ordering of all queues and one rate per area (queue_standing() on the
 * head of each queue), instead of a queue_standing() call per question,
 * which made a list quadratic in the number of questions.  The expected
 * wait is the engine's formula, position / rate weeks (docs/queues.md).
 */
struct rq_batch {
	enum queue_activity	*act;
	int			*held_pos;
	int64_t			*held_behind;
	int			*position;	/* by item index, 0 none */
	int			*depth;
	double			*rate;
	int			*fallback;
};

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

static void
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
static int
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
	b->act = store_xcalloc(n, sizeof *b->act);
	b->held_pos = store_xcalloc(n, sizeof *b->held_pos);
	b->held_behind = store_xcalloc(n, sizeof *b->held_behind);
	b->position = store_xcalloc(n, sizeof *b->position);
	b->depth = store_xcalloc(n, sizeof *b->depth);
	b->rate = store_xcalloc(n, sizeof *b->rate);
	b->fallback = store_xcalloc(n, sizeof *b->fallback);
	rk = store_xcalloc(n, sizeof *rk);
	ix = store_xcalloc(n, sizeof *ix);
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
static void
rq_decorate_batch(const struct rq_all *a, const struct rq_batch *b,
    Coachd__V1__Question *q)
{
	static const char *const act[] = { "active", "held", "done" };
	const struct taxonomy_topic	*t;
	ssize_t				 k;

	if ((t = rq_topic(q->topic)) != NULL) {
		free(q->topic_name);
		q->topic_name = rpc_strdup(t->name);
	}
	if ((k = rq_find(a, q->id)) >= 0) {
		free(q->activity);
		q->activity = rpc_strdup(act[b->act[k]]);
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
		rq_suggest(q);
}

/* Whether a coach's profile matches a question's area or topic. */
static int
rq_coach_fits(struct rpc_ctx *ctx, const char *coach, const char *area,
    const char *topic, int *fits, Coachd__V1__Response *resp)
{
	const char		*topics[1];
	enum store_status	 ret;
	char			 err[RQ_ERRLEN];
	int			 level, interest;

	topics[0] = topic != NULL ? topic : "";
	ret = store_question_coach_fit(ctx->store, coach, area, topics,
	    topic != NULL && *topic != '\0' ? 1 : 0, &level, &interest, err,
	    sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	*fits = level >= 1 || interest;
	return 0;
}

/* May the caller see q (see the top of the file)?  -1 only on failure. */
static int
rq_visible(struct rpc_ctx *ctx, const Coachd__V1__Question *q, int *vis,
    Coachd__V1__Response *resp)
{
	const char	*me = ctx->who->user;

	*vis = 0;
	switch (ctx->who->role) {
	case COACHD__V1__ROLE__ADMIN:
		*vis = 1;
		return 0;
	case COACHD__V1__ROLE__TEACHER:
		*vis = strcmp(q->teacher, me) == 0;
		return 0;
	case COACHD__V1__ROLE__COACH:
		if (strcmp(q->coach, me) == 0 ||
		    strcmp(q->state, "submitted") == 0) {
			*vis = 1;
			return 0;
		}
		if (strcmp(q->state, "queued") != 0)
			return 0;
		return rq_coach_fits(ctx, me, q->area, q->topic, vis, resp);
	default:
		return 0;
	}
}

/* Fetch a question the caller may see, else NOT_FOUND. */
static int
rq_get(struct rpc_ctx *ctx, int64_t id, Coachd__V1__Question **out,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	char			err[RQ_ERRLEN];
	int			vis;

	*out = NULL;
	if (id <= 0)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "a question id (a positive number) is required");
	if ((ret = store_question_get(ctx->store, id, out, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (rq_visible(ctx, *out, &vis, resp) == -1 || !vis) {
		protobuf_c_message_free_unpacked(&(*out)->base, NULL);
		*out = NULL;
		if (resp->status != COACHD__V1__STATUS__OK)
			return -1;
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
		    "no question %lld", (long long)id);
	}
	return 0;
}

/* Answer with question id as stored now, with its standing. */
static int
rq_reply(struct rpc_ctx *ctx, int64_t id, Coachd__V1__Response *resp)
{
	Coachd__V1__Question	*q;
	struct rq_all		 a;
	enum store_status	 ret;
	char			 err[RQ_ERRLEN];

	if ((ret = store_question_get(ctx->store, id, &q, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (rq_load_all(ctx, &a, resp) == -1) {
		protobuf_c_message_free_unpacked(&q->base, NULL);
		return -1;
	}
	rq_decorate(ctx, &a, q);
	rq_free_all(&a);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_QUESTION;
	resp->question = q;
	return 0;
}

/* The engine's verdict on moving q to `to` for the caller. */
static int
rq_check(struct rpc_ctx *ctx, const Coachd__V1__Question *q,
    enum queue_state to, const char *outcome, Coachd__V1__Response *resp)
{
	struct queue_transition_ctx	tc;
	enum queue_state		from;
	char				err[RQ_ERRLEN];

	if (queue_state_parse(q->state, &from) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "question %lld has an unknown state '%s'",
		    (long long)q->id, q->state);
	memset(&tc, 0, sizeof tc);
	tc.is_owner = ctx->who->role == COACHD__V1__ROLE__TEACHER &&
	    strcmp(q->teacher, ctx->who->user) == 0;
	tc.is_assigned_coach = ctx->who->role == COACHD__V1__ROLE__COACH &&
	    strcmp(q->coach, ctx->who->user) == 0;
	tc.has_outcome_note = outcome != NULL &&
	    queue_text_check(outcome, err, sizeof err) == 0;
	if (queue_transition_check(from, to, rq_role(ctx), &tc, err,
	    sizeof err) == 0)
		return 0;
	/* A closed/withdrawn/wrong-state question is a conflict, roles not. */
	if (strncmp(err, "only", 4) == 0 || strncmp(err, "a teacher", 9) == 0)
		return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
		    "question %lld: %s", (long long)q->id, err);
	return rpc_fail(resp, strstr(err, "outcome") != NULL ?
	    COACHD__V1__STATUS__BAD_REQUEST : COACHD__V1__STATUS__CONFLICT,
	    "question %lld: %s", (long long)q->id, err);
}

/* Move q (whose state the caller saw) and answer with the new record. */
static int
rq_move(struct rpc_ctx *ctx, const Coachd__V1__Question *q, const char *to,
    const struct taxonomy_topic *t, const char *coach, const char *note,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	char			err[RQ_ERRLEN];
	int64_t			id = q->id;

	ret = store_question_move(ctx->store, id, q->state, to,
	    t != NULL ? t->id : NULL, t != NULL ? t->area : NULL,
	    t != NULL ? t->priority : 0, coach, ctx->who->user, ctx->now, note,
	    err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rq_reply(ctx, id, resp);
}

/* Refuse a topic id that is not in the taxonomy, naming the valid ones. */
static int
rq_unknown_topic(const char *id, Coachd__V1__Response *resp)
{
	char	list[768];
	size_t	i, off = 0;

	list[0] = '\0';
	for (i = 0; i < rq_topics.n && off < sizeof list; i++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
		    i ? ", " : "", rq_topics.v[i].id);
	return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
	    "unknown topic '%s' (topics: %s)", id, list);
}

/* ---- question_* ------------------------------------------------------------ */

/* Which teacher a submission is for; NULL after failing resp. */
static const char *
rq_submit_teacher(struct rpc_ctx *ctx, const Coachd__V1__QuestionSubmit *s,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Teacher	*t;
	enum store_status	 ret;
	const char		*id = s->teacher;
	char			 err[RQ_ERRLEN];
	int			 active;

	if (ctx->who->role == COACHD__V1__ROLE__TEACHER) {
		if (*id != '\0' && strcmp(id, ctx->who->user) != 0) {
			rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "a teacher may only submit their own questions "
			    "(%s asked for %s)", ctx->who->user, id);
			return NULL;
		}
		id = ctx->who->user;
	} else if (*id == '\0') {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "say which teacher the question is for (--teacher ID)");
		return NULL;
	}
	if ((ret = store_teacher_get(ctx->store, id, &t, err, sizeof err)) !=
	    STORE_OK) {
		if (ret == STORE_NOTFOUND)
			rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND,
			    "unknown teacher '%s'", id);
		else
			rpc_fail_store(resp, ret, err);
		return NULL;
	}
	active = t->active;
	protobuf_c_message_free_unpacked(&t->base, NULL);
	if (!active) {
		rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "teacher %s is deactivated", id);
		return NULL;
	}
	return id;
}

int
rpc_question_submit(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionSubmit *s = req->question_submit;
	const struct taxonomy_topic	*t = NULL;
	Coachd__V1__Question		 q = COACHD__V1__QUESTION__INIT;
	enum store_status		 ret;
	const char			*teacher;
	char				 err[RQ_ERRLEN];
	int64_t				 id;

	if (queue_text_check(s->text, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	if (*s->topic != '\0' && (t = rq_topic(s->topic)) == NULL)
		return rq_unknown_topic(s->topic, resp);
	if (*s->class_id != '\0' && !store_id_valid(s->class_id))
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "'%s' is not a valid class id", s->class_id);
	if ((teacher = rq_submit_teacher(ctx, s, resp)) == NULL)
		return -1;
	q.teacher = (char *)teacher;
	q.text = s->text;
	q.topic = t != NULL ? t->id : (char *)"";
	q.area = t != NULL ? t->area : (char *)"";
	q.state = t != NULL ? (char *)"queued" : (char *)"submitted";
	q.class_id = s->class_id;
	q.submitted_by = (char *)ctx->who->user;
	q.submitted_at = ctx->now;
	ret = store_question_insert(ctx->store, &q, t != NULL ? t->priority :
	    0, &id, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rq_reply(ctx, id, resp);
}

int
rpc_question_topic(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionTopic	*r = req->question_topic;
	const struct taxonomy_topic	*t;
	Coachd__V1__Question		*q;
	int				 rc = -1;

	if ((t = rq_topic(r->topic)) == NULL)
		return *r->topic == '\0' ? rpc_fail(resp,
		    COACHD__V1__STATUS__BAD_REQUEST, "a topic is required") :
		    rq_unknown_topic(r->topic, resp);
	if (rq_get(ctx, r->id, &q, resp) == -1)
		return -1;
	if (strcmp(q->state, "queued") == 0) {
		/* A change of topic (and maybe queue) by whoever sees it. */
		if (strcmp(q->topic, t->id) == 0) {
			rpc_fail(resp, COACHD__V1__STATUS__CONFLICT,
			    "question %lld already has topic %s",
			    (long long)q->id, t->id);
			goto out;
		}
		rc = rq_move(ctx, q, "queued", t, NULL, t->id, resp);
		goto out;
	}
	if (rq_check(ctx, q, QUEUE_QUEUED, NULL, resp) == -1)
		goto out;
	rc = rq_move(ctx, q, "queued", t, NULL, t->id, resp);
out:
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

int
rpc_question_show(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Question	*q;
	int64_t			 id;

	if (rq_get(ctx, req->question_show->id, &q, resp) == -1)
		return -1;
	id = q->id;
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rq_reply(ctx, id, resp);
}

int
rpc_question_list(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionListRequest *r = req->question_list;
	struct store_question_filter	 f;
	Coachd__V1__QuestionList	*l = NULL;
	struct rq_batch			 b;
	struct rq_all			 a;
	enum queue_state		 st;
	enum store_status		 ret;
	char				 err[RQ_ERRLEN];
	size_t				 i, k;
	int				 vis;

	memset(&f, 0, sizeof f);
	if (*r->state != '\0') {
		if (queue_state_parse(r->state, &st) == -1)
			return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
			    "unknown state '%s' (submitted, queued, assigned, "
			    "in-cycle, closed, withdrawn)", r->state);
		f.state = queue_state_name(st);
	}
	f.teacher = r->teacher;
	f.area = r->area;
	if (ctx->who->role == COACHD__V1__ROLE__TEACHER) {
		if (*r->teacher != '\0' && strcmp(r->teacher,
		    ctx->who->user) != 0)
			return rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "a teacher may only list their own questions");
		f.teacher = ctx->who->user;
	}
	if ((ret = store_question_list(ctx->store, &f, &l, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (rq_load_all(ctx, &a, resp) == -1) {
		protobuf_c_message_free_unpacked(&l->base, NULL);
		return -1;
	}
	if (rq_batch_fill(ctx, &a, &b, err, sizeof err) == -1) {
		rq_free_all(&a);
		protobuf_c_message_free_unpacked(&l->base, NULL);
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
	}
	for (i = k = 0; i < l->n_questions; i++) {
		if (rq_visible(ctx, l->questions[i], &vis, resp) == -1)
			break;
		if (!vis) {
			protobuf_c_message_free_unpacked(
			    &l->questions[i]->base, NULL);
			continue;
		}
		rq_decorate_batch(&a, &b, l->questions[i]);
		l->questions[k++] = l->questions[i];
	}
	rq_batch_free(&b);
	rq_free_all(&a);
	if (i < l->n_questions) {	/* failed: free the rest */
		for (; i < l->n_questions; i++)
			l->questions[k++] = l->questions[i];
		l->n_questions = k;
		protobuf_c_message_free_unpacked(&l->base, NULL);
		return -1;
	}
	l->n_questions = k;
	resp->result_case = COACHD__V1__RESPONSE__RESULT_QUESTIONS;
	resp->questions = l;
	return 0;
}

int
rpc_question_withdraw(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Question	*q;
	int			 rc = -1;

	if (rq_get(ctx, req->question_withdraw->id, &q, resp) == -1)
		return -1;
	if (rq_check(ctx, q, QUEUE_WITHDRAWN, NULL, resp) == 0)
		rc = rq_move(ctx, q, "withdrawn", NULL, NULL,
		    req->question_withdraw->note, resp);
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

/* Refuse a question that waits behind its teacher's active one. */
static int
rq_check_active(struct rpc_ctx *ctx, const Coachd__V1__Question *q,
    Coachd__V1__Response *resp)
{
	struct queue_standing	st;
	struct queue_params	p;
	struct rq_all		a;
	char			err[RQ_ERRLEN];
	int			rc = 0;

	if (rq_load_all(ctx, &a, resp) == -1)
		return -1;
	rq_params(ctx, &p);
	if (queue_standing(a.items, a.n, q->id, ctx->now, &p, &st, err,
	    sizeof err) == -1)
		rc = rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
	else if (st.activity == QUEUE_HELD)
		rc = rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "question %lld waits behind question %lld of teacher %s "
		    "(one active question per teacher)", (long long)q->id,
		    (long long)st.held_behind, q->teacher);
	rq_free_all(&a);
	return rc;
}

/* Refuse an assignment that would take coach over their caseload cap. */
static int
rq_check_cap(struct rpc_ctx *ctx, const char *coach, const char *teacher,
    Coachd__V1__Response *resp)
{
	enum store_status	ret;
	char			err[RQ_ERRLEN];
	uint32_t		load, cap;
	int			has;

	ret = store_question_coach_load(ctx->store, coach, &load, &cap,
	    teacher, &has, err, sizeof err);
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (!has && load >= cap)
		return rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "caseload full: %s coaches %u of %u teachers", coach, load,
		    cap);
	return 0;
}

int
rpc_question_claim(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Question	*q;
	const char		*me = ctx->who->user;
	int			 rc = -1, fits;

	if (rq_get(ctx, req->question_claim->id, &q, resp) == -1)
		return -1;
	if (rq_check(ctx, q, QUEUE_ASSIGNED, NULL, resp) == -1 ||
	    rq_check_active(ctx, q, resp) == -1 ||
	    rq_coach_fits(ctx, me, q->area, q->topic, &fits, resp) == -1)
		goto out;
	if (!fits) {
		rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "%s has no "
		    "expertise in area %s and no interest in topic %s", me,
		    q->area, q->topic);
		goto out;
	}
	if (rq_check_cap(ctx, me, q->teacher, resp) == 0)
		rc = rq_move(ctx, q, "assigned", NULL, me, me, resp);
out:
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

/* assign (queued -> assigned) and reassign (assigned -> assigned). */
static int
rq_assign(struct rpc_ctx *ctx, const Coachd__V1__QuestionAssign *r,
    int reassign, Coachd__V1__Response *resp)
{
	Coachd__V1__Question	*q;
	Coachd__V1__Coach	*c;
	enum store_status	 ret;
	char			 err[RQ_ERRLEN];
	int			 rc = -1, active;

	if (*r->coach == '\0')
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "a coach is required (--coach ID)");
	if ((ret = store_coach_get(ctx->store, r->coach, &c, err,
	    sizeof err)) != STORE_OK)
		return ret == STORE_NOTFOUND ? rpc_fail(resp,
		    COACHD__V1__STATUS__NOT_FOUND, "unknown coach '%s'",
		    r->coach) : rpc_fail_store(resp, ret, err);
	active = c->active;
	protobuf_c_message_free_unpacked(&c->base, NULL);
	if (!active)
		return rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "coach %s is deactivated", r->coach);
	if (rq_get(ctx, r->id, &q, resp) == -1)
		return -1;
	if (reassign && strcmp(q->state, "assigned") != 0) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "question %lld "
		    "is %s; only an assigned question is reassigned",
		    (long long)q->id, q->state);
		goto out;
	}
	if (!reassign && strcmp(q->state, "assigned") == 0) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "question %lld "
		    "is already assigned to %s (use reassign)",
		    (long long)q->id, q->coach);
		goto out;
	}
	if (reassign && strcmp(q->coach, r->coach) == 0) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "question %lld "
		    "is already assigned to %s", (long long)q->id, r->coach);
		goto out;
	}
	if (rq_check(ctx, q, QUEUE_ASSIGNED, NULL, resp) == -1 ||
	    (!reassign && rq_check_active(ctx, q, resp) == -1) ||
	    rq_check_cap(ctx, r->coach, q->teacher, resp) == -1)
		goto out;
	rc = rq_move(ctx, q, "assigned", NULL, r->coach, r->coach, resp);
out:
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

int
rpc_question_assign(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rq_assign(ctx, req->question_assign, 0, resp);
}

int
rpc_question_reassign(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	return rq_assign(ctx, req->question_reassign, 1, resp);
}

int
rpc_question_start(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Question	*q;
	int			 rc = -1;

	if (rq_get(ctx, req->question_start->id, &q, resp) == -1)
		return -1;
	if (rq_check(ctx, q, QUEUE_IN_CYCLE, NULL, resp) == 0)
		rc = rq_move(ctx, q, "in-cycle", NULL, NULL, NULL, resp);
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

int
rpc_question_close(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionClose	*r = req->question_close;
	Coachd__V1__Question		*q;
	int				 rc = -1;

	if (strlen(r->outcome) > QUEUE_TEXT_MAX)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "outcome note is %zu bytes, the limit is %d",
		    strlen(r->outcome), QUEUE_TEXT_MAX);
	if (rq_get(ctx, r->id, &q, resp) == -1)
		return -1;
	if (rq_check(ctx, q, QUEUE_CLOSED, r->outcome, resp) == 0)
		rc = rq_move(ctx, q, "closed", NULL, NULL, r->outcome, resp);
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

int
rpc_question_history(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__QuestionHistory	*h;
	Coachd__V1__Question		*q;
	enum store_status		 ret;
	char				 err[RQ_ERRLEN];
	int64_t				 id;

	if (rq_get(ctx, req->question_history->id, &q, resp) == -1)
		return -1;
	id = q->id;
	protobuf_c_message_free_unpacked(&q->base, NULL);
	if ((ret = store_question_history(ctx->store, id, &h, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_HISTORY;
	resp->history = h;
	return 0;
}

/* ---- queue_* --------------------------------------------------------------- */

/* Topic ids of an area (borrowed), up to max; returns the count. */
static size_t
rq_area_topics(const char *area, const char **out, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < rq_topics.n && n < max; i++)
		if (strcmp(rq_topics.v[i].area, area) == 0)
			out[n++] = rq_topics.v[i].id;
	return n;
}

/* A coach's expertise level and interest for one area. */
static int
rq_area_fit(struct rpc_ctx *ctx, const char *area, int *level, int *interest,
    Coachd__V1__Response *resp)
{
	const char		*topics[64];
	enum store_status	 ret;
	char			 err[RQ_ERRLEN];
	size_t			 nt;

	nt = rq_area_topics(area, topics, 64);
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
	char			err[RQ_ERRLEN];
	int			rc = 0;

	*nareas = taxonomy_areas(&rq_topics, areas, 64);
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
	l = store_xcalloc(1, sizeof *l);
	coachd__v1__queue_list__init(l);
	l->queues = store_xcalloc(na ? na : 1, sizeof *l->queues);
	for (i = 0; i < na; i++) {
		if (ctx->who->role == COACHD__V1__ROLE__COACH) {
			if ((rc = rq_area_fit(ctx, areas[i], &level, &interest,
			    resp)) == -1)
				break;
			if (level < 1 && !interest)
				continue;
		}
		qi = store_xcalloc(1, sizeof *qi);
		coachd__v1__queue_info__init(qi);
		qi->area = rpc_strdup(areas[i]);
		qi->depth = (uint32_t)s.areas[i].depth;
		qi->held = (uint32_t)s.areas[i].held;
		qi->oldest_wait = s.areas[i].oldest_wait;
		qi->level = (uint32_t)level;
		qi->interest = interest != 0;
		nt = rq_area_topics(areas[i], topics, 64);
		qi->topics = store_xcalloc(nt ? nt : 1, sizeof *qi->topics);
		for (j = 0; j < nt; j++)
			qi->topics[qi->n_topics++] = rpc_strdup(topics[j]);
		l->queues[l->n_queues++] = qi;
	}
	queue_stats_free(&s);
	if (rc == -1) {
		protobuf_c_message_free_unpacked(&l->base, NULL);
		return -1;
	}
	resp->result_case = COACHD__V1__RESPONSE__RESULT_QUEUES;
	resp->queues = l;
	return 0;
}

/* One ranked queue entry as a wire message. */
static Coachd__V1__QueueEntry *
rq_entry(const Coachd__V1__Question *q, const struct queue_rank *r)
{
	Coachd__V1__QueueEntry	*e;

	e = store_xcalloc(1, sizeof *e);
	coachd__v1__queue_entry__init(e);
	e->position = (uint32_t)r->position;
	e->id = q->id;
	e->teacher = rpc_strdup(q->teacher);
	e->school = rpc_strdup(q->school);
	e->topic = rpc_strdup(q->topic);
	e->submitted_at = q->submitted_at;
	e->waited = r->waited;
	e->base_priority = r->base;
	e->aging = r->aging;
	e->total = r->total;
	e->text = rpc_strdup(q->text);
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
	char			 err[RQ_ERRLEN];
	size_t			 na, i, m;
	int			 level, interest, known = 0;

	na = taxonomy_areas(&rq_topics, areas, 64);
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
	rank = store_xcalloc(a.n ? a.n : 1, sizeof *rank);
	if (queue_order(a.items, a.n, area, ctx->now, &p, rank, &m, err,
	    sizeof err) == -1) {
		free(rank);
		rq_free_all(&a);
		return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
	}
	qs = store_xcalloc(1, sizeof *qs);
	coachd__v1__queue_show__init(qs);
	qs->area = rpc_strdup(area);
	qs->now = ctx->now;
	qs->aging_hours = p.aging_hours;
	qs->aging_cap = p.aging_cap;
	qs->entries = store_xcalloc(m ? m : 1, sizeof *qs->entries);
	for (i = 0; i < m; i++)
		qs->entries[qs->n_entries++] = rq_entry(
		    a.list->questions[rank[i].index], &rank[i]);
	free(rank);
	rq_free_all(&a);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_QUEUE;
	resp->queue = qs;
	return 0;
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
	out = store_xcalloc(1, sizeof *out);
	coachd__v1__queue_stats__init(out);
	out->now = ctx->now;
	out->weeks = (uint32_t)weeks;
	out->areas = store_xcalloc(s.nareas ? s.nareas : 1,
	    sizeof *out->areas);
	for (i = 0; i < s.nareas; i++) {
		as = store_xcalloc(1, sizeof *as);
		coachd__v1__queue_area_stats__init(as);
		as->area = rpc_strdup(s.areas[i].area);
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
	out->week_rows = store_xcalloc(s.nweeks ? s.nweeks : 1,
	    sizeof *out->week_rows);
	for (i = 0; i < s.nweeks; i++) {
		ws = store_xcalloc(1, sizeof *ws);
		coachd__v1__queue_week_stats__init(ws);
		ws->area = rpc_strdup(s.weeks[i].area);
		ws->iso_year = s.weeks[i].iso_year;
		ws->iso_week = s.weeks[i].iso_week;
		ws->arrivals = (uint32_t)s.weeks[i].arrivals;
		ws->assignments = (uint32_t)s.weeks[i].assignments;
		out->week_rows[out->n_week_rows++] = ws;
	}
	queue_stats_free(&s);
	resp->result_case = COACHD__V1__RESPONSE__RESULT_QUEUE_STATS;
	resp->queue_stats = out;
	return 0;
}
