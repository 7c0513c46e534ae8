/*
 * store_match: the reads and writes behind `admin assign`.  It turns the
 * shared tables (questions, coaches, coach_expertise, coach_interests,
 * coach_schools, teachers) into plain rows for rpc_match.c, which scores
 * them and hands them to the pure engine (match.h).  Writes go through
 * store_question_move (store_question.h).  No schema of its own.
 *
 * "Retained" questions are those that keep their coach whatever the plan:
 * 'in-cycle' ones always, 'assigned' ones too unless full_replan.  A
 * coach's load is the number of distinct teachers among its retained
 * questions (the same definition `question claim` uses, restricted to
 * what a re-plan leaves in place).
 */
#ifndef STORE_MATCH_H
#define STORE_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A coach, in id order. */
struct store_match_coach {
	char		*id;
	uint32_t	 cap;		/* caseload cap (teachers) */
	uint32_t	 load;		/* distinct teachers retained */
	int		 active;
};

/* A candidate question, in id order. */
struct store_match_question {
	int64_t		 id;
	char		*teacher;
	char		*area;
	char		*topic;		/* "" when none */
	char		*coach;		/* today's coach, "" when queued */
	int		 assigned;	/* state is 'assigned' (full re-plan) */
	int64_t		 submitted_at;
	int		 boosted;	/* an admin boosted it */
	int		 new_teacher;	/* its teacher is marked new */
};

/*
 * An allowed-looking pair (question, coach), in (question id, coach id)
 * order: the coach is active, serves the teacher's school and has the
 * area at some level or the topic as an interest.  The engine's score
 * model makes the final call (allow_interest_only).
 */
struct store_match_pair {
	size_t		 question;	/* index into questions[] */
	size_t		 coach;		/* index into coaches[] */
	uint32_t	 level;		/* expertise level in the area, 0 none */
	int		 interest;	/* coach lists the topic */
	int		 continuity;	/* coach has (had) this teacher */
	int		 on_caseload;	/* teacher is among coach's retained */
};

struct store_match_data {
	struct store_match_coach	*coaches;
	size_t				 n_coaches;
	struct store_match_question	*questions;
	size_t				 n_questions;
	struct store_match_pair		*pairs;
	size_t				 n_pairs;
	uint32_t			 queued_without_area;
	uint32_t			 retained_assigned; /* 'assigned' kept as is */
};

/* Read everything a plan needs.  *d is filled; free with _data_free. */
enum store_status store_match_load(struct store *, int full_replan,
		    struct store_match_data *d, char *err, size_t errlen);
void		store_match_data_free(struct store_match_data *);

#endif
