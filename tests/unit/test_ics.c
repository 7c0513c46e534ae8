/*
 * test_ics: unit tests for the pure iCalendar renderer (lib/ics/ics.c):
 * escaping, folding on UTF-8 boundaries, CRLF, the single plain-TZID
 * VTIMEZONE, byte-stable output and cancelled events.  Round trips go
 * through libical's own parser so we check meaning, not only bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "ics.h"

#define TZ	"America/Chicago"

static const char *const cats[2] = { "Coaching", "A, B; C" };

static struct ics_event
mkevent(const char *uid, int day)
{
	struct ics_event	e = {
		.uid = uid,
		.status = ICS_CONFIRMED,
		.sequence = 2,
		.start = { 2026, 12, day, 9, 5, 0 },
		.end = { 2026, 12, day, 9, 50, 0 },
		.summary = "Coaching: observation, 3rd period Biology",
		.location = "Lincoln High; Room 12",
		.description = "line one\nline two, with comma\\",
		.categories = cats,
		.ncategories = 2,
		.organizer = { "Ana \"Coach\" Núñez", "ana@coach.test" },
		.created = 1790000000,
		.last_modified = 1790003600,
	};

	return e;
}

static char *
render(struct ics_renderer *r, const char *name,
    const struct ics_event *ev, size_t n, size_t *len)
{
	struct ics_calendar	 cal = { .name = name, .refresh_secs = 1800 };
	char			*out = NULL, err[256];
	size_t			 l = 0;

	assert_int_equal(ics_render(r, &cal, ev, n, &out, &l, err,
	    sizeof(err)), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), l);
	if (len != NULL)
		*len = l;
	return out;
}

static int
setup(void **state)
{
	char	err[256];

	*state = ics_renderer_new(TZ, 2025, err, sizeof(err));
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	ics_renderer_free(*state);
	return 0;
}

/* Every line ends CRLF, is <= 75 octets, and no fold splits UTF-8. */
static void
check_lines(const char *s, size_t len)
{
	size_t	i = 0, start = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			assert_true(i > 0 && s[i - 1] == '\r');
			assert_true(i - 1 - start <= 75);
			start = i + 1;
			/* A continuation line must not start mid-sequence. */
			if (start + 1 < len && s[start] == ' ')
				assert_false(((unsigned char)s[start + 1] &
				    0xc0) == 0x80);
		} else if (s[i] == '\r')
			assert_true(i + 1 < len && s[i + 1] == '\n');
	}
	assert_int_equal(start, len);	/* ends with CRLF */
}

