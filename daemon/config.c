/*
 * config: read coachd.conf.  inih does the INI lexing; every key is then
 * looked up in the table of its section, so an unknown key or section is an
 * error instead of a silently ignored typo that leaves a district running
 * on a default it never chose.
 */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>
#include <libical/ical.h>

#include "config.h"
#include "log.h"

/* Parse state handed to inih's callback. */
struct parse {
	struct coachd_config	*conf;
	char			 err[512];	/* first error, without line */
	int			 seen_tls_cert, seen_tls_key, seen_db;
};

typedef int (*key_fn)(struct coachd_config *, const char *, char *, size_t);

struct key {
	const char	*section;
	const char	*name;
	key_fn		 set;
};

void
config_defaults(struct coachd_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->listen_addr, "127.0.0.1");
	c->listen_port = 7443;
	c->max_connections = 256;
	c->max_frame = 1024 * 1024;
	c->handshake_timeout = 10;
	c->idle_timeout = 300;
	c->shutdown_timeout = 10;
	c->log_level = LOG_LVL_INFO;
	c->tls_min_version = 12;
	strcpy(c->district_name, "School District");
	strcpy(c->timezone, "America/Chicago");
	c->queue_aging_hours = 24;
	c->queue_aging_cap = 14;
	c->queue_boost_bonus = 5;
	c->queue_new_bonus = 2;
	c->queue_rate_weeks = 4;
#ifdef COACHD_TOPICS_DEFAULT	/* the source tree's conf/topics.conf */
	snprintf(c->queue_topics, sizeof(c->queue_topics), "%s",
	    COACHD_TOPICS_DEFAULT);
#endif
#ifdef COACHD_CATEGORIES_DEFAULT	/* the source tree's conf/categories.conf */
	snprintf(c->caps_categories, sizeof(c->caps_categories), "%s",
	    COACHD_CATEGORIES_DEFAULT);
#endif
	c->caps_edit_window = 14 * 86400;
	c->feeds_tls = 1;
	c->feeds_refresh = 3600;
	c->feeds_retention = 30 * 86400;
	strcpy(c->feeds_calname, "%n: coaching");
	match_weights_default(&c->match_weights);
	config_sched_defaults(c);
}

int
config_parse_int(const char *v, long min, long max, long *out, char *err,
    size_t errlen)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0) {
		snprintf(err, errlen, "'%s' is not a whole number", v);
		return -1;
	}
	if (n < min || n > max) {
		snprintf(err, errlen, "%ld is out of range %ld..%ld", n, min,
		    max);
		return -1;
	}
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
	snprintf(err, errlen, "'%s' is not yes or no", v);
	return -1;
}

/* Number followed by an optional unit from units[] (suffix, multiplier). */
static int
parse_scaled(const char *v, const char *const *suffixes, const long *mult,
    long *out, const char *what, char *err, size_t errlen)
{
	char	*end;
	long	 n;
	size_t	 i;

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
	snprintf(err, errlen, "'%s' is not a %s", v, what);
	return -1;
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

	if (*v == '\0') {
		snprintf(err, errlen, "empty path");
		return -1;
	}
	if (*v == '/' || c->path[0] == '\0') {
		n = snprintf(out, outlen, "%s", v);
	} else {
		snprintf(dir, sizeof(dir), "%s", c->path);
		n = snprintf(out, outlen, "%s/%s", dirname(dir), v);
	}
	if (n < 0 || (size_t)n >= outlen) {
		snprintf(err, errlen, "path too long");
		return -1;
	}
	return 0;
}

int
config_parse_hostport(const char *v, char *host, size_t hostlen, int *port,
    char *err, size_t errlen)
{
	const char	*colon, *h = v;
	size_t		 hl;
	long		 p;

	if ((colon = strrchr(v, ':')) == NULL) {
		snprintf(err, errlen, "'%s' is not host:port", v);
		return -1;
	}
	hl = (size_t)(colon - v);
	if (hl >= 2 && v[0] == '[' && v[hl - 1] == ']') {
		h = v + 1;
		hl -= 2;
	}
	if (hl == 0 || hl >= hostlen) {
		snprintf(err, errlen, "'%s': bad host", v);
		return -1;
	}
	if (config_parse_int(colon + 1, 0, 65535, &p, err, errlen) == -1)
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (int)p;
	return 0;
}

/* ---- [server] ------------------------------------------------------------ */

static int
set_listen(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return config_parse_hostport(v, c->listen_addr,
	    sizeof(c->listen_addr), &c->listen_port, err, n);
}

