/*
 * listener: accepts TCP connections for the protocol port and hands them
 * to conn_new().  Pauses accepting while at the connection limit or out of
 * file descriptors, so overload turns into waiting, not into failures.
 */
#ifndef LISTENER_H
#define LISTENER_H

#include <stddef.h>

struct conn_env;
struct listener;

/*
 * Bind env->conf's listen address and accept into env; *out owned by
 * caller.  Port 0 picks a free port.
 */
int	listener_open(struct conn_env *, struct listener **out, char *err,
	    size_t errlen);
/* The bound port (useful when configured as 0). */
int	listener_port(const struct listener *);
/* Stop/restart accepting (connection limit, shutdown). */
void	listener_pause(struct listener *);
void	listener_resume(struct listener *);
void	listener_close(struct listener *);

#endif
