/*
 * ics: render coaching sessions as an iCalendar feed (RFC 5545, RFC 7986).
 *
 * Properties and components are built with libical, which does the TEXT
 * escaping and value formatting.  Its output then goes through our own
 * folding pass (ics_text.c): whatever libical's folding does, every feed
 * ends up with CRLF line ends and lines folded at 75 octets on UTF-8
 * boundaries, and a libical upgrade cannot change the bytes (and so every
 * ETag) behind our back.  X- properties are written by hand because
 * libical only half escapes their values.
 *
 * The calendar is never built as one big libical tree: the header, the
 * pre-rendered VTIMEZONE (ics_tz.c) and each VEVENT are appended to one
 * buffer, so a feed costs one small component at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "errmsg.h"
#include "ics.h"
#include "ics_int.h"
#include "xmalloc.h"

#define ICS_PRODID	"-//coachd//coachd//EN"

/* Local wall time -> libical floating time; -1 if impossible. */
static int
local_time(const struct ics_time *t, struct icaltimetype *out)
{
	struct icaltimetype	tt = icaltime_null_time();

	if (t->year < 1970 || t->year > 9999 || t->month < 1 ||
	    t->month > 12 || t->day < 1 ||
	    t->day > icaltime_days_in_month(t->month, t->year) ||
	    t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59 ||
	    t->second < 0 || t->second > 59)
		return -1;
	tt.year = t->year;
	tt.month = t->month;
	tt.day = t->day;
	tt.hour = t->hour;
	tt.minute = t->minute;
	tt.second = t->second;
	tt.is_date = 0;
	*out = tt;
	return 0;
}

static int
time_cmp(const struct ics_time *a, const struct ics_time *b)
{
	const int	av[6] = { a->year, a->month, a->day, a->hour,
			    a->minute, a->second };
	const int	bv[6] = { b->year, b->month, b->day, b->hour,
			    b->minute, b->second };
	int		i;

	for (i = 0; i < 6; i++) {
		if (av[i] != bv[i])
			return av[i] < bv[i] ? -1 : 1;
	}
	return 0;
}

static struct icaltimetype
utc_time(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone());
}

/* Add a TEXT property built by `mk` from a cleaned copy of s. */
static int
add_text(icalcomponent *c, icalproperty *(*mk)(const char *), const char *s)
{
	char	*clean;

	if (s == NULL)
		return 0;
	if ((clean = ics_text_clean(s)) == NULL)
		return -1;
	icalcomponent_add_property(c, mk(clean));
	free(clean);
	return 0;
}

/* A local DTSTART/DTEND pointing at the feed's one VTIMEZONE by name. */
static void
add_local(icalcomponent *c, icalproperty *(*mk)(struct icaltimetype),
    struct icaltimetype t, const char *tzid)
{
	icalproperty	*p = mk(t);

	icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	icalcomponent_add_property(c, p);
}

