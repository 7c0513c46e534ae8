/*
 * feed: the iCalendar feed HTTP(S) server on libevent's evhttp.
 *
 * Serves GET/HEAD /feeds/TOKEN.ics from memory (feed_http.c).  The owner
 * (feeds.c) renders a body with ics_render() whenever a feed's sessions
 * change and hands it over with feed_publish() (feed.c); the strong ETag,
 * the HTTP date and the gzip variant are computed there, once, so a
 * request costs a hash lookup and no rendering or database work.  Only
 * SHA-256 hashes of tokens are kept: the server hashes the presented token
 * and looks the hash up.
 */
#ifndef FEED_H
#define FEED_H

#include <stddef.h>
#include <time.h>

#define FEED_HASH_LEN		32	/* SHA-256 */
#define FEED_TOKEN_BYTES	32	/* 256 random bits per token */
#define FEED_TOKEN_MAX		128	/* longest token the server accepts */
#define FEED_TOKEN_MIN		22	/* 128 bits as base64url */
#define FEED_TOKEN_BUFSZ	64	/* holds a base64url token + NUL */

struct event_base;
struct ssl_ctx_st;

struct feed_config {
	const char	*addr;		/* NULL = "127.0.0.1" */
	unsigned short	 port;		/* 0 = any; see feed_server_port() */
	unsigned int	 max_age;	/* Cache-Control max-age, 0 = 300 */
	size_t		 max_uri;	/* longer request-URIs get 414; 0 = 512 */
	int		 timeout;	/* idle connection seconds, 0 = 30 */
	/* TLS only (a plain-HTTP server sits behind a proxy that limits): */
	int		 max_connections;	/* then accept pauses; 0 = 256 */
	int		 max_connection_time;	/* absolute seconds, 0 = 60 */
	int		 gzip_only;	/* keep only the gzip body; inflate
					   per request for clients without
					   gzip (memory for big districts) */
};

struct feed_server;

/* Per-server counters, for tests and the status command. */
struct feed_stats {
	size_t			 feeds;		/* live + revoked entries */
	size_t			 bytes;		/* identity + gzip bodies */
	unsigned long long	 requests;
	unsigned long long	 not_modified;
};

/*
 * Bind addr:port and serve.  ssl_ctx NULL = plain HTTP (meant for a
 * loopback address behind a reverse proxy); otherwise the server takes a
 * reference on ssl_ctx (SSL_CTX_up_ref) and every connection is TLS.
 */
struct feed_server	*feed_server_new(struct event_base *,
			    struct ssl_ctx_st *ssl_ctx,
			    const struct feed_config *, char *err,
			    size_t errlen);
void			 feed_server_free(struct feed_server *);
/*
 * Certificate reload (SIGHUP): connections accepted from now on use
 * ssl_ctx (the server takes a reference and drops its old one); open
 * connections keep the context they started with.  -1 when the server
 * was started as plain HTTP or ssl_ctx is NULL (no switching at run time).
 */
int			 feed_server_set_ssl_ctx(struct feed_server *,
			    struct ssl_ctx_st *ssl_ctx);
unsigned short		 feed_server_port(const struct feed_server *);
void			 feed_server_stats(const struct feed_server *,
			    struct feed_stats *);

/*
 * Install or replace the body for token hash `h` (copied; the caller keeps
 * `body`).  A revoked hash becomes live again only through publish.
 * Responses already being written keep the old body until they finish.
 */
int	feed_publish(struct feed_server *, const unsigned char h[FEED_HASH_LEN],
	    const char *body, size_t len, time_t last_modified, char *err,
	    size_t errlen);

/*
 * Forget the body, answer 410 Gone from now on.  An unknown hash is added
 * as revoked, so tokens revoked in the store need no publish first (at
 * start-up).  Returns 0.
 */
int	feed_revoke(struct feed_server *, const unsigned char h[FEED_HASH_LEN]);

/* Forget the hash altogether (404 afterwards).  -1 if unknown. */
int	feed_remove(struct feed_server *, const unsigned char h[FEED_HASH_LEN]);

/*
 * New token: FEED_TOKEN_BYTES from RAND_bytes as unpadded base64url into
 * tok (at least FEED_TOKEN_BUFSZ bytes), its hash into h.  0 or -1 + err.
 */
int	feed_token_new(char *tok, size_t toklen,
	    unsigned char h[FEED_HASH_LEN], char *err, size_t errlen);

/* SHA-256 of the token text, the form stored and looked up.  0 or -1. */
int	feed_token_hash(const char *tok, size_t len,
	    unsigned char h[FEED_HASH_LEN]);

/* 1 if tok has the accepted shape: [A-Za-z0-9_-]{22,128}. */
int	feed_token_valid(const char *tok, size_t len);

#endif /* FEED_H */
