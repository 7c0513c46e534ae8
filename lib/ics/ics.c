/*
 * ics: render coaching sessions as an iCalendar feed (RFC 5545, RFC 7986).
 *
 * Properties and components are built with libical, which does the TEXT
 * escaping and value formatting.  Its output then goes through our own
 * folding pass: whatever libical's folding does, every feed ends up with
 * CRLF line ends and lines folded at 75 octets on UTF-8 boundaries, and a
 * libical upgrade cannot change the bytes (and so every ETag) behind our
 * back.  X- properties are written by hand because libical only half
 * escapes their values.
 *
 * The calendar is never built as one big libical tree: the header, the
 * pre-rendered VTIMEZONE and each VEVENT are appended to one buffer, so a
 * feed costs one small component at a time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "ics.h"

#define ICS_FOLD	75
#define ICS_PRODID	"-//coachd//coachd//EN"

struct ics_renderer {
	char	*tzid;
	char	*vtz;		/* folded VTIMEZONE, CRLF ends */
	size_t	 vtzlen;
};

/* Growable output buffer; a failed allocation sticks until the end. */
struct ics_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

static int
buf_grow(struct ics_buf *b, size_t need)
{
	size_t	 ncap;
	char	*np;

	if (b->failed)
		return -1;
	if (b->len + need + 1 <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + need + 1)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->p = np;
	b->cap = ncap;
	return 0;
}

static void
buf_add(struct ics_buf *b, const char *s, size_t n)
{
	if (buf_grow(b, n) != 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct ics_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Length of the UTF-8 sequence starting with lead byte c (1 if broken). */
static size_t
utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

/* Strict UTF-8 check: no overlongs, no surrogates, nothing past U+10FFFF. */
static int
utf8_valid(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;
	uint32_t		 cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = utf8_seqlen(*p);
		if (n == 1)
			return 0;
		cp = *p & (0xff >> (n + 1));
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		p += n;
	}
	return 1;
}

/*
 * Append `in` to b re-folded: existing folds (CRLF or LF followed by one
 * space or tab) are undone, every line ends in CRLF, and a line is broken
 * before a character that would take it past 75 octets.
 */
static void
fold_into(struct ics_buf *b, const char *in, size_t len)
{
	size_t	 i = 0, col = 0, n;

	if (buf_grow(b, len + len / 32 + 8) != 0)
		return;
	while (i < len) {
		if (in[i] == '\r' || in[i] == '\n') {
			if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
				i++;
			i++;
			if (i < len && (in[i] == ' ' || in[i] == '\t')) {
				i++;	/* continuation of the same line */
				continue;
			}
			buf_add(b, "\r\n", 2);
			col = 0;
			continue;
		}
		n = utf8_seqlen((unsigned char)in[i]);
		if (n > len - i)
			n = len - i;
		if (col + n > ICS_FOLD) {
			buf_add(b, "\r\n ", 3);
			col = 1;
		}
		buf_add(b, in + i, n);
		col += n;
		i += n;
	}
	if (col > 0)
		buf_add(b, "\r\n", 2);
}

char *
ics_fold(const char *in, size_t len, size_t *outlen)
{
	struct ics_buf	b = { 0 };

	fold_into(&b, in, len);
	if (b.failed || b.p == NULL) {
		free(b.p);
		return NULL;
	}
	if (outlen != NULL)
		*outlen = b.len;
	return b.p;
}

/*
 * Copy of a TEXT value that libical can escape safely: CRLF and lone CR
 * become LF (escaped as \n later), other control characters become spaces
 * since RFC 5545 TEXT cannot carry them.  NULL on invalid UTF-8.
 */
static char *
text_clean(const char *s)
{
	char	*out, *o;

	if (!utf8_valid(s))
		return NULL;
	if ((out = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (o = out; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\r') {
			*o++ = '\n';
			if (s[1] == '\n')
				s++;
		} else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
			*o++ = (char)c;
		else
			*o++ = ' ';
	}
	*o = '\0';
	return out;
}

char *
ics_escape_text(const char *s)
{
	char	*clean, *out, *o, *p;

	if ((clean = text_clean(s)) == NULL)
		return NULL;
	if ((out = malloc(strlen(clean) * 2 + 1)) == NULL) {
		free(clean);
		return NULL;
	}
	for (o = out, p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
		case ';':
		case ',':
			*o++ = '\\';
			*o++ = *p;
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		default:
			*o++ = *p;
			break;
		}
	}
	*o = '\0';
	free(clean);
	return out;
}

/* Last onset of a STANDARD/DAYLIGHT observance as yyyymmdd (open = max). */
static long
obs_last_onset(icalcomponent *obs)
{
	icalproperty		*p;
	struct icaltimetype	 t;
	struct icalrecurrencetype r;
	struct icaldatetimeperiodtype rd;
	long			 last = 0, v;

	p = icalcomponent_get_first_property(obs, ICAL_RRULE_PROPERTY);
	if (p != NULL) {
		r = icalproperty_get_rrule(p);
		if (icaltime_is_null_time(r.until))
			return 99999999L;
		return r.until.year * 10000L + r.until.month * 100 +
		    r.until.day;
	}
	p = icalcomponent_get_first_property(obs, ICAL_DTSTART_PROPERTY);
	if (p != NULL) {
		t = icalproperty_get_dtstart(p);
		last = t.year * 10000L + t.month * 100 + t.day;
	}
	p = icalcomponent_get_first_property(obs, ICAL_RDATE_PROPERTY);
	for (; p != NULL; p = icalcomponent_get_next_property(obs,
	    ICAL_RDATE_PROPERTY)) {
		rd = icalproperty_get_rdate(p);
		v = rd.time.year * 10000L + rd.time.month * 100 + rd.time.day;
		if (v > last)
			last = v;
	}
	return last;
}

/*
 * Drop observances that ended before since_year, except the latest of
 * them, which is the one still in force on 1 January of since_year.
 * Feeds carry this zone in every body, so the 1883-onwards history
 * libical generates would multiply across 100,000 feeds for nothing.
 */
static int
vtz_trim(icalcomponent *vtz, int since_year)
{
	icalcomponent	*c, **drop = NULL, *keep = NULL;
	size_t		 n = 0, cap = 0, i;
	long		 cutoff = since_year * 10000L + 101, last, best = -1;

	for (c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT);
	    c != NULL;
	    c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		if ((last = obs_last_onset(c)) >= cutoff)
			continue;
		if (n == cap) {
			icalcomponent **nd;

			cap = cap ? cap * 2 : 32;
			if ((nd = realloc(drop, cap * sizeof(*drop))) == NULL) {
				free(drop);
				return -1;
			}
			drop = nd;
		}
		drop[n++] = c;
		if (last > best) {
			best = last;
			keep = c;
		}
	}
	for (i = 0; i < n; i++) {
		if (drop[i] == keep)
			continue;
		icalcomponent_remove_component(vtz, drop[i]);
		icalcomponent_free(drop[i]);
	}
	free(drop);
	return 0;
}

