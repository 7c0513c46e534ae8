/*
 * config_sched: what the [schedule] section of coachd.conf needs beyond
 * plain numbers: school days, closures, the rotation anchor and the
 * coaching models (which sessions a cycle of each has), and the lookups
 * the scheduling handlers make in them.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "config_key.h"
#include "errmsg.h"

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
	return errmsg(err, n, "[schedule] default_model: no model '%s' "
	    "(models: %s)", c->sched_default_model, names);
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
int
config_sched_model(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	const char	*name = key + strlen("model_");
	unsigned	 kinds;
	size_t		 i;
	int		 m;

	(void)k;
	if (*name == '\0' || strlen(name) >= sizeof c->sched_models[0].name)
		goto badname;
	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		    name[i] == '_'))
			goto badname;
	if (parse_kinds(v, &kinds) == -1)
		return errmsg(err, n, "model_%s: expected sessions from "
		    "meeting, observation, debrief (e.g. meeting, debrief), "
		    "not '%s'", name, v);
	for (m = 0; m < c->sched_n_models; m++)
		if (strcmp(c->sched_models[m].name, name) == 0)
			break;
	if (m == CONFIG_MODELS_MAX)
		return errmsg(err, n, "model_%s: at most %d coaching models",
		    name, CONFIG_MODELS_MAX);
	snprintf(c->sched_models[m].name, sizeof c->sched_models[m].name,
	    "%s", name);
	c->sched_models[m].kinds = kinds;
	if (m == c->sched_n_models)
		c->sched_n_models++;
	return 0;
badname:
	return errmsg(err, n, "model_%s: a model name is 1-31 of a-z 0-9 - _",
	    name);
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
		if (len >= sizeof(buf))
			return errmsg(err, n, "closures: expected YYYY-MM-DD "
			    "dates");
		memcpy(buf, v, len);
		buf[len] = '\0';
		if (calendar_parse_date(buf, &day) == -1)
			return errmsg(err, n, "closures: '%s' is not a "
			    "YYYY-MM-DD date", buf);
		v += len;
	}
	return 0;
}

/* Copy v into the row's string field; the caller has checked its length. */
static void
set_text(struct coachd_config *c, const struct config_key *k, const char *v)
{
	snprintf(config_field(c, k), k->size, "%s", v);
}

int
config_sched_weekdays(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	if (calendar_parse_weekdays(v, &c->sched_weekdays) == -1)
		return errmsg(err, n, "school_days: expected weekdays like "
		    "mon..fri or mon,tue,thu");
	return 0;
}

int
config_sched_closures(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)key;
	if (strlen(v) >= k->size)
		return errmsg(err, n, "closures: list too long (use "
		    "closures_ics)");
	if (check_dates(v, err, n) == -1)
		return -1;
	set_text(c, k, v);
	return 0;
}

int
config_sched_anchor(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	int	day;

	(void)key;
	if (calendar_parse_date(v, &day) == -1)
		return errmsg(err, n, "rotation_anchor: expected a YYYY-MM-DD "
		    "date");
	set_text(c, k, v);
	return 0;
}

/* Checked against the models once the whole file is read. */
int
config_sched_default_model(struct coachd_config *c,
    const struct config_key *k, const char *key, const char *v, char *err,
    size_t n)
{
	(void)key;
	if (strlen(v) >= k->size)
		return errmsg(err, n, "default_model: name too long");
	set_text(c, k, v);
	return 0;
}
