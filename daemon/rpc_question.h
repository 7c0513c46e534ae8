/*
 * rpc_question: what other parts of coachd use of the question area
 * (whose handlers are listed in rpc_ops.h): the topic taxonomy and closing
 * a question's coaching cycles.  The taxonomy is the daemon's, parsed from
 * [queue] topics at start-up and on SIGHUP and handed over as ctx->topics.
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

#endif
