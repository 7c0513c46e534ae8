/*
 * feed-ics-check: parse iCalendar files with libical (the third real
 * parser of the interop tests, next to python-icalendar and ical.js) and
 * print one line per file:
 *
 *	FILE vtimezones=N events=N uids_unique=0|1 tzids_defined=0|1
 *	    errors=N incomplete=N seq:UID=N... status:UID=S...
 *
 * errors counts the X-LIC-ERROR properties libical attaches to anything
 * it could not parse, incomplete the VEVENTs without UID, DTSTART or
 * DTEND (what a libical client such as Evolution would drop).  Exit
 * status 1 if a file cannot be read or parsed.  Used by test_feeds.py,
 * test_feeds_district.py and feed_parsers.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "errmsg.h"
#include "file.h"

#define FEED_MAX	((size_t)1 << 30)

/* Every TZID parameter on DTSTART/DTEND names a VTIMEZONE in cal. */
static int
tzids_defined(icalcomponent *cal, icalcomponent *ev)
{
	icalproperty		*p;
	icalparameter		*par;
	icalproperty_kind	 kinds[2] = { ICAL_DTSTART_PROPERTY,
				    ICAL_DTEND_PROPERTY };
	int			 i;

	for (i = 0; i < 2; i++) {
		p = icalcomponent_get_first_property(ev, kinds[i]);
		if (p == NULL)
			continue;
		par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
		if (par != NULL &&
		    icalcomponent_get_timezone(cal,
		    icalparameter_get_tzid(par)) == NULL)
			return 0;
	}
	return 1;
}

static int
uid_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
check(const char *path)
{
	icalcomponent	*cal, *c;
	const char	**uids = NULL;
	char		*text, err[ERRMSG_LEN];
	size_t		 n = 0, i;
	int		 nvtz = 0, unique = 1, defined = 1, incomplete = 0;

	if ((text = file_read(path, FEED_MAX, NULL, err, sizeof err)) == NULL) {
		fprintf(stderr, "feed-ics-check: %s\n", err);
		return -1;
	}
	cal = icalparser_parse_string(text);
	free(text);
	if (cal == NULL || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		if (cal != NULL)
			icalcomponent_free(cal);
		return -1;
	}
	nvtz = icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT);
	n = (size_t)icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT);
	uids = calloc(n + 1, sizeof(*uids));
	printf("%s", path);
	i = 0;
	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    c != NULL && uids != NULL;
	    c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		uids[i++] = icalcomponent_get_uid(c);
		if (!tzids_defined(cal, c))
			defined = 0;
		if (icalcomponent_get_uid(c) == NULL ||
		    icaltime_is_null_time(icalcomponent_get_dtstart(c)) ||
		    icaltime_is_null_time(icalcomponent_get_dtend(c)))
			incomplete++;
	}
	if (uids != NULL) {
		qsort(uids, n, sizeof(*uids), uid_cmp);
		for (i = 1; i < n; i++) {
			if (strcmp(uids[i - 1], uids[i]) == 0)
				unique = 0;
		}
	}
	printf(" vtimezones=%d events=%zu uids_unique=%d tzids_defined=%d "
	    "errors=%d incomplete=%d", nvtz, n, unique, defined,
	    icalcomponent_count_errors(cal), incomplete);	/* recursive */
	for (c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    c != NULL;
	    c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		const char *st = icalproperty_status_to_string(
		    icalcomponent_get_status(c));

		printf(" seq:%s=%d status:%s=%s", icalcomponent_get_uid(c),
		    icalcomponent_get_sequence(c), icalcomponent_get_uid(c),
		    st != NULL ? st : "NONE");
	}
	printf("\n");
	free(uids);
	icalcomponent_free(cal);
	return 0;
}

int
main(int argc, char **argv)
{
	int	i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (check(argv[i]) != 0) {
			fprintf(stderr, "feed-ics-check: cannot parse %s\n",
			    argv[i]);
			rc = 1;
		}
	}
	return rc;
}
