/*
 * rpc_question_int.h: what rpc_question.c, rpc_question_view.c and
 * rpc_queue.c share: topic look-ups in ctx->topics and the conversion of
 * stored questions into the queue engine's items and back (standing,
 * topic names, suggestions).  Not for other areas: they use
 * store_question.h and the operations.
 */
#ifndef RPC_QUESTION_INT_H
#define RPC_QUESTION_INT_H

#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"
#include "queue.h"
#include "rpc.h"
#include "taxonomy.h"



/* All questions, and the same as engine items (strings borrowed). */
struct rq_all {
	Coachd__V1__QuestionList	*list;
	struct queue_item		*items;
	size_t				 n;
	const struct taxonomy_topics	*topics;	/* ctx->topics */
};

/* Standing of every question at once, for lists (rq_batch_fill). */
struct rq_batch {
	enum queue_activity	*act;
	int			*held_pos;
	int64_t			*held_behind;
	int			*position;	/* by item index, 0 none */
	int			*depth;
	double			*rate;
	int			*fallback;
};

/* Queue tunables from [queue]. */
void	rq_params(const struct rpc_ctx *, struct queue_params *);
/* Topic by id, NULL if unknown or empty. */
const struct taxonomy_topic *rq_topic(const struct taxonomy_topics *,
	    const char *id);
/* Load every question as engine items; -1 after failing resp. */
int	rq_load_all(struct rpc_ctx *, struct rq_all *, Coachd__V1__Response *);
void	rq_free_all(struct rq_all *);
/* Ranked topic suggestions for q's text into q->suggestions. */
void	rq_suggest(const struct taxonomy_topics *, Coachd__V1__Question *q);
/* Topic name, standing and (unconfirmed) suggestions of one question. */
void	rq_decorate(struct rpc_ctx *, const struct rq_all *,
	    Coachd__V1__Question *);
/* The same for many questions: fill a batch once, then decorate each. */
int	rq_batch_fill(struct rpc_ctx *, const struct rq_all *,
	    struct rq_batch *, char *err, size_t errlen);
void	rq_batch_free(struct rq_batch *);
void	rq_decorate_batch(const struct rq_all *, const struct rq_batch *,
	    Coachd__V1__Question *);

#endif
