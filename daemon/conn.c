/*
 * conn: per-connection state machine.
 *
 *   HANDSHAKE --TLS done--> HELLO --hello ok--> READY
 *        any state --error, EOF, timeout--> closed
 *        any state --shutdown, fatal frame--> DRAINING --output flushed--> closed
 *
 * All complete frames found in the input buffer are answered as one batch
 * inside one SQLite transaction: each request gets a savepoint (so a failed
 * request changes nothing), the batch commits once, and only then are the
 * replies written.  A client therefore never sees OK for a write that is
 * not yet on disk, while a pipelining client pays one fsync per batch
 * rather than one per request.
 *
 * Limits against clients that never finish or never read (docs/security.md,
 * "Limits"): a deadline armed at accept closes a connection that has not
 * logged in by login_timeout, however it trickles bytes; frames before
 * hello are capped at login_max_frame; an address may hold
 * max_per_address connections and is refused logins for a while after
 * repeated failures (addrtab.c); and a client that does not read its
 * replies stops being read once max_output bytes wait for it.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "addrtab.h"
#include "auth.h"
#include "change.h"
#include "config.h"
#include "conn.h"
#include "conn_int.h"
#include "errmsg.h"
#include "frame.h"
#include "log.h"
#include "rpc.h"
#include "store.h"
#include "tlsctx.h"
#include "xmalloc.h"

/* Replies larger than this are refused: the client should narrow the query. */
#define CONN_MAX_REPLY	(64u * 1024 * 1024)
/* Requests answered per batch, so one client cannot starve the others. */
#define CONN_MAX_BATCH	256

static const char *const state_names[] = { "handshake", "hello", "ready",
    "draining" };

static void	on_read(struct bufferevent *, void *);
static int	group_read_only(const struct conn_env *);

/* One batch: one connection's requests of one read, and their replies. */
struct conn_batch {
	TAILQ_ENTRY(conn_batch)	 entry;		/* in the group */
	struct conn		*c;
	Coachd__V1__Response	*resps[CONN_MAX_BATCH];
	size_t			 n;
	int			 savepoint;	/* the batch's own is open */
	Coachd__V1__Status	 failed;	/* OK, or why nothing runs */
	int			 fatal;		/* close: a status, -1 hello */
	int			 more;		/* stopped at a limit, not input */
	size_t			 bytes;		/* the replies' frames */
	struct rpc_defer	 defer;		/* filled by a deferring handler */
	Coachd__V1__Response	*deferred;	/* its reply, sent later */
	char			 err[ERRMSG_LEN];	/* why the batch failed */
	char			 msg[ERRMSG_LEN];	/* why the connection fails */
};

/*
 * The batches of one loop turn, from any number of connections, in one
 * transaction: each batch in its own savepoint, one COMMIT (one fsync)
 * for all at the end of the turn, replies only after it returned.
 */
struct conn_group {
	TAILQ_HEAD(, conn_batch) batches;
	struct event		*ev;		/* the end-of-turn commit */
	int			 in_tx;		/* BEGIN done */
	int			 read_only;	/* BEGIN DEFERRED: a worker writes */
	int			 ok;		/* nothing broke the transaction */
	int			 armed;		/* ev is active */
	char			 err[ERRMSG_LEN];	/* why it broke */
};

static void	group_flush(struct conn_env *);
static void	batch_free(struct conn_batch *);
static void	batch_reply(struct conn_batch *, int committed, const char *why);
static void	on_write(struct bufferevent *, void *);
static void	on_event(struct bufferevent *, short, void *);

/* Largest frame accepted now: small until hello has succeeded. */
static size_t
frame_limit(const struct conn *c)
{
	const struct coachd_config	*conf = c->env->conf;

	if (c->state == CONN_READY || conf->login_max_frame > conf->max_frame)
		return conf->max_frame;
	return conf->login_max_frame;
}

