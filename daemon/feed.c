/*
 * feed: serve published iCalendar bodies over HTTP(S) with evhttp.
 *
 * State is one hash table from SHA-256(token) to an entry; a live entry
 * points at a reference-counted blob (identity body, gzip body, ETags,
 * Last-Modified text) built once by feed_publish().  Responses hand the
 * blob's bytes to evbuffer_add_reference() and hold a reference until
 * libevent has written them, so a publish or revoke in the middle of a
 * slow download neither copies nor frees bytes still being sent.
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
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <zlib.h>

#include "feed.h"

#define FEED_PREFIX		"/feeds/"
#define FEED_SUFFIX		".ics"
#define FEED_CTYPE		"text/calendar; charset=utf-8"
#define FEED_ETAG_HEX		32	/* 128 bits of the body's SHA-256 */

/* One published version of a feed, shared by in-flight responses. */
struct feed_blob {
	unsigned int	 refs;
	char		*body;		/* NULL in gzip_only mode */
	size_t		 len;		/* identity length, always */
	char		*gz;		/* NULL when gzip would not help */
	size_t		 gzlen;
	time_t		 mtime;
	char		 etag[FEED_ETAG_HEX + 3];	/* "hex" */
	char		 etag_gz[FEED_ETAG_HEX + 6];	/* "hex-gz" */
	char		 lastmod[40];			/* IMF-fixdate */
};

enum feed_state {
	FEED_LIVE,
	FEED_REVOKED
};

struct feed_entry {
	unsigned char		 h[FEED_HASH_LEN];
	enum feed_state		 state;
	struct feed_blob	*blob;		/* NULL when revoked */
	struct feed_entry	*next;
};

struct feed_server {
	struct event_base	*base;
	struct evhttp		*http;
	SSL_CTX			*ssl_ctx;	/* our reference, or NULL */
	unsigned short		 port;
	unsigned int		 max_age;
	size_t			 max_uri;
	int			 gzip_only;
	struct feed_entry	**buckets;
	size_t			 nbuckets;	/* power of two */
	size_t			 count;
	size_t			 bytes;
	unsigned long long	 requests;
	unsigned long long	 not_modified;
};

static const char *const wdays[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static void
blob_unref(struct feed_blob *b)
{
	if (b == NULL || --b->refs > 0)
		return;
	free(b->body);
	free(b->gz);
	free(b);
}

/* evbuffer_add_reference() cleanup: the response no longer needs it. */
static void
blob_release(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	blob_unref(arg);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
days_from_civil(int y, int m, int d)
{
	long long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

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
	char	wd[16], mon[4];
	int	d, m, y, hh, mm, ss, n = 0;

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
	if ((m = month_index(mon)) == 0 || d < 1 || d > 31 || hh > 23 ||
	    mm > 59 || ss > 60 || y < 1970)
		return -1;
	*out = (time_t)(days_from_civil(y, m, d) * 86400LL + hh * 3600 +
	    mm * 60 + ss);
	return 0;
}

/* IMF-fixdate of t, e.g. "Tue, 24 Nov 2026 13:00:00 GMT". */
static void
http_date_format(time_t t, char *buf, size_t len)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wdays[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* gzip (not zlib) wrapper, mtime 0 so the bytes depend only on input. */
static int
gzip_body(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream	zs;
	uLong		bound;
	char		*buf;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&zs, (uLong)len);
	if ((buf = malloc(bound)) == NULL) {
		deflateEnd(&zs);
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)buf;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(buf);
		return -1;
	}
	*outlen = zs.total_out;
	deflateEnd(&zs);
	/*
	 * deflateBound() is about the input size: keep a right-sized copy.
	 * (A copy rather than realloc: gcc -O2 flags any use of the old
	 * pointer after a failed realloc.)
	 */
	if ((*out = malloc(*outlen ? *outlen : 1)) == NULL) {
		*out = buf;
		return 0;
	}
	memcpy(*out, buf, *outlen);
	free(buf);
	return 0;
}

static int
sha256(const void *data, size_t len, unsigned char out[FEED_HASH_LEN])
{
	unsigned int	n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != FEED_HASH_LEN)
		return -1;
	return 0;
}

static size_t
bucket_of(const struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	uint64_t	v;

	/* The key is already a uniform hash: its first bytes index. */
	memcpy(&v, h, sizeof(v));
	return (size_t)(v & (fs->nbuckets - 1));
}

static struct feed_entry *
entry_find(const struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	struct feed_entry	*e;

	for (e = fs->buckets[bucket_of(fs, h)]; e != NULL; e = e->next) {
		if (memcmp(e->h, h, FEED_HASH_LEN) == 0)
			return e;
	}
	return NULL;
}

/* Double the table when it averages more than one entry per bucket. */
static int
table_grow(struct feed_server *fs)
{
	struct feed_entry	**old = fs->buckets, *e, *next;
	size_t			  oldn = fs->nbuckets, i, b;

	if (fs->count < fs->nbuckets)
		return 0;
	if ((fs->buckets = calloc(oldn * 2, sizeof(*old))) == NULL) {
		fs->buckets = old;
		return -1;
	}
	fs->nbuckets = oldn * 2;
	for (i = 0; i < oldn; i++) {
		for (e = old[i]; e != NULL; e = next) {
			next = e->next;
			b = bucket_of(fs, e->h);
			e->next = fs->buckets[b];
			fs->buckets[b] = e;
		}
	}
	free(old);
	return 0;
}

static size_t
blob_bytes(const struct feed_blob *b)
{
	return (b->body != NULL ? b->len : 0) + b->gzlen;
}

