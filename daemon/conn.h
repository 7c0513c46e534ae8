/*
 * conn: one client connection on the protocol port: TLS handshake, framing,
 * the hello exchange, and batches of requests committed together.
 */
#ifndef CONN_H
#define CONN_H

#include <sys/queue.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "change.h"

struct addrtab;
struct coachd_config;
struct conn;
struct conn_group;
struct conn_job;
struct rpc_caps_file;
struct store;
struct taxonomy_topics;

/*
 * What connections need from the daemon, filled by coachd before the
 * listener opens.  The pointed-to objects belong to coachd and stay put;
 * coachd changes them in place (conf, topics) or swaps a field (ssl_ctx)
 * on SIGHUP, and the next connection or request sees the new value.
 */
struct conn_env {
	struct event_base		*base;
	const struct coachd_config	*conf;
	struct store			*store;
	SSL_CTX				*ssl_ctx;	/* conns hold refs */
	const struct taxonomy_topics	*topics;	/* for handlers */
	const struct rpc_caps_file	*categories;	/* for handlers */
	const char			*feed_base;	/* NULL: feeds off */
	const char			*server;	/* "coachd X.Y" */
	struct change_hooks		 hooks;		/* run after COMMIT */
	int				 shutting_down;	/* no new accepts */
	/* Called after a connection closed (nconns already lowered). */
	void				(*gone)(void *arg);
	void				*gone_arg;

	/* Owned by conn.c. */
	TAILQ_HEAD(, conn)		 conns;
	int				 nconns;
	struct change_set		 changes;	/* running group's */
	struct addrtab			*addrs;		/* per-address limits */
	struct conn_job			*job;		/* on a worker, or NULL */
	struct conn_group		*group;		/* this loop turn's commit */
};

/* Set up the conn.c part of env (the list of connections). */
void	conn_env_init(struct conn_env *);
/* Free what the connections left (per-address records); after
 * conn_close_all. */
void	conn_env_free(struct conn_env *);
/* Take ownership of an accepted socket; closes it on failure. */
void	conn_new(struct conn_env *, evutil_socket_t, const struct sockaddr *);
/* Finish what was read, flush replies, then close (graceful shutdown). */
void	conn_drain(struct conn *);
/* Close at once and free everything the connection owns. */
void	conn_close(struct conn *, const char *why);
/* Apply conn_drain / conn_close to every connection. */
void	conn_drain_all(struct conn_env *);
void	conn_close_all(struct conn_env *, const char *why);

#endif