/* Logged in: the deadline is met, full-sized frames may come. */
static void
logged_in(struct conn *c)
{
	if (c->deadline != NULL) {
		event_free(c->deadline);
		c->deadline = NULL;
	}
	bufferevent_setwatermark(c->bev, EV_READ, 0,
	    2 * (frame_limit(c) + FRAME_HEADER_LEN));
}

void
conn_set_state(struct conn *c, enum conn_state st)
{
	struct timeval	tv = { 0, 0 };

	log_debug("%s: %s -> %s", c->peer, state_names[c->state],
	    state_names[st]);
	c->state = st;
	switch (st) {
	case CONN_HANDSHAKE:
	case CONN_HELLO:
		tv.tv_sec = c->env->conf->handshake_timeout;
		break;
	case CONN_READY:
		tv.tv_sec = c->env->conf->idle_timeout;
		logged_in(c);
		break;
	case CONN_DRAINING:
		/* stop reading; give the peer a while to take the replies */
		bufferevent_disable(c->bev, EV_READ);
		tv.tv_sec = c->env->conf->handshake_timeout;
		bufferevent_set_timeouts(c->bev, NULL, &tv);
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0 &&
		    c->job == NULL && c->batch == NULL)
			conn_close(c, "drained");
		return;
	}
	bufferevent_set_timeouts(c->bev, &tv, &tv);
}

static void
format_peer(const struct sockaddr *sa, char *buf, size_t len)
{
	char	host[INET6_ADDRSTRLEN] = "?";
	int	port = 0;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
	}
	snprintf(buf, len, "%s:%d", host, port);
}

void
conn_env_init(struct conn_env *env)
{
	TAILQ_INIT(&env->conns);
	env->nconns = 0;
	env->job = NULL;
	change_init(&env->changes);
	env->addrs = NULL;		/* made by the first connection */
	env->group = NULL;		/* made by the first batch */
}

void
conn_env_free(struct conn_env *env)
{
	addrtab_free(env->addrs);
	env->addrs = NULL;
	if (env->group != NULL) {
		group_flush(env);
		event_free(env->group->ev);
		free(env->group);
		env->group = NULL;
	}
}

/* Seconds of a clock that wall-clock changes do not move. */
static time_t
mono_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The login deadline passed: TLS or hello are still not done. */
static void
on_deadline(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c = arg;

	(void)fd, (void)ev;
	log_debug("%s: no login within %d s", c->peer,
	    c->env->conf->login_timeout);
	conn_close(c, "login deadline");
}

/*
 * Count the connection against its address: 0, or -1 (and a warning, at
 * most one a second per address) when the address is at its cap.
 */
static int
count_address(struct conn_env *env, const struct sockaddr *sa,
    const char *peer, struct addrtab_entry **out)
{
	time_t		now = mono_now();
	unsigned	skipped;
	int		cap = env->conf->max_per_address;

	if (env->addrs == NULL)
		env->addrs = addrtab_new();
	if (addrtab_connect(env->addrs, sa, cap, now, out) == 0)
		return 0;
	if (addrtab_may_log(*out, now, &skipped))
		log_warnx("%s: refused: %s already has %d connections open "
		    "(max_per_address)%s", peer, addrtab_name(*out), cap,
		    skipped > 0 ? "; more refusals not logged" : "");
	*out = NULL;
	return -1;
}

