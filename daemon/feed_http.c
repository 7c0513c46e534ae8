/*
 * feed_http: the iCalendar feed server's HTTP side on libevent's evhttp.
 * One route, GET/HEAD /feeds/TOKEN.ics: the token's hash is looked up in
 * the table of published bodies (feed.c); If-None-Match and
 * If-Modified-Since against the blob's ETags and date give 304, revoked
 * tokens 410, and anything else is the prepared body (gzip when the
 * client accepts it).  No request renders or touches the database.
 *
 * Limits: evhttp's timeout closes a connection that is silent too long,
 * but a client trickling a byte now and then would keep it forever, and
 * evhttp 2.1 has no connection cap.  So (TLS only, see feed_conn) every
 * connection is counted from the SSL evhttp asks us for until OpenSSL
 * frees it, accept pauses at the cap, and a timer armed at accept closes
 * the connection at max_connection_time, however busy.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <openssl/ssl.h>
#include <zlib.h>

#include "calendar.h"
#include "errmsg.h"
#include "feed.h"
#include "feed_int.h"
#include "log.h"
#include "xmalloc.h"

#define FEED_PREFIX		"/feeds/"
#define FEED_SUFFIX		".ics"
#define FEED_CTYPE		"text/calendar; charset=utf-8"
/* HSTS for a year: a subscription outlives a school year's term. */
#define FEED_HSTS		"max-age=31536000"

static const char *const wdays[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static int
month_index(const char *s)
{
	int	i;

	for (i = 0; i < 12; i++) {
		if (strncasecmp(s, months[i], 3) == 0 && s[3] == '\0')
			return i + 1;
	}
	return 0;
}

/*
 * Parse an HTTP date in any of the three forms RFC 9110 makes recipients
 * accept (IMF-fixdate, RFC 850, asctime).  No locale, no timegm().
 */
static int
http_date_parse(const char *s, time_t *out)
{
	char	wd[16], mon[4], date[CALENDAR_DATE_LEN + 8];
	int	d, m, y, hh, mm, ss, day, n = 0;

	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n",
	    wd, &d, mon, &y, &hh, &mm, &ss, &n) == 7 && n > 0)
		goto ok;
	n = 0;
	if (sscanf(s, "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n",
	    wd, &d, mon, &y, &hh, &mm, &ss, &n) == 7 && n > 0) {
		y += y < 70 ? 2000 : 1900;	/* RFC 9110 5.6.7: 50-year rule, roughly */
		goto ok;
	}
	n = 0;
	if (sscanf(s, "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n",
	    wd, mon, &d, &hh, &mm, &ss, &y, &n) == 7 && n > 0)
		goto ok;
	return -1;
ok:
	if (s[n] != '\0' && !isspace((unsigned char)s[n]))
		return -1;
	if ((m = month_index(mon)) == 0 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	/* The calendar checks the day exists and is not before 1970. */
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	if (calendar_parse_date(date, &day) == -1)
		return -1;
	*out = (time_t)(day * 86400LL + hh * 3600 + mm * 60 + ss);
	return 0;
}

/* IMF-fixdate of t, e.g. "Tue, 24 Nov 2026 13:00:00 GMT". */
void
feed_http_date(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Short text/plain answer for every non-200 case. */
static void
reply_text(struct evhttp_request *req, int code, const char *reason,
    const char *text)
{
	struct evkeyvalq	*oh = evhttp_request_get_output_headers(req);

	evhttp_add_header(oh, "Content-Type", "text/plain; charset=utf-8");
	evhttp_add_header(oh, "Cache-Control", "no-store");
	evbuffer_add_printf(evhttp_request_get_output_buffer(req), "%s\n",
	    text);
	evhttp_send_reply(req, code, reason, NULL);
}

/* Does an If-None-Match list name either of this version's tags? */
static int
etag_match(const char *list, const struct feed_blob *b)
{
	const char	*p = list, *end;
	size_t		 n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '*')
			return 1;
		/* Weak comparison (RFC 9110 13.1.2): W/ is ignored. */
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"')
			return 0;
		if ((end = strchr(p + 1, '"')) == NULL)
			return 0;
		n = (size_t)(end - p) + 1;
		if ((n == strlen(b->etag) && memcmp(p, b->etag, n) == 0) ||
		    (n == strlen(b->etag_gz) && memcmp(p, b->etag_gz, n) == 0))
			return 1;
		p = end + 1;
	}
	return 0;
}

