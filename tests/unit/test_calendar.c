/*
 * test_calendar: the pure school-day calendar (lib/calendar/calendar.c): civil
 * dates, weekdays, weekday lists, closures, A/B rotation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"

static int
day(const char *s)
{
	int	d = -1;

	assert_int_equal(calendar_parse_date(s, &d), 0);
	return d;
}

static void
t_dates(void **state)
{
	char	buf[CALENDAR_DATE_LEN];
	int	d;

	(void)state;
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2); /* leap */
	assert_int_equal(day("2100-03-01") - day("2100-02-28"), 1);
	calendar_format_date(day("2026-11-30"), buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-30");
	assert_int_equal(calendar_parse_date("2026-02-30", &d), -1);
	assert_int_equal(calendar_parse_date("2026-1-30", &d), -1);
	assert_int_equal(calendar_parse_date("2026-01-30x", &d), -1);
	assert_int_equal(calendar_weekday(day("2026-11-30")), 0);	/* Mon */
	assert_int_equal(calendar_weekday(day("2026-12-06")), 6);	/* Sun */
	assert_int_equal(calendar_monday(day("2026-12-04")), day("2026-11-30"));
}

/* "Today" is the district's wall-calendar date, not UTC's. */
static void
t_today(void **state)
{
	char		buf[CALENDAR_LABEL_LEN];
	long long	t = 1795575600;	/* 2026-11-25 03:00 UTC */

	(void)state;
	assert_int_equal(calendar_today(t, "UTC"), day("2026-11-25"));
	assert_int_equal(calendar_today(t, ""), day("2026-11-25"));
	assert_int_equal(calendar_today(t, "Nowhere/Nothing"),
	    day("2026-11-25"));
	assert_int_equal(calendar_today(t, "America/Chicago"),
	    day("2026-11-24"));
	assert_int_equal(calendar_today(t, "Asia/Tokyo"), day("2026-11-25"));
	/* 2026-11-24 20:00 UTC is already Wednesday in Tokyo */
	assert_int_equal(calendar_today(t - 7 * 3600, "Asia/Tokyo"),
	    day("2026-11-25"));
	assert_int_equal(calendar_today(t - 7 * 3600, "UTC"),
	    day("2026-11-24"));
	calendar_format_label(day("2026-11-26"), buf, sizeof(buf));
	assert_string_equal(buf, "Thu 2026-11-26");
	/* ... and its time of day too: what of today has passed. */
	assert_int_equal(calendar_minute(t + 17 * 60, "UTC"), 3 * 60 + 17);
	assert_int_equal(calendar_minute(t + 17 * 60, "America/Chicago"),
	    21 * 60 + 17);		/* CST, UTC-6: Tuesday 21:17 */
	assert_int_equal(calendar_minute(t + 17 * 60, "Asia/Kolkata"),
	    8 * 60 + 47);		/* UTC+5:30 */
	assert_int_equal(calendar_minute(t, "Nowhere/Nothing"), 3 * 60);
}

static void
t_weekdays(void **state)
{
	unsigned	m;

	(void)state;
	assert_int_equal(calendar_parse_weekdays("mon..fri", &m), 0);
	assert_int_equal(m, 0x1f);
	assert_int_equal(calendar_parse_weekdays("mon,wed, fri", &m), 0);
	assert_int_equal(m, 0x15);
	assert_int_equal(calendar_parse_weekdays("fri..mon", &m), -1);
	assert_int_equal(calendar_parse_weekdays("monday", &m), -1);
	assert_int_equal(calendar_parse_weekdays("", &m), -1);
}

static void
t_school_days(void **state)
{
	int		closed[2], out[5];
	struct calendar	c;

	(void)state;
	closed[0] = day("2026-12-01");
	closed[1] = day("2026-12-03");
	memset(&c, 0, sizeof(c));
	c.weekdays = 0x1f;
	c.closures = closed;
	c.n_closures = 2;
	c.anchor = day("2026-11-30");
	assert_int_equal(calendar_school_days(&c, day("2026-11-28"), 5, out),
	    5);
	assert_int_equal(out[0], day("2026-11-30"));
	assert_int_equal(out[1], day("2026-12-02"));
	assert_int_equal(out[2], day("2026-12-04"));
	assert_int_equal(out[3], day("2026-12-07"));
	assert_false(calendar_is_school_day(&c, day("2026-12-05")));
	/* A/B: closures and weekends do not advance the rotation */
	assert_int_equal(calendar_rotation(&c, day("2026-11-30"), 2), 0);
	assert_int_equal(calendar_rotation(&c, day("2026-12-02"), 2), 1);
	assert_int_equal(calendar_rotation(&c, day("2026-12-04"), 2), 0);
	assert_int_equal(calendar_rotation(&c, day("2026-12-07"), 2), 1);
	assert_int_equal(calendar_rotation(&c, day("2026-12-01"), 2), -1);
	/* before the anchor, counting backwards */
	assert_int_equal(calendar_rotation(&c, day("2026-11-27"), 2), 1);
	assert_int_equal(calendar_rotation(&c, day("2026-11-26"), 3), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_dates),
		cmocka_unit_test(t_today),
		cmocka_unit_test(t_weekdays),
		cmocka_unit_test(t_school_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
