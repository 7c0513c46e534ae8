/*
 * config_parse: the value parsers of coachd.conf -- the public ones for
 * the generic value types, the row parser that picks one per table row,
 * and the keys of config.c's table that need a parser of their own.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "config_key.h"
#include "errmsg.h"
#include "log.h"
#include "match.h"

int
config_parse_int(const char *v, long min, long max, long *out, char *err,
    size_t errlen)
{
	char	*end;
	long	 n;

	/* Defined on every path: the optimiser cannot see errmsg's -1. */
	*out = 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0)
		return errmsg(err, errlen, "'%s' is not a whole number", v);
	if (n < min || n > max)
		return errmsg(err, errlen, "%ld is out of range %ld..%ld", n,
		    min, max);
	*out = n;
	return 0;
}

int
config_parse_bool(const char *v, int *out, char *err, size_t errlen)
{
	if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0) {
		*out = 1;
		return 0;
	}
	if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0) {
		*out = 0;
		return 0;
	}
	return errmsg(err, errlen, "'%s' is not yes or no", v);
}

/* Number followed by an optional unit from suffixes[] (times mult[]). */
static int
parse_scaled(const char *v, const char *const *suffixes, const long *mult,
    long *out, const char *what, char *err, size_t errlen)
{
	char	*end;
	long	 n;
	size_t	 i;

	*out = 0;	/* as in config_parse_int */
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || errno != 0 || n < 0)
		goto bad;
	for (i = 0; suffixes[i] != NULL; i++) {
		if (strcasecmp(end, suffixes[i]) != 0)
			continue;
		if (n > LONG_MAX / mult[i])
			goto bad;
		*out = n * mult[i];
		return 0;
	}
bad:
	return errmsg(err, errlen, "'%s' is not a %s", v, what);
}

int
config_parse_duration(const char *v, long *out, char *err, size_t errlen)
{
	static const char *const sfx[] = { "", "s", "m", "h", "d", NULL };
	static const long mult[] = { 1, 1, 60, 3600, 86400 };

	return parse_scaled(v, sfx, mult, out,
	    "duration (e.g. 30s, 15m, 1h, 30d)", err, errlen);
}

int
config_parse_size(const char *v, size_t *out, char *err, size_t errlen)
{
	static const char *const sfx[] = { "", "k", "m", "kib", "mib", NULL };
	static const long mult[] = { 1, 1024, 1024 * 1024, 1024,
	    1024 * 1024 };
	long	n;

	if (parse_scaled(v, sfx, mult, &n, "size (e.g. 65536, 64k, 1M)", err,
	    errlen) == -1)
		return -1;
	*out = (size_t)n;
	return 0;
}

int
config_parse_path(const struct coachd_config *c, const char *v, char *out,
    size_t outlen, char *err, size_t errlen)
{
	char	dir[CONFIG_PATH_MAX];
	int	n;

	if (*v == '\0')
		return errmsg(err, errlen, "empty path");
	if (*v == '/' || c->path[0] == '\0') {
		n = snprintf(out, outlen, "%s", v);
	} else {
		snprintf(dir, sizeof(dir), "%s", c->path);
		n = snprintf(out, outlen, "%s/%s", dirname(dir), v);
	}
	if (n < 0 || (size_t)n >= outlen)
		return errmsg(err, errlen, "path too long");
	return 0;
}

int
config_parse_hostport(const char *v, char *host, size_t hostlen, int *port,
    char *err, size_t errlen)
{
	const char	*colon, *h = v;
	size_t		 hl;
	long		 p;

	if ((colon = strrchr(v, ':')) == NULL)
		return errmsg(err, errlen, "'%s' is not host:port", v);
	hl = (size_t)(colon - v);
	if (hl >= 2 && v[0] == '[' && v[hl - 1] == ']') {
		h = v + 1;
		hl -= 2;
	}
	if (hl == 0 || hl >= hostlen)
		return errmsg(err, errlen, "'%s': bad host", v);
	if (config_parse_int(colon + 1, 0, 65535, &p, err, errlen) == -1)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)p;
	return 0;
}

struct match_weights *
config_match_weights(const struct coachd_config *c, struct match_weights *w)
{
	const struct config_weights	*cw = &c->match_weights;

	memset(w, 0, sizeof(*w));
	memcpy(w->expertise, cw->expertise, sizeof(w->expertise));
	w->interest = cw->interest;
	w->continuity = cw->continuity;
	w->aging_per_day = cw->aging_per_day;
	w->aging_cap_days = cw->aging_cap_days;
	w->boost = cw->boost;
	w->new_teacher = cw->new_teacher;
	w->allow_interest_only = cw->allow_interest_only;
	return w;
}

/* ---- the parsers of the generic types ------------------------------------ */

/* A whole number into the row's int or long field. */
static void
store_long(struct coachd_config *c, const struct config_key *k, long v)
{
	int	i = (int)v;

	if (k->size == sizeof(long))
		memcpy(config_field(c, k), &v, sizeof(v));
	else if (k->size == sizeof(int))
		memcpy(config_field(c, k), &i, sizeof(i));
	else
		fatalx("config: [%s] %s: no int or long field", k->section,
		    k->key);
}

