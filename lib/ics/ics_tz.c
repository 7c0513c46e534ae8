/*
 * ics_tz: the renderer and the one VTIMEZONE it puts in every feed.
 * libical's built-in zone is cloned, its TZID renamed to the plain IANA
 * name, observances that ended before since_year dropped, and the result
 * folded once, so that rendering 100,000 feeds does not rebuild it
 * 100,000 times.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "errmsg.h"
#include "ics.h"
#include "ics_int.h"
#include "xmalloc.h"

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
static void
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
		xgrow((void **)&drop, &cap, n + 1, sizeof(*drop));
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
		errmsg(err, errlen, "unknown time zone %s", r->tzid);
		goto out;
	}
	if ((clone = icalcomponent_new_clone(comp)) == NULL) {
		errmsg(err, errlen, "cannot clone VTIMEZONE");
		goto out;
	}
	p = icalcomponent_get_first_property(clone, ICAL_TZID_PROPERTY);
	if (p == NULL) {
		errmsg(err, errlen, "VTIMEZONE without TZID");
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
	if (since_year > 0)
		vtz_trim(clone, since_year);
	if ((s = icalcomponent_as_ical_string_r(clone)) == NULL) {
		errmsg(err, errlen, "cannot render VTIMEZONE");
		goto out;
	}
	ics_fold_into(&b, s, strlen(s));
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
		errmsg(err, errlen, "bad time zone name");
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->tzid = xstrdup(tzid);
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