/* Is gzip acceptable per Accept-Encoding (q > 0 for gzip or *)? */
static int
accepts_gzip(const char *ae)
{
	const char	*p = ae, *q, *end;
	size_t		 n;
	double		 qv;
	int		 star = 0, gz = -1;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = strchr(p, ',');
		n = strcspn(p, " \t;,");
		q = strchr(p, ';');
		qv = 1.0;
		if (q != NULL && (end == NULL || q < end)) {
			const char *eq = strstr(q, "q=");

			if (eq != NULL && (end == NULL || eq < end))
				qv = strtod(eq + 2, NULL);
		}
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			gz = qv > 0;
		else if (n == 1 && *p == '*')
			star = qv > 0;
		p = end;
	}
	return gz >= 0 ? gz : star;
}

/*
 * Map the request path to a token: /feeds/TOKEN.ics only.  Returns 0 with
 * the token span, 404 for paths outside /feeds/ (and for /feeds/ itself:
 * no listing), 400 for anything else under /feeds/, '..' included.
 */
static int
path_token(const char *path, const char **tok, size_t *len)
{
	size_t	plen, pre = strlen(FEED_PREFIX), suf = strlen(FEED_SUFFIX);

	if (path == NULL || *path != '/')
		return 400;
	if (strncmp(path, FEED_PREFIX, pre) != 0 || path[pre] == '\0')
		return 404;
	plen = strlen(path);
	if (plen <= pre + suf ||
	    strcmp(path + plen - suf, FEED_SUFFIX) != 0)
		return 400;
	*tok = path + pre;
	*len = plen - pre - suf;
	if (!feed_token_valid(*tok, *len))
		return 400;
	return 0;
}

/* gzip_only mode, client without gzip: inflate into the response. */
static int
gunzip_into(struct evbuffer *out, const struct feed_blob *b)
{
	struct evbuffer_iovec	v;
	z_stream		zs;
	int			rc;

	if (evbuffer_reserve_space(out, (ev_ssize_t)b->len, &v, 1) < 1)
		return -1;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)(uintptr_t)b->gz;
	zs.avail_in = (uInt)b->gzlen;
	zs.next_out = v.iov_base;
	zs.avail_out = (uInt)b->len;
	rc = inflate(&zs, Z_FINISH);
	inflateEnd(&zs);
	if (rc != Z_STREAM_END || zs.total_out != b->len)
		return -1;
	v.iov_len = b->len;
	return evbuffer_commit_space(out, &v, 1);
}

/*
 * Attach the bytes to send: a reference to the blob (held until libevent
 * has written it), or the inflated body when only gzip is kept.
 */
static int
body_into(struct evbuffer *out, struct feed_blob *b, const char *data,
    size_t len)
{
	if (data == NULL)
		return gunzip_into(out, b);
	b->refs++;
	if (evbuffer_add_reference(out, data, len, feed_blob_release, b) !=
	    0) {
		b->refs--;
		return -1;
	}
	return 0;
}

/* 200 (GET or HEAD) or 304 from a live blob. */
static void
serve_blob(struct feed_server *fs, struct evhttp_request *req,
    struct feed_blob *b)
{
	struct evkeyvalq	*ih = evhttp_request_get_input_headers(req);
	struct evkeyvalq	*oh = evhttp_request_get_output_headers(req);
	const char		*inm, *ims, *ae, *data, *etag;
	char			 cc[64], clen[32];
	size_t			 len;
	time_t			 since;
	int			 gz, notmod = 0;