void
conn_new(struct conn_env *env, evutil_socket_t fd, const struct sockaddr *sa)
{
	struct conn	*c;
	SSL		*ssl;
	struct timeval	 tv = { 0, 0 };

	if ((ssl = SSL_new(env->ssl_ctx)) == NULL) {
		log_warnx("cannot create a TLS session for a connection");
		evutil_closesocket(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->env = env;
	format_peer(sa, c->peer, sizeof(c->peer));
	if (count_address(env, sa, c->peer, &c->addr) == -1) {
		SSL_free(ssl);
		evutil_closesocket(fd);
		free(c);
		return;
	}
	/*
	 * A reply is a TLS record written after the previous one; with Nagle
	 * on, a pipelining client waits out the peer's delayed ACK (~40 ms)
	 * for every small reply.
	 */
	if (sa->sa_family == AF_INET || sa->sa_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 },
		    sizeof(int));
	c->bev = bufferevent_openssl_socket_new(env->base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		log_warnx("%s: cannot create TLS buffer", c->peer);
		SSL_free(ssl);
		evutil_closesocket(fd);
		addrtab_disconnect(env->addrs, c->addr, mono_now());
		free(c);
		return;
	}
	/* A peer vanishing without close_notify is routine, not an attack
	 * on the data: every reply is framed, so truncation is visible. */
	bufferevent_openssl_set_allow_dirty_shutdown(c->bev, 1);
	bufferevent_setcb(c->bev, on_read, on_write, on_event, c);
	/* Bound buffered input to two maximal frames: backpressure. */
	bufferevent_setwatermark(c->bev, EV_READ, 0,
	    2 * (frame_limit(c) + FRAME_HEADER_LEN));
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&env->conns, c, entry);
	env->nconns++;
	c->state = CONN_HANDSHAKE;
	conn_set_state(c, CONN_HANDSHAKE);
	/* Absolute, unlike the timeouts: trickled bytes do not move it. */
	tv.tv_sec = env->conf->login_timeout;
	c->deadline = evtimer_new(env->base, on_deadline, c);
	evtimer_add(c->deadline, &tv);
	log_debug("%s: accepted (%d open)", c->peer, env->nconns);
}

void
conn_close(struct conn *c, const char *why)
{
	struct conn_env	*env = c->env;

	log_debug("%s: closed: %s", c->peer, why);
	conn_job_detach(c);
	if (c->batch != NULL) {
		/* its writes still commit with the group; nobody hears of it */
		TAILQ_REMOVE(&env->group->batches, c->batch, entry);
		batch_free(c->batch);
		c->batch = NULL;
	}
	TAILQ_REMOVE(&env->conns, c, entry);
	env->nconns--;
	if (c->deadline != NULL)
		event_free(c->deadline);
	addrtab_disconnect(env->addrs, c->addr, mono_now());
	bufferevent_free(c->bev);
	free(c);
	if (env->gone != NULL)
		env->gone(env->gone_arg);
}

void
conn_drain(struct conn *c)
{
	if (c->state != CONN_DRAINING)
		conn_set_state(c, CONN_DRAINING);
}

