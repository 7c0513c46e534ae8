/*
 * feeds: coachd's glue between the store and the iCalendar feed server.
 * It loads each feed's sessions from the store, renders them with the pure
 * ics engine and hands the bodies to the feed server (feed.c), which then
 * serves every GET from memory.
 *
 * Rendering happens at start-up (every feed), after a committed batch that
 * changed sessions or feed tokens (only the feeds touched, when handlers
 * said which; otherwise all of them), on SIGHUP, and hourly so cancelled
 * sessions leave the feeds when their retention ends.
 */
#ifndef FEEDS_H
#define FEEDS_H

#include <stddef.h>

#include <openssl/ssl.h>

struct change_set;
struct coachd_config;
struct event_base;
struct feeds;
struct store;
struct taxonomy_topics;

#define FEEDS_BASE_MAX	600	/* room for a feed URL's base */

/*
 * Start the feed server of conf's [feeds] section (*out NULL when it has
 * no listen key): bind, render and publish every feed, log "feeds
 * listening on ADDR:PORT".  conf and topics are the daemon's, borrowed
 * for the server's lifetime and read as they are when a feed renders.
 * 0, or -1 with err filled.
 */
int	feeds_start(struct event_base *, struct store *,
	    const struct coachd_config *conf, SSL_CTX *,
	    const struct taxonomy_topics *topics, struct feeds **out,
	    char *err, size_t errlen);
/* Stop serving and free everything (teardown); NULL is ignored. */
void	feeds_stop(struct feeds *);

/*
 * Commit hook (change_hook_add, arg the struct feeds): pick up new and
 * revoked feed tokens and re-render the feeds the committed change set
 * touched (all feeds when it did not say whose).
 */
void	feeds_commit_hook(const struct change_set *, void *arg);
/*
 * SIGHUP, after the daemon reloaded its configuration, topics and TLS
 * context: hand the new context to the feed server for new connections
 * and re-render every feed.  NULL is ignored.
 */
void	feeds_reload(struct feeds *, SSL_CTX *);

/*
 * The base of every feed URL ("https://host:port", no trailing slash),
 * from [feeds] base_url or the listen address and bound port.
 */
void	feeds_base_url(const struct feeds *, char *buf, size_t len);

#endif