static int
set_int_field(int *field, const char *v, long min, long max, char *err,
    size_t n)
{
	long	x;

	if (config_parse_int(v, min, max, &x, err, n) == -1)
		return -1;
	*field = (int)x;
	return 0;
}

static int
set_duration_field(int *field, const char *v, long min, long max, char *err,
    size_t n)
{
	long	x;

	if (config_parse_duration(v, &x, err, n) == -1)
		return -1;
	if (x < min || x > max) {
		snprintf(err, n, "%s is out of range %lds..%lds", v, min, max);
		return -1;
	}
	*field = (int)x;
	return 0;
}

static int
set_max_connections(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_int_field(&c->max_connections, v, 1, 100000, err, n);
}

static int
set_max_frame(struct coachd_config *c, const char *v, char *err, size_t n)
{
	if (config_parse_size(v, &c->max_frame, err, n) == -1)
		return -1;
	if (c->max_frame < 1024 || c->max_frame > 256u * 1024 * 1024) {
		snprintf(err, n, "max_frame %s is out of range 1k..256M", v);
		return -1;
	}
	return 0;
}

static int
set_handshake_timeout(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_duration_field(&c->handshake_timeout, v, 1, 600, err, n);
}

static int
set_idle_timeout(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return set_duration_field(&c->idle_timeout, v, 1, 86400, err, n);
}

static int
set_shutdown_timeout(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_duration_field(&c->shutdown_timeout, v, 0, 600, err, n);
}

static int
set_log_level(struct coachd_config *c, const char *v, char *err, size_t n)
{
	if ((c->log_level = log_level_parse(v)) == -1) {
		snprintf(err, n, "'%s' is not warn, info or debug", v);
		return -1;
	}
	return 0;
}

/* ---- [tls] --------------------------------------------------------------- */

static int
set_tls_cert(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return config_parse_path(c, v, c->tls_cert, sizeof(c->tls_cert), err,
	    n);
}

static int
set_tls_key(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return config_parse_path(c, v, c->tls_key, sizeof(c->tls_key), err,
	    n);
}

static int
set_tls_client_ca(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return config_parse_path(c, v, c->tls_client_ca,
	    sizeof(c->tls_client_ca), err, n);
}

static int
set_tls_min_version(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	if (strcmp(v, "1.2") == 0)
		c->tls_min_version = 12;
	else if (strcmp(v, "1.3") == 0)
		c->tls_min_version = 13;
	else {
		snprintf(err, n, "'%s' is not 1.2 or 1.3", v);
		return -1;
	}
	return 0;
}

/* ---- [store] / [district] ------------------------------------------------ */

static int
set_db_path(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return config_parse_path(c, v, c->db_path, sizeof(c->db_path), err, n);
}

static int
set_district_name(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	if (*v == '\0' || strlen(v) >= sizeof(c->district_name)) {
		snprintf(err, n, "name must be 1..%zu characters",
		    sizeof(c->district_name) - 1);
		return -1;
	}
	strcpy(c->district_name, v);
	return 0;
}

static int
set_timezone(struct coachd_config *c, const char *v, char *err, size_t n)
{
	if (strlen(v) >= sizeof(c->timezone) ||
	    icaltimezone_get_builtin_timezone(v) == NULL) {
		snprintf(err, n, "'%s' is not an IANA time zone name "
		    "(e.g. America/Chicago)", v);
		return -1;
	}
	strcpy(c->timezone, v);
	return 0;
}

/* ---- [matching] ---------------------------------------------------------- */

/* Set one weight, then check the whole set still fits MATCH_SCORE_MAX. */
static int
set_match_u32(struct coachd_config *c, uint32_t *field, const char *v,
    char *err, size_t n)
{
	uint32_t	old = *field;
	long		x;

	if (config_parse_int(v, 0, MATCH_SCORE_MAX, &x, err, n) == -1)
		return -1;
	*field = (uint32_t)x;
	if (match_weights_check(&c->match_weights, err, n) == -1) {
		*field = old;
		return -1;
	}
	return 0;
}

static int
set_match_level1(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return set_match_u32(c, &c->match_weights.expertise[1], v, err, n);
}

static int
set_match_level2(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return set_match_u32(c, &c->match_weights.expertise[2], v, err, n);
}

static int
set_match_level3(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return set_match_u32(c, &c->match_weights.expertise[3], v, err, n);
}

static int
set_match_interest(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_match_u32(c, &c->match_weights.interest, v, err, n);
}