void
conn_drain_all(struct conn_env *env)
{
	struct conn	*c, *next;

	/* conn_drain may free c, so fetch the successor first. */
	for (c = TAILQ_FIRST(&env->conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		conn_drain(c);
	}
}

void
conn_close_all(struct conn_env *env, const char *why)
{
	struct conn	*c;

	group_flush(env);	/* answer what is done before closing */
	conn_job_finish(env);
	while ((c = TAILQ_FIRST(&env->conns)) != NULL)
		conn_close(c, why);
}

/* Queue one response frame; the response is consumed. */
void
conn_send_response(struct conn *c, Coachd__V1__Response *resp)
{
	uint8_t	*buf;
	size_t	 len;
	uint64_t id = resp->id;

	buf = frame_pack_response(resp, CONN_MAX_REPLY, &len);
	protobuf_c_message_free_unpacked(&resp->base, NULL);
	if (buf == NULL) {
		Coachd__V1__Response small = COACHD__V1__RESPONSE__INIT;

		small.id = id;
		small.status = COACHD__V1__STATUS__TOO_LARGE;
		small.error = (char *)"reply exceeds 64 MiB; narrow the query";
		if ((buf = frame_pack_response(&small, CONN_MAX_REPLY, &len))
		    == NULL)
			return;
	}
	bufferevent_write(c->bev, buf, len);
	free(buf);
}

Coachd__V1__Response *
conn_response_new(uint64_t id)
{
	Coachd__V1__Response	*resp = xmalloc(sizeof(*resp));

	coachd__v1__response__init(resp);
	resp->id = id;
	return resp;
}

/* A frame-level failure: answer if we can, then close. */
static void
fail_connection(struct conn *c, Coachd__V1__Status st, const char *msg)
{
	Coachd__V1__Response	*resp = conn_response_new(0);

	rpc_fail(resp, st, "%s", msg);
	log_info("%s: %s", c->peer, msg);
	conn_send_response(c, resp);
	conn_set_state(c, CONN_DRAINING);
}

/*
 * Is the peer's address refused logins after repeated failures?  Then
 * resp says for how long; its credentials are not even looked at.
 */
static int
hello_blocked(struct conn *c, Coachd__V1__Response *resp)
{
	time_t		now = mono_now();
	long		left = addrtab_blocked(c->addr, now);
	unsigned	skipped;

	if (left == 0)
		return 0;
	if (addrtab_may_log(c->addr, now, &skipped))
		log_warnx("%s: login refused: %d failed logins from %s, "
		    "refused for another %ld s", c->peer,
		    addrtab_failures(c->addr), addrtab_name(c->addr), left);
	rpc_fail(resp, COACHD__V1__STATUS__UNAUTHENTICATED, "too many failed "
	    "logins from %s; try again in %ld s", addrtab_name(c->addr), left);
	return 1;
}

/* A failed login: a warning naming address and reason, never the token. */
static void
login_failed(struct conn *c, const char *why)
{
	struct addrtab_policy	p;
	long			block;
	char			note[64] = "";

	p.failures = c->env->conf->login_failures;
	p.backoff = c->env->conf->login_backoff;
	p.backoff_max = c->env->conf->login_backoff_max;
	block = addrtab_failed(c->addr, &p, mono_now());
	if (block > 0)
		snprintf(note, sizeof(note), "; its logins are refused for "
		    "%ld s", block);
	log_warnx("%s: login failed: %s (failure %d from %s%s)", c->peer,
	    why, addrtab_failures(c->addr), addrtab_name(c->addr), note);
}

/* The first request: protocol version and credentials. */
static void
do_hello(struct conn *c, struct rpc_ctx *ctx, const Coachd__V1__Hello *h,
    Coachd__V1__Response *resp)
{
	Coachd__V1__HelloResult	*hr;
	Coachd__V1__Principal	*p;
	char			 err[ERRMSG_LEN], cn[256];
	int			 rc;

	if (h->protocol_version != FRAME_PROTOCOL_VERSION) {
		rpc_fail(resp, COACHD__V1__STATUS__UNSUPPORTED,
		    "protocol version %u not supported (server speaks %d); "
		    "upgrade coachctl or coachd", h->protocol_version,
		    FRAME_PROTOCOL_VERSION);
		return;
	}
	if (hello_blocked(c, resp))
		return;
	if (h->token != NULL && h->token[0] != '\0')
		rc = auth_by_token(ctx->store, h->token, &c->who, err,
		    sizeof(err));
	else if (tlsctx_peer_cn(bufferevent_openssl_get_ssl(c->bev), cn,
	    sizeof(cn)) == 0)
		rc = auth_by_cert_cn(ctx->store, cn, &c->who, err, sizeof(err));
	else {
		snprintf(err, sizeof(err), "no token and no verified client "
		    "certificate");
		rc = -1;
	}
	if (rc == -1) {
		login_failed(c, err);
		rpc_fail(resp, COACHD__V1__STATUS__UNAUTHENTICATED, "%s", err);
		return;
	}
	hr = xmalloc(sizeof(*hr));
	p = xmalloc(sizeof(*p));
	coachd__v1__hello_result__init(hr);
	coachd__v1__principal__init(p);
	p->user = xstrdup(c->who.user);
	p->role = c->who.role;
	p->display_name = xstrdup(c->who.display_name);
	p->note_rights = c->who.note_rights != 0;
	hr->protocol_version = FRAME_PROTOCOL_VERSION;
	hr->server = xstrdup(c->env->server);
	hr->principal = p;
	hr->district_timezone = xstrdup(c->env->conf->timezone);
	rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_HELLO, &hr->base);
	conn_set_state(c, CONN_READY);
	log_info("%s: authenticated as %s (%s)", c->peer, c->who.user,
	    frame_role_name(c->who.role));
}

