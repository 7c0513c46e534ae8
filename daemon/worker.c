/*
 * worker.c: one thread per piece of long work; see worker.h.  The thread
 * writes one byte to a pipe when its work has returned; the loop's read
 * event on the other end joins the thread and calls done().  A pipe, not
 * event_active(), because libevent here is not built for use from several
 * threads.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "worker.h"
#include "xmalloc.h"

struct worker {
	pthread_t	 thread;
	int		 pipe[2];	/* [1]: the thread's "returned" */
	struct event	*ev;		/* read end, on the loop */
	worker_fn	 run, done;
	void		*arg;
};

static void *
worker_main(void *p)
{
	struct worker	*w = p;
	char		 b = 1;

	w->run(w->arg);
	while (write(w->pipe[1], &b, 1) == -1 && errno == EINTR)
		;
	return NULL;
}

/* Join, free, then tell the owner (who may start new work from done). */
static void
worker_end(struct worker *w)
{
	worker_fn	 done = w->done;
	void		*arg = w->arg;

	pthread_join(w->thread, NULL);
	event_free(w->ev);
	close(w->pipe[0]);
	close(w->pipe[1]);
	free(w);
	done(arg);
}

static void
worker_on_done(evutil_socket_t fd, short what, void *p)
{
	(void)fd;
	(void)what;
	worker_end(p);
}

struct worker *
worker_start(struct event_base *base, worker_fn run, worker_fn done,
    void *arg, char *err, size_t errlen)
{
	struct worker	*w = xcalloc(1, sizeof *w);
	int		 rc;

	w->run = run;
	w->done = done;
	w->arg = arg;
	if (pipe(w->pipe) == -1) {
		errmsg(err, errlen, "cannot make a pipe: %s", strerror(errno));
		free(w);
		return NULL;
	}
	(void)fcntl(w->pipe[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(w->pipe[1], F_SETFD, FD_CLOEXEC);
	w->ev = event_new(base, w->pipe[0], EV_READ, worker_on_done, w);
	if (w->ev == NULL || event_add(w->ev, NULL) == -1) {
		errmsg(err, errlen, "cannot watch the worker's pipe");
		goto fail;
	}
	if ((rc = pthread_create(&w->thread, NULL, worker_main, w)) != 0) {
		errmsg(err, errlen, "cannot start a thread: %s", strerror(rc));
		goto fail;
	}
	return w;
fail:
	if (w->ev != NULL)
		event_free(w->ev);
	close(w->pipe[0]);
	close(w->pipe[1]);
	free(w);
	return NULL;
}

void
worker_finish(struct worker *w)
{
	worker_end(w);
}
