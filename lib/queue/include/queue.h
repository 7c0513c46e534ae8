/*
 * queue: the pure engine behind inquiry-question queues.
 *
 * Question states and who may move a question between them, topic
 * suggestion from free text, ordering inside one expertise-area queue with
 * aging, the one-active-question-per-teacher rule, a teacher's standing
 * (position, expected wait) and admin statistics.  Plain structs in, plain
 * structs out: no I/O, no clock ("now" is always a parameter, Unix seconds).
 * Formulas and definitions: docs/queues.md.
 */
#ifndef QUEUE_H
#define QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "taxonomy.h"

/* Longest question text the daemon accepts, in bytes (not counting NUL). */
#define QUEUE_TEXT_MAX 2000

enum queue_state {
	QUEUE_SUBMITTED = 0,	/* received, topic not yet confirmed */
	QUEUE_QUEUED,		/* topic confirmed, waiting in its area queue */
	QUEUE_ASSIGNED,		/* a coach has it */
	QUEUE_IN_CYCLE,		/* the coaching cycle has started */
	QUEUE_CLOSED,		/* finished, with an outcome note */
	QUEUE_WITHDRAWN,	/* the teacher (or an admin) took it back */
	QUEUE_NSTATES
};

enum queue_role {
	QUEUE_ROLE_TEACHER = 0,
	QUEUE_ROLE_COACH,
	QUEUE_ROLE_ADMIN,
	QUEUE_ROLE_SYSTEM,	/* the daemon itself: automatic matching */
	QUEUE_NROLES
};

/* "submitted", "queued", "assigned", "in-cycle", "closed", "withdrawn". */
const char	*queue_state_name(enum queue_state s);
/* Parse a state name (case-insensitive; "in_cycle" also accepted). */
int		 queue_state_parse(const char *s, enum queue_state *out);
/* "teacher", "coach", "admin", "system". */
const char	*queue_role_name(enum queue_role r);
int		 queue_role_parse(const char *s, enum queue_role *out);

/* Facts about the actor and the request that the transition rules need. */
struct queue_transition_ctx {
	int	is_owner;		/* actor is the question's teacher */
	int	is_assigned_coach;	/* actor is the coach it is assigned to */
	int	has_outcome_note;	/* a non-empty outcome note is given */
};

/*
 * May role move a question from -> to?  0 if so, else -1 and err holds a
 * sentence such as "cannot move question from closed to assigned".
 * ctx may be NULL (treated as all zero).  Caseload caps are the caller's
 * business; this checks the state machine and the roles only.
 */
int	queue_transition_check(enum queue_state from, enum queue_state to,
	    enum queue_role role, const struct queue_transition_ctx *ctx,
	    char *err, size_t errlen);

/* Check a submitted text: non-empty after trimming, <= QUEUE_TEXT_MAX. */
int	queue_text_check(const char *text, char *err, size_t errlen);

/* --- topic suggestion ------------------------------------------------- */

struct queue_suggestion {
	size_t	topic;	/* index into the taxonomy's topics */
	int	score;	/* sum of the weights of the keywords found */
	int	hits;	/* how many distinct keywords were found */
};

/*
 * Rank topics for free text.  Fills up to max suggestions with score > 0,
 * best first (score desc, hits desc, file order), sets *nout.  Returns 0:
 * allocation cannot fail (xmalloc.h), so err stays untouched.
 */
int	queue_suggest(const struct taxonomy_topics *topics, const char *text,
	    struct queue_suggestion *out, size_t max, size_t *nout,
	    char *err, size_t errlen);

/* Stem one lower-case ASCII word in place (exposed for tests and docs). */
void	queue_stem(char *word);

/* --- ordering ---------------------------------------------------------- */

/* Teacher flags that raise a question's base priority. */
#define QUEUE_FLAG_NEW_TEACHER	0x1	/* first or second year teacher */
#define QUEUE_FLAG_ADMIN_BOOST	0x2	/* an admin asked for it to go first */

/* One question as the daemon stores it.  Pointers are borrowed. */
struct queue_item {
	int64_t		 id;
	const char	*teacher_id;
	const char	*area;		/* expertise area of its topic; NULL if
					   no topic yet */
	enum queue_state state;
	int64_t		 submitted_at;	/* Unix seconds */
	int64_t		 assigned_at;	/* first assignment, 0 if never */
	int		 topic_priority; /* taxonomy_topic.priority */
	unsigned	 flags;		/* QUEUE_FLAG_* */
};

/* Tunables; queue_params_default() gives the documented defaults. */
struct queue_params {
	int	aging_hours;	/* H: one point per H hours waited (24) */
	int	aging_cap;	/* aging never adds more than this (14) */
	int	new_teacher_bonus;	/* (2) */
	int	admin_boost_bonus;	/* (5) */
	int	rate_window_weeks;	/* history used for the rate (4) */
	double	fallback_rate;	/* assignments/week when no history (1.0) */
};

void	queue_params_default(struct queue_params *p);

