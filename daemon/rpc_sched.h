/*
 * rpc_sched: handlers of the scheduling operations: `admin schedule`
 * (rpc_sched_plan.c), the session list behind `schedule` and `week`,
 * session requests and changes, the confidential notes of a cycle and the
 * calendar rows (rpc_sched_cal.c).  Every handler that changes sessions
 * records it in ctx->changes, so that feeds re-render after the commit.
 */
#ifndef RPC_SCHED_H
#define RPC_SCHED_H

#include "rpc.h"

int	rpc_schedule_run(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_schedule_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_request(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_confirm(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_decline(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_reschedule(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_cancel(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_note_add(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_session_note_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
/* calendar maintenance: coach blocks, availability, closures */
int	rpc_calendar_block_add(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_calendar_availability_set(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_calendar_closure_add(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_calendar_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_calendar_remove(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);

#endif
