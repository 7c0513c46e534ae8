/*
 * calendar.c: school days, weekdays and A/B rotation over plain day
 * numbers.  Civil-date conversion follows the well-known days-from-civil
 * arithmetic (an era of 400 years is 146097 days).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libical/ical.h>

#include "calendar.h"

static const char *const wd_names[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

/* Days since 1970-01-01 of y-m-d. */
static int
days_from_civil(int y, int m, int d)
{
	int	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int z, int *y, int *m, int *d)
{
	int	era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
calendar_parse_date(const char *s, int *day)
{
	int	y, m, d, n = 0, y2, m2, d2;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return -1;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*day = days_from_civil(y, m, d);
	civil_from_days(*day, &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)	/* 2026-02-30 */
		return -1;
	return 0;
}

void
calendar_format_date(int day, char *buf, size_t len)
{
	int	y, m, d;

	civil_from_days(day, &y, &m, &d);
	/* Only a buffer shorter than "YYYY-MM-DD" can cut this short. */
	if (snprintf(buf, len, "%04d-%02d-%02d", y, m, d) < 0 && len > 0)
		buf[0] = '\0';
}

int
calendar_weekday(int day)
{
	/* 1970-01-01 was a Thursday (3). */
	int	w = (day + 3) % 7;

	return w < 0 ? w + 7 : w;
}

const char *
calendar_weekday_name(int wd)
{
	if (wd < 0 || wd > 6)
		return "?";
	return wd_names[wd];
}

static int
weekday_index(const char *s, size_t len)
{
	int	i;

	for (i = 0; i < 7; i++)
		if (len == 3 && strncmp(s, wd_names[i], 3) == 0)
			return i;
	return -1;
}

int
calendar_parse_weekdays(const char *s, unsigned *mask)
{
	const char	*p = s, *e;
	int		 a, b, i;

	*mask = 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if ((a = weekday_index(p, 3)) == -1)
			return -1;
		e = p + 3;
		b = a;
		if (strncmp(e, "..", 2) == 0) {
			if ((b = weekday_index(e + 2, 3)) == -1 || b < a)
				return -1;
			e += 5;
		}
		if (*e != '\0' && *e != ',' && *e != ' ')
			return -1;
		for (i = a; i <= b; i++)
			*mask |= 1u << i;
		p = e;
	}
	return *mask == 0 ? -1 : 0;
}

static int
is_closed(const struct calendar *c, int day)
{
	size_t	lo = 0, hi = c->n_closures, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c->closures[mid] == day)
			return 1;
		if (c->closures[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int
calendar_is_school_day(const struct calendar *c, int day)
{
	if (!(c->weekdays & (1u << calendar_weekday(day))))
		return 0;
	return !is_closed(c, day);
}

size_t
calendar_school_days(const struct calendar *c, int from, size_t n, int *out)
{
	size_t	k = 0;
	int	d;

	for (d = from; k < n && d < from + 366; d++)
		if (calendar_is_school_day(c, d))
			out[k++] = d;
	return k;
}

int
calendar_rotation(const struct calendar *c, int day, int nletters)
{
	int	d, count = 0, lo, hi;

	if (nletters <= 0 || !calendar_is_school_day(c, day))
		return -1;
	/* Count school days between the anchor and day (either direction). */
	lo = day < c->anchor ? day : c->anchor;
	hi = day < c->anchor ? c->anchor : day;
	for (d = lo; d < hi; d++)
		count += calendar_is_school_day(c, d);
	if (day < c->anchor)
		count = -count;
	count %= nletters;
	return count < 0 ? count + nletters : count;
}

int
calendar_monday(int day)
{
	return day - calendar_weekday(day);
}

void
calendar_format_label(int day, char *buf, size_t len)
{
	static const char *const names[7] = {
		"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
	};
	char	date[CALENDAR_DATE_LEN];

	calendar_format_date(day, date, sizeof(date));
	snprintf(buf, len, "%s %s", names[calendar_weekday(day)], date);
}

/*
 * now as local wall time in zone tz (UTC when tz is empty or unknown),
 * with libical's builtin zone data: the same rules the ICS feeds use.
 */
static struct icaltimetype
local_now(long long now, const char *tz)
{
	icaltimezone	*z = NULL;

	if (tz != NULL && *tz != '\0')
		z = icaltimezone_get_builtin_timezone(tz);
	if (z == NULL)
		z = icaltimezone_get_utc_timezone();
	return icaltime_from_timet_with_zone((time_t)now, 0, z);
}

int
calendar_today(long long now, const char *tz)
{
	struct icaltimetype	t = local_now(now, tz);

	return days_from_civil(t.year, t.month, t.day);
}

int
calendar_minute(long long now, const char *tz)
{
	struct icaltimetype	t = local_now(now, tz);

	return t.hour * 60 + t.minute;
}