/* A queued question's place, with the priority broken down for display. */
struct queue_rank {
	size_t	index;		/* into the items array given */
	int	base;		/* topic priority + flag bonuses */
	int	aging;		/* min(cap, floor(waited hours / H)) */
	int	total;		/* base + aging */
	int	position;	/* 1-based place in its queue */
	int64_t	waited;		/* now - submitted_at, seconds (>= 0) */
};

/* Priority parts of one item at now. */
void	queue_priority(const struct queue_item *it, int64_t now,
	    const struct queue_params *p, int *base, int *aging, int *total);

/*
 * Order the queue of one area (area NULL: every area, each item numbered
 * within its own area).  An item is in a queue when it is QUEUED and is
 * its teacher's active question (see queue_teacher_split).  out must have
 * room for n ranks; *nout gets how many were filled, sorted by total
 * desc, submitted_at asc, id asc.
 */
int	queue_order(const struct queue_item *items, size_t n,
	    const char *area, int64_t now, const struct queue_params *p,
	    struct queue_rank *out, size_t *nout, char *err, size_t errlen);

/* What the one-active-question rule says about one question. */
enum queue_activity {
	QUEUE_ACTIVE = 0,	/* the teacher's active question */
	QUEUE_HELD,		/* waits behind the active one */
	QUEUE_DONE		/* closed or withdrawn: plays no part */
};

/*
 * For a set of questions (any teachers), say which one per teacher is
 * active and where the others wait.  Active: every assigned or in-cycle
 * one (normally at most one), else the earliest submitted (then lowest
 * id) submitted/queued one; all other submitted/queued ones are held.
 * activity[i] and held_pos[i] (1 = next in line after the active one, 0
 * if not held) are filled for each item; either may be NULL.  Returns 0:
 * allocation cannot fail (xmalloc.h), so err stays untouched.
 */
int	queue_teacher_split(const struct queue_item *items, size_t n,
	    enum queue_activity *activity, int *held_pos, char *err,
	    size_t errlen);

/* Where one teacher's question stands, for the teacher's own view. */
struct queue_standing {
	enum queue_state state;
	enum queue_activity activity;
	int	held_pos;	/* when HELD: 1 = next after the active one */
	int64_t	held_behind;	/* when HELD: id of the active question */
	int	position;	/* when in a queue: 1-based, else 0 */
	int	depth;		/* questions in that queue */
	double	rate_per_week;	/* assignments per week used below */
	int	rate_is_fallback; /* 1 if no history: params.fallback_rate */
	int64_t	expected_wait;	/* seconds; -1 unknown / not waiting */
};

/*
 * Standing of question id among items (pass the whole area's recent
 * history so the rate can be measured).  Expected wait =
 * position / rate_per_week weeks, where rate = assignments in this area
 * during the last rate_window_weeks weeks / rate_window_weeks.
 * -1 and err if id is not among items.
 */
int	queue_standing(const struct queue_item *items, size_t n, int64_t id,
	    int64_t now, const struct queue_params *p,
	    struct queue_standing *out, char *err, size_t errlen);

/* --- statistics -------------------------------------------------------- */

struct queue_area_stats {
	const char	*area;		/* borrowed from the areas given */
	int		 depth;		/* questions in the queue now */
	int		 held;		/* waiting behind their teacher's
					   active question */
	int64_t		 wait_median;	/* of questions in the queue now: */
	int64_t		 wait_p90;	/*   now - submitted_at, seconds */
	int		 assigned;	/* assigned within the window */
	int64_t		 assign_median;	/* of those: assigned_at - */
	int64_t		 assign_p90;	/*   submitted_at, seconds */
	int64_t		 oldest_id;	/* longest-waiting in queue, 0 none */
	int64_t		 oldest_wait;	/* seconds */
};

struct queue_week_stats {
	const char	*area;
	int		 iso_year;
	int		 iso_week;
	int		 arrivals;	/* submitted_at in that week */
	int		 assignments;	/* assigned_at in that week */
};

struct queue_stats {
	struct queue_area_stats	*areas;		/* one per area given */
	size_t			 nareas;
	struct queue_week_stats	*weeks;		/* area order, then oldest
						   week first */
	size_t			 nweeks;
};

/*
 * Statistics over items at now, for the given areas (empty queues show
 * too) and the last `weeks` ISO weeks, the current one included.  Medians
 * and 90th percentiles use the nearest-rank method (docs/queues.md).
 */
int	queue_stats(const struct queue_item *items, size_t n,
	    const char *const *areas, size_t nareas, int64_t now, int weeks,
	    const struct queue_params *p, struct queue_stats *out, char *err,
	    size_t errlen);
void	queue_stats_free(struct queue_stats *s);

/* Nearest-rank percentile (0 < pct <= 100) of v (sorted in place). */
int64_t	queue_percentile(int64_t *v, size_t n, int pct);

/* ISO 8601 year and week of a Unix time (UTC). */
void	queue_iso_week(int64_t t, int *year, int *week);

#endif
