/*
 * conn: one client connection on the protocol port: TLS handshake, framing,
 * the hello exchange, and batches of requests committed together.
 */
#ifndef CONN_H
#define CONN_H

#include <sys/socket.h>

#include <event2/util.h>

struct coachd;
struct conn;

/* Take ownership of an accepted socket; closes it on failure. */
void	conn_new(struct coachd *, evutil_socket_t, const struct sockaddr *);
/* Finish what was read, flush replies, then close (graceful shutdown). */
void	conn_drain(struct conn *);
/* Close at once and free everything the connection owns. */
void	conn_close(struct conn *, const char *why);
/* Apply conn_drain / conn_close to every connection of the daemon. */
void	conn_drain_all(struct coachd *);
void	conn_close_all(struct coachd *, const char *why);

#endif
