/*
 * listener: evconnlistener wrapper.  Accept errors such as EMFILE would
 * otherwise fire in a tight loop; pausing for a second gives connections
 * time to close and free descriptors.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "config.h"
#include "conn.h"
#include "errmsg.h"
#include "listener.h"
#include "log.h"
#include "xmalloc.h"

struct listener {
	struct conn_env		*env;
	struct evconnlistener	*evl;
	struct event		*ev_retry;	/* resume after accept error */
	int			 port;
	int			 paused;
};

static void
on_accept(struct evconnlistener *evl, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct listener	*l = arg;

	(void)evl;
	(void)salen;
	conn_new(l->env, fd, sa);
	if (l->env->nconns >= l->env->conf->max_connections) {
		log_warnx("connection limit %d reached; pausing accept",
		    l->env->conf->max_connections);
		listener_pause(l);
	}
}

static void
on_retry(evutil_socket_t fd, short ev, void *arg)
{
	struct listener	*l = arg;

	(void)fd;
	(void)ev;
	if (!l->env->shutting_down &&
	    l->env->nconns < l->env->conf->max_connections)
		listener_resume(l);
}

static void
on_error(struct evconnlistener *evl, void *arg)
{
	struct listener	*l = arg;
	struct timeval	 one = { 1, 0 };

	(void)evl;
	log_warn("accept");
	listener_pause(l);
	evtimer_add(l->ev_retry, &one);
}

int
listener_open(struct conn_env *env, struct listener **out, char *err,
    size_t errlen)
{
	const struct coachd_config *conf = env->conf;
	struct evutil_addrinfo	 hints, *ai = NULL;
	struct sockaddr_storage	 ss;
	socklen_t		 sslen = sizeof(ss);
	struct listener		*l;
	char			 port[16];
	int			 rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", conf->listen_port);
	if ((rc = evutil_getaddrinfo(conf->listen_addr, port, &hints,
	    &ai)) != 0)
		return errmsg(err, errlen, "listen %s:%s: %s",
		    conf->listen_addr, port, evutil_gai_strerror(rc));
	l = xcalloc(1, sizeof(*l));
	l->env = env;
	l->evl = evconnlistener_new_bind(env->base, on_accept, l,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    128, ai->ai_addr, (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	if (l->evl == NULL) {
		errmsg(err, errlen, "listen %s:%d: %s", conf->listen_addr,
		    conf->listen_port, strerror(errno));
		free(l);
		return -1;
	}
	evconnlistener_set_error_cb(l->evl, on_error);
	l->ev_retry = evtimer_new(env->base, on_retry, l);
	if (getsockname(evconnlistener_get_fd(l->evl), (struct sockaddr *)&ss,
	    &sslen) == 0)
		l->port = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	*out = l;
	return 0;
}

int
listener_port(const struct listener *l)
{
	return l->port;
}

void
listener_pause(struct listener *l)
{
	if (l->paused)
		return;
	evconnlistener_disable(l->evl);
	l->paused = 1;
}

void
listener_resume(struct listener *l)
{
	if (!l->paused)
		return;
	evconnlistener_enable(l->evl);
	l->paused = 0;
}

void
listener_close(struct listener *l)
{
	if (l == NULL)
		return;
	evconnlistener_free(l->evl);
	event_free(l->ev_retry);
	free(l);
}
