/*
 * config_sched: the [schedule] section of coachd.conf (school days,
 * closures, horizon, limits and search budget of `admin schedule`).
 * Kept out of config.c so the scheduling keys live in one place.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "config.h"

void
config_sched_defaults(struct coachd_config *c)
{
	c->sched_weekdays = 0x1f;	/* mon..fri */
	c->sched_closures[0] = '\0';
	c->sched_closures_ics[0] = '\0';
	/* A Monday; the A/B rotation counts school days from it. */
	strcpy(c->sched_rotation_anchor, "2026-08-31");
	c->sched_horizon_days = 10;
	c->sched_debrief_within_days = 2;
	c->sched_max_per_day = 6;
	c->sched_max_teachers_per_week = 5;
	c->sched_iterations = 0;
	c->sched_seed = 1;
	c->sched_minutes[0] = c->sched_minutes[1] = c->sched_minutes[2] = 0;
	c->sched_travel_minutes = 0;
}

/* The kinds with a configurable length, in sched_minutes[] order. */
static const char *const minute_keys[3] = {
	"meeting_minutes", "observation_minutes", "debrief_minutes"
};

int
config_sched_session_end(const struct coachd_config *c, const char *kind,
    int start, int end)
{
	size_t	i, n;

	for (i = 0; i < 3; i++) {
		n = strcspn(minute_keys[i], "_");
		if (strncmp(kind, minute_keys[i], n) == 0 && kind[n] == '\0' &&
		    c->sched_minutes[i] > 0 && start + c->sched_minutes[i] < end)
			return start + c->sched_minutes[i];
	}
	return end;
}

/* Every entry of a comma-separated date list must parse. */
static int
check_dates(const char *v, char *err, size_t n)
{
	char	 buf[16];
	size_t	 len;
	int	 day;

	while (*v != '\0') {
		while (*v == ',' || *v == ' ')
			v++;
		if (*v == '\0')
			break;
		len = strcspn(v, ", ");
		if (len >= sizeof(buf)) {
			snprintf(err, n, "closures: expected YYYY-MM-DD dates");
			return -1;
		}
		memcpy(buf, v, len);
		buf[len] = '\0';
		if (calendar_parse_date(buf, &day) == -1) {
			snprintf(err, n, "closures: '%s' is not a YYYY-MM-DD "
			    "date", buf);
			return -1;
		}
		v += len;
	}
	return 0;
}

static int
set_int(int *field, const char *v, long min, long max, char *err, size_t n)
{
	long	x;

	if (config_parse_int(v, min, max, &x, err, n) == -1)
		return -1;
	*field = (int)x;
	return 0;
}

int
config_sched_set(struct coachd_config *c, const char *name, const char *v,
    char *err, size_t n)
{
	long	x;
	size_t	i;
	int	day;

	if (strcmp(name, "school_days") == 0) {
		if (calendar_parse_weekdays(v, &c->sched_weekdays) == -1) {
			snprintf(err, n, "school_days: expected weekdays like "
			    "mon..fri or mon,tue,thu");
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "closures") == 0) {
		if (strlen(v) >= sizeof(c->sched_closures)) {
			snprintf(err, n, "closures: list too long (use "
			    "closures_ics)");
			return -1;
		}
		if (check_dates(v, err, n) == -1)
			return -1;
		strcpy(c->sched_closures, v);
		return 0;
	}
	if (strcmp(name, "closures_ics") == 0)
		return config_parse_path(c, v, c->sched_closures_ics,
		    sizeof(c->sched_closures_ics), err, n);
	if (strcmp(name, "rotation_anchor") == 0) {
		if (calendar_parse_date(v, &day) == -1) {
			snprintf(err, n, "rotation_anchor: expected a "
			    "YYYY-MM-DD date");
			return -1;
		}
		strcpy(c->sched_rotation_anchor, v);
		return 0;
	}
	if (strcmp(name, "horizon_days") == 0)
		return set_int(&c->sched_horizon_days, v, 1, 200, err, n);
	if (strcmp(name, "debrief_within_days") == 0)
		return set_int(&c->sched_debrief_within_days, v, 0, 20, err, n);
	if (strcmp(name, "max_sessions_per_day") == 0)
		return set_int(&c->sched_max_per_day, v, 0, 64, err, n);
	if (strcmp(name, "max_sessions_per_week") == 0)
		return set_int(&c->sched_max_per_week, v, 0, 1000, err, n);
	if (strcmp(name, "max_teachers_per_week") == 0)
		return set_int(&c->sched_max_teachers_per_week, v, 0, 1000,
		    err, n);
	for (i = 0; i < 3; i++)
		if (strcmp(name, minute_keys[i]) == 0)
			return set_int(&c->sched_minutes[i], v, 0, 600, err, n);
	if (strcmp(name, "travel_minutes") == 0)
		return set_int(&c->sched_travel_minutes, v, 0, 240, err, n);
	if (strcmp(name, "iterations") == 0)
		return set_int(&c->sched_iterations, v, 0, 100000000, err, n);
	if (strcmp(name, "seed") == 0) {
		if (config_parse_int(v, 0, 2147483647L, &x, err, n) == -1)
			return -1;
		c->sched_seed = x;
		return 0;
	}
	snprintf(err, n, "unknown key '%s' in [schedule]", name);
	return -1;
}