/* ORGANIZER or ATTENDEE: mailto: URI, CN when there is a name. */
static int
add_person(icalcomponent *c, const struct ics_person *who, int organizer)
{
	icalproperty	*p;
	char		*uri = NULL, *cn = NULL;
	int		 rc = -1;

	if (who->email == NULL)
		return 0;
	if (!ics_utf8_valid(who->email) || strpbrk(who->email, "\r\n\"") != NULL)
		goto out;
	uri = xasprintf("mailto:%s", who->email);
	p = organizer ? icalproperty_new_organizer(uri) :
	    icalproperty_new_attendee(uri);
	if (who->name != NULL && *who->name != '\0') {
		if ((cn = ics_text_clean(who->name)) == NULL) {
			icalproperty_free(p);
			goto out;
		}
		/* libical quotes CN and encodes '"' the RFC 6868 way. */
		icalproperty_add_parameter(p, icalparameter_new_cn(cn));
	}
	if (!organizer) {
		icalproperty_add_parameter(p,
		    icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
	}
	icalcomponent_add_property(c, p);
	rc = 0;
out:
	free(uri);
	free(cn);
	return rc;
}

/*
 * CATEGORIES is a comma-separated list that libical does not escape, so a
 * comma inside one category would silently make two: flatten , ; \ to
 * spaces and give each category its own property.
 */
static int
add_category(icalcomponent *c, const char *cat)
{
	char	*clean, *p;

	if ((clean = ics_text_clean(cat)) == NULL)
		return -1;
	for (p = clean; *p != '\0'; p++) {
		if (*p == ',' || *p == ';' || *p == '\\' || *p == '\n')
			*p = ' ';
	}
	icalcomponent_add_property(c, icalproperty_new_categories(clean));
	free(clean);
	return 0;
}

static icalproperty_status
ics_status(const struct ics_event *e)
{
	switch (e->status) {
	case ICS_CANCELLED:
		return ICAL_STATUS_CANCELLED;
	case ICS_TENTATIVE:
		return ICAL_STATUS_TENTATIVE;
	case ICS_CONFIRMED:
		break;
	}
	return ICAL_STATUS_CONFIRMED;
}

/* Build, render and fold one VEVENT into b. */
static int
render_event(struct ics_buf *b, const struct ics_renderer *r,
    const struct ics_event *e, char *err, size_t errlen)
{
	icalcomponent		*c;
	struct icaltimetype	 st, en;
	char			*s;
	size_t			 i;
	int			 rc = -1;

	if (e->uid == NULL || *e->uid == '\0' || !ics_utf8_valid(e->uid)) {
		errmsg(err, errlen, "event without valid uid");
		return -1;
	}
	if (local_time(&e->start, &st) != 0 || local_time(&e->end, &en) != 0 ||
	    time_cmp(&e->start, &e->end) >= 0) {
		errmsg(err, errlen, "event %s: bad start/end", e->uid);
		return -1;
	}
	if ((c = icalcomponent_new(ICAL_VEVENT_COMPONENT)) == NULL) {
		errmsg(err, errlen, "event %s: libical render failed", e->uid);
		return -1;
	}
	if (add_text(c, icalproperty_new_uid, e->uid) != 0)
		goto bad;
	icalcomponent_add_property(c,
	    icalproperty_new_dtstamp(utc_time(e->last_modified)));
	add_local(c, icalproperty_new_dtstart, st, r->tzid);
	add_local(c, icalproperty_new_dtend, en, r->tzid);
	icalcomponent_add_property(c,
	    icalproperty_new_sequence((int)e->sequence));
	icalcomponent_add_property(c, icalproperty_new_status(ics_status(e)));
	/*
	 * A cancelled slot must not block the calendar owner's time; a
	 * tentative one does, so nothing else is booked on top of it.
	 */
	icalcomponent_add_property(c, icalproperty_new_transp(
	    e->status == ICS_CANCELLED ? ICAL_TRANSP_TRANSPARENT :
	    ICAL_TRANSP_OPAQUE));
	if (add_text(c, icalproperty_new_summary,
	    e->summary != NULL ? e->summary : "Coaching") != 0 ||
	    add_text(c, icalproperty_new_location, e->location) != 0 ||
	    add_text(c, icalproperty_new_description, e->description) != 0)
		goto bad;
	for (i = 0; i < e->ncategories; i++) {
		if (add_category(c, e->categories[i]) != 0)
			goto bad;
	}
	if (add_person(c, &e->organizer, 1) != 0)
		goto bad;
	for (i = 0; i < e->nattendees; i++) {
		if (add_person(c, &e->attendees[i], 0) != 0)
			goto bad;
	}
	icalcomponent_add_property(c,
	    icalproperty_new_created(utc_time(e->created)));
	icalcomponent_add_property(c,
	    icalproperty_new_lastmodified(utc_time(e->last_modified)));
	if ((s = icalcomponent_as_ical_string_r(c)) == NULL) {
		errmsg(err, errlen, "event %s: libical render failed",
		    e->uid);
		goto out;
	}
	ics_fold_into(b, s, strlen(s));
	free(s);
	rc = 0;
	goto out;
bad:
	errmsg(err, errlen, "event %s: invalid UTF-8 or address", e->uid);
out:
	icalcomponent_free(c);
	return rc;
}

/* Fold one libical property (freed here) into b. */
static void
add_prop(struct ics_buf *b, icalproperty *p)
{
	char	*s;

	if ((s = icalproperty_as_ical_string_r(p)) != NULL) {
		ics_fold_into(b, s, strlen(s));
		free(s);
	} else
		b->failed = 1;
	icalproperty_free(p);
}

/* Hand-written X- line: NAME ':' value, folded. */
static void
add_xline(struct ics_buf *b, const char *name, const char *value)
{
	struct ics_buf	l = { 0 };

	ics_buf_str(&l, name);
	ics_buf_add(&l, ":", 1);
	ics_buf_str(&l, value);
	if (l.failed)
		b->failed = 1;
	else
		ics_fold_into(b, l.p, l.len);
	free(l.p);
}

/* VCALENDAR properties: no METHOD, so the body is a plain publication. */
static int
render_header(struct ics_buf *b, const struct ics_renderer *r,
    const struct ics_calendar *cal, char *err, size_t errlen)
{
	struct icaldurationtype	 d;
	icalproperty		*p;
	char			*name = NULL, *esc = NULL, *dur = NULL;
	unsigned int		 secs;
	int			 rc = -1;

	secs = cal->refresh_secs ? cal->refresh_secs : ICS_DEFAULT_REFRESH;
	d = icaldurationtype_from_int((int)secs);
	if ((name = ics_text_clean(cal->name != NULL ? cal->name : "coachd")) ==
	    NULL || (esc = ics_escape_text(name)) == NULL ||
	    (dur = icaldurationtype_as_ical_string_r(d)) == NULL) {
		errmsg(err, errlen, "calendar name: invalid UTF-8");
		goto out;
	}
	if (cal->prodid != NULL && !ics_utf8_valid(cal->prodid)) {
		errmsg(err, errlen, "prodid: invalid UTF-8");
		goto out;
	}
	ics_buf_str(b, "BEGIN:VCALENDAR\r\n");
	add_prop(b, icalproperty_new_version("2.0"));
	add_prop(b, icalproperty_new_prodid(cal->prodid != NULL ?
	    cal->prodid : ICS_PRODID));
	add_prop(b, icalproperty_new_calscale("GREGORIAN"));
	add_prop(b, icalproperty_new_name(name));
	add_xline(b, "X-WR-CALNAME", esc);
	p = icalproperty_new_refreshinterval(d);
	icalproperty_add_parameter(p, icalparameter_new_value(
	    ICAL_VALUE_DURATION));
	add_prop(b, p);
	add_xline(b, "X-PUBLISHED-TTL", dur);
	add_xline(b, "X-WR-TIMEZONE", r->tzid);
	ics_buf_add(b, r->vtz, r->vtzlen);
	rc = 0;
out:
	free(name);
	free(esc);
	free(dur);
	return rc;
}

int
ics_render_vevent(const struct ics_renderer *r, const struct ics_event *e,
    char **out, size_t *outlen, char *err, size_t errlen)
{
	struct ics_buf	b = { 0 };

	*out = NULL;
	*outlen = 0;
	if (render_event(&b, r, e, err, errlen) != 0) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*outlen = b.len;
	return 0;
}

static int
block_cmp(const void *a, const void *b)
{
	const struct ics_block	*ba = *(const struct ics_block *const *)a;
	const struct ics_block	*bb = *(const struct ics_block *const *)b;
	int			 c;

	if ((c = time_cmp(&ba->start, &bb->start)) != 0)
		return c;
	return strcmp(ba->uid, bb->uid);
}

int
ics_assemble(const struct ics_renderer *r, const struct ics_calendar *cal,
    const struct ics_block *blocks, size_t n, char **out, size_t *outlen,
    char *err, size_t errlen)
{
	struct ics_buf		  b = { 0 };
	const struct ics_block	**order = NULL;
	size_t			  i, total = 0;
	int			  rc = -1;

	*out = NULL;
	*outlen = 0;
	if (n > 0)
		order = xcalloc(n, sizeof(*order));
	for (i = 0; i < n; i++) {
		if (blocks[i].uid == NULL || blocks[i].text == NULL) {
			errmsg(err, errlen, "block %zu without uid/text", i);
			goto out;
		}
		order[i] = &blocks[i];
		total += blocks[i].len;
	}
	/* Sorted so that the same sessions always give the same bytes. */
	if (n > 1)
		qsort(order, n, sizeof(*order), block_cmp);
	ics_buf_grow(&b, total + r->vtzlen + 1024);
	if (render_header(&b, r, cal, err, errlen) != 0)
		goto out;
	for (i = 0; i < n; i++)
		ics_buf_add(&b, order[i]->text, order[i]->len);
	ics_buf_str(&b, "END:VCALENDAR\r\n");
	if (b.failed) {
		errmsg(err, errlen, "calendar header: libical render failed");
		goto out;
	}
	*out = b.p;
	*outlen = b.len;
	b.p = NULL;
	rc = 0;
out:
	free(b.p);
	free(order);
	return rc;
}

int
ics_render(struct ics_renderer *r, const struct ics_calendar *cal,
    const struct ics_event *events, size_t nevents, char **out,
    size_t *outlen, char *err, size_t errlen)
{
	struct ics_block	*blocks = NULL;
	size_t			 i, done = 0;
	int			 rc = -1;

	*out = NULL;
	*outlen = 0;
	if (nevents > 0)
		blocks = xcalloc(nevents, sizeof(*blocks));
	for (done = 0; done < nevents; done++) {
		char	*t;
		size_t	 l;

		if (ics_render_vevent(r, &events[done], &t, &l, err,
		    errlen) != 0)
			goto out;
		blocks[done] = (struct ics_block){ events[done].start,
		    events[done].uid, t, l };
	}
	rc = ics_assemble(r, cal, blocks, nevents, out, outlen, err, errlen);
out:
	for (i = 0; i < done; i++)
		free((char *)(uintptr_t)blocks[i].text);
	free(blocks);
	return rc;
}
