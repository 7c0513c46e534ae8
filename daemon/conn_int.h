/*
 * conn_int: what conn.c and conn_job.c share.  struct conn is private to
 * these two files; the rest of the daemon sees only conn.h.
 */
#ifndef CONN_INT_H
#define CONN_INT_H

#include <sys/queue.h>
#include <netinet/in.h>

#include "auth.h"
#include "coachd.pb-c.h"

struct addrtab_entry;
struct bufferevent;
struct conn_env;
struct conn_batch;
struct conn_job;
struct event;
struct rpc_defer;

enum conn_state {
	CONN_HANDSHAKE,
	CONN_HELLO,
	CONN_READY,
	CONN_DRAINING,
};

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	struct conn_env		*env;
	struct bufferevent	*bev;		/* owns the socket and SSL */
	enum conn_state		 state;
	struct principal	 who;		/* valid in CONN_READY */
	char			 peer[INET6_ADDRSTRLEN + 8];
	struct addrtab_entry	*addr;		/* NULL: not an IP peer */
	struct event		*deadline;	/* login deadline, until hello */
	struct conn_job		*job;		/* deferred reply pending */
	struct conn_batch	*batch;		/* in the open group, replies
						   waiting for its COMMIT */
};

void	conn_set_state(struct conn *, enum conn_state);
/* Pack resp, queue it on c's output and free it. */
void	conn_send_response(struct conn *, Coachd__V1__Response *resp);
/* A fresh response to request id (caller owns it). */
Coachd__V1__Response *conn_response_new(uint64_t id);

/* conn_job.c: a deferred request's work on the worker thread. */
void	conn_job_start(struct conn *, struct rpc_defer *,
	    Coachd__V1__Response *resp);
void	conn_job_detach(struct conn *);
void	conn_job_finish(struct conn_env *);

#endif
