/*
 * feed: the table of published iCalendar bodies the feed server answers
 * from (feed_http.c serves them).
 *
 * State is one hash table from SHA-256(token) to an entry; a live entry
 * points at a reference-counted blob (identity body, gzip body, ETags,
 * Last-Modified text) built once by feed_publish().  Responses hand the
 * blob's bytes to evbuffer_add_reference() and hold a reference until
 * libevent has written them, so a publish or revoke in the middle of a
 * slow download neither copies nor frees bytes still being sent.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "errmsg.h"
#include "feed.h"
#include "feed_int.h"
#include "xmalloc.h"

void
feed_blob_unref(struct feed_blob *b)
{
	if (b == NULL || --b->refs > 0)
		return;
	free(b->body);
	free(b->gz);
	free(b);
}

void
feed_blob_release(const void *data, size_t len, void *arg)
{
	(void)data;
	(void)len;
	feed_blob_unref(arg);
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
	buf = xmalloc(bound);
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
	/* deflateBound() is about the input size: keep a right-sized copy. */
	*out = xmalloc(*outlen ? *outlen : 1);
	memcpy(*out, buf, *outlen);
	free(buf);
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

struct feed_entry *
feed_entry_find(const struct feed_server *fs,
    const unsigned char h[FEED_HASH_LEN])
{
	struct feed_entry	*e;

	for (e = fs->buckets[bucket_of(fs, h)]; e != NULL; e = e->next) {
		if (memcmp(e->h, h, FEED_HASH_LEN) == 0)
			return e;
	}
	return NULL;
}

void
feed_table_init(struct feed_server *fs)
{
	fs->nbuckets = 1024;
	fs->buckets = xcalloc(fs->nbuckets, sizeof(*fs->buckets));
}

void
feed_table_free(struct feed_server *fs)
{
	struct feed_entry	*e, *next;
	size_t			 i;

	for (i = 0; fs->buckets != NULL && i < fs->nbuckets; i++) {
		for (e = fs->buckets[i]; e != NULL; e = next) {
			next = e->next;
			feed_blob_unref(e->blob);
			free(e);
		}
	}
	free(fs->buckets);
	fs->buckets = NULL;
}

/* Double the table when it averages more than one entry per bucket. */
static void
table_grow(struct feed_server *fs)
{
	struct feed_entry	**old = fs->buckets, *e, *next;
	size_t			  oldn = fs->nbuckets, i, b;

	if (fs->count < fs->nbuckets)
		return;
	fs->buckets = xcalloc(oldn * 2, sizeof(*old));
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
		feed_blob_unref(e->blob);
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

	b = xcalloc(1, sizeof(*b));
	b->refs = 1;
	b->len = len;
	b->mtime = mtime;
	if (feed_sha256(body, len, d) != 0) {
		errmsg(err, errlen, "SHA-256 failed");
		feed_blob_unref(b);
		return NULL;
	}
	for (i = 0; i < FEED_ETAG_HEX / 2; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	/* Strong ETags must differ between the two encodings. */
	snprintf(b->etag, sizeof(b->etag), "\"%s\"", hex);
	snprintf(b->etag_gz, sizeof(b->etag_gz), "\"%s-gz\"", hex);
	feed_http_date(mtime, b->lastmod, sizeof(b->lastmod));
	if (gzip_body(body, len, &b->gz, &b->gzlen) != 0) {
		errmsg(err, errlen, "gzip failed");
		feed_blob_unref(b);
		return NULL;
	}
	if (b->gzlen >= len) {
		free(b->gz);
		b->gz = NULL;
		b->gzlen = 0;
	}
	/* The identity copy only when it is served from memory. */
	if (b->gz == NULL || !gzip_only) {
		b->body = xmalloc(len ? len : 1);
		memcpy(b->body, body, len);
	}
	return b;
}

/* The entry of h, added (revoked, no body) when new. */
static struct feed_entry *
entry_get(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	struct feed_entry	*e;
	size_t			 bi;

	if ((e = feed_entry_find(fs, h)) != NULL)
		return e;
	table_grow(fs);
	e = xcalloc(1, sizeof(*e));
	memcpy(e->h, h, FEED_HASH_LEN);
	e->state = FEED_REVOKED;
	bi = bucket_of(fs, h);
	e->next = fs->buckets[bi];
	fs->buckets[bi] = e;
	fs->count++;
	return e;
}

/* Put h in state st with body b (NULL when revoked), adding it if new. */
static void
entry_put(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN],
    enum feed_state st, struct feed_blob *b)
{
	struct feed_entry	*e = entry_get(fs, h);

	e->state = st;
	entry_set_blob(fs, e, b);
}

int
feed_publish(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN],
    const char *body, size_t len, time_t last_modified, char *err,
    size_t errlen)
{
	struct feed_blob	*b;

	if ((b = blob_new(body, len, last_modified, fs->gzip_only, err,
	    errlen)) == NULL)
		return -1;
	entry_put(fs, h, FEED_LIVE, b);
	return 0;
}

int
feed_revoke(struct feed_server *fs, const unsigned char h[FEED_HASH_LEN])
{
	/* Unknown too: a revoked token loaded at start-up answers 410. */
	entry_put(fs, h, FEED_REVOKED, NULL);
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

void
feed_server_stats(const struct feed_server *fs, struct feed_stats *st)
{
	st->feeds = fs->count;
	st->bytes = fs->bytes;
	st->requests = fs->requests;
	st->not_modified = fs->not_modified;
}
