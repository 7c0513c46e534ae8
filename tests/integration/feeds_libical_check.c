/*
 * feeds_libical_check: parse iCalendar files with libical, the way a
 * libical-based client (Evolution) reads a feed, and print one line per
 * file: "FILE EVENTS ERRORS" where ERRORS counts X-LIC-ERROR properties
 * libical added while parsing and VEVENTs without UID/DTSTART/DTEND.
 * Used by tests/integration/test_feeds.py.  Exit 1 when any file fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf = NULL;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = calloc(1, (size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int
count_errors(icalcomponent *c)
{
	icalcomponent	*sub;
	int		 n;

	n = icalcomponent_count_properties(c, ICAL_XLICERROR_PROPERTY);
	for (sub = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    sub != NULL;
	    sub = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += count_errors(sub);
	return n;
}

static int
check(const char *path)
{
	icalcomponent	*cal, *ev;
	char		*text;
	int		 nev = 0, nerr;

	if ((text = slurp(path)) == NULL) {
		printf("%s 0 unreadable\n", path);
		return -1;
	}
	cal = icalparser_parse_string(text);
	free(text);
	if (cal == NULL) {
		printf("%s 0 unparsable\n", path);
		return -1;
	}
	nerr = count_errors(cal);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		nev++;
		if (icalcomponent_get_uid(ev) == NULL ||
		    icaltime_is_null_time(icalcomponent_get_dtstart(ev)) ||
		    icaltime_is_null_time(icalcomponent_get_dtend(ev)))
			nerr++;
	}
	icalcomponent_free(cal);
	printf("%s %d %d\n", path, nev, nerr);
	return nerr == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	int	i, rc = 0;

	for (i = 1; i < argc; i++)
		if (check(argv[i]) == -1)
			rc = 1;
	icaltimezone_free_builtin_timezones();
	return rc;
}