/* Answer one decoded request inside the batch transaction. */
static Coachd__V1__Response *
answer(struct conn *c, struct rpc_ctx *ctx, const Coachd__V1__Request *req)
{
	Coachd__V1__Response	*resp = conn_response_new(req->id);
	int			 is_hello;
	char			 err[ERRMSG_LEN];

	is_hello = req->op_case == COACHD__V1__REQUEST__OP_HELLO;
	if (c->state == CONN_READY && is_hello) {
		rpc_fail(resp, COACHD__V1__STATUS__CONFLICT,
		    "already authenticated on this connection");
	} else if (c->state != CONN_READY && !is_hello &&
	    !rpc_op_preauth(req->op_case)) {
		rpc_fail(resp, COACHD__V1__STATUS__UNAUTHENTICATED,
		    "the first request must be hello");
	} else if (c->state == CONN_READY && auth_recheck(ctx->store, &c->who,
	    err, sizeof(err)) == -1) {
		/* revoked or deactivated since hello: answer, then close */
		rpc_fail(resp, COACHD__V1__STATUS__UNAUTHENTICATED, "%s", err);
		log_info("%s: %s: %s", c->peer, c->who.user, err);
		conn_set_state(c, CONN_HELLO);
	} else if (is_hello) {
		do_hello(c, ctx, req->hello, resp);
	} else if ((c->env->job != NULL || group_read_only(c->env)) &&
	    rpc_op_writes(req->op_case)) {
		/* the worker holds the write lock: refuse, never half-apply */
		rpc_fail(resp, COACHD__V1__STATUS__UNAVAILABLE, "a roster "
		    "import is running; nothing was changed, retry when it "
		    "has finished");
	} else {
		ctx->who = &c->who;
		rpc_dispatch(ctx, req, resp);
	}
	log_debug("%s: %s %s -> %s", c->peer,
	    c->state == CONN_READY ? c->who.user : "-", rpc_op_name(req),
	    frame_status_name(resp->status));
	return resp;
}

/* Turn a committed-or-not batch into replies. */
static void
finish_batch(struct conn *c, Coachd__V1__Response **resps, size_t n,
    int committed, const char *why)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!committed && resps[i]->status == COACHD__V1__STATUS__OK) {
			uint64_t id = resps[i]->id;

			protobuf_c_message_free_unpacked(&resps[i]->base, NULL);
			resps[i] = conn_response_new(id);
			rpc_fail(resps[i], COACHD__V1__STATUS__INTERNAL,
			    "could not commit, nothing was changed: %s", why);
		}
		conn_send_response(c, resps[i]);
	}
}

static struct conn_batch *
batch_new(struct conn *c)
{
	struct conn_batch	*b = xcalloc(1, sizeof(*b));

	b->c = c;
	b->failed = COACHD__V1__STATUS__OK;
	return b;
}

/* Free a batch whose replies were never sent (its connection closed). */
static void
batch_free(struct conn_batch *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		protobuf_c_message_free_unpacked(&b->resps[i]->base, NULL);
	if (b->deferred != NULL)
		protobuf_c_message_free_unpacked(&b->deferred->base, NULL);
	if (b->defer.free != NULL)
		b->defer.free(b->defer.arg);
	free(b);
}

static void
on_group_commit(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd, (void)ev;
	group_flush(arg);
}

/*
 * Make sure the loop turn's transaction is open: 0, or -1 with err when
 * BEGIN failed (another process holds the write lock): then nothing may
 * run, since without BEGIN every statement would commit on its own.
 */
