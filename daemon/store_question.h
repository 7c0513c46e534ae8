/*
 * store_question: the SQL of inquiry questions over the shared
 * `questions` and `question_events` tables of store_coaching.c.
 *
 * Records are the wire messages of proto/question.proto (Question,
 * QuestionList, QuestionHistory): heap-allocated, owned by the caller,
 * freed with protobuf_c_message_free_unpacked(m, NULL).  The store fills
 * the row's fields (and the teacher's school and name); standing fields
 * (position, expected wait) are the handler's business (queue engine).
 *
 * Every state change writes a question_events row (who, when) in the
 * caller's transaction.  State-machine and role checks are the caller's
 * (queue_transition_check); these functions only check that the row is
 * still in the state the caller saw (CONFLICT otherwise), so a racing
 * change is never overwritten.
 *
 * Also used by automatic matching: store_question_list_queued,
 * store_question_coach_load(s) and store_question_assign.
 */
#ifndef STORE_QUESTION_H
#define STORE_QUESTION_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Filters for store_question_list; NULL or "" fields match anything. */
struct store_question_filter {
	const char	*state;		/* "queued", ... */
	const char	*teacher;
	const char	*area;
	const char	*coach;
	int		 open_only;	/* not closed / withdrawn */
};

/* A coach's current caseload. */
struct store_coach_load {
	char		coach[STORE_ID_MAX + 1];
	uint32_t	active_teachers;	/* distinct teachers with an
						   assigned/in-cycle question */
	uint32_t	cap;			/* coaches.caseload_cap */
};

/* One question by id (NOT_FOUND "no question 12"). */
enum store_status store_question_get(struct store *, int64_t id,
		    Coachd__V1__Question **out, char *err, size_t errlen);

/* Questions matching f (NULL: all), by id. */
enum store_status store_question_list(struct store *,
		    const struct store_question_filter *f,
		    Coachd__V1__QuestionList **out, char *err, size_t errlen);

/*
 * The questions waiting in the queues, for matching: state 'queued' and
 * the teacher's active question (the teacher has no assigned/in-cycle
 * question and no earlier submitted/queued one; docs/queues.md).  area
 * NULL or "": every area.  Filled: id, teacher, teacher_name, school,
 * text, topic, area, state, class_id, submitted_at, queued_at.  Ordered
 * by submitted_at, id (not the aging order: see queue_order()).
 */
enum store_status store_question_list_queued(struct store *,
		    const char *area, Coachd__V1__QuestionList **out,
		    char *err, size_t errlen);

/*
 * A coach's load: COUNT(DISTINCT teacher) of their questions in state
 * assigned or in-cycle, and the cap.  NOT_FOUND for an unknown coach.
 * has_teacher (may be NULL) is set when teacher (may be NULL) is already
 * among those teachers, i.e. a claim for them would not add to the load.
 */
enum store_status store_question_coach_load(struct store *,
		    const char *coach, uint32_t *active_teachers,
		    uint32_t *cap, const char *teacher, int *has_teacher,
		    char *err, size_t errlen);

/* Loads of every active coach, by id.  *out (malloc'd) freed by caller. */
enum store_status store_question_coach_loads(struct store *,
		    struct store_coach_load **out, size_t *nout,
		    char *err, size_t errlen);

/*
 * Insert a question (from q: teacher, text, topic, area, state --
 * "submitted" or "queued" --, class_id, submitted_by, submitted_at) and
 * its first event; *id gets the new id.  priority_base is the topic's.
 */
enum store_status store_question_insert(struct store *,
		    const Coachd__V1__Question *q, int priority_base,
		    int64_t *id, char *err, size_t errlen);

/*
 * Set (on) or clear an admin's boost of question id, which must still be
 * in `state`, and record it as a question_event from `state` to `state`
 * with the note "boosted: NOTE" / "boost removed: NOTE".  CONFLICT when
 * the row has left `state`.
 */
enum store_status store_question_boost(struct store *, int64_t id,
		    const char *state, int on, const char *actor, int64_t now,
		    const char *note, char *err, size_t errlen);

/*
 * Set the coaching model of question id (still in `state`; "" = the
 * default), carry it to its cycles not yet in the calendar (planned,
 * unplaceable), and record a question_event.  model must be resolved:
 * for cycles "" means the caller's default model name.
 */
enum store_status store_question_model(struct store *, int64_t id,
		    const char *model, const char *actor, int64_t now,
		    const char *state, char *err, size_t errlen);

/*
 * Move question id from state `from` to state `to` and record the event
 * (actor, now, note).  Side fields by target state:
 *   queued:    topic/area/priority_base from topic (non-NULL), queued_at
 *              (first time), coach cleared;
 *   assigned:  coach (non-NULL), assigned_at (first time only);
 *   in-cycle:  nothing else;
 *   closed:    closed_at, outcome = note;
 *   withdrawn: closed_at.
 * CONFLICT when the row is no longer in state `from`; NOT_FOUND unknown.
 * topic may also be given with from == to == "queued" (change of topic).
 */
enum store_status store_question_move(struct store *, int64_t id,
		    const char *from, const char *to, const char *topic,
		    const char *area, int priority_base, const char *coach,
		    const char *actor, int64_t now, const char *note,
		    char *err, size_t errlen);

/*
 * For matching: queued -> assigned to coach, with the event (actor, e.g.
 * "system" or an admin id).  Checks the question is queued (CONFLICT) and
 * the coach exists and is active (NOT_FOUND); caseload caps are the
 * caller's (the matching engine honours them).
 */
enum store_status store_question_assign(struct store *, int64_t id,
		    const char *coach, const char *actor, int64_t now,
		    char *err, size_t errlen);

/* Called once per session a cycle closure cancelled (feeds to touch). */
typedef void (*store_question_session_fn)(void *arg, const char *coach,
		    const char *teacher, const char *school);

/*
 * The question left its coach (reassigned, or back to the queue): its
 * open cycle (planned, scheduled, unplaceable) becomes 'cancelled' with
 * `reason`, and that cycle's sessions dated today ("YYYY-MM-DD") or later
 * that are not yet cancelled are cancelled (sequence + 1, cancelled_at =
 * now); fn (may be NULL) is called for each before the update.  The
 * cycle keeps its coach and teacher, so its notes stay theirs only; the
 * next `admin schedule` opens a new cycle for the question's new coach.
 */
enum store_status store_question_close_cycles(struct store *, int64_t id,
		    const char *reason, const char *today, int64_t now,
		    store_question_session_fn fn, void *arg, char *err,
		    size_t errlen);

/*
 * Whether class exists (NOT_FOUND "no class X") and teacher teaches it
 * (classes.teacher, or a class_periods row of theirs naming it):
 * BAD_REQUEST "class X is not taught by teacher T" otherwise.
 */
enum store_status store_question_class_check(struct store *,
		    const char *class_id, const char *teacher, char *err,
		    size_t errlen);

/* Every transition of question id, oldest first. */
enum store_status store_question_history(struct store *, int64_t id,
		    Coachd__V1__QuestionHistory **out, char *err, size_t errlen);

/*
 * Expertise of a coach in an area (0 none) and whether the coach lists
 * an interest in one of the given topic ids.
 */
enum store_status store_question_coach_fit(struct store *,
		    const char *coach, const char *area,
		    const char *const *topics, size_t ntopics, int *level,
		    int *interest, char *err, size_t errlen);

#endif
