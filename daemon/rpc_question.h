/*
 * rpc_question: what other parts of coachd use of the question area
 * (whose handlers are listed in rpc_ops.h): the topic taxonomy and closing
 * a question's coaching cycles.  The taxonomy is loaded from
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

#endif
