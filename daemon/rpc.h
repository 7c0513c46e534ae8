/*
 * rpc: from a decoded Request to a Response.  rpc.c holds the one table of
 * operations: for each oneof case, the roles allowed to call it, whether it
 * writes, and its handler.  That table is where authorisation is decided;
 * handlers only add finer checks that depend on the data (a teacher acting
 * for themself, a coach on their own caseload) through auth_*.
 *
 * Handlers live in rpc_<area>.c, one file per feature area.
 */
#ifndef RPC_H
#define RPC_H

#include <stdarg.h>

#include "auth.h"
#include "coachd.pb-c.h"

struct store;
struct coachd_config;
struct change_set;
struct rpc_caps_file;
struct taxonomy_topics;

/* What a handler may use while answering one request. */
struct rpc_ctx {
	struct store			*store;
	const struct coachd_config	*conf;
	const struct principal		*who;	 /* authenticated caller */
	const struct taxonomy_topics	*topics; /* [queue] topics, loaded */
	const struct rpc_caps_file	*categories; /* [caps] categories */
	const char			*feed_base; /* feed URLs; NULL: off */
	struct change_set		*changes; /* batch's, owned by conn */
	int64_t				 now;	 /* unix seconds, one per batch */
};

/*
 * A handler fills resp->result (heap-allocated sub-messages: the response
 * owns everything hanging off it) and returns 0, or calls rpc_fail() and
 * returns its -1.  A failed request's writes are rolled back by rpc.c.
 */
typedef int (*rpc_handler)(struct rpc_ctx *, const Coachd__V1__Request *,
    Coachd__V1__Response *);

/* Set status and a formatted message on resp; returns -1. */
int	rpc_fail(Coachd__V1__Response *, Coachd__V1__Status, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
/* Map a store status (and its message) onto the response; returns -1. */
int	rpc_fail_store(Coachd__V1__Response *, int store_status,
	    const char *err);
/* Heap copy of s for a response field (never NULL; aborts on OOM). */
char	*rpc_strdup(const char *s);
/*
 * Attach msg (heap-allocated, now owned by resp) as the result of case c;
 * returns 0, so a handler can end with "return rpc_set_result(...)".
 * rpc_set_empty answers with a fresh Empty.
 */
int	rpc_set_result(Coachd__V1__Response *,
	    Coachd__V1__Response__ResultCase c, ProtobufCMessage *msg);
int	rpc_set_empty(Coachd__V1__Response *);

/*
 * Answer one request.  resp must be initialised (coachd__v1__response__init)
 * and heap-allocated; on return it holds the id, status and result.
 * *wrote is set when the request may have modified the store.
 */
void	rpc_dispatch(struct rpc_ctx *, const Coachd__V1__Request *,
	    Coachd__V1__Response *);
/* Name of a request's operation, for logs ("school_add"). */
const char *rpc_op_name(const Coachd__V1__Request *);

/* Handlers, by area. */
int	rpc_ping(struct rpc_ctx *, const Coachd__V1__Request *,
	    Coachd__V1__Response *);
int	rpc_whoami(struct rpc_ctx *, const Coachd__V1__Request *,
	    Coachd__V1__Response *);

/* rpc_roster.c */
int	rpc_school_add(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_school_update(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_school_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_school_get(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_school_deactivate(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_coach_add(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_coach_update(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_coach_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_coach_get(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_coach_deactivate(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_teacher_add(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_teacher_update(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_teacher_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_teacher_get(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_teacher_deactivate(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_token_create(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_token_revoke(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_token_list(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);
int	rpc_roster_import(struct rpc_ctx *, const Coachd__V1__Request *, Coachd__V1__Response *);

#endif
