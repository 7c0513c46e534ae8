/*
 * rpc_caps: what other areas use of the time-caps area (whose handlers
 * are listed in rpc_ops.h): the effective policy (categories file plus
 * runtime overrides) and the scheduler's "may I book this?" checks.
 *
 * The categories file is the daemon's (struct rpc_caps_file), loaded at
 * start-up and again on SIGHUP and handed over as ctx->categories.
 */
#ifndef RPC_CAPS_H
#define RPC_CAPS_H

#include <stddef.h>

#include "caps.h"
#include "config.h"
#include "rpc.h"

struct store;

/* The categories file as loaded: its text, parsed per request, and name. */
struct rpc_caps_file {
	char	*text;			/* NULL until loaded */
	char	 name[CONFIG_PATH_MAX];	/* base name, for messages */
};

/*
 * Make text (the categories file as read, heap-allocated and taken over
 * in every case; name is its base name, for messages) the loaded one if
 * it parses.  On failure the old one stays and err says why
 * ("categories.conf:12: ...").  Returns 0 or -1.
 */
int	rpc_caps_load(struct rpc_caps_file *cf, char *text, const char *name,
	    char *err, size_t errlen);
/* Free the loaded categories (at exit). */
void	rpc_caps_free(struct rpc_caps_file *cf);

/*
 * The policy in force: the loaded categories file with the runtime
 * overrides of caps_overrides applied.  *out is the caller's; free it with
 * caps_policy_free().  Returns 0 or -1 with err.
 */
int	rpc_caps_policy(const struct rpc_ctx *, struct caps_policy *out,
	    char *err, size_t errlen);

/*
 * The category a scheduled session of this kind counts under
 * ("meeting" -> "cycle-meeting", "observation", "debrief", "modelling");
 * other kinds count under their own name.
 */
const char *caps_session_category(const char *kind);

/*
 * The scheduler's check before booking a session (call it BEFORE inserting
 * the session row): would `minutes` more of `category` for `coach` (working
 * at `school`, may be NULL) on `date` ("YYYY-MM-DD", district local) pass
 * a hard cap, counting the coach's sessions and log entries of that week
 * (and term)?  Returns 1 when the booking is allowed, 0 when refused with
 * a sentence for the user in reason (e.g. "data-work: 3h30m already this
 * week, 45 more minutes make 4h15m, past the cap of 4h (district level)"),
 * -1 on an error (bad date, storage error; reason says what).  A
 * will-not-do category is refused (sessions carry no override).
 */
int	caps_booking_allowed(const struct rpc_ctx *, const char *coach,
	    const char *school, const char *category, int minutes,
	    const char *date, char *reason, size_t reasonlen);

/* One session to book (strings borrowed). */
struct caps_booking {
	const char	*school;	/* may be NULL */
	const char	*category;	/* caps_session_category(kind) */
	const char	*date;		/* "YYYY-MM-DD", district local */
	int		 minutes;
};

/*
 * caps_booking_allowed() for several sessions booked together (a
 * coaching cycle is booked whole or not at all): the minutes of one
 * category in one week are summed and checked as one booking, so three
 * sessions that pass one by one cannot together pass a cap.  Returns as
 * caps_booking_allowed (1 allowed, 0 refused with reason, -1 error).
 */
int	caps_bookings_allowed(const struct rpc_ctx *, const char *coach,
	    const struct caps_booking *b, size_t n, char *reason,
	    size_t reasonlen);

#endif
