/*
 * rpc: from a decoded Request to a Response.  rpc_ops.h lists every
 * operation once: its oneof case, its name, the roles allowed to call it
 * and whether it writes.  rpc.c's table and the handler prototypes below
 * are generated from that list, which is where authorisation is decided;
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

/*
 * Work too long for the event loop (a roster import).  A handler fills
 * *ctx->defer and returns 0 without a result: the connection then commits
 * the batch so far, runs run() on a worker thread and answers with the
 * response run() filled (the request's id is already in it) once it
 * returned; changes run() recorded go to the commit hooks.  run() gets
 * nothing of the loop's (it opens its own store) and must return soon
 * after cancel() (thread-safe) was called.  free() runs on the loop
 * at the end, whether or not anyone is left to answer.  With phase set,
 * the client is sent a Progress reply about once a second meanwhile.
 */
struct rpc_defer {
	void	(*run)(void *arg, Coachd__V1__Response *,
		    struct change_set *);
	void	(*cancel)(void *arg);
	void	(*free)(void *arg);
	/* What the work is doing now (thread-safe); NULL: no Progress. */
	const char *(*phase)(void *arg);
	void	 *arg;
};

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
	struct rpc_defer		*defer;	 /* NULL: answer now */
};

/*
 * A handler fills resp->result (heap-allocated sub-messages: the response
 * owns everything hanging off it) and returns 0, or calls rpc_fail() and
 * returns its -1.  The connection layer rolls back a failed request's
 * writes (each request runs in its own savepoint).
 */
typedef int (*rpc_handler)(struct rpc_ctx *, const Coachd__V1__Request *,
    Coachd__V1__Response *);

/* The access column of rpc_ops.h. */
enum rpc_access {
	RPC_READS,
	RPC_WRITES
};

/* Set status and a formatted message on resp; returns -1. */
int	rpc_fail(Coachd__V1__Response *, Coachd__V1__Status, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
/* Map a store status (and its message) onto the response; returns -1. */
int	rpc_fail_store(Coachd__V1__Response *, int store_status,
	    const char *err);
/*
 * Heap copy of s, "" for NULL: for a value that may be missing (a NULL
 * column) but must be a string (every protobuf-c string field is one).
 * Where s cannot be NULL, use xstrdup.  Aborts on OOM like xstrdup.
 */

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
 */
void	rpc_dispatch(struct rpc_ctx *, const Coachd__V1__Request *,
	    Coachd__V1__Response *);
/* Name of a request's operation, for logs ("school_add"). */
const char *rpc_op_name(const Coachd__V1__Request *);

/*
 * Whether op may modify the store (RPC_WRITES in rpc_ops.h); 0 for hello
 * and for unknown operations, which never reach a handler.
 */
int	rpc_op_writes(Coachd__V1__Request__OpCase op);
/* Whether op may be sent before hello (AUTH_PREAUTH in rpc_ops.h). */
int	rpc_op_preauth(Coachd__V1__Request__OpCase op);

/*
 * A token being issued (rpc_enrol.c): an admin's token_create and a
 * redeemed enrolment code both mint one.  rpc_token_issue makes the
 * secret and stores its hash for role/user with label, created by "by",
 * granting note rights if note_rights is set; runs then(ctx, nt, arg,
 * resp) if not NULL; and answers TokenCreated with the secret, which it
 * then wipes from nt.  On failure resp says why (op names the request)
 * and it returns -1, as then does.
 */
struct rpc_new_token {
	Coachd__V1__Role	 role;
	const char		*user, *label, *by;
	int			 note_rights;
	char			 token[128], id[64];
};
typedef int rpc_token_then(struct rpc_ctx *, const struct rpc_new_token *,
    const void *arg, Coachd__V1__Response *);
int	rpc_token_issue(struct rpc_ctx *, const char *op,
	    struct rpc_new_token *, rpc_token_then *then, const void *arg,
	    Coachd__V1__Response *);
/*
 * The answer to revoking credential what ("token") id, given the store's
 * status and message: Empty, logged with the admin's name, or the failure.
 */
int	rpc_revoked(struct rpc_ctx *, int store_status, const char *err,
	    const char *what, const char *id, Coachd__V1__Response *);

/* The handlers, one per row of rpc_ops.h: int rpc_<name>(ctx, req, resp). */
#define RPC_OP(tag, name, roles, access)				\
	int rpc_##name(struct rpc_ctx *, const Coachd__V1__Request *,	\
	    Coachd__V1__Response *);
#include "rpc_ops.h"

#endif
