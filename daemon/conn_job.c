/*
 * conn_job: deferred replies.  A request whose handler deferred it
 * (rpc.h) runs on a worker thread after its batch committed; one at a
 * time per daemon.  Its connection
 * reads nothing more until the reply is sent, and has no idle timeout
 * meanwhile.  A connection that closes first cancels the work, which
 * rolls back; the job then ends with nobody to answer.
 */
#include <stdlib.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/event.h>

#include "change.h"
#include "conn.h"
#include "conn_int.h"
#include "errmsg.h"
#include "frame.h"
#include "log.h"
#include "rpc.h"
#include "store.h"
#include "worker.h"
#include "xmalloc.h"

struct conn_job {
	struct conn_env		*env;
	struct conn		*c;		/* NULL once it closed */
	struct rpc_defer	 d;
	Coachd__V1__Response	*resp;		/* filled by d.run */
	struct change_set	 changes;	/* recorded by d.run */
	struct worker		*w;
	struct event		*tick;		/* Progress timer, or NULL */
	time_t			 started;
};

/* Tell the waiting client the work goes on (it asked, d.phase is set). */
static void
conn_job_tick(evutil_socket_t fd, short what, void *arg)
{
	struct conn_job		*j = arg;
	Coachd__V1__Response	*resp;
	Coachd__V1__Progress	*p;

	(void)fd;
	(void)what;
	if (j->c == NULL)
		return;
	resp = conn_response_new(j->resp->id);
	p = xmalloc(sizeof(*p));
	coachd__v1__progress__init(p);
	p->phase = xstrdup(j->d.phase(j->d.arg));
	p->seconds = (uint32_t)(time(NULL) - j->started);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_PROGRESS, &p->base);
	conn_send_response(j->c, resp);
}

static void
conn_job_run(void *arg)
{
	struct conn_job	*j = arg;

	j->d.run(j->d.arg, j->resp, &j->changes);
}

/* On the loop, the thread joined: hooks, then the reply. */
static void
conn_job_done(void *arg)
{
	struct conn_job	*j = arg;
	struct conn	*c = j->c;

	j->env->job = NULL;
	if (j->tick != NULL)
		event_free(j->tick);
	store_busy_wait(j->env->store, -1);
	if (!j->env->shutting_down)
		change_commit(&j->env->hooks, &j->changes);
	log_info("%s: deferred request finished: %s", c != NULL ? c->peer :
	    "(closed)", frame_status_name(j->resp->status));
	j->d.free(j->d.arg);
	if (c == NULL) {
		protobuf_c_message_free_unpacked(&j->resp->base, NULL);
		free(j);
		return;
	}
	c->job = NULL;
	log_debug("%s: deferred reply -> %s", c->peer,
	    frame_status_name(j->resp->status));
	conn_send_response(c, j->resp);
	free(j);
	if (c->state != CONN_READY)
		return;		/* draining: on_write closes once sent */
	conn_set_state(c, CONN_READY);
	bufferevent_trigger(c->bev, EV_READ, BEV_OPT_DEFER_CALLBACKS);
}

void
conn_job_start(struct conn *c, struct rpc_defer *d, Coachd__V1__Response *resp)
{
	struct conn_job	*j = xcalloc(1, sizeof(*j));
	char		 err[ERRMSG_LEN];

	j->env = c->env;
	j->c = c;
	j->d = *d;
	j->resp = resp;
	change_init(&j->changes);
	/* The loop's own statements must never wait for the worker's lock. */
	store_busy_wait(c->env->store, 0);
	c->env->job = j;
	j->w = worker_start(c->env->base, conn_job_run, conn_job_done, j, err,
	    sizeof(err));
	if (j->w == NULL) {
		c->env->job = NULL;
		store_busy_wait(c->env->store, -1);
		d->free(d->arg);
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL, "%s", err);
		conn_send_response(c, resp);
		free(j);
		return;
	}
	c->job = j;
	bufferevent_set_timeouts(c->bev, NULL, NULL);
	j->started = time(NULL);
	if (d->phase != NULL && (j->tick = event_new(c->env->base, -1,
	    EV_PERSIST, conn_job_tick, j)) != NULL)
		event_add(j->tick, &(struct timeval){ 1, 0 });
}

/* The connection is closing: nobody is left to answer, so stop the work. */
void
conn_job_detach(struct conn *c)
{
	if (c->job == NULL)
		return;
	log_info("%s: closed before its %s finished: cancelling it", c->peer,
	    "deferred request");
	c->job->d.cancel(c->job->d.arg);
	c->job->c = NULL;
	c->job = NULL;
}

/* Shutdown: stop the running work and wait for it. */
void
conn_job_finish(struct conn_env *env)
{
	if (env->job == NULL)
		return;
	env->job->d.cancel(env->job->d.arg);
	worker_finish(env->job->w);
}
