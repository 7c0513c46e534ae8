/*
 * rpc_match: the `assign_plan` operation (coachctl admin assign).  Reads
 * the queued questions and the coaches through store_match, scores every
 * allowed pair with the configured weights, solves with the pure engine
 * (match.h) and either reports the plan (dry run) or applies it inside
 * the request's transaction.  Admin only (rpc.c's table).
 */
#ifndef RPC_MATCH_H
#define RPC_MATCH_H

#include "rpc.h"

int	rpc_assign_plan(struct rpc_ctx *, const Coachd__V1__Request *,
	    Coachd__V1__Response *);

#endif