	ae = evhttp_find_header(ih, "Accept-Encoding");
	gz = b->gz != NULL && ae != NULL && accepts_gzip(ae);
	etag = gz ? b->etag_gz : b->etag;
	snprintf(cc, sizeof(cc), "private, max-age=%u", fs->max_age);
	evhttp_add_header(oh, "ETag", etag);
	evhttp_add_header(oh, "Last-Modified", b->lastmod);
	evhttp_add_header(oh, "Cache-Control", cc);
	evhttp_add_header(oh, "Vary", "Accept-Encoding");
	/* If-None-Match wins; the date is only looked at without it. */
	if ((inm = evhttp_find_header(ih, "If-None-Match")) != NULL)
		notmod = etag_match(inm, b);
	else if ((ims = evhttp_find_header(ih, "If-Modified-Since")) != NULL &&
	    http_date_parse(ims, &since) == 0)
		notmod = b->mtime <= since;
	if (notmod) {
		fs->not_modified++;
		evhttp_send_reply(req, 304, "Not Modified", NULL);
		return;
	}
	data = gz ? b->gz : b->body;
	len = gz ? b->gzlen : b->len;
	if (evhttp_request_get_command(req) == EVHTTP_REQ_GET &&
	    body_into(evhttp_request_get_output_buffer(req), b, data, len) !=
	    0) {
		evhttp_clear_headers(oh);
		evhttp_send_error(req, 500, NULL);
		return;
	}
	evhttp_add_header(oh, "Content-Type", FEED_CTYPE);
	evhttp_add_header(oh, "X-Content-Type-Options", "nosniff");
	if (gz)
		evhttp_add_header(oh, "Content-Encoding", "gzip");
	snprintf(clen, sizeof(clen), "%zu", len);
	evhttp_add_header(oh, "Content-Length", clen);
	evhttp_send_reply(req, 200, "OK", NULL);
}

/* The one request handler: checks in order URI size, method, path, token. */
static void
feed_request(struct evhttp_request *req, void *arg)
{
	struct feed_server		*fs = arg;
	const struct evhttp_uri		*uri;
	const char			*raw, *tok = NULL;
	struct feed_entry		*e;
	unsigned char			 h[FEED_HASH_LEN];
	size_t				 tlen = 0;
	enum evhttp_cmd_type		 cmd;
	int				 rc;

	fs->requests++;
	/*
	 * A feed URL is a bearer secret: tell clients that have reached us
	 * over TLS never to ask for it in clear (not on a plain-HTTP
	 * listener, where the header would mean nothing).
	 */
	if (fs->ssl_ctx != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Strict-Transport-Security", FEED_HSTS);
	raw = evhttp_request_get_uri(req);
	if (raw == NULL || strlen(raw) > fs->max_uri) {
		reply_text(req, 414, "URI Too Long", "URI too long");
		return;
	}
	cmd = evhttp_request_get_command(req);
	if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, HEAD");
		reply_text(req, 405, "Method Not Allowed", "method not allowed");
		return;
	}
	uri = evhttp_request_get_evhttp_uri(req);
	rc = path_token(uri != NULL ? evhttp_uri_get_path(uri) : NULL,
	    &tok, &tlen);
	if (rc == 404) {
		reply_text(req, 404, "Not Found", "not found");
		return;
	}
	if (rc != 0 || feed_token_hash(tok, tlen, h) != 0) {
		reply_text(req, 400, "Bad Request", "bad feed URL");
		return;
	}
	if ((e = feed_entry_find(fs, h)) == NULL) {
		reply_text(req, 404, "Not Found", "not found");
		return;
	}
	if (e->state == FEED_REVOKED || e->blob == NULL) {
		reply_text(req, 410, "Gone", "this feed URL was revoked");
		return;
	}
	serve_blob(fs, req, e->blob);
}

/*
 * One counted connection.  evhttp owns the connection and never tells us
 * when it frees it, but the SSL goes with it: the record hangs off the
 * SSL's ex_data, whose free callback is our close notification.
 */
struct feed_conn {
	struct feed_server	*fs;		/* NULL once the server is gone */
	struct bufferevent	*bev;
	struct event		*deadline;
	struct feed_conn	*prev, *next;
};

