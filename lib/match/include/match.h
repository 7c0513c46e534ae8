/*
 * match: the pure coach-assignment engine.  Plain structs in, plain
 * structs out; no I/O, no logging, no allocation the caller cannot free
 * with match_result_free().  Used by coachd (admin assign) and by
 * `coach-solve assign`.  docs/matching.md documents the objective, the
 * score model and the tie-breaking rule.
 */
#ifndef MATCH_H
#define MATCH_H

#include <stddef.h>
#include <stdint.h>

/* Largest score one pair may carry; keeps the flow costs inside int64. */
#define MATCH_SCORE_MAX		1000000u
/* Expertise levels run 0 (none) .. MATCH_LEVEL_MAX (expert). */
#define MATCH_LEVEL_MAX		3u

/* One allowed (request, coach) pair, by index into the problem arrays. */
struct match_edge {
	uint32_t	request;
	uint32_t	coach;
	uint32_t	score;		/* 0 .. MATCH_SCORE_MAX */
};

/*
 * The instance.  capacity[c] is the coach's REMAINING capacity (caseload
 * cap minus pairs the daemon keeps); 0 is allowed.  Edges may come in any
 * order; the order is part of the input for tie-breaking.
 */
struct match_problem {
	size_t			 n_coaches;
	const uint32_t		*capacity;	/* [n_coaches] */
	size_t			 n_requests;
	size_t			 n_edges;
	const struct match_edge	*edges;		/* [n_edges] */
};

/* The plan; arrays are owned by the result, free with match_result_free(). */
struct match_result {
	size_t		 n_requests;
	int32_t		*coach;		/* [n_requests]: coach index or -1 */
	uint32_t	*score;		/* [n_requests]: score of that pair, 0 if none */
	size_t		 assigned;	/* requests with a coach */
	uint64_t	 total_score;	/* sum of score[] */
};

/*
 * Solve exactly: maximise the number of assigned requests, then the total
 * score; every coach takes at most capacity[c] requests, every request at
 * most one coach.  The result is a deterministic function of the problem
 * (including edge order).  Returns 0, or -1 with err filled (bad indices,
 * score out of range, problem too large); on error *res is left empty.
 */
int	match_solve(const struct match_problem *, struct match_result *,
	    char *err, size_t errlen);
void	match_result_free(struct match_result *);

/* Check a plan against a problem: capacities, edges exist, totals add up. */
int	match_check(const struct match_problem *, const struct match_result *,
	    char *err, size_t errlen);

/*
 * Score model.  The daemon derives plain per-pair features from its store;
 * match_score_pair() turns them into an integer score with its parts, so
 * that `--explain` can say why a coach was chosen.
 */
struct match_weights {
	uint32_t	expertise[MATCH_LEVEL_MAX + 1];	/* points per level */
	uint32_t	interest;		/* coach lists the topic */
	uint32_t	continuity;		/* coach already coaches the teacher */
	uint32_t	aging_per_day;		/* per day the question waited */
	uint32_t	aging_cap_days;		/* aging stops growing after this */
	uint32_t	boost;			/* an admin boosted the question */
	uint32_t	new_teacher;		/* the teacher is marked new */
	int		allow_interest_only;	/* level 0 + interest is allowed */
};

struct match_features {
	int		active;			/* coach is active */
	int		serves_school;		/* coach serves the teacher's school */
	uint32_t	expertise_level;	/* coach's level in the question's area */
	int		interest;		/* coach lists the question's topic */
	int		continuity;		/* coach already coaches this teacher */
	uint32_t	waiting_days;		/* days since the question was queued */
	int		boosted;		/* an admin boosted the question */
	int		new_teacher;		/* the teacher is marked new */
};

struct match_score {
	uint32_t	expertise;
	uint32_t	interest;
	uint32_t	continuity;
	uint32_t	aging;
	uint32_t	boost;
	uint32_t	new_teacher;
	uint32_t	total;			/* sum of the parts */
};

/* Fill *w with the documented defaults. */
void	match_weights_default(struct match_weights *w);
/* Check weights: every possible total must stay <= MATCH_SCORE_MAX. */
int	match_weights_check(const struct match_weights *w, char *err,
	    size_t errlen);
/*
 * Score one pair.  Returns 1 and fills *s when the pair is allowed, 0 when
 * it is not (inactive coach, other school, no expertise and no usable
 * interest); *s is then zeroed.
 */
int	match_score_pair(const struct match_weights *w,
	    const struct match_features *f, struct match_score *s);

/* Differences between two plans over the same requests (old -> new). */
struct match_diff {
	size_t	kept;		/* same coach in both */
	size_t	added;		/* unassigned before, assigned now */
	size_t	removed;	/* assigned before, unassigned now */
	size_t	moved;		/* assigned to a different coach */
};

void	match_diff_plans(const int32_t *old_coach, const int32_t *new_coach,
	    size_t n_requests, struct match_diff *d);

#endif
