/*
 * rpc_feed: handlers of the feed_url and feed_rotate operations (issue 7):
 * issue and rotate the secret URLs of teachers', coaches' and schools'
 * iCalendar feeds.  Publishing happens after the batch commits (feeds.c).
 */
#ifndef RPC_FEED_H
#define RPC_FEED_H

#include "rpc.h"

#endif