static int	feed_conn_idx = -1;

/* Take c off its server's list, stop its timer, and resume accepting. */
static void
feed_conn_detach(struct feed_conn *c)
{
	struct feed_server	*fs = c->fs;

	if (fs == NULL)
		return;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		fs->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	event_free(c->deadline);
	c->fs = NULL;
	fs->nconns--;
	if (fs->paused && fs->nconns < fs->max_conns && fs->evl != NULL) {
		evconnlistener_enable(fs->evl);
		fs->paused = 0;
	}
}

/* OpenSSL frees an SSL: for one of ours, its connection is gone. */
static void
feed_conn_free_ex(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
    long argl, void *argp)
{
	struct feed_conn	*c = ptr;

	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	if (c == NULL)
		return;
	feed_conn_detach(c);
	free(c);
}

/*
 * max_connection_time is up.  Only evhttp may free its connection; a
 * timeout event makes it do so as for its own idle timeout.
 */
static void
feed_conn_deadline(evutil_socket_t fd, short ev, void *arg)
{
	struct feed_conn	*c = arg;

	(void)fd, (void)ev;
	bufferevent_trigger_event(c->bev, BEV_EVENT_READING |
	    BEV_EVENT_TIMEOUT, 0);
}

/* Count a new connection on ssl/bev; 0, or -1 when it cannot be. */
static int
feed_conn_add(struct feed_server *fs, SSL *ssl, struct bufferevent *bev)
{
	struct feed_conn	*c = xcalloc(1, sizeof(*c));
	struct timeval		 tv = { fs->conn_time, 0 };

	c->bev = bev;
	if ((c->deadline = evtimer_new(fs->base, feed_conn_deadline, c)) ==
	    NULL || SSL_set_ex_data(ssl, feed_conn_idx, c) != 1) {
		if (c->deadline != NULL)
			event_free(c->deadline);
		free(c);
		return -1;
	}
	evtimer_add(c->deadline, &tv);
	c->fs = fs;
	c->next = fs->conns;
	if (fs->conns != NULL)
		fs->conns->prev = c;
	fs->conns = c;
	if (++fs->nconns >= fs->max_conns && !fs->paused && fs->evl != NULL) {
		/* Once a minute: under a flood it is reached at every close. */
		if (time(NULL) - fs->cap_logged >= 60) {
			log_warnx("feeds: connection limit %d reached; pausing "
			    "accept", fs->max_conns);
			fs->cap_logged = time(NULL);
		}
		evconnlistener_disable(fs->evl);
		fs->paused = 1;
	}
	return 0;
}

/*
 * evhttp asks us for each accepted connection's bufferevent.  Pitfall:
 * libevent 2.1 falls back to a plain socket bufferevent when this returns
 * NULL, so a cleartext request on the TLS port would then be answered.
 * That only happens when SSL_new() or an allocation fails (out of memory).
 * Dirty shutdowns are allowed because calendar clients often close without
 * close_notify, and that must not turn a sent response into an error.
 */
static struct bufferevent *
feed_bevcb(struct event_base *base, void *arg)
{
	struct feed_server	*fs = arg;
	struct bufferevent	*bev;
	SSL			*ssl;

	if ((ssl = SSL_new(fs->ssl_ctx)) == NULL)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		SSL_free(ssl);
		return NULL;
	}
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	if (feed_conn_add(fs, ssl, bev) == -1) {
		bufferevent_free(bev);
		return NULL;
	}
	return bev;
}

