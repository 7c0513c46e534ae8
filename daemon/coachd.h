/*
 * coachd: the daemon's shared state.  One struct coachd exists per process;
 * it owns the event base, the store, the TLS context, the listener and the
 * list of connections.
 */
#ifndef COACHD_H
#define COACHD_H

#include <sys/queue.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "config.h"

#define COACHD_VERSION	"0.1.0"

struct store;
struct listener;
struct conn;
struct feeds;

struct coachd {
	struct event_base	*base;
	struct coachd_config	 conf;
	char			 conf_path[CONFIG_PATH_MAX];
	struct store		*store;
	SSL_CTX			*ssl_ctx;	/* current; conns hold refs */
	struct listener		*listener;
	TAILQ_HEAD(, conn)	 conns;
	int			 nconns;
	int			 shutting_down;
	struct event		*ev_sigterm, *ev_sigint, *ev_sighup;
	struct event		*ev_shutdown_timer;
	struct feeds		*feeds;		/* iCalendar feeds, NULL if off */
};

/* A connection closed; lets shutdown finish once the last one is gone. */
void	coachd_conn_gone(struct coachd *);

#endif
