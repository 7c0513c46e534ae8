/*
 * config_sched: the [schedule] section of coachd.conf (school days,
 * closures, horizon, limits and search budget of `admin schedule`).
 * Kept out of config.c so the scheduling keys live in one place.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "config.h"

/*
 * The coaching models a district starts with (docs/scheduling.md):
 * embedded and modelling cycles have all three sessions (in modelling the
 * "observation" is the coach teaching the lesson), looking at student
 * work together needs no classroom visit, and a drop-in observation needs
 * no planning meeting.
 */
static void
config_sched_default_models(struct coachd_config *c)
{
	static const struct config_model defs[] = {
		{ "embedded", 0x7 },
		{ "modelling", 0x7 },
		{ "student-work", 0x5 },	/* meeting + debrief */
		{ "observation", 0x6 },		/* observation + debrief */
	};
	size_t	i;

	for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
		c->sched_models[i] = defs[i];
	c->sched_n_models = (int)(sizeof defs / sizeof defs[0]);
	strcpy(c->sched_default_model, "embedded");
}

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
	config_sched_default_models(c);
}

/*
 * The sessions of a cycle, in sched_kind order (sched.h): the index of
 * sched_minutes[] and the bit of a model's kinds.
 */
static const char *const kind_names[3] = {
	"meeting", "observation", "debrief"
};

/* Index of the kind named by s[0..len), or -1. */
static int
kind_index(const char *s, size_t len)
{
	int	k;

	for (k = 0; k < 3; k++)
		if (strlen(kind_names[k]) == len &&
		    strncmp(s, kind_names[k], len) == 0)
			return k;
	return -1;
}

unsigned
config_sched_model_kinds(const struct coachd_config *c, const char *name)
{
	int	i;

	for (i = 0; i < c->sched_n_models; i++)
		if (strcmp(c->sched_models[i].name, name) == 0)
			return c->sched_models[i].kinds;
	return 0;
}

void
config_sched_model_names(const struct coachd_config *c, char *buf,
    size_t len)
{
	size_t	n = 0;
	int	i, w;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < c->sched_n_models && n < len; i++) {
		w = snprintf(buf + n, len - n, "%s%s", i > 0 ? ", " : "",
		    c->sched_models[i].name);
		if (w < 0)
			break;
		n += (size_t)w;
	}
}

int
config_sched_check(const struct coachd_config *c, char *err, size_t n)
{
	char	names[512];

	if (config_sched_model_kinds(c, c->sched_default_model) != 0)
		return 0;
	config_sched_model_names(c, names, sizeof names);
	snprintf(err, n, "[schedule] default_model: no model '%s' (models: "
	    "%s)", c->sched_default_model, names);
	return -1;
}

/*
 * Items of a list separated by commas and/or spaces: skip to the next one
 * and return its length (0 at the end); the caller advances *v past it.
 */
static size_t
next_item(const char **v)
{
	while (**v == ',' || **v == ' ')
		(*v)++;
	return strcspn(*v, ", ");
}

/* "meeting, debrief" into a kinds mask; -1 if empty or unknown. */
static int
parse_kinds(const char *v, unsigned *out)
{
	size_t	len;
	int	k;

	*out = 0;
	while ((len = next_item(&v)) > 0) {
		if ((k = kind_index(v, len)) == -1)
			return -1;
		*out |= 1u << k;
		v += len;
	}
	return *out != 0 ? 0 : -1;
}

/* model_NAME = kinds: add or replace the model NAME. */
static int
set_model(struct coachd_config *c, const char *name, const char *v,
    char *err, size_t n)
{
	unsigned	kinds;
	size_t		i;
	int		m;

	if (*name == '\0' || strlen(name) >= sizeof c->sched_models[0].name)
		goto badname;
	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		    name[i] == '_'))
			goto badname;
	if (parse_kinds(v, &kinds) == -1) {
		snprintf(err, n, "model_%s: expected sessions from meeting, "
		    "observation, debrief (e.g. meeting, debrief), not '%s'",
		    name, v);
		return -1;
	}
	for (m = 0; m < c->sched_n_models; m++)
		if (strcmp(c->sched_models[m].name, name) == 0)
			break;
	if (m == CONFIG_MODELS_MAX) {
		snprintf(err, n, "model_%s: at most %d coaching models", name,
		    CONFIG_MODELS_MAX);
		return -1;
	}
	snprintf(c->sched_models[m].name, sizeof c->sched_models[m].name,
	    "%s", name);
	c->sched_models[m].kinds = kinds;
	if (m == c->sched_n_models)
		c->sched_n_models++;
	return 0;
badname:
	snprintf(err, n, "model_%s: a model name is 1-31 of a-z 0-9 - _",
	    name);
	return -1;
}

int
config_sched_session_end(const struct coachd_config *c, const char *kind,
    int start, int end)
{
	int	k = kind_index(kind, strlen(kind));

	if (k >= 0 && c->sched_minutes[k] > 0 &&
	    start + c->sched_minutes[k] < end)
		return start + c->sched_minutes[k];
	return end;
}

/* Every entry of a comma-separated date list must parse. */
static int
check_dates(const char *v, char *err, size_t n)
{
	char	 buf[16];
	size_t	 len;
	int	 day;

	while ((len = next_item(&v)) > 0) {
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
	size_t	len;
	int	day, k;

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
	/* meeting_minutes, observation_minutes, debrief_minutes */
	len = strlen(name);
	if (len > 8 && strcmp(name + len - 8, "_minutes") == 0 &&
	    (k = kind_index(name, len - 8)) >= 0)
		return set_int(&c->sched_minutes[k], v, 0, 600, err, n);
	if (strncmp(name, "model_", 6) == 0)
		return set_model(c, name + 6, v, err, n);
	if (strcmp(name, "default_model") == 0) {
		if (strlen(v) >= sizeof c->sched_default_model) {
			snprintf(err, n, "default_model: name too long");
			return -1;
		}
		strcpy(c->sched_default_model, v);
		return 0;
	}
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
