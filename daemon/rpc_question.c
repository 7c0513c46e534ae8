/*
 * rpc_question.c: inquiry questions over the wire.  The handlers

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

#include "calendar.h"
#include "config.h"
#include "change.h"
#include "queue.h"
#include "rpc.h"
#include "rpc_question.h"
#include "rpc_question_int.h"
#include "store.h"
#include "store_question.h"
#include "taxonomy.h"
#include "xmalloc.h"


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

static int
rq_coach_fits(struct rpc_ctx *ctx, const char *coach, const char *area,
    const char *topic, int *fits, Coachd__V1__Response *resp)
{
	const char		*topics[1];
	enum store_status	 ret;
	char			 err[ERRMSG_LEN];
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
	char			err[ERRMSG_LEN];
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
	char			 err[ERRMSG_LEN];

	if ((ret = store_question_get(ctx->store, id, &q, err, sizeof err)) !=
	    STORE_OK)
		return rpc_fail_store(resp, ret, err);
	if (rq_load_all(ctx, &a, resp) == -1) {
		protobuf_c_message_free_unpacked(&q->base, NULL);
		return -1;
	}
	rq_decorate(ctx, &a, q);
	rq_free_all(&a);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_QUESTION,
	    &q->base);
}

/* The end of an edit of question id: its store status, else the reply. */
static int
rq_edit_reply(struct rpc_ctx *ctx, int64_t id, enum store_status ret,
    const char *err, Coachd__V1__Response *resp)
{
	if (ret != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rq_reply(ctx, id, resp);
}

/* The engine's verdict on moving q to `to` for the caller. */
static int
rq_check(struct rpc_ctx *ctx, const Coachd__V1__Question *q,
    enum queue_state to, const char *outcome, Coachd__V1__Response *resp)
{
	struct queue_transition_ctx	tc;
	enum queue_state		from;
	char				err[ERRMSG_LEN];

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
	char			err[ERRMSG_LEN];
	int64_t			id = q->id;

	ret = store_question_move(ctx->store, id, q->state, to,
	    t != NULL ? t->id : NULL, t != NULL ? t->area : NULL,
	    t != NULL ? t->priority : 0, coach, ctx->who->user, ctx->now, note,
	    err, sizeof err);
	return rq_edit_reply(ctx, id, ret, err, resp);
}

static void
rq_touch(void *arg, const char *coach, const char *teacher,
    const char *school)
{
	struct rpc_ctx	*ctx = arg;

	change_touch(ctx->changes, coach, teacher, school);
}

int
rpc_question_close_cycles(struct rpc_ctx *ctx, int64_t id, const char *coach,
    char *err, size_t errlen)
{
	char	today[CALENDAR_DATE_LEN], reason[128];

	calendar_format_date(calendar_today((long long)ctx->now,
	    ctx->conf->timezone), today, sizeof today);
	if (coach != NULL)
		snprintf(reason, sizeof reason, "reassigned to %s", coach);
	else
		snprintf(reason, sizeof reason, "returned to the queue");
	return store_question_close_cycles(ctx->store, id, reason, today,
	    ctx->now, rq_touch, ctx, err, errlen);
}

/* Refuse a topic id that is not in the taxonomy, naming the valid ones. */
static int
rq_unknown_topic(const struct rpc_ctx *ctx, const char *id,
    Coachd__V1__Response *resp)
{
	const struct taxonomy_topics	*tt = ctx->topics;
	char				 list[768];
	size_t				 i, off = 0;

	list[0] = '\0';
	for (i = 0; i < tt->n && off < sizeof list; i++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s",
		    i ? ", " : "", tt->v[i].id);
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
	char			 err[ERRMSG_LEN];
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
	char				 err[ERRMSG_LEN];
	int64_t				 id = 0;

	if (queue_text_check(s->text, err, sizeof err) == -1)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	if (*s->topic != '\0' &&
	    (t = rq_topic(ctx->topics, s->topic)) == NULL)
		return rq_unknown_topic(ctx, s->topic, resp);
	if (*s->class_id != '\0' && !store_id_valid(s->class_id))
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "'%s' is not a valid class id", s->class_id);
	if ((teacher = rq_submit_teacher(ctx, s, resp)) == NULL)
		return -1;
	/* questions.class has no foreign key: the class is checked here. */
	if (*s->class_id != '\0' && (ret = store_question_class_check(
	    ctx->store, s->class_id, teacher, err, sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
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
	return rq_edit_reply(ctx, id, ret, err, resp);
}

int
rpc_question_topic(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionTopic	*r = req->question_topic;
	const struct taxonomy_topic	*t;
	Coachd__V1__Question		*q;
	int				 rc = -1;

	if ((t = rq_topic(ctx->topics, r->topic)) == NULL)
		return *r->topic == '\0' ? rpc_fail(resp,
		    COACHD__V1__STATUS__BAD_REQUEST, "a topic is required") :
		    rq_unknown_topic(ctx, r->topic, resp);
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
	char				 err[ERRMSG_LEN];
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
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_QUESTIONS,
	    &l->base);
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

/*
 * An admin's boost: only while the question still waits for a coach
 * (submitted or queued), since it orders queues and matching.  Asking for
 * what is already so changes nothing and records nothing.
 */
int
rpc_question_boost(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionBoost	*b = req->question_boost;
	Coachd__V1__Question		*q;
	enum store_status		 ret;
	char				 err[ERRMSG_LEN];
	int				 rc = -1;

	if (b->note != NULL && strlen(b->note) > STORE_TEXT_MAX)
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "boost note is %zu bytes, the limit is %d",
		    strlen(b->note), STORE_TEXT_MAX);
	if (rq_get(ctx, b->id, &q, resp) == -1)
		return -1;
	if (strcmp(q->state, "submitted") != 0 &&
	    strcmp(q->state, "queued") != 0)
		rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "question %lld is %s: a boost orders the queues, and it "
		    "has left them", (long long)q->id, q->state);
	else {
		/* asking for what is already so records nothing */
		ret = q->boosted == !b->off ? STORE_OK : store_question_boost(
		    ctx->store, q->id, q->state, !b->off, ctx->who->user,
		    ctx->now, b->note, err, sizeof err);
		rc = rq_edit_reply(ctx, q->id, ret, err, resp);
	}
	protobuf_c_message_free_unpacked(&q->base, NULL);
	return rc;
}

/*
 * The coaching model of a question's cycles: admins, or the coach it is
 * assigned to (they agree the approach with the teacher).  Only before
 * its cycle is in the calendar; a cycle already scheduled keeps its own.
 */
int
rpc_question_model(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const Coachd__V1__QuestionModel	*m = req->question_model;
	Coachd__V1__Question		*q;
	enum store_status		 ret;
	const char			*model = m->model != NULL ? m->model : "";
	char				 err[ERRMSG_LEN], names[512];
	int				 rc = -1;

	if (*model != '\0' && config_sched_model_kinds(ctx->conf, model) == 0) {
		config_sched_model_names(ctx->conf, names, sizeof names);
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "unknown coaching model '%s' (models: %s)", model, names);
	}
	if (rq_get(ctx, m->id, &q, resp) == -1)
		return -1;
	if (ctx->who->role == COACHD__V1__ROLE__COACH &&
	    strcmp(q->coach, ctx->who->user) != 0)
		rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "question %lld "
		    "is not assigned to you", (long long)q->id);
	else if (strcmp(q->state, "in-cycle") == 0 ||
	    strcmp(q->state, "closed") == 0 ||
	    strcmp(q->state, "withdrawn") == 0)
		rpc_fail(resp, COACHD__V1__STATUS__FAILED_PRECONDITION,
		    "question %lld is %s: its cycle's sessions are already "
		    "set", (long long)q->id, q->state);
	else {
		ret = strcmp(q->model, model) == 0 ? STORE_OK :
		    store_question_model(ctx->store, q->id, model,
		    ctx->who->user, ctx->now, q->state, err, sizeof err);
		rc = rq_edit_reply(ctx, q->id, ret, err, resp);
	}
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
	char			err[ERRMSG_LEN];
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
	char			err[ERRMSG_LEN];
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
	char			 err[ERRMSG_LEN];
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
	/* The old coach's cycle ends with the relationship (docs/queues.md). */
	if (reassign && (ret = rpc_question_close_cycles(ctx, q->id, r->coach,
	    err, sizeof err)) != STORE_OK) {
		rpc_fail_store(resp, ret, err);
		goto out;
	}
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
	char				 err[ERRMSG_LEN];
	int64_t				 id;

	if (rq_get(ctx, req->question_history->id, &q, resp) == -1)
		return -1;
	id = q->id;
	protobuf_c_message_free_unpacked(&q->base, NULL);
	if ((ret = store_question_history(ctx->store, id, &h, err,
	    sizeof err)) != STORE_OK)
		return rpc_fail_store(resp, ret, err);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_HISTORY,
	    &h->base);
}