static int
group_open(struct conn_env *env, char *err, size_t errlen)
{
	struct conn_group	*g = env->group;
	enum store_status	 rc;

	if (g == NULL) {
		g = env->group = xcalloc(1, sizeof(*g));
		TAILQ_INIT(&g->batches);
		g->ev = event_new(env->base, -1, 0, on_group_commit, env);
		if (g->ev == NULL)
			fatalx("cannot create the group commit event");
	}
	if (g->in_tx)
		return 0;
	/* while a worker writes, batches only read (answer()) */
	g->read_only = env->job != NULL;
	rc = g->read_only ? store_begin_read(env->store, err, errlen) :
	    store_begin(env->store, err, errlen);
	if (rc != STORE_OK)
		return -1;
	g->in_tx = 1;
	g->ok = 1;
	g->err[0] = '\0';
	change_init(&env->changes);	/* one group at a time */
	return 0;
}

/*
 * COMMIT the group (or roll it back when a batch broke it), then answer
 * every batch; the hooks see the merged changes of what committed.
 */
static void
group_flush(struct conn_env *env)
{
	struct conn_group	*g = env->group;
	struct conn_batch	*b;
	int			 committed;

	if (g == NULL || !g->in_tx)
		return;
	event_del(g->ev);
	g->armed = 0;
	g->in_tx = 0;
	if (!g->ok) {
		store_rollback(env->store);
		committed = 0;
	} else
		committed = store_commit(env->store, g->err, sizeof(g->err)) ==
		    STORE_OK;
	if (!committed)
		log_warnx("group of batches not committed: %s", g->err);
	else
		change_commit(&env->hooks, &env->changes);
	while ((b = TAILQ_FIRST(&g->batches)) != NULL) {
		TAILQ_REMOVE(&g->batches, b, entry);
		b->c->batch = NULL;
		batch_reply(b, committed, g->err);
	}
}

/* Writes are refused while a worker holds the write lock (answer()). */
static int
group_read_only(const struct conn_env *env)
{
	return env->group != NULL && env->group->in_tx &&
	    env->group->read_only;
}
/*
 * The next complete request in the input, drained from it; NULL when the
 * rest is incomplete, or with b->fatal and b->msg set on a frame that is
 * too large or malformed.
 */
static Coachd__V1__Request *
next_request(struct conn *c, struct conn_batch *b)
{
	struct evbuffer		*in = bufferevent_get_input(c->bev);
	Coachd__V1__Request	*req;
	enum frame_status	 fs;
	size_t			 plen, avail, limit;
	uint8_t			*buf;

	avail = evbuffer_get_length(in);
	buf = evbuffer_pullup(in, avail < FRAME_HEADER_LEN ?
	    -1 : FRAME_HEADER_LEN);
	limit = frame_limit(c);
	fs = frame_peek(buf, avail, limit, &plen);
	if (fs == FRAME_INCOMPLETE)
		return NULL;
	if (fs == FRAME_TOO_LARGE) {
		snprintf(b->msg, sizeof(b->msg), "frame of %zu bytes exceeds "
		    "the limit of %zu bytes%s", plen, limit,
		    c->state == CONN_READY ? "" : " before hello");
		b->fatal = COACHD__V1__STATUS__TOO_LARGE;
		return NULL;
	}
	buf = evbuffer_pullup(in, (ev_ssize_t)(FRAME_HEADER_LEN + plen));
	req = frame_unpack_request(buf + FRAME_HEADER_LEN, plen);
	evbuffer_drain(in, FRAME_HEADER_LEN + plen);
	if (req == NULL) {
		snprintf(b->msg, sizeof(b->msg), "malformed frame: %zu bytes "
		    "are not a coachd.v1.Request", plen);
		b->fatal = COACHD__V1__STATUS__BAD_REQUEST;
	}
	return req;
}

/* Would `extra` more reply bytes fill the client's output allowance? */
static int
output_full(struct conn *c, size_t extra)
{
	return evbuffer_get_length(bufferevent_get_output(c->bev)) + extra >=
	    c->env->conf->max_output;
}

/*
 * The client is not taking its replies: read nothing more from it until
 * half of them are gone (on_write), so its memory stays bounded.
 */
