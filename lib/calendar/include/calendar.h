/*
 * calendar: the district's school-day calendar, pure.  Dates are counted
 * as days since 1970-01-01 (proleptic Gregorian, no time zone: a school
 * date is a wall-calendar date).  School days are the configured weekdays
 * minus closures; rotating day letters (A/B, A-H) advance one per school
 * day from an anchor date.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>

#define CALENDAR_DATE_LEN	11	/* "YYYY-MM-DD" + NUL */
#define CALENDAR_LABEL_LEN	15	/* "Thu YYYY-MM-DD" + NUL */

struct calendar {
	unsigned	 weekdays;	/* bit 0 = Monday ... bit 6 = Sunday */
	const int	*closures;	/* sorted day numbers, borrowed */
	size_t		 n_closures;
	int		 anchor;	/* day number of the first "A" day */
};

/* "YYYY-MM-DD" -> day number; 0 or -1 when malformed. */
int	calendar_parse_date(const char *s, int *day);
/* Day number -> "YYYY-MM-DD" (buf of CALENDAR_DATE_LEN). */
void	calendar_format_date(int day, char *buf, size_t len);
/* 0 = Monday ... 6 = Sunday. */
int	calendar_weekday(int day);
/* "mon".."sun" */
const char *calendar_weekday_name(int wd);
/* Parse a weekday list "mon,tue,..." (or "mon..fri") into a mask. */
int	calendar_parse_weekdays(const char *s, unsigned *mask);
int	calendar_is_school_day(const struct calendar *, int day);
/* The first n school days on or after from; returns how many were found
 * within a year (out has room for n). */
size_t	calendar_school_days(const struct calendar *, int from, size_t n,
	    int *out);
/* Index of the rotating day letter (0 = A) on a school day, for a
 * rotation of nletters; -1 for nletters 0 or a non-school day. */
int	calendar_rotation(const struct calendar *, int day, int nletters);
/* Monday of day's week. */
int	calendar_monday(int day);
/* Day number -> "Thu 2026-11-26" (buf of CALENDAR_LABEL_LEN). */
void	calendar_format_label(int day, char *buf, size_t len);
/*
 * The district's local date at the Unix time now, as a day number: the
 * wall-calendar date in the IANA zone tz ("America/Chicago"; NULL, "" or
 * an unknown zone mean UTC).  Every "today" in coachd comes from here.
 */
int	calendar_today(long long now, const char *tz);
/* Minutes after the district's local midnight at now (same zone rules);
 * with calendar_today, what of today has already passed. */
int	calendar_minute(long long now, const char *tz);

#endif
