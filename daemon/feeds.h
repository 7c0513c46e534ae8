/*
 * feeds: coachd's glue between the store and the iCalendar feed server
 * It loads each feed's sessions from the store, renders them
 * with the pure ics engine and hands the bodies to the feed server
 * (feed.c), which then serves every GET from memory.
 *
 * Rendering happens at start-up (every feed), after a committed batch that
 * changed sessions or feed tokens (only the feeds touched, when handlers
 * said which; otherwise all of them), on SIGHUP, and hourly so cancelled
 * sessions leave the feeds when their retention ends.
 */
#ifndef FEEDS_H
#define FEEDS_H

#include <stddef.h>

#include "store_feed.h"

struct change_set;
struct coachd;
struct feeds;

/*
 * Start the feed server of d->conf's [feeds] section (nothing when it has
 * no listen key): bind, render and publish every feed, log "feeds
 * listening on ADDR:PORT".  d->store, d->base and d->ssl_ctx must be set.
 * Sets d->feeds.  0, or -1 with err filled.
 */
int	feeds_start(struct coachd *d, char *err, size_t errlen);
/* Stop serving and free everything (teardown); d->feeds becomes NULL. */
void	feeds_stop(struct coachd *d);

/*
 * Commit hook (change_hook_add, arg the struct feeds of d->feeds): pick
 * up new and revoked feed tokens and re-render the feeds the committed
 * change set touched (all feeds when it did not say whose).
 */
void	feeds_commit_hook(const struct change_set *, void *arg);
/*
 * SIGHUP (on_sighup, after d->ssl_ctx was reloaded): hand the new TLS
 * context to the feed server for new connections, reload the topic
 * names and re-render every feed.
 */
void	feeds_reload(struct coachd *d);

/*
 * The URLs of a token: https (or http) and webcal forms, from [feeds]
 * base_url or the listen address.  -1 if feeds are off or buffers short.
 */
int	feeds_urls(const struct coachd *d, const char *token, char *https,
	    size_t httpslen, char *webcal, size_t webcallen);

#endif
