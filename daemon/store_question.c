/*
 * store_question.c: queries on the shared questions / question_events
 * tables (schema in store_coaching.c) for inquiry questions, their queues
 * and the caseload of coaches.  See store_question.h for the contract.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "store.h"
#include "store_question.h"

/* Columns every question query selects, named as the Question fields. */
#define SQ_COLS \
	"q.id AS id, q.teacher AS teacher, t.name AS teacher_name, " \
	"t.school AS school, q.text AS text, q.topic AS topic, " \
	"q.area AS area, q.state AS state, q.coach AS coach, " \
	"q.class AS class_id, q.submitted_by AS submitted_by, " \
	"q.submitted_at AS submitted_at, q.queued_at AS queued_at, " \
	"q.assigned_at AS assigned_at, q.closed_at AS closed_at, " \
	"q.outcome AS outcome, q.boosted_by IS NOT NULL AS boosted, " \
	"t.new_teacher AS new_teacher, COALESCE(q.model, '') AS model"
#define SQ_FROM	" FROM questions q JOIN teachers t ON t.id = q.teacher "

/* Step s to the end, collecting rows into a new list. */
static enum store_status
sq_collect(struct store *st, sqlite3_stmt *s, Coachd__V1__QuestionList **out,
    char *err, size_t errlen)
{
	Coachd__V1__QuestionList	*l;
	enum store_status		 ret;
	size_t				 i;

	ret = store_collect_list(st, s, &coachd__v1__question_list__descriptor,
	    "questions", &l, err, errlen);
	if (ret != STORE_OK)
		return ret;
	for (i = 0; i < l->n_questions; i++)
		l->questions[i]->expected_wait = -1;	/* not estimated here */
	*out = l;
	return STORE_OK;
}

enum store_status
store_question_get(struct store *st, int64_t id, Coachd__V1__Question **out,
    char *err, size_t errlen)
{
	Coachd__V1__QuestionList	*l;
	sqlite3_stmt			*s;
	enum store_status		 ret;

	*out = NULL;
	s = store_prepare(st, "SELECT " SQ_COLS SQ_FROM "WHERE q.id = ?1",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	if ((ret = sq_collect(st, s, &l, err, errlen)) != STORE_OK)
		return ret;
	if (l->n_questions == 0) {
		protobuf_c_message_free_unpacked(&l->base, NULL);
		errmsg(err, errlen, "no question %lld", (long long)id);
		return STORE_NOTFOUND;
	}
	*out = l->questions[0];
	l->n_questions = 0;
	protobuf_c_message_free_unpacked(&l->base, NULL);
	return STORE_OK;
}

/* Bind text or NULL-as-"" for the "?N = '' OR col = ?N" filter idiom. */
static void
sq_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v != NULL ? v : "", -1, SQLITE_STATIC);
}

