/*
 * rpc_sched_plan.h: what the files of `admin schedule` share (not an API):
 * the database loaded into plain structs (rpc_sched_load.c), the engine's
 * bitmaps built from them (rpc_sched_build.c), the outcome written back
 * and the run split into groups (rpc_sched_plan.c).
 */
#ifndef RPC_SCHED_PLAN_H
#define RPC_SCHED_PLAN_H

#include <stdint.h>

#include "rpc_sched_int.h"
#include "sched.h"

/* An engine period: one bell period of one school. */
struct p_period {
	const char	*school, *period;	/* borrowed from tt */
	const char	*school_name;		/* borrowed from a teacher */
	int		 start;
	char		 label[160];
};

struct p_slot {
	char	*day_type, *period, *class_id, *room;
	int	 teach;
};

struct p_teacher {
	char		*id, *name, *school, *school_name;
	struct p_slot	*slots;
	size_t		 n_slots;
	uint64_t	*teach, *free;
};

struct p_avail {
	int	 weekday, start, end;
	char	*school;
};

struct p_block {
	int	 day, start, end;
};

struct p_coach {
	char		*id, *name;
	char		**schools;
	size_t		 n_schools;
	struct p_avail	*avail;
	size_t		 n_avail;
	struct p_block	*blocks;
	size_t		 n_blocks;
	uint64_t	*avail_bits;
};

struct p_sess {
	int64_t	 id, cycle;
	char	*kind, *coach, *teacher, *school, *date, *period, *status;
	int	 day_num;
};

struct p_cycle {
	int64_t		 id, question;
	char		*coach, *teacher, *class_id, *state, *tname, *cname;
	int		 in_problem;
	int		 coach_i, teacher_i;
	uint64_t	*observe;
	int		 has_prev;
	unsigned	 kinds;		/* its coaching model's sessions */
	int64_t		 prev_id[SCHED_NKINDS];
	struct sched_slot prev[SCHED_NKINDS];
};

struct plan {
	struct rpc_ctx		*ctx;
	struct tt		 tt;
	int			*days;		/* day numbers of the horizon */
	int			 n_days;
	char			(*dlabel)[CALENDAR_LABEL_LEN];
	const char		**dnames;	/* "Thu 2026-11-26" */
	struct p_period		*all;		/* every (school, period) */
	int			 n_all;
	struct p_period		*periods;	/* the group being solved */
	int			 n_periods;
	struct p_teacher	*teachers;
	size_t			 n_teachers;
	struct p_coach		*coaches;
	size_t			 n_coaches;
	struct p_cycle		*cycles;
	size_t			 n_cycles;
	struct p_sess		*sess;
	size_t			 n_sess;
	int64_t			*newq;		/* (question, coach, teacher) */
	char			**newq_s;
	size_t			 n_newq;
	size_t			 newq_cap, cycles_cap, sess_cap;
	size_t			 teachers_cap, coaches_cap;
};

/* rpc_sched_load.c: from the database to plain structs. */
int	plan_load(struct plan *, int from, Coachd__V1__SchedRun *, char *err,
	    size_t errlen);
int	plan_people(struct plan *, char *err, size_t errlen);
void	plan_free(struct plan *);

/* rpc_sched_build.c: from the plain structs to engine bitmaps. */
int	plan_find_teacher(const struct plan *, const char *id);
int	plan_find_coach(const struct plan *, const char *id);
void	plan_build_periods(struct plan *);
void	plan_build_teacher(struct plan *, struct p_teacher *);
void	plan_build_coach(struct plan *, struct p_coach *);
/* A coach's school on day number `day` when they have no availability. */
const char *plan_coach_school(const struct p_coach *, int day);
/* Clear bits of day index d for periods begun before minute of today
 * (day number); a day before today is cleared entirely. */
void	plan_clear_past(const struct plan *, uint64_t *bits, int d,
	    int today, int minute);
void	plan_build_observe(struct plan *, struct p_cycle *);
void	plan_mark_prev(struct plan *, struct p_cycle *);
struct sched_fixed *plan_build_fixed(struct plan *, const int *cmap,
	    const int *tmap, size_t *n);
const struct p_slot *plan_teacher_slot(const struct plan *,
	    const struct p_teacher *, int d, int j, int teach);
int	plan_kind_of(const char *name);


/* rpc_sched_plan.c: one cycle's outcome into the database and response. */
int	plan_apply_outcome(struct plan *, struct p_cycle *,
	    const struct sched_outcome *, Coachd__V1__SchedRun *, char *err,
	    size_t errlen);

#endif
