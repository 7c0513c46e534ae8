/*
 * rpc_question: handlers of the question_* and queue_* operations.  The
 * topic taxonomy they check against is the daemon's, parsed from [queue]
 * topics at start-up and on SIGHUP and handed over as ctx->topics.
 */
#ifndef RPC_QUESTION_H
#define RPC_QUESTION_H

#include <stddef.h>
#include <stdint.h>

#include "rpc.h"

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