enum store_status
store_question_list(struct store *st, const struct store_question_filter *f,
    Coachd__V1__QuestionList **out, char *err, size_t errlen)
{
	static const struct store_question_filter none;
	sqlite3_stmt	*s;

	*out = NULL;
	if (f == NULL)
		f = &none;
	s = store_prepare(st, "SELECT " SQ_COLS SQ_FROM
	    "WHERE (?1 = '' OR q.state = ?1) AND (?2 = '' OR q.teacher = ?2) "
	    "AND (?3 = '' OR q.area = ?3) AND (?4 = '' OR q.coach = ?4) "
	    "AND (?5 = 0 OR q.state NOT IN ('closed','withdrawn')) "
	    "ORDER BY q.id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sq_bind_opt(s, 1, f->state);
	sq_bind_opt(s, 2, f->teacher);
	sq_bind_opt(s, 3, f->area);
	sq_bind_opt(s, 4, f->coach);
	sqlite3_bind_int(s, 5, f->open_only != 0);
	return sq_collect(st, s, out, err, errlen);
}

enum store_status
store_question_list_queued(struct store *st, const char *area,
    Coachd__V1__QuestionList **out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	*out = NULL;
	/*
	 * The one-active-question rule of queue_teacher_split(), in SQL:
	 * nothing assigned/in-cycle for the teacher, and no submitted or
	 * queued question of theirs that came earlier.
	 */
	s = store_prepare(st, "SELECT " SQ_COLS SQ_FROM
	    "WHERE q.state = 'queued' AND (?1 = '' OR q.area = ?1) "
	    "AND NOT EXISTS (SELECT 1 FROM questions o WHERE "
	    "  o.teacher = q.teacher AND o.id <> q.id AND ("
	    "  o.state IN ('assigned','in-cycle') OR "
	    "  (o.state IN ('submitted','queued') AND "
	    "   (o.submitted_at < q.submitted_at OR "
	    "    (o.submitted_at = q.submitted_at AND o.id < q.id))))) "
	    "ORDER BY q.submitted_at, q.id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sq_bind_opt(s, 1, area);
	return sq_collect(st, s, out, err, errlen);
}

enum store_status
store_question_coach_load(struct store *st, const char *coach,
    uint32_t *active_teachers, uint32_t *cap, const char *teacher,
    int *has_teacher, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = store_prepare(st, "SELECT c.caseload_cap, "
	    "(SELECT COUNT(DISTINCT teacher) FROM questions WHERE coach = c.id "
	    "  AND state IN ('assigned','in-cycle')), "
	    "EXISTS (SELECT 1 FROM questions WHERE coach = c.id AND "
	    "  teacher = ?2 AND state IN ('assigned','in-cycle')) "
	    "FROM coaches c WHERE c.id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_STATIC);
	sq_bind_opt(s, 2, teacher);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, err, errlen);
		errmsg(err, errlen, "no coach %s", coach);
		return STORE_NOTFOUND;
	}
	if (cap != NULL)
		*cap = (uint32_t)sqlite3_column_int(s, 0);
	if (active_teachers != NULL)
		*active_teachers = (uint32_t)sqlite3_column_int(s, 1);
	if (has_teacher != NULL)
		*has_teacher = sqlite3_column_int(s, 2);
	sqlite3_reset(s);
	return STORE_OK;
}

/* A coach's cap and active teachers (a store_collect_into() fill). */
static void
sq_load_fill(sqlite3_stmt *s, void *elem)
{
	struct store_coach_load	*l = elem;

	snprintf(l->coach, sizeof l->coach, "%s",
	    (const char *)sqlite3_column_text(s, 0));
	l->cap = (uint32_t)sqlite3_column_int(s, 1);
	l->active_teachers = (uint32_t)sqlite3_column_int(s, 2);
}

enum store_status
store_question_coach_loads(struct store *st, struct store_coach_load **out,
    size_t *nout, char *err, size_t errlen)
{
	struct store_coach_load	*v = NULL;
	sqlite3_stmt		*s;
	size_t			 n = 0;
	enum store_status	 ret;

	*out = NULL;
	*nout = 0;
	s = store_prepare(st, "SELECT c.id, c.caseload_cap, "
	    "(SELECT COUNT(DISTINCT teacher) FROM questions WHERE coach = c.id "
	    "  AND state IN ('assigned','in-cycle')) "
	    "FROM coaches c WHERE c.active ORDER BY c.id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	if ((ret = store_collect_into(st, s, &v, &n, sizeof *v, sq_load_fill,
	    err, errlen)) != STORE_OK) {
		free(v);
		return ret;
	}
	*out = v;
	*nout = n;
	return STORE_OK;
}