static void
pause_reading(struct conn *c)
{
	log_debug("%s: %zu reply bytes waiting; not reading", c->peer,
	    evbuffer_get_length(bufferevent_get_output(c->bev)));
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setwatermark(c->bev, EV_WRITE, c->env->conf->max_output / 2,
	    0);
}

/*
 * Answer req in its own savepoint inside the batch's: released when it
 * succeeded, rolled back when not.  A batch that cannot run (BEGIN or a
 * savepoint failed) answers without running the handler.
 */
static void
batch_answer(struct conn *c, struct rpc_ctx *ctx, struct conn_batch *b,
    const Coachd__V1__Request *req)
{
	struct conn_env		*env = c->env;
	struct store		*st = env->store;
	Coachd__V1__Response	*resp;

	if (b->failed == COACHD__V1__STATUS__OK && store_savepoint(st, b->err,
	    sizeof(b->err)) != STORE_OK)
		b->failed = COACHD__V1__STATUS__INTERNAL;
	if (b->failed != COACHD__V1__STATUS__OK) {
		resp = conn_response_new(req->id);
		rpc_fail(resp, b->failed, "%s", b->err);
	} else {
		resp = answer(c, ctx, req);
		if (resp->status == COACHD__V1__STATUS__OK)
			store_savepoint_release(st);
		else
			store_savepoint_rollback(st);
		if (store_tx_broken(st)) {
			/* the whole group is lost: fail it, run nothing more */
			env->group->ok = 0;
			errmsg(env->group->err, sizeof(env->group->err),
			    "the database failed under this write: %s",
			    resp->error != NULL && resp->error[0] != '\0' ?
			    resp->error : "disk error");
			b->failed = COACHD__V1__STATUS__INTERNAL;
			errmsg(b->err, sizeof(b->err), "%s", env->group->err);
		}
	}
	if (c->state != CONN_READY && resp->status != COACHD__V1__STATUS__OK)
		b->fatal = -1;		/* failed hello: reply, then close */
	if (b->defer.run != NULL && resp->status == COACHD__V1__STATUS__OK) {
		b->deferred = resp;	/* answered when the worker is done */
		return;
	}
	b->bytes += FRAME_HEADER_LEN +
	    protobuf_c_message_get_packed_size(&resp->base);
	b->resps[b->n++] = resp;
}

/* The batch's replies, sent once its group committed (or did not). */
static void
batch_reply(struct conn_batch *b, int committed, const char *why)
{
	struct conn	*c = b->c;
	struct evbuffer	*in = bufferevent_get_input(c->bev);

	finish_batch(c, b->resps, b->n, committed, why);
	b->n = 0;
	if (b->deferred != NULL && committed) {
		conn_job_start(c, &b->defer, b->deferred);
		b->deferred = NULL;
		b->defer.free = NULL;	/* the job owns it now */
	} else if (b->deferred != NULL) {
		rpc_fail(b->deferred, COACHD__V1__STATUS__INTERNAL, "could "
		    "not commit, nothing was changed: %s", why);
		conn_send_response(c, b->deferred);
		b->deferred = NULL;
	}
	if (b->defer.free != NULL)
		b->defer.free(b->defer.arg);	/* the handler failed after all */
	if (b->fatal > 0)
		fail_connection(c, (Coachd__V1__Status)b->fatal, b->msg);
	else if (b->fatal == -1)
		conn_set_state(c, CONN_DRAINING);
	else if (c->state == CONN_DRAINING) {
		if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0 &&
		    c->job == NULL)
			conn_close(c, "drained");
	} else if (c->state == CONN_READY && output_full(c, 0))
		pause_reading(c);
	else if (c->job == NULL && (b->more || evbuffer_get_length(in) > 0))
		/* input that came while the group waited: no new read says so */
		bufferevent_trigger(c->bev, EV_READ, BEV_OPT_DEFER_CALLBACKS);
	free(b);
}

/*
 * Pull every complete frame out of the input and answer them inside the
 * loop turn's group transaction; the replies go out after its COMMIT.
 */
