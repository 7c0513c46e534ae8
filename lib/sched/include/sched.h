/*
 * sched: the pure scheduling engine.  Places coaching cycles (meeting,
 * observation, debrief) into a slot-based timetable of school days x
 * periods, whole or not at all, under the hard rules (no double booking,
 * coach sessions per day / per week, distinct teachers per week) and
 * keeps previously published placements wherever they are still valid.
 *
 * Plain structs in, plain structs out: no I/O, no clocks, no globals.
 * Results depend only on the problem (including its seed), never on time.
 */
#ifndef SCHED_H
#define SCHED_H

#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_PERIODS	64	/* one uint64_t bitmap per day */
#define SCHED_MAX_DAYS		400
#define SCHED_DAYS_PER_WEEK	5	/* weeks are days 0-4, 5-9, ... */
#define SCHED_REASON_MAX	256

/* Session kinds, in the order they must happen within a cycle. */
enum sched_kind {
	SCHED_MEETING = 0,
	SCHED_OBSERVATION = 1,
	SCHED_DEBRIEF = 2,
	SCHED_NKINDS = 3
};

/* Template masks: which kinds a cycle has (see docs/scheduling.md). */
#define SCHED_T_FULL	0x7u	/* meeting + observation + debrief */
#define SCHED_T_KIND(k)	(1u << (k))

/*
 * Bitmaps are arrays of `days` uint64_t, bit p of word d set when the
 * slot (day d, period p) has the property.  They are borrowed: the caller
 * keeps them alive for the duration of sched_solve().
 */
struct sched_coach {
	const char	*name;		/* shown in reasons */
	const uint64_t	*available;	/* coaching time, blocks already removed */
	int		 max_per_day;	/* sessions per day, 0 = no limit */
	int		 max_teachers_per_week;	/* 0 = no limit */
	int		 max_per_week;	/* admin cap on sessions, 0 = no limit */
};

struct sched_teacher {
	const char	*name;
	const char	*place;		/* optional: where they teach, for
					   reasons ("... is at Lincoln ES") */
	const uint64_t	*teaching;	/* periods the teacher teaches */
	const uint64_t	*free;		/* free / planning periods */
};

struct sched_slot {
	int	day;			/* -1 = none */
	int	period;
};

struct sched_cycle {
	const char	*name;
	int		 coach;		/* index into coaches[] */
	int		 teacher;	/* index into teachers[] */
	unsigned	 kinds;		/* SCHED_T_* mask, 0 means SCHED_T_FULL */
	const uint64_t	*observe_in;	/* NULL = any teaching period */
	const uint64_t	*prefer_in;	/* soft: the question's class, or NULL */
	int		 debrief_within_days;	/* after the observation (or meeting) */
	int		 priority;	/* higher first; e.g. weeks since seen */
	int		 has_prev;	/* previously published placement */
	struct sched_slot prev[SCHED_NKINDS];	/* day -1 for absent kinds */
};

/*
 * A session the engine must work around and never moves: confirmed
 * one-off sessions, workshops, duties.  coach or teacher may be -1.
 * It occupies the slot and counts toward the coach's limits (and, with a
 * teacher, toward distinct teachers that week).
 */
struct sched_fixed {
	int	coach;
	int	teacher;
	int	day;
	int	period;
};

struct sched_problem {
	int			 days;
	int			 n_periods;	/* 1..SCHED_MAX_PERIODS */
	const char * const	*period_names;	/* optional, for reasons */
	const char * const	*day_names;	/* optional: "Thu 2026-11-26"
						   instead of "day 3" */
	const struct sched_coach *coaches;
	size_t			 n_coaches;
	const struct sched_teacher *teachers;
	size_t			 n_teachers;
	const struct sched_cycle *cycles;
	size_t			 n_cycles;
	const struct sched_fixed *fixed;
	size_t			 n_fixed;
	uint64_t		 seed;
	uint64_t		 iterations;	/* local-search moves; 0 = default */
};

enum sched_status {
	SCHED_PLACED = 0,	/* new placement */
	SCHED_KEPT,		/* previous placement kept as published */
	SCHED_MOVED,		/* had a previous placement, now different */
	SCHED_DROPPED,		/* had a previous placement, now unscheduled */
	SCHED_UNSCHEDULED	/* never placed */
};

struct sched_outcome {
	enum sched_status status;
	struct sched_slot slot[SCHED_NKINDS];	/* day -1 for absent/unplaced */
	char		 reason[SCHED_REASON_MAX];	/* why unplaced / moved */
};

struct sched_result {
	struct sched_outcome *cycles;	/* n_cycles entries, owned */
	size_t		 n_cycles;
	size_t		 scheduled;	/* PLACED + KEPT + MOVED */
	size_t		 kept;
	size_t		 moved;		/* MOVED + DROPPED */
	size_t		 unscheduled;	/* UNSCHEDULED + DROPPED */
	size_t		 feasible_alone; /* cycles placeable in an empty
					    timetable (fixed sessions only) */
	uint64_t	 iterations;	/* local-search moves tried */
};

/* Solve; fills *res (free with sched_result_free).  -1 + err on bad input. */
int	sched_solve(const struct sched_problem *, struct sched_result *,
	    char *err, size_t errlen);
void	sched_result_free(struct sched_result *);

/* Name of a kind ("meeting", ...), for output. */
const char *sched_kind_name(enum sched_kind);

#endif