static int
set_match_continuity(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_match_u32(c, &c->match_weights.continuity, v, err, n);
}

static int
set_match_aging_per_day(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_match_u32(c, &c->match_weights.aging_per_day, v, err, n);
}

static int
set_match_aging_cap(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_match_u32(c, &c->match_weights.aging_cap_days, v, err, n);
}

static int
set_match_interest_only(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return config_parse_bool(v, &c->match_weights.allow_interest_only,
	    err, n);
}

/* ---- [queue] ------------------------------------------------------------- */

static int
set_queue_topics(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return config_parse_path(c, v, c->queue_topics,
	    sizeof(c->queue_topics), err, n);
}

static int
set_queue_aging_hours(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_int_field(&c->queue_aging_hours, v, 1, 24 * 365, err, n);
}

static int
set_queue_aging_cap(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_int_field(&c->queue_aging_cap, v, 0, 1000, err, n);
}

static int
set_queue_boost_bonus(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_int_field(&c->queue_boost_bonus, v, 0, 1000, err, n);
}

static int
set_queue_new_bonus(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_int_field(&c->queue_new_bonus, v, 0, 1000, err, n);
}

static int
set_match_new_teacher(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_match_u32(c, &c->match_weights.new_teacher, v, err, n);
}

static int
set_match_boost(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return set_match_u32(c, &c->match_weights.boost, v, err, n);
}

static int
set_queue_rate_weeks(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_int_field(&c->queue_rate_weeks, v, 1, 52, err, n);
}

static int
set_caps_categories(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return config_parse_path(c, v, c->caps_categories,
	    sizeof(c->caps_categories), err, n);
}

static int
set_caps_edit_window(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	long	s;

	if (config_parse_duration(v, &s, err, n) == -1)
		return -1;
	if (s < 86400 || s > 366L * 86400) {
		snprintf(err, n, "edit_window must be 1d to 366d");
		return -1;
	}
	c->caps_edit_window = s;
	return 0;
}

/* ---- [feeds] ------------------------------------------------------------- */

static int
set_feeds_listen(struct coachd_config *c, const char *v, char *err, size_t n)
{
	c->feeds_enabled = 1;
	return config_parse_hostport(v, c->feeds_addr, sizeof(c->feeds_addr),
	    &c->feeds_port, err, n);
}

static int
set_feeds_tls(struct coachd_config *c, const char *v, char *err, size_t n)
{
	return config_parse_bool(v, &c->feeds_tls, err, n);
}

static int
set_feeds_base_url(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	if ((strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
	    strlen(v) >= sizeof(c->feeds_base_url) - 128 ||
	    strpbrk(v, " \t\"<>") != NULL) {
		snprintf(err, n, "expected an http:// or https:// URL");
		return -1;
	}
	snprintf(c->feeds_base_url, sizeof(c->feeds_base_url), "%s", v);
	return 0;
}

static int
set_feeds_refresh(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_duration_field(&c->feeds_refresh, v, 60, 7 * 86400, err, n);
}

static int
set_feeds_retention(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return set_duration_field(&c->feeds_retention, v, 0, 3650 * 86400L,
	    err, n);
}

static int
set_feeds_gzip_only(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	return config_parse_bool(v, &c->feeds_gzip_only, err, n);
}

static int
set_feeds_calname(struct coachd_config *c, const char *v, char *err,
    size_t n)
{
	if (strlen(v) >= sizeof(c->feeds_calname) / 2) {
		snprintf(err, n, "calendar name pattern too long");
		return -1;
	}
	snprintf(c->feeds_calname, sizeof(c->feeds_calname), "%s", v);
	return 0;
}

/* Plain HTTP is for a reverse proxy on the same host only. */
static int
feeds_addr_loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	    strcmp(a, "localhost") == 0;
}

