/*
 * rpc_feed: handlers of the feed_url and feed_rotate operations: issue
 * and rotate the secret URLs of teachers', coaches' and schools'
 * iCalendar feeds.  They record new tokens in the change set; the feeds
 * commit hook publishes them once the batch commits (feeds.c).
 */
#ifndef RPC_FEED_H
#define RPC_FEED_H

#include "rpc.h"

#endif