static int
key_int(struct coachd_config *c, const struct config_key *k, const char *v,
    char *err, size_t n)
{
	long	x;

	if (config_parse_int(v, k->min, k->max, &x, err, n) == -1)
		return -1;
	store_long(c, k, x);
	return 0;
}

static int
key_duration(struct coachd_config *c, const struct config_key *k,
    const char *v, char *err, size_t n)
{
	long	x;

	if (config_parse_duration(v, &x, err, n) == -1)
		return -1;
	if (x < k->min || x > k->max)
		return errmsg(err, n, "%s is out of range %lds..%lds", v,
		    k->min, k->max);
	store_long(c, k, x);
	return 0;
}

static int
key_size(struct coachd_config *c, const struct config_key *k, const char *v,
    char *err, size_t n)
{
	size_t	x;

	if (config_parse_size(v, &x, err, n) == -1)
		return -1;
	if (x < (size_t)k->min || x > (size_t)k->max)
		return errmsg(err, n, "%s is out of range %ld..%ld bytes", v,
		    k->min, k->max);
	memcpy(config_field(c, k), &x, sizeof(x));
	return 0;
}

static int
key_string(struct coachd_config *c, const struct config_key *k,
    const char *v, char *err, size_t n)
{
	size_t	len = strlen(v);

	if (len < (size_t)k->min || len >= k->size)
		return errmsg(err, n, "%s must be %ld..%zu characters", k->key,
		    k->min, k->size - 1);
	memcpy(config_field(c, k), v, len + 1);
	return 0;
}

/* Parse v through row k: its own parser, else its type's. */
int
config_key_set(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	if (k->set != NULL)
		return k->set(c, k, key, v, err, n);
	switch (k->type) {
	case CONFIG_INT:
		return key_int(c, k, v, err, n);
	case CONFIG_BOOL:
		return config_parse_bool(v, config_field(c, k), err, n);
	case CONFIG_DURATION:
		return key_duration(c, k, v, err, n);
	case CONFIG_STRING:
		return key_string(c, k, v, err, n);
	case CONFIG_SIZE:
		return key_size(c, k, v, err, n);
	case CONFIG_PATH:
		return config_parse_path(c, v, config_field(c, k), k->size,
		    err, n);
	default:
		fatalx("config: [%s] %s has no parser", k->section, k->key);
	}
}

/* ---- the keys that need a parser of their own ---------------------------- */

int
config_set_listen(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	return config_parse_hostport(v, c->listen_addr,
	    sizeof(c->listen_addr), &c->listen_port, err, n);
}

int
config_set_max_frame(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)key;
	if (config_parse_size(v, &c->max_frame, err, n) == -1)
		return -1;
	if (c->max_frame < (size_t)k->min || c->max_frame > (size_t)k->max)
		return errmsg(err, n, "max_frame %s is out of range 1k..256M",
		    v);
	return 0;
}

int
config_set_log_level(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	if ((c->log_level = log_level_parse(v)) == -1)
		return errmsg(err, n, "'%s' is not warn, info or debug", v);
	return 0;
}

int
config_set_tls_version(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	if (strcmp(v, "1.2") == 0)
		c->tls_min_version = 12;
	else if (strcmp(v, "1.3") == 0)
		c->tls_min_version = 13;
	else
		return errmsg(err, n, "'%s' is not 1.2 or 1.3", v);
	return 0;
}

int
config_set_timezone(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	if (strlen(v) >= sizeof(c->timezone) ||
	    icaltimezone_get_builtin_timezone(v) == NULL)
		return errmsg(err, n, "'%s' is not an IANA time zone name "
		    "(e.g. America/Chicago)", v);
	strcpy(c->timezone, v);
	return 0;
}

int
config_set_edit_window(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	long	s;

	(void)key;
	if (config_parse_duration(v, &s, err, n) == -1)
		return -1;
	if (s < k->min || s > k->max)
		return errmsg(err, n, "edit_window must be 1d to 366d");
	c->caps_edit_window = s;
	return 0;
}

/* One weight, then the whole set must still fit MATCH_SCORE_MAX. */
int
config_set_weight(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	struct match_weights	w;

	(void)key;
	if (key_int(c, k, v, err, n) == -1)
		return -1;
	return match_weights_check(config_match_weights(c, &w), err, n);
}

int
config_set_feeds_listen(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	c->feeds_enabled = 1;
	return config_parse_hostport(v, c->feeds_addr, sizeof(c->feeds_addr),
	    &c->feeds_port, err, n);
}

/* Room is left for the "/feeds/TOKEN.ics" that printed URLs append. */
int
config_set_base_url(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	if ((strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
	    strlen(v) >= sizeof(c->feeds_base_url) - 128 ||
	    strpbrk(v, " \t\"<>") != NULL)
		return errmsg(err, n, "expected an http:// or https:// URL");
	snprintf(c->feeds_base_url, sizeof(c->feeds_base_url), "%s", v);
	return 0;
}

/* Half the field: the expanded %n and %d must fit too. */
int
config_set_calname(struct coachd_config *c, const struct config_key *k,
    const char *key, const char *v, char *err, size_t n)
{
	(void)k, (void)key;
	if (strlen(v) >= sizeof(c->feeds_calname) / 2)
		return errmsg(err, n, "calendar name pattern too long");
	snprintf(c->feeds_calname, sizeof(c->feeds_calname), "%s", v);
	return 0;
}
