/*
 * feeds: coachd's glue between the store and the iCalendar feed server
 * (issue 7).  It loads each feed's sessions from the store, renders them
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
 * A handler changed sessions of this coach, teacher and/or school (NULL =
 * not concerned): their feeds are re-rendered after the batch commits.
 * Also sets d->sessions_changed.  Safe to call when feeds are off.
 */
void	feeds_touch(struct coachd *d, const char *coach, const char *teacher,
	    const char *school);
/*
 * A handler changed the roster record (name, e-mail) of a teacher, coach
 * or school: after the commit its own feed is re-rendered, and every feed
 * with a session of it, since those show the name too.  Also sets
 * d->sessions_changed.  Safe to call when feeds are off.
 */
void	feeds_touch_roster(struct coachd *d, enum store_feed_kind kind,
	    const char *id);
/*
 * A handler changed roster records wholesale (an import updated some):
 * every feed is re-rendered after the commit.
 */
void	feeds_touch_all(struct coachd *d);
/*
 * A handler issued or revoked a feed token: after the commit the new
 * token's feed is rendered and the old one answers 410, and no other feed
 * is re-rendered for it.  Also sets d->sessions_changed.
 */
void	feeds_tokens_changed(struct coachd *d);
/*
 * After a commit (coachd_after_commit): pick up new and revoked feed
 * tokens, re-render touched feeds (all feeds when neither feeds_touch()
 * nor feeds_tokens_changed() said what changed).
 */
void	feeds_republish(struct coachd *d);
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