static void
process_input(struct conn *c)
{
	struct conn_env		*env = c->env;
	struct conn_batch	*b = batch_new(c);
	struct rpc_ctx		 ctx;
	Coachd__V1__Request	*req;
	char			 err[ERRMSG_LEN];

	if (group_open(env, err, sizeof(err)) == -1) {
		b->failed = COACHD__V1__STATUS__UNAVAILABLE;
		errmsg(b->err, sizeof(b->err), "the database is busy (%s); "
		    "nothing was changed, retry", err);
	} else if (store_savepoint(env->store, b->err, sizeof(b->err)) !=
	    STORE_OK)
		b->failed = COACHD__V1__STATUS__INTERNAL;
	else
		b->savepoint = 1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.store = env->store;
	ctx.conf = env->conf;
	ctx.topics = env->topics;
	ctx.categories = env->categories;
	ctx.feed_base = env->feed_base;
	ctx.changes = &env->changes;	/* merged over the group */
	ctx.now = (int64_t)time(NULL);
	ctx.defer = &b->defer;

	while (c->state != CONN_DRAINING && b->deferred == NULL) {
		if (b->n == CONN_MAX_BATCH || output_full(c, b->bytes)) {
			b->more = 1;
			break;
		}
		if ((req = next_request(c, b)) == NULL)
			break;
		batch_answer(c, &ctx, b, req);
		coachd__v1__request__free_unpacked(req, NULL);
		if (b->fatal)
			break;
	}
	if (b->savepoint && !store_tx_broken(env->store)) {
		if (b->failed == COACHD__V1__STATUS__OK)
			store_savepoint_release(env->store);
		else
			store_savepoint_rollback(env->store);
	}
	if (env->group == NULL || !env->group->in_tx) {
		batch_reply(b, 0, b->err);	/* BEGIN failed: nothing ran */
		return;
	}
	TAILQ_INSERT_TAIL(&env->group->batches, b, entry);
	c->batch = b;
	/* a worker needs the write lock, a broken group answers at once */
	if (b->deferred != NULL || !env->group->ok)
		group_flush(env);
	else if (!env->group->armed) {
		env->group->armed = 1;
		event_active(env->group->ev, EV_TIMEOUT, 0);
	}
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	/* A deferred trigger may arrive after reading was paused. */
	if (!(bufferevent_get_enabled(bev) & EV_READ))
		return;
	if (c->state == CONN_HANDSHAKE)
		conn_set_state(c, CONN_HELLO);
	if (c->job != NULL || c->batch != NULL)
		return;		/* what follows waits for the pending replies */
	process_input(c);
}

static void
on_write(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	if (c->state == CONN_DRAINING) {
		if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
			conn_close(c, "drained");
		return;
	}
	if (!(bufferevent_get_enabled(bev) & EV_READ)) {
		/* Replies taken: go on with the requests already buffered,
		 * which no new data from the socket may announce. */
		bufferevent_setwatermark(bev, EV_WRITE, 0, 0);
		bufferevent_enable(bev, EV_READ);
		bufferevent_trigger(bev, EV_READ, BEV_OPT_DEFER_CALLBACKS);
	}
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;
	unsigned long	 e;
	char		 buf[160];

	if (what & BEV_EVENT_CONNECTED) {
		log_debug("%s: TLS %s established", c->peer,
		    SSL_get_version(bufferevent_openssl_get_ssl(bev)));
		conn_set_state(c, CONN_HELLO);
		return;
	}
	if (what & BEV_EVENT_TIMEOUT) {
		conn_close(c, c->state == CONN_READY ? "idle timeout" :
		    "handshake timeout");
		return;
	}
	if (what & BEV_EVENT_ERROR) {
		if ((e = bufferevent_get_openssl_error(bev)) != 0) {
			ERR_error_string_n(e, buf, sizeof(buf));
			log_info("%s: TLS error: %s", c->peer, buf);
		}
		conn_close(c, "error");
		return;
	}
	if (what & BEV_EVENT_EOF)
		conn_close(c, "peer closed");
}