static size_t
count(const char *hay, const char *needle)
{
	size_t		 n = 0;
	const char	*p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void
test_structure(void **state)
{
	struct ics_event	 ev[2] = { mkevent("a@x", 3), mkevent("b@x", 4) };
	char			*out;
	size_t			 len;

	out = render(*state, "Coaching", ev, 2, &len);
	check_lines(out, len);
	assert_int_equal(strncmp(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n",
	    29), 0);
	assert_non_null(strstr(out, "\r\nEND:VCALENDAR\r\n"));
	assert_int_equal(count(out, "BEGIN:VTIMEZONE\r\n"), 1);
	assert_non_null(strstr(out, "\r\nTZID:America/Chicago\r\n"));
	assert_null(strstr(out, "freeassociation"));
	assert_null(strstr(out, "METHOD"));
	assert_int_equal(count(out, "DTSTART;TZID=America/Chicago:"), 2);
	assert_int_equal(count(out, "DTEND;TZID=America/Chicago:"), 2);
	assert_non_null(strstr(out, "DTSTART;TZID=America/Chicago:"
	    "20261203T090500\r\n"));
	assert_non_null(strstr(out, "REFRESH-INTERVAL;VALUE=DURATION:PT30M\r\n"));
	assert_non_null(strstr(out, "X-PUBLISHED-TTL:PT30M\r\n"));
	assert_non_null(strstr(out, "X-WR-TIMEZONE:America/Chicago\r\n"));
	/* DTSTAMP comes from last_modified (1790003600 = 2026-09-21T15:13:20Z). */
	assert_int_equal(count(out, "DTSTAMP:20260921T151320Z\r\n"), 2);
	/* The 1883 observance is trimmed; the current rules stay. */
	assert_null(strstr(out, "DTSTART:18831118"));
	assert_non_null(strstr(out, "BYDAY=2SU;BYMONTH=3"));
	free(out);
}

static void
test_escaping(void **state)
{
	struct ics_event	 ev = mkevent("a@x", 3);
	char			*out;

	out = render(*state, "Team, A; B\\C\nD", &ev, 1, NULL);
	assert_non_null(strstr(out, "\r\nX-WR-CALNAME:Team\\, A\\; B\\\\C\\nD\r\n"));
	assert_non_null(strstr(out, "\r\nNAME:Team\\, A\\; B\\\\C\\nD\r\n"));
	assert_non_null(strstr(out, "LOCATION:Lincoln High\\; Room 12\r\n"));
	assert_non_null(strstr(out,
	    "DESCRIPTION:line one\\nline two\\, with comma\\\\\r\n"));
	assert_non_null(strstr(out, "SUMMARY:Coaching: observation\\, 3rd"));
	/* A comma inside one category must not make two categories. */
	assert_non_null(strstr(out, "CATEGORIES:A  B  C\r\n"));
	assert_non_null(strstr(out, "CATEGORIES:Coaching\r\n"));
	free(out);
}

static void
test_fold_utf8(void **state)
{
	struct ics_event	 ev = mkevent("a@x", 3);
	char			 sum[400], *out, *un, *p;
	size_t			 len, i, pad;

	/* Shift a 3- then 4-byte character across the 75-octet boundary. */
	for (pad = 60; pad < 80; pad++) {
		memset(sum, 'x', pad);
		strcpy(sum + pad, "€😀é€😀é€😀é€😀é€😀é€😀é€😀é€😀é€😀é€😀é€😀é");
		ev.summary = sum;
		out = render(*state, "F", &ev, 1, &len);
		check_lines(out, len);
		/* Unfolding must give back the exact summary. */
		un = malloc(len + 1);
		for (i = 0, p = un; i < len; i++) {
			if (out[i] == '\r' && out[i + 1] == '\n' &&
			    out[i + 2] == ' ') {
				i += 2;
				continue;
			}
			*p++ = out[i];
		}
		*p = '\0';
		assert_non_null(strstr(un, sum));
		free(un);
		free(out);
	}
}

static void
test_fold_direct(void **state)
{
	char		 in[128], *out;
	size_t		 len;

	/* "SUMMARY:" + 66 'a' = 74 octets, then a 2- and a 3-byte char. */
	memcpy(in, "SUMMARY:", 8);
	memset(in + 8, 'a', 66);
	strcpy(in + 74, "é€x\nX:y\r\n z");
	(void)state;
	out = ics_fold(in, strlen(in), &len);
	assert_non_null(out);
	check_lines(out, len);
	/* 8 + 66 = 74 octets: é (2 octets) would make 76, so it moves. */
	assert_non_null(strstr(out, "aaaa\r\n é€x\r\nX:yz\r\n"));
	free(out);
}

static void
test_stable(void **state)
{
	struct ics_event	 a[3] = { mkevent("c@x", 5), mkevent("a@x", 3),
				    mkevent("b@x", 3) };
	struct ics_event	 b[3] = { a[2], a[0], a[1] };
	char			*o1, *o2, *o3;
	size_t			 l1, l2, l3;

	o1 = render(*state, "S", a, 3, &l1);
	o2 = render(*state, "S", b, 3, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(o1, o2, l1);
	/* Sorted by start then uid. */
	assert_true(strstr(o1, "UID:a@x") < strstr(o1, "UID:b@x"));
	assert_true(strstr(o1, "UID:b@x") < strstr(o1, "UID:c@x"));
	/* A change in one event changes the bytes. */
	b[0].sequence = 3;
	o3 = render(*state, "S", b, 3, &l3);
	assert_false(l3 == l1 && memcmp(o1, o3, l1) == 0);
	free(o1);
	free(o2);
	free(o3);
}

/* Render-once-assemble-many gives the same bytes as ics_render(). */
static void
test_assemble(void **state)
{
	struct ics_event	 ev[2] = { mkevent("b@x", 4), mkevent("a@x", 9) };
	struct ics_calendar	 cal = { .name = "S", .refresh_secs = 1800 };
	struct ics_block	 bl[2];
	char			*o1, *o2, *t[2], err[128];
	size_t			 l1, l2, tl[2];
	int			 i;

	o1 = render(*state, "S", ev, 2, &l1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ics_render_vevent(*state, &ev[i], &t[i],
		    &tl[i], err, sizeof(err)), 0);
		assert_int_equal(strncmp(t[i], "BEGIN:VEVENT\r\n", 14), 0);
		bl[i] = (struct ics_block){ ev[i].start, ev[i].uid, t[i], tl[i] };
	}
	assert_int_equal(ics_assemble(*state, &cal, bl, 2, &o2, &l2, err,
	    sizeof(err)), 0);
	assert_int_equal(l1, l2);
	assert_memory_equal(o1, o2, l1);
	free(o1);
	free(o2);
	free(t[0]);
	free(t[1]);
}

static void
test_cancelled(void **state)
{
	struct ics_event	 ev = mkevent("a@x", 3);
	char			*out;

	ev.status = ICS_CANCELLED;
	ev.sequence = 7;
	out = render(*state, "C", &ev, 1, NULL);
	assert_non_null(strstr(out, "\r\nSTATUS:CANCELLED\r\n"));
	assert_non_null(strstr(out, "\r\nSEQUENCE:7\r\n"));
	assert_non_null(strstr(out, "\r\nTRANSP:TRANSPARENT\r\n"));
	free(out);
}

/* Not yet agreed: TENTATIVE, and it still holds the time. */
static void
test_tentative(void **state)
{
	struct ics_event	 ev = mkevent("a@x", 3);
	char			*out;
	icalcomponent		*cal, *ve;

	ev.status = ICS_TENTATIVE;
	out = render(*state, "T", &ev, 1, NULL);
	assert_non_null(strstr(out, "\r\nSTATUS:TENTATIVE\r\n"));
	assert_null(strstr(out, "STATUS:CONFIRMED"));
	assert_non_null(strstr(out, "\r\nTRANSP:OPAQUE\r\n"));
	cal = icalparser_parse_string(out);
	assert_non_null(cal);
	ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_int_equal(icalcomponent_get_status(ve), ICAL_STATUS_TENTATIVE);
	icalcomponent_free(cal);
	free(out);
	ev.status = ICS_CONFIRMED;
	out = render(*state, "T", &ev, 1, NULL);
	assert_non_null(strstr(out, "\r\nSTATUS:CONFIRMED\r\n"));
	free(out);
}

/* libical parses what we wrote back to the same values. */
static void
test_roundtrip(void **state)
{
	struct ics_event	 ev = mkevent("a@x", 3);
	struct ics_person	 att = { "Zoë, \"Z\"", "zoe@school.test" };
	icalcomponent		*cal, *ve, *tz;
	icalproperty		*p;
	icalparameter		*par;
	char			*out;

	ev.attendees = &att;
	ev.nattendees = 1;
	ev.summary = "Über, café; \\ ok";
	out = render(*state, "R", &ev, 1, NULL);
	cal = icalparser_parse_string(out);
	assert_non_null(cal);
	tz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	assert_non_null(tz);
	assert_null(icalcomponent_get_next_component(cal,
	    ICAL_VTIMEZONE_COMPONENT));
	ve = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(ve);
	assert_string_equal(icalcomponent_get_summary(ve), ev.summary);
	assert_string_equal(icalcomponent_get_description(ve),
	    ev.description);
	p = icalcomponent_get_first_property(ve, ICAL_DTSTART_PROPERTY);
	par = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	assert_string_equal(icalparameter_get_tzid(par), TZ);
	p = icalcomponent_get_first_property(ve, ICAL_ATTENDEE_PROPERTY);
	assert_string_equal(icalproperty_get_attendee(p), "mailto:zoe@school.test");
	par = icalproperty_get_first_parameter(p, ICAL_CN_PARAMETER);
	assert_string_equal(icalparameter_get_cn(par), att.name);
	icalcomponent_free(cal);
	free(out);
}

static void
test_bad_input(void **state)
{
	struct ics_event	 ev = mkevent("a@x", 3);
	struct ics_calendar	 cal = { .name = "x" };
	char			*out = NULL, err[128];
	size_t			 len;
	char			 err2[128];

	ev.summary = "bad \xc3\x28 utf8";
	assert_int_equal(ics_render(*state, &cal, &ev, 1, &out, &len, err,
	    sizeof(err)), -1);
	assert_null(out);
	ev = mkevent("a@x", 3);
	ev.end = ev.start;
	assert_int_equal(ics_render(*state, &cal, &ev, 1, &out, &len, err,
	    sizeof(err)), -1);
	ev = mkevent("a@x", 3);
	ev.start.day = 31;	/* 31 December is fine, 31 November is not */
	ev.start.month = 11;
	assert_int_equal(ics_render(*state, &cal, &ev, 1, &out, &len, err,
	    sizeof(err)), -1);
	assert_null(ics_renderer_new("Not/A_Zone", 0, err2, sizeof(err2)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fold_utf8, setup, teardown),
		cmocka_unit_test(test_fold_direct),
		cmocka_unit_test_setup_teardown(test_stable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assemble, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tentative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