static void
entry_set_blob(struct feed_server *fs, struct feed_entry *e,
    struct feed_blob *b)
{
	if (e->blob != NULL) {
		fs->bytes -= blob_bytes(e->blob);
		blob_unref(e->blob);
	}
	e->blob = b;
	if (b != NULL)
		fs->bytes += blob_bytes(b);
}

static struct feed_blob *
blob_new(const char *body, size_t len, time_t mtime, int gzip_only, char *err,
    size_t errlen)
{
	struct feed_blob	*b;
	unsigned char		 d[FEED_HASH_LEN];
	char			 hex[FEED_ETAG_HEX + 1];
	size_t			 i;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->refs = 1;
	b->len = len;
	b->mtime = mtime;
	if (sha256(body, len, d) != 0) {
		snprintf(err, errlen, "SHA-256 failed");
		blob_unref(b);
		return NULL;
	}
	for (i = 0; i < FEED_ETAG_HEX / 2; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	/* Strong ETags must differ between the two encodings. */
	snprintf(b->etag, sizeof(b->etag), "\"%s\"", hex);
	snprintf(b->etag_gz, sizeof(b->etag_gz), "\"%s-gz\"", hex);
	http_date_format(mtime, b->lastmod, sizeof(b->lastmod));
	if (gzip_body(body, len, &b->gz, &b->gzlen) != 0) {
		snprintf(err, errlen, "gzip failed");
		blob_unref(b);
		return NULL;
	}
	if (b->gzlen >= len) {
		free(b->gz);
		b->gz = NULL;
		b->gzlen = 0;
	}
	/* The identity copy only when it is served from memory. */
	if (b->gz == NULL || !gzip_only) {
		if ((b->body = malloc(len ? len : 1)) == NULL) {
			snprintf(err, errlen, "out of memory");
			blob_unref(b);
			return NULL;
		}
		memcpy(b->body, body, len);
	}
	return b;
}

/* The entry of h, added (revoked, no body) when new; NULL = no memory. */
static struct feed_entry *
entry_get(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	struct feed_entry	*e;
	size_t			 bi;

	if ((e = entry_find(fs, h)) != NULL)
		return e;
	if (table_grow(fs) != 0 || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	memcpy(e->h, h, FEED_HASH_LEN);
	e->state = FEED_REVOKED;
	bi = bucket_of(fs, h);
	e->next = fs->buckets[bi];
	fs->buckets[bi] = e;
	fs->count++;
	return e;
}

int
feed_publish(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN],
    const char *body, size_t len, time_t last_modified, char *err,
    size_t errlen)
{
	struct feed_entry	*e;
	struct feed_blob	*b;

	if ((b = blob_new(body, len, last_modified, fs->gzip_only, err,
	    errlen)) == NULL)
		return -1;
	if ((e = entry_get(fs, h)) == NULL) {
		blob_unref(b);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	e->state = FEED_LIVE;
	entry_set_blob(fs, e, b);
	return 0;
}

int
feed_revoke(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	struct feed_entry	*e;

	/* Unknown too: a revoked token loaded at start-up answers 410. */
	if ((e = entry_get(fs, h)) == NULL)
		return -1;
	e->state = FEED_REVOKED;
	entry_set_blob(fs, e, NULL);
	return 0;
}

int
feed_remove(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	struct feed_entry	**pp, *e;

	for (pp = &fs->buckets[bucket_of(fs, h)]; (e = *pp) != NULL;
	    pp = &e->next) {
		if (memcmp(e->h, h, FEED_HASH_LEN) != 0)
			continue;
		*pp = e->next;
		entry_set_blob(fs, e, NULL);
		free(e);
		fs->count--;
		return 0;
	}
	return -1;
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
	if (evbuffer_add_reference(out, data, len, blob_release, b) != 0) {
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
	if ((e = entry_find(fs, h)) == NULL) {
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

	if ((fs = calloc(1, sizeof(*fs))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fs->base = base;
	fs->max_age = cfg->max_age ? cfg->max_age : 300;
	fs->max_uri = cfg->max_uri ? cfg->max_uri : 512;
	fs->gzip_only = cfg->gzip_only;
	fs->nbuckets = 1024;
	if ((fs->buckets = calloc(fs->nbuckets, sizeof(*fs->buckets))) ==
	    NULL || (fs->http = evhttp_new(base)) == NULL) {
		snprintf(err, errlen, "out of memory");
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
		snprintf(err, errlen, "cannot bind %s:%u", addr,
		    (unsigned)cfg->port);
		goto fail;
	}
	/*
	 * evhttp writes the head and the body as separate TLS records; with
	 * Nagle the last small segment waits for the peer's delayed ACK
	 * (~40 ms per keep-alive response).  Linux copies TCP_NODELAY from
	 * the listening socket to accepted ones, so one call covers them all.
	 */
	one = 1;
	(void)setsockopt(evhttp_bound_socket_get_fd(bs), IPPROTO_TCP,
	    TCP_NODELAY, &one, sizeof(one));
	if (bound_port(bs, &fs->port) != 0) {
		snprintf(err, errlen, "getsockname failed");
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
	struct feed_entry	*e, *next;
	size_t			 i;

	if (fs == NULL)
		return;
	/* Connections first: their buffers drop blob references. */
	if (fs->http != NULL)
		evhttp_free(fs->http);
	for (i = 0; fs->buckets != NULL && i < fs->nbuckets; i++) {
		for (e = fs->buckets[i]; e != NULL; e = next) {
			next = e->next;
			blob_unref(e->blob);
			free(e);
		}
	}
	free(fs->buckets);
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

void
feed_server_stats(const struct feed_server *fs, struct feed_stats *st)
{
	st->feeds = fs->count;
	st->bytes = fs->bytes;
	st->requests = fs->requests;
	st->not_modified = fs->not_modified;
}