/* Append a question_events row. */
static enum store_status
sq_event(struct store *st, int64_t id, const char *from, const char *to,
    const char *actor, int64_t now, const char *note, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "INSERT INTO question_events (question, "
	    "from_state, to_state, actor, at, note) VALUES (?1, ?2, ?3, ?4, "
	    "?5, ?6)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	if (from != NULL)
		sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, now);
	if (note != NULL && *note != '\0')
		sqlite3_bind_text(s, 6, note, -1, SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_question_boost(struct store *st, int64_t id, const char *state, int on,
    const char *actor, int64_t now, const char *note, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	char		 ev[STORE_TEXT_MAX + 32];	/* note <= STORE_TEXT_MAX */

	s = store_prepare(st, "UPDATE questions SET boosted_by = CASE WHEN ?2 "
	    "THEN ?3 END, boosted_at = CASE WHEN ?2 THEN ?4 END WHERE id = ?1 "
	    "AND state = ?5", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, on != 0);
	sqlite3_bind_text(s, 3, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_text(s, 5, state, -1, SQLITE_STATIC);
	if (store_step_done(st, s, err, errlen) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(store_db(st)) == 0)
		return store_errf(err, errlen, STORE_CONFLICT, "question %lld "
		    "is no longer %s", (long long)id, state);
	snprintf(ev, sizeof ev, "%s%s%s", on ? "boosted" : "boost removed",
	    note != NULL && *note != '\0' ? ": " : "", note != NULL ? note : "");
	return sq_event(st, id, state, state, actor, now, ev, err, errlen);
}

enum store_status
store_question_model(struct store *st, int64_t id, const char *model,
    const char *actor, int64_t now, const char *state, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	char		 ev[96];

	s = store_prepare(st, "UPDATE questions SET model = NULLIF(?2, '') "
	    "WHERE id = ?1 AND state = ?3", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, model, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, state, -1, SQLITE_STATIC);
	if (store_step_done(st, s, err, errlen) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(store_db(st)) == 0)
		return store_errf(err, errlen, STORE_CONFLICT, "question %lld "
		    "is no longer %s", (long long)id, state);
	/* A cycle not yet in the calendar follows at once. */
	s = store_prepare(st, "UPDATE cycles SET model = ?2 WHERE question = "
	    "?1 AND state IN ('planned', 'unplaceable')", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, model, -1, SQLITE_STATIC);
	if (store_step_done(st, s, err, errlen) != STORE_OK)
		return STORE_ERROR;
	snprintf(ev, sizeof ev, "coaching model: %s", *model != '\0' ?
	    model : "district default");
	return sq_event(st, id, state, state, actor, now, ev, err, errlen);
}

enum store_status
store_question_insert(struct store *st, const Coachd__V1__Question *q,
    int priority_base, int64_t *id, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	int			 queued;

	queued = strcmp(q->state, "queued") == 0;
	s = store_prepare(st, "INSERT INTO questions (teacher, text, topic, "
	    "area, state, class, priority_base, submitted_by, submitted_at, "
	    "queued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, q->teacher, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, q->text, -1, SQLITE_STATIC);
	store_bind_opt(s, 3, q->topic);
	store_bind_opt(s, 4, q->area);
	sqlite3_bind_text(s, 5, q->state, -1, SQLITE_STATIC);
	store_bind_opt(s, 6, q->class_id);
	sqlite3_bind_int(s, 7, priority_base);
	sqlite3_bind_text(s, 8, q->submitted_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, q->submitted_at);
	if (queued)
		sqlite3_bind_int64(s, 10, q->submitted_at);
	if ((ret = store_step_insert(st, s, id, err, errlen)) != STORE_OK)
		return ret;
	ret = sq_event(st, *id, NULL, "submitted", q->submitted_by,
	    q->submitted_at, NULL, err, errlen);
	if (ret == STORE_OK && queued)
		ret = sq_event(st, *id, "submitted", "queued",
		    q->submitted_by, q->submitted_at, q->topic, err, errlen);
	return ret;
}

enum store_status
store_question_move(struct store *st, int64_t id, const char *from,
    const char *to, const char *topic, const char *area, int priority_base,
    const char *coach, const char *actor, int64_t now, const char *note,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	int			 queued, assigned, final;

	queued = strcmp(to, "queued") == 0;
	assigned = strcmp(to, "assigned") == 0;
	final = strcmp(to, "closed") == 0 || strcmp(to, "withdrawn") == 0;
	s = store_prepare(st, "UPDATE questions SET state = ?3, "
	    "topic = CASE WHEN ?4 IS NULL THEN topic ELSE ?4 END, "
	    "area = CASE WHEN ?4 IS NULL THEN area ELSE ?5 END, "
	    "priority_base = CASE WHEN ?4 IS NULL THEN priority_base "
	    "  ELSE ?6 END, "
	    "queued_at = CASE WHEN ?8 AND queued_at IS NULL THEN ?7 "
	    "  ELSE queued_at END, "
	    "coach = CASE WHEN ?8 THEN NULL WHEN ?9 IS NOT NULL THEN ?9 "
	    "  ELSE coach END, "
	    "assigned_at = CASE WHEN ?9 IS NOT NULL AND assigned_at IS NULL "
	    "  THEN ?7 ELSE assigned_at END, "
	    "closed_at = CASE WHEN ?10 THEN ?7 ELSE closed_at END, "
	    "outcome = CASE WHEN ?3 = 'closed' THEN ?11 ELSE outcome END "
	    "WHERE id = ?1 AND state = ?2", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, to, -1, SQLITE_STATIC);
	store_bind_opt(s, 4, topic);
	store_bind_opt(s, 5, area);
	sqlite3_bind_int(s, 6, priority_base);
	sqlite3_bind_int64(s, 7, now);
	sqlite3_bind_int(s, 8, queued);
	if (assigned)
		store_bind_opt(s, 9, coach);
	sqlite3_bind_int(s, 10, final);
	store_bind_opt(s, 11, note);
	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
		return ret;
	if (sqlite3_changes(store_db(st)) != 1) {
		Coachd__V1__Question	*q;

		if ((ret = store_question_get(st, id, &q, err, errlen)) !=
		    STORE_OK)
			return ret;
		errmsg(err, errlen, "question %lld is %s, not %s",
		    (long long)id, q->state, from);
		protobuf_c_message_free_unpacked(&q->base, NULL);
		return STORE_CONFLICT;
	}
	return sq_event(st, id, from, to, actor, now, note, err, errlen);
}

enum store_status
store_question_assign(struct store *st, int64_t id, const char *coach,
    const char *actor, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = store_prepare(st, "SELECT 1 FROM coaches WHERE id = ?1 AND active",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE) {
		errmsg(err, errlen, "no active coach %s", coach);
		return STORE_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, err, errlen);
	return store_question_move(st, id, "queued", "assigned", NULL, NULL, 0,
	    coach, actor, now, coach, err, errlen);
}

enum store_status
store_question_class_check(struct store *st, const char *class_id,
    const char *teacher, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc, taught = 0;

	s = store_prepare(st, "SELECT c.teacher IS ?2 OR EXISTS (SELECT 1 "
	    "FROM class_periods p WHERE p.teacher = ?2 AND p.class = c.id) "
	    "FROM classes c WHERE c.id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, class_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, teacher, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		taught = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE)
		return store_errf(err, errlen, STORE_NOTFOUND, "no class %s",
		    class_id);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, err, errlen);
	if (!taught)
		return store_errf(err, errlen, STORE_INVALID,
		    "class %s is not taught by teacher %s", class_id, teacher);
	return STORE_OK;
}

#define SQ_OPEN_CYCLES "SELECT id FROM cycles WHERE question = ?1 AND " \
	"state IN ('planned','scheduled','unplaceable')"

enum store_status
store_question_close_cycles(struct store *st, int64_t id, const char *reason,
    const char *today, int64_t now, store_question_session_fn fn, void *arg,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	int			 rc;

	s = store_prepare(st, "SELECT coach, teacher, school FROM sessions "
	    "WHERE cycle IN (" SQ_OPEN_CYCLES ") AND status != 'cancelled' "
	    "AND date >= ?2", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, today, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn != NULL)
			fn(arg, (const char *)sqlite3_column_text(s, 0),
			    (const char *)sqlite3_column_text(s, 1),
			    (const char *)sqlite3_column_text(s, 2));
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	/* Sessions first: they are found through the still-open cycles. */
	s = store_prepare(st, "UPDATE sessions SET status = 'cancelled', "
	    "sequence = sequence + 1, modified_at = ?3, cancelled_at = ?3 "
	    "WHERE cycle IN (" SQ_OPEN_CYCLES ") AND status != 'cancelled' "
	    "AND date >= ?2", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, today, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
		return ret;
	s = store_prepare(st, "UPDATE cycles SET state = 'cancelled', "
	    "reason = ?2 WHERE id IN (" SQ_OPEN_CYCLES ")", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, reason, -1, SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_question_history(struct store *st, int64_t id,
    Coachd__V1__QuestionHistory **out, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	*out = NULL;
	s = store_prepare(st, "SELECT from_state, to_state, actor, at, note "
	    "FROM question_events WHERE question = ?1 ORDER BY id", err,
	    errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	ret = store_collect_list(st, s,
	    &coachd__v1__question_history__descriptor, "events", out, err,
	    errlen);
	if (ret == STORE_OK)
		(*out)->id = id;
	return ret;
}

enum store_status
store_question_coach_fit(struct store *st, const char *coach,
    const char *area, const char *const *topics, size_t ntopics, int *level,
    int *interest, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	size_t		 i;
	int		 rc;

	*level = 0;
	*interest = 0;
	s = store_prepare(st, "SELECT level FROM coach_expertise WHERE "
	    "coach = ?1 AND area = ?2", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_STATIC);
	sq_bind_opt(s, 2, area);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*level = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	s = store_prepare(st, "SELECT 1 FROM coach_interests WHERE "
	    "coach = ?1 AND topic = ?2", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	for (i = 0; i < ntopics && !*interest; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, coach, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, topics[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			*interest = 1;
		else if (rc != SQLITE_DONE) {
			sqlite3_reset(s);
			return store_fail(st, rc, err, errlen);
		}
	}
	sqlite3_reset(s);
	return STORE_OK;
}
