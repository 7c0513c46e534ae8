/*
 * rpc_question: handlers of the question_* and queue_* operations
 * (issue 3), and the topic taxonomy they use.  The taxonomy is loaded from
 * [queue] topics at start-up and again on SIGHUP; it is process state
 * owned by rpc_question.c (rpc_question_load / rpc_question_free).
 */
#ifndef RPC_QUESTION_H
#define RPC_QUESTION_H

#include <stddef.h>
#include <stdint.h>

#include "rpc.h"

struct coachd_config;

/*
 * Read and parse conf->queue_topics.  On success the new taxonomy
 * replaces the loaded one; on failure (0 topics, parse error, missing
 * file or key) the old one stays and err says why.  Returns 0 or -1.
 */
int	rpc_question_load(const struct coachd_config *conf, char *err,
	    size_t errlen);
/* Free the loaded taxonomy (at exit). */
void	rpc_question_free(void);

/*
 * Question id left its coach for `coach` (NULL: back to the queue): close
 * its open cycle and cancel that cycle's sessions from today on
 * (store_question_close_cycles), touching their feeds.  Used by reassign
 * and by `admin assign` moves.  A store status, err filled.
 */
int	rpc_question_close_cycles(struct rpc_ctx *, int64_t id,
	    const char *coach, char *err, size_t errlen);

int	rpc_question_submit(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_topic(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_show(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_withdraw(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_claim(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_assign(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_reassign(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_start(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_close(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_model(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_boost(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_question_history(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_queue_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_queue_show(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_queue_stats(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);

#endif
