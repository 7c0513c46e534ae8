/*
 * feed_int.h: what feed.c (the table of published bodies) and
 * feed_http.c (the evhttp server in front of it) share.  Other modules
 * use feed.h.
 */
#ifndef FEED_INT_H
#define FEED_INT_H

#include <stddef.h>
#include <time.h>

#include <openssl/ssl.h>

#include "feed.h"

#define FEED_ETAG_HEX		32	/* 128 bits of the body's SHA-256 */

struct evconnlistener;
struct evhttp;
struct feed_conn;

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
	/* connection limits (TLS only; feed_http.c) */
	struct evconnlistener	*evl;		/* evhttp's, paused at the cap */
	struct feed_conn	*conns;		/* open ones, a list */
	int			 nconns;
	int			 max_conns;
	int			 conn_time;	/* seconds after accept */
	int			 paused;
	time_t			 cap_logged;	/* last "limit reached" line */
};

/* Drop one reference to b (NULL is ignored); the last one frees it. */
void	feed_blob_unref(struct feed_blob *);
/* evbuffer_add_reference() cleanup: the response no longer needs arg. */
void	feed_blob_release(const void *data, size_t len, void *arg);
/* The entry of hash h, or NULL. */
struct feed_entry *feed_entry_find(const struct feed_server *,
	    const unsigned char h[FEED_HASH_LEN]);
/* The empty table of a new server; every entry and blob freed. */
void	feed_table_init(struct feed_server *);
void	feed_table_free(struct feed_server *);
/* IMF-fixdate of t, e.g. "Tue, 24 Nov 2026 13:00:00 GMT". */
void	feed_http_date(time_t t, char *buf, size_t len);
/* SHA-256 of len bytes; 0 or -1. */
int	feed_sha256(const void *data, size_t len,
	    unsigned char out[FEED_HASH_LEN]);

#endif /* FEED_INT_H */