/* Clone the built-in zone, rename TZID to the plain IANA name, render. */
static int
vtz_prepare(struct ics_renderer *r, int since_year, char *err, size_t errlen)
{
	icaltimezone	*zone;
	icalcomponent	*comp, *clone = NULL;
	icalproperty	*p, *next;
	struct ics_buf	 b = { 0 };
	char		*s = NULL;
	int		 rc = -1;

	/* Built-in zones belong to libical: never freed here. */
	zone = icaltimezone_get_builtin_timezone(r->tzid);
	if (zone == NULL || (comp = icaltimezone_get_component(zone)) == NULL) {
		snprintf(err, errlen, "unknown time zone %s", r->tzid);
		goto out;
	}
	if ((clone = icalcomponent_new_clone(comp)) == NULL) {
		snprintf(err, errlen, "cannot clone VTIMEZONE");
		goto out;
	}
	p = icalcomponent_get_first_property(clone, ICAL_TZID_PROPERTY);
	if (p == NULL) {
		snprintf(err, errlen, "VTIMEZONE without TZID");
		goto out;
	}
	icalproperty_set_tzid(p, r->tzid);
	/* X-LIC-LOCATION only repeats the name; one line less per feed. */
	for (p = icalcomponent_get_first_property(clone, ICAL_X_PROPERTY);
	    p != NULL; p = next) {
		next = icalcomponent_get_next_property(clone, ICAL_X_PROPERTY);
		icalcomponent_remove_property(clone, p);
		icalproperty_free(p);
	}
	if (since_year > 0 && vtz_trim(clone, since_year) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if ((s = icalcomponent_as_ical_string_r(clone)) == NULL) {
		snprintf(err, errlen, "cannot render VTIMEZONE");
		goto out;
	}
	fold_into(&b, s, strlen(s));
	if (b.failed) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	r->vtz = b.p;
	r->vtzlen = b.len;
	b.p = NULL;
	rc = 0;
out:
	free(b.p);
	free(s);
	if (clone != NULL)
		icalcomponent_free(clone);
	return rc;
}

struct ics_renderer *
ics_renderer_new(const char *tzid, int since_year, char *err, size_t errlen)
{
	struct ics_renderer	*r;

	if (tzid == NULL || *tzid == '\0' || strchr(tzid, '\n') != NULL ||
	    strlen(tzid) > 64) {
		snprintf(err, errlen, "bad time zone name");
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->tzid = strdup(tzid)) == NULL) {
		free(r);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (vtz_prepare(r, since_year, err, errlen) != 0) {
		ics_renderer_free(r);
		return NULL;
	}
	return r;
}

void
ics_renderer_free(struct ics_renderer *r)
{
	if (r == NULL)
		return;
	free(r->tzid);
	free(r->vtz);
	free(r);
}

const char *
ics_renderer_vtimezone(const struct ics_renderer *r, size_t *len)
{
	if (len != NULL)
		*len = r->vtzlen;
	return r->vtz;
}

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
	if ((clean = text_clean(s)) == NULL)
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
	size_t		 n;
	int		 rc = -1;

	if (who->email == NULL)
		return 0;
	if (!utf8_valid(who->email) || strpbrk(who->email, "\r\n\"") != NULL)
		goto out;
	n = strlen(who->email) + 8;
	if ((uri = malloc(n)) == NULL)
		goto out;
	snprintf(uri, n, "mailto:%s", who->email);
	p = organizer ? icalproperty_new_organizer(uri) :
	    icalproperty_new_attendee(uri);
	if (who->name != NULL && *who->name != '\0') {
		if ((cn = text_clean(who->name)) == NULL) {
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

	if ((clean = text_clean(cat)) == NULL)
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

	if (e->uid == NULL || *e->uid == '\0' || !utf8_valid(e->uid)) {
		snprintf(err, errlen, "event without valid uid");
		return -1;
	}
	if (local_time(&e->start, &st) != 0 || local_time(&e->end, &en) != 0 ||
	    time_cmp(&e->start, &e->end) >= 0) {
		snprintf(err, errlen, "event %s: bad start/end", e->uid);
		return -1;
	}
	if ((c = icalcomponent_new(ICAL_VEVENT_COMPONENT)) == NULL) {
		snprintf(err, errlen, "out of memory");
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
		snprintf(err, errlen, "event %s: libical render failed",
		    e->uid);
		goto out;
	}
	fold_into(b, s, strlen(s));
	free(s);
	rc = 0;
	goto out;
bad:
	snprintf(err, errlen, "event %s: invalid UTF-8 or address", e->uid);
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
		fold_into(b, s, strlen(s));
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

	buf_str(&l, name);
	buf_add(&l, ":", 1);
	buf_str(&l, value);
	if (l.failed)
		b->failed = 1;
	else
		fold_into(b, l.p, l.len);
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
	if ((name = text_clean(cal->name != NULL ? cal->name : "coachd")) ==
	    NULL || (esc = ics_escape_text(name)) == NULL ||
	    (dur = icaldurationtype_as_ical_string_r(d)) == NULL) {
		snprintf(err, errlen, "calendar name: invalid UTF-8");
		goto out;
	}
	if (cal->prodid != NULL && !utf8_valid(cal->prodid)) {
		snprintf(err, errlen, "prodid: invalid UTF-8");
		goto out;
	}
	buf_str(b, "BEGIN:VCALENDAR\r\n");
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
	buf_add(b, r->vtz, r->vtzlen);
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
	if (render_event(&b, r, e, err, errlen) != 0 || b.failed) {
		if (b.failed)
			snprintf(err, errlen, "out of memory");
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
	if (n > 0 && (order = calloc(n, sizeof(*order))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (blocks[i].uid == NULL || blocks[i].text == NULL) {
			snprintf(err, errlen, "block %zu without uid/text", i);
			goto out;
		}
		order[i] = &blocks[i];
		total += blocks[i].len;
	}
	/* Sorted so that the same sessions always give the same bytes. */
	if (n > 1)
		qsort(order, n, sizeof(*order), block_cmp);
	if (buf_grow(&b, total + r->vtzlen + 1024) != 0 ||
	    render_header(&b, r, cal, err, errlen) != 0)
		goto out;
	for (i = 0; i < n; i++)
		buf_add(&b, order[i]->text, order[i]->len);
	buf_str(&b, "END:VCALENDAR\r\n");
	if (b.failed) {
		snprintf(err, errlen, "out of memory");
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
	if (nevents > 0 &&
	    (blocks = calloc(nevents, sizeof(*blocks))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
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
