/*
 * store_sched: SQL of the scheduling area.  Its own tables (district
 * closures, coach availability, coach blocks) in store_sched_schema, and
 * the reads and writes of the shared cycles / sessions / questions tables
 * that `admin schedule` and the session commands make.
 *
 * Reads for the planner go through store_sched_query(): one row callback
 * per result row with the columns as text, so the planner builds its own
 * plain structs without touching SQLite.
 */
#ifndef STORE_SCHED_H
#define STORE_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

extern const struct store_schema store_sched_schema;

enum store_sched_q {
	SS_Q_ASSIGNED_NO_CYCLE,	/* question, coach, teacher */
	SS_Q_CYCLES_OPEN,	/* id, coach, teacher, class, school, state,
				   question, teacher name, coach name */
	SS_Q_SESSIONS_FROM,	/* ?1 date: id, cycle, kind, coach, teacher,
				   school, date, period, status, uid */
	SS_Q_BELLS,		/* school, day_type, period, start, end */
	SS_Q_BELLS_SCHOOL,	/* same, ?1 = school */
	SS_Q_TEACHER_SLOTS,	/* ?1 teacher: day_type, period, kind, class,
				   room */
	SS_Q_COACH_SCHOOLS,	/* ?1 coach: school */
	SS_Q_COACH_AVAIL,	/* ?1 coach: weekday, start, end, school */
	SS_Q_COACH_BLOCKS,	/* ?1 coach: date, start, end */
	SS_Q_CLOSURES,		/* date (district-wide closures) */
	SS_Q_SCHOOL_CLOSURES,	/* date, school (one school's closures) */
	SS_Q_TEACHER_SCHOOL,	/* ?1 teacher: school, name */
	SS_Q_COACH_EXISTS,	/* ?1 coach: id */
	SS_Q_OPEN_CYCLE,	/* ?1 coach ?2 teacher: cycle id */
	SS_Q_ON_CASELOAD,	/* ?1 coach ?2 teacher: 1 if on the caseload */
};

/* Called once per row; return 0 to go on, -1 to stop with an error. */
typedef int (*store_sched_row_fn)(void *arg, int ncols,
    const char *const *cols);

enum store_status store_sched_query(struct store *, enum store_sched_q,
		    const char *p1, const char *p2, store_sched_row_fn, void *arg,
		    char *err, size_t errlen);

/* A new session row (uid, sequence 0 and times are set by the store). */
struct store_sched_session {
	int64_t		 cycle;		/* 0 = none */
	const char	*kind, *coach, *teacher, *school, *room, *class_id;
	const char	*date, *period;
	int		 start_min, end_min;
	const char	*status, *initiated_by;
};

enum store_status store_sched_cycle_create(struct store *, int64_t question,
		    const char *coach, const char *teacher, int64_t now,
		    int64_t *id, char *err, size_t errlen);
/* state planned|scheduled|unplaceable|..., reason may be NULL. */
enum store_status store_sched_cycle_state(struct store *, int64_t id,
		    const char *state, const char *reason, char *err,
		    size_t errlen);
/* Move a question assigned -> in-cycle with a question_events row. */
enum store_status store_sched_question_in_cycle(struct store *,
		    int64_t question, const char *actor, int64_t now,
		    char *err, size_t errlen);
enum store_status store_sched_session_insert(struct store *,
		    const struct store_sched_session *, int64_t now,
		    int64_t *id, char *err, size_t errlen);
/* New date/period/times (room, class_id may be NULL = keep); sequence+1. */
enum store_status store_sched_session_move(struct store *, int64_t id,
		    const char *date, const char *period, int start_min,
		    int end_min, const char *room, const char *class_id,
		    int64_t now, char *err, size_t errlen);
/* New status; bump raises sequence; "cancelled" sets cancelled_at. */
enum store_status store_sched_session_status(struct store *, int64_t id,
		    const char *status, int bump, int64_t now, char *err,
		    size_t errlen);
enum store_status store_sched_session_get(struct store *, int64_t id,
		    Coachd__V1__SchedSession **out, char *err, size_t errlen);
/* Filters may be NULL/"": coach, teacher, from, to (inclusive). */
enum store_status store_sched_session_list(struct store *, const char *coach,
		    const char *teacher, const char *from, const char *to,
		    int include_cancelled, Coachd__V1__SchedSessionList **out,
		    char *err, size_t errlen);
/* A live session in the way of a new one, and who its parties are. */
struct store_sched_clash {
	int64_t	id;
	char	coach[128], teacher[128];
	char	what[256];	/* "observation 2026-11-30 P3 (session 12)" */
};

/*
 * The first live session of person (column "coach" or "teacher") on date
 * overlapping [start, end), other than exclude; *found 0 if none, else
 * clash describes it.
 */
enum store_status store_sched_conflict(struct store *, int teacher_col,
		    const char *person, const char *date, int start_min,
		    int end_min, int64_t exclude, int *found,
		    struct store_sched_clash *clash, char *err,
		    size_t errlen);

/* ---- calendar maintenance (scheduling's own tables) */
enum store_status store_sched_block_add(struct store *,
		    Coachd__V1__SchedBlock *b, char *err, size_t errlen);
/* Replace every availability row of the coach. */
enum store_status store_sched_avail_set(struct store *,
		    const Coachd__V1__SchedAvailability *, char *err,
		    size_t errlen);
enum store_status store_sched_closure_add(struct store *,
		    const Coachd__V1__SchedClosure *, char *err, size_t errlen);

/* ---- confidential notes (store_note.c, the only reader of cycle_notes) */
enum store_status store_note_add(struct store *, int64_t cycle,
		    const char *author, const char *body, int64_t now,
		    Coachd__V1__SchedNote **out, char *err, size_t errlen);
enum store_status store_note_list(struct store *, int64_t cycle,
		    Coachd__V1__SchedNoteList **out, char *err, size_t errlen);
/*
 * The id (hex) of the key this database's notes are sealed with: 1 with
 * id filled, 0 if no key was ever recorded, -1 with err on failure.
 */
int		store_note_key_recorded(struct store *, char *id, size_t idlen,
		    char *err, size_t errlen);
/*
 * Use key k (kept alive by the caller) for the notes: CONFLICT "note key
 * does not match ..." if the database was sealed with another key;
 * otherwise records k on first use and seals, in one transaction, every
 * plaintext body (*nsealed counts them).  Nothing is written on failure.
 */
enum store_status store_note_key_attach(struct store *,
		    const struct seal_key *k, int64_t now, int *nsealed,
		    char *err, size_t errlen);
/*
 * Re-seal every note with nk (offline key rotation), in one transaction,
 * and record nk; the attached key must open them all.  *n counts them.
 */
enum store_status store_note_rekey(struct store *, const struct seal_key *nk,
		    int64_t now, int *n, char *err, size_t errlen);

/* ---- listing and removing calendar rows (store_sched_cal.c) */
/* Availability of coach ("" = all), blocks and closures on/after from. */
enum store_status store_sched_calendar_list(struct store *,
		    const char *coach, const char *from,
		    Coachd__V1__SchedCalendar **out, char *err, size_t errlen);
/*
 * Remove what r names; only_coach ("" = anyone) restricts blocks and
 * availability to that coach's.  STORE_NOTFOUND when nothing matched.
 */
enum store_status store_sched_calendar_remove(struct store *,
		    const Coachd__V1__SchedCalendarRemove *r,
		    const char *only_coach, unsigned *n, char *err,
		    size_t errlen);

#endif