/* Port actually bound (the one asked for, or the kernel's choice). */
static int
bound_port(struct evhttp_bound_socket *bs, unsigned short *port)
{
	struct sockaddr_storage	ss;
	socklen_t		sl = sizeof(ss);
	evutil_socket_t		fd = evhttp_bound_socket_get_fd(bs);

	if (getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		*port = ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
	else if (ss.ss_family == AF_INET6)
		*port = ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
	else
		return -1;
	return 0;
}

struct feed_server *
feed_server_new(struct event_base *base, struct ssl_ctx_st *ssl_ctx,
    const struct feed_config *cfg, char *err, size_t errlen)
{
	struct feed_server		*fs;
	struct evhttp_bound_socket	*bs;
	const char			*addr;
	int				 one;

	fs = xcalloc(1, sizeof(*fs));
	fs->base = base;
	fs->max_age = cfg->max_age ? cfg->max_age : 300;
	fs->max_uri = cfg->max_uri ? cfg->max_uri : 512;
	fs->gzip_only = cfg->gzip_only;
	fs->max_conns = cfg->max_connections > 0 ? cfg->max_connections : 256;
	fs->conn_time = cfg->max_connection_time > 0 ?
	    cfg->max_connection_time : 60;
	feed_table_init(fs);
	if (feed_conn_idx == -1 && (feed_conn_idx = SSL_get_ex_new_index(0,
	    NULL, NULL, NULL, feed_conn_free_ex)) == -1) {
		errmsg(err, errlen, "cannot register the connection records");
		goto fail;
	}
	if ((fs->http = evhttp_new(base)) == NULL) {
		errmsg(err, errlen, "cannot create the HTTP server");
		goto fail;
	}
	/* Let every method reach feed_request so it can answer 405. */
	evhttp_set_allowed_methods(fs->http, EVHTTP_REQ_GET |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
	    EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_max_headers_size(fs->http, 16384);
	evhttp_set_max_body_size(fs->http, 4096);
	evhttp_set_timeout(fs->http, cfg->timeout > 0 ? cfg->timeout : 30);
	evhttp_set_gencb(fs->http, feed_request, fs);
	if (ssl_ctx != NULL) {
		SSL_CTX_up_ref(ssl_ctx);
		fs->ssl_ctx = ssl_ctx;
		evhttp_set_bevcb(fs->http, feed_bevcb, fs);
	}
	addr = cfg->addr != NULL ? cfg->addr : "127.0.0.1";
	bs = evhttp_bind_socket_with_handle(fs->http, addr, cfg->port);
	if (bs == NULL) {
		errmsg(err, errlen, "cannot bind %s:%u", addr,
		    (unsigned)cfg->port);
		goto fail;
	}
	/*
	 * evhttp writes the head and the body as separate TLS records; with
	 * Nagle the last small segment waits for the peer's delayed ACK
	 * (~40 ms per keep-alive response).  Linux copies TCP_NODELAY from
	 * the listening socket to accepted ones, so one call covers them all.
	 */
	fs->evl = evhttp_bound_socket_get_listener(bs);
	one = 1;
	(void)setsockopt(evhttp_bound_socket_get_fd(bs), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof(one));
	if (bound_port(bs, &fs->port) != 0) {
		errmsg(err, errlen, "getsockname failed");
		goto fail;
	}
	return fs;
fail:
	feed_server_free(fs);
	return NULL;
}

void
feed_server_free(struct feed_server *fs)
{
	if (fs == NULL)
		return;
	/* Records outlive us until OpenSSL frees their SSL; cut them off. */
	fs->evl = NULL;
	while (fs->conns != NULL)
		feed_conn_detach(fs->conns);
	/* Connections first: their buffers drop blob references. */
	if (fs->http != NULL)
		evhttp_free(fs->http);
	feed_table_free(fs);
	if (fs->ssl_ctx != NULL)
		SSL_CTX_free(fs->ssl_ctx);
	free(fs);
}

int
feed_server_set_ssl_ctx(struct feed_server *fs, struct ssl_ctx_st *ssl_ctx)
{
	if (fs->ssl_ctx == NULL || ssl_ctx == NULL)
		return -1;
	if (ssl_ctx == fs->ssl_ctx)
		return 0;
	/* Each SSL holds its own reference to the context it came from. */
	SSL_CTX_up_ref(ssl_ctx);
	SSL_CTX_free(fs->ssl_ctx);
	fs->ssl_ctx = ssl_ctx;
	return 0;
}

unsigned short
feed_server_port(const struct feed_server *fs)
{
	return fs->port;
}