static const struct key keys[] = {
	{ "server",	"listen",		set_listen },
	{ "server",	"max_connections",	set_max_connections },
	{ "server",	"max_frame",		set_max_frame },
	{ "server",	"handshake_timeout",	set_handshake_timeout },
	{ "server",	"idle_timeout",		set_idle_timeout },
	{ "server",	"shutdown_timeout",	set_shutdown_timeout },
	{ "server",	"log_level",		set_log_level },
	{ "tls",	"cert",			set_tls_cert },
	{ "tls",	"key",			set_tls_key },
	{ "tls",	"client_ca",		set_tls_client_ca },
	{ "tls",	"min_version",		set_tls_min_version },
	{ "store",	"path",			set_db_path },
	{ "district",	"name",			set_district_name },
	{ "district",	"timezone",		set_timezone },
	{ "queue",	"topics",		set_queue_topics },
	{ "queue",	"aging_hours",		set_queue_aging_hours },
	{ "queue",	"aging_cap",		set_queue_aging_cap },
	{ "queue",	"admin_boost_bonus",	set_queue_boost_bonus },
	{ "queue",	"new_teacher_bonus",	set_queue_new_bonus },
	{ "queue",	"rate_window_weeks",	set_queue_rate_weeks },
	{ "caps",	"categories",		set_caps_categories },
	{ "caps",	"edit_window",		set_caps_edit_window },
	{ "feeds",	"listen",		set_feeds_listen },
	{ "feeds",	"tls",			set_feeds_tls },
	{ "feeds",	"base_url",		set_feeds_base_url },
	{ "feeds",	"refresh_interval",	set_feeds_refresh },
	{ "feeds",	"retention",		set_feeds_retention },
	{ "feeds",	"calendar_name",		set_feeds_calname },
	{ "feeds",	"gzip_only",		set_feeds_gzip_only },
	{ "matching",	"expertise_level1",	set_match_level1 },
	{ "matching",	"expertise_level2",	set_match_level2 },
	{ "matching",	"expertise_level3",	set_match_level3 },
	{ "matching",	"interest",		set_match_interest },
	{ "matching",	"continuity",		set_match_continuity },
	{ "matching",	"aging_per_day",	set_match_aging_per_day },
	{ "matching",	"aging_cap_days",	set_match_aging_cap },
	{ "matching",	"boost",		set_match_boost },
	{ "matching",	"new_teacher",		set_match_new_teacher },
	{ "matching",	"allow_interest_only",	set_match_interest_only },
};

/* inih callback: 1 to go on, 0 to report an error on the current line. */
static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct parse	*p = arg;
	size_t		 i;
	int		 known_section = 0;

	if (p->err[0] != '\0')
		return 1;	/* keep the first error only */
	if (strcmp(section, "schedule") == 0)	/* keys in config_sched.c */
		return config_sched_set(p->conf, name, value, p->err,
		    sizeof(p->err)) == 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		known_section = 1;
		if (strcmp(keys[i].name, name) != 0)
			continue;
		if (keys[i].set(p->conf, value, p->err, sizeof(p->err)) == -1)
			return 0;
		if (keys[i].set == set_tls_cert)
			p->seen_tls_cert = 1;
		else if (keys[i].set == set_tls_key)
			p->seen_tls_key = 1;
		else if (keys[i].set == set_db_path)
			p->seen_db = 1;
		return 1;
	}
	if (!known_section && section[0] == '\0')
		snprintf(p->err, sizeof(p->err),
		    "'%s' is outside any [section]", name);
	else if (!known_section)
		snprintf(p->err, sizeof(p->err), "unknown section [%s]",
		    section);
	else
		snprintf(p->err, sizeof(p->err), "unknown key '%s' in [%s]",
		    name, section);
	return 0;
}

int
config_load(const char *path, struct coachd_config *c, char *err,
    size_t errlen)
{
	struct parse	 p;
	FILE		*f;
	int		 line;

	config_defaults(c);
	if (strlen(path) >= sizeof(c->path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	strcpy(c->path, path);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.conf = c;
	line = ini_parse_file(f, on_key, &p);
	fclose(f);
	if (line != 0) {
		if (p.err[0] == '\0')
			snprintf(p.err, sizeof(p.err), "syntax error "
			    "(expected [section] or key = value)");
		snprintf(err, errlen, "%s:%d: %s", path, line, p.err);
		return -1;
	}
	if (!p.seen_tls_cert || !p.seen_tls_key) {
		snprintf(err, errlen, "%s: [tls] cert and key are required",
		    path);
		return -1;
	}
	if (!p.seen_db) {
		snprintf(err, errlen, "%s: [store] path is required", path);
		return -1;
	}
	if (config_sched_check(c, p.err, sizeof p.err) == -1) {
		snprintf(err, errlen, "%s: %s", path, p.err);
		return -1;
	}
	if (c->feeds_enabled && !c->feeds_tls &&
	    !feeds_addr_loopback(c->feeds_addr)) {
		snprintf(err, errlen, "%s: [feeds] tls = no is allowed only on "
		    "a loopback listen address (127.0.0.1, ::1), not '%s'",
		    path, c->feeds_addr);
		return -1;
	}
	return 0;
}
