/*
 * ics: the pure iCalendar (RFC 5545 / RFC 7986) rendering engine.
 *
 * Plain structs in, a malloc'd UTF-8 body out: no I/O, no clocks, no
 * globals of our own.  The same input always gives the same bytes, so a
 * feed's ETag only changes when its sessions do (DTSTAMP is taken from
 * each event's last_modified, never from "now").
 *
 * A renderer is created once per district time zone: it clones libical's
 * built-in VTIMEZONE, renames its TZID to the plain IANA name, drops
 * observances that ended before `since_year`, and keeps the folded text so
 * that rendering 100,000 feeds does not rebuild it 100,000 times.
 */
#ifndef ICS_H
#define ICS_H

#include <stddef.h>
#include <time.h>

#define ICS_DEFAULT_REFRESH	3600	/* seconds, REFRESH-INTERVAL / TTL */

/* RFC 5545 VEVENT STATUS. */
enum ics_status {
	ICS_CONFIRMED = 0,
	ICS_CANCELLED = 1,
	ICS_TENTATIVE = 2	/* proposed, not yet agreed */
};

/* Local wall-clock time in the district zone (no offset, no DST flag). */
struct ics_time {
	int	year, month, day;	/* 1970..9999, 1..12, 1..31 */
	int	hour, minute, second;
};

/* ORGANIZER / ATTENDEE: email required, name optional (CN). */
struct ics_person {
	const char	*name;
	const char	*email;
};

/* One coaching session.  All strings are UTF-8, borrowed for the call. */
struct ics_event {
	const char		 *uid;		/* stable, never reused */
	enum ics_status		  status;
	unsigned int		  sequence;	/* raised on time/place change */
	struct ics_time		  start, end;	/* local, district zone */
	const char		 *summary;
	const char		 *location;	/* NULL = none */
	const char		 *description;	/* NULL = none; never notes */
	const char *const	 *categories;	/* ncategories entries */
	size_t			  ncategories;
	struct ics_person	  organizer;	/* email NULL = none */
	const struct ics_person	 *attendees;
	size_t			  nattendees;
	time_t			  created;	/* UTC, CREATED */
	time_t			  last_modified; /* UTC, LAST-MODIFIED, DTSTAMP */
};

/* Calendar-level data. */
struct ics_calendar {
	const char	*name;		/* NAME and X-WR-CALNAME */
	const char	*prodid;	/* NULL = "-//coachd//coachd//EN" */
	unsigned int	 refresh_secs;	/* 0 = ICS_DEFAULT_REFRESH */
};

struct ics_renderer;

/*
 * Create a renderer for IANA zone `tzid` (e.g. "America/Chicago").
 * Observances whose last onset is before 1 January of `since_year` are
 * left out of the VTIMEZONE (the one in force at that date is kept);
 * since_year 0 keeps the full history.  NULL + err on failure.
 */
struct ics_renderer	*ics_renderer_new(const char *tzid, int since_year,
			    char *err, size_t errlen);
void			 ics_renderer_free(struct ics_renderer *);

/* The folded VTIMEZONE text the renderer puts in every feed. */
const char		*ics_renderer_vtimezone(const struct ics_renderer *,
			    size_t *len);

/*
 * Render one feed.  Events are written sorted by (start, uid), whatever
 * the input order.  On success *out is a malloc'd NUL-terminated body the
 * caller frees, *outlen its length; returns 0.  On bad input (invalid
 * UTF-8, impossible time, missing uid...) returns -1 and fills err.
 */
int	ics_render(struct ics_renderer *, const struct ics_calendar *,
	    const struct ics_event *events, size_t nevents,
	    char **out, size_t *outlen, char *err, size_t errlen);

/*
 * Render once, assemble many times: a session shows up in its teacher's,
 * its coach's and its school's feed, so the daemon can keep each
 * session's rendered VEVENT and only re-render the sessions that change.
 * ics_render() is exactly ics_render_vevent() on every event followed by
 * ics_assemble(), so both paths give the same bytes.
 */
struct ics_block {
	struct ics_time	 start;		/* sort key, as in the event */
	const char	*uid;		/* sort key */
	const char	*text;		/* from ics_render_vevent() */
	size_t		 len;
};

/* One folded VEVENT (BEGIN..END, CRLF) into malloc'd *out.  0 or -1. */
int	ics_render_vevent(const struct ics_renderer *, const struct ics_event *,
	    char **out, size_t *outlen, char *err, size_t errlen);

/* Calendar header + VTIMEZONE + blocks sorted by (start, uid) + END. */
int	ics_assemble(const struct ics_renderer *, const struct ics_calendar *,
	    const struct ics_block *blocks, size_t nblocks, char **out,
	    size_t *outlen, char *err, size_t errlen);

/*
 * RFC 5545 TEXT escaping (backslash, comma, semicolon, newline) of a
 * UTF-8 string, for values libical leaves alone (X- properties).
 * Returns a malloc'd string, or NULL on invalid UTF-8.
 */
char	*ics_escape_text(const char *);

/*
 * Re-fold content lines: unfold whatever folding the input has, end every
 * line with CRLF and fold at 75 octets without splitting a UTF-8
 * sequence.  Returns a malloc'd string (length in *outlen).
 */
char	*ics_fold(const char *in, size_t len, size_t *outlen);

#endif /* ICS_H */
