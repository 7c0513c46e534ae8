/*
 * worker: run one piece of long work (a roster import) on a thread of its
 * own, so the event loop goes on serving every other client, and hand its
 * completion back to the loop.
 *
 * The work gets nothing of the loop's: it opens what it needs (its own
 * SQLite connection) and fills only memory it owns.  When it returns, the
 * thread wakes the loop through a pipe, and done() runs on the loop after
 * the thread has been joined, so done() sees everything the work wrote.
 */
#ifndef WORKER_H
#define WORKER_H

#include <stddef.h>

#include <event2/event.h>

struct worker;

typedef void (*worker_fn)(void *arg);

/*
 * Start run(arg) on a new thread; done(arg) runs on base's loop once run
 * returned.  NULL with err filled when no thread could be started.
 */
struct worker	*worker_start(struct event_base *, worker_fn run,
		    worker_fn done, void *arg, char *err, size_t errlen);
/*
 * Wait for run to return, then call done at once (shutdown: the loop no
 * longer runs).  The worker is freed.
 */
void		 worker_finish(struct worker *);

#endif
