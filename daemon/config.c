/*
 * config: read coachd.conf.  inih does the INI lexing; every key is then
 * looked up in the key table below, so an unknown key or section is an
 * error instead of a silently ignored typo that leaves a district running
 * on a default it never chose.  The same table gives the defaults (each
 * row's default text goes through the row's own parser), the required
 * keys and the `coachd --config-keys` listing that conf/coachd.conf is
 * checked against.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config_key.h"
#include "errmsg.h"
#include "log.h"
#include "match.h"

_Static_assert(CONFIG_LEVELS == MATCH_LEVEL_MAX + 1,
    "config_weights.expertise must hold every match level");

/* Without the keys: the source tree's conf/topics.conf, categories.conf. */
#ifdef COACHD_TOPICS_DEFAULT
#define TOPICS_DEFAULT		COACHD_TOPICS_DEFAULT
#else
#define TOPICS_DEFAULT		NULL
#endif
#ifdef COACHD_CATEGORIES_DEFAULT
#define CATEGORIES_DEFAULT	COACHD_CATEGORIES_DEFAULT
#else
#define CATEGORIES_DEFAULT	NULL
#endif

/* ---- the key table ------------------------------------------------------- */

/* offset and size of a field of struct coachd_config */
#define F(m)	offsetof(struct coachd_config, m), \
		sizeof(((struct coachd_config *)0)->m)
#define DAY	86400L

/*
 * {section, key, type, field, min, max, default, flags, parser, doc}.
 * Exact keys come before the prefix key of their section.
 */
static const struct config_key keys[] = {
	{ "server", "listen", CONFIG_HOSTPORT, F(listen_addr), 0, 0,
	    "127.0.0.1:7443", 0, config_set_listen,
	    "address and port of the coachctl protocol; port 0 picks one" },
	{ "server", "max_connections", CONFIG_INT, F(max_connections),
	    1, 100000, "256", 0, NULL,
	    "connections served at once; more wait in the accept queue" },
	{ "server", "max_frame", CONFIG_SIZE, F(max_frame),
	    1024, 256L * 1024 * 1024, "1M", 0, config_set_max_frame,
	    "largest request frame accepted (1k..256M)" },
	{ "server", "handshake_timeout", CONFIG_DURATION,
	    F(handshake_timeout), 1, 600, "10s", 0, NULL,
	    "longest silence before login (login_timeout bounds the whole)" },
	{ "server", "idle_timeout", CONFIG_DURATION, F(idle_timeout),
	    1, DAY, "5m", 0, NULL, "connections idle this long are closed" },
	{ "server", "shutdown_timeout", CONFIG_DURATION, F(shutdown_timeout),
	    0, 600, "10s", 0, NULL,
	    "on SIGTERM, time allowed for clients to get their last replies" },
	{ "server", "log_level", CONFIG_ENUM, F(log_level), 0, 0, "info", 0,
	    config_set_log_level, "warn, info or debug" },
	{ "server", "login_timeout", CONFIG_DURATION, F(login_timeout),
	    1, 600, "10s", 0, NULL, "a connection must have finished TLS and "
	    "hello this long after accept, however it trickles bytes" },
	{ "server", "login_max_frame", CONFIG_SIZE, F(login_max_frame),
	    1024, 1024L * 1024, "16k", 0, NULL,
	    "largest frame accepted before hello succeeds (1k..1M)" },
	{ "server", "max_per_address", CONFIG_INT, F(max_per_address),
	    1, 100000, "32", 0, NULL, "connections one client address (IPv6: "
	    "one /64) may have open, loopback included; more are refused" },
	{ "server", "max_output", CONFIG_SIZE, F(max_output),
	    64L * 1024, 1024L * 1024 * 1024, "4M", 0, NULL,
	    "replies buffered for a client that is not reading them before "
	    "its requests stop being read (64k..1G)" },
	{ "server", "login_failures", CONFIG_INT, F(login_failures),
	    0, 1000, "5", 0, NULL, "failed logins from one address before "
	    "its logins are refused for a while (0: never)" },
	{ "server", "login_backoff", CONFIG_DURATION, F(login_backoff),
	    1, 3600, "1s", 0, NULL, "first refusal period; doubles with each "
	    "further failed login" },
	{ "server", "login_backoff_max", CONFIG_DURATION,
	    F(login_backoff_max), 1, DAY, "5m", 0, NULL, "longest refusal "
	    "period; failures are forgotten this long after the last one" },

	{ "tls", "cert", CONFIG_PATH, F(tls_cert), 0, 0, NULL,
	    CONFIG_REQUIRED, NULL, "server certificate chain (PEM)" },
	{ "tls", "key", CONFIG_PATH, F(tls_key), 0, 0, NULL,
	    CONFIG_REQUIRED, NULL, "server private key (PEM)" },
	{ "tls", "client_ca", CONFIG_PATH, F(tls_client_ca), 0, 0, NULL, 0,
	    NULL, "CA of the client certificates accepted as logins (mTLS)" },
	{ "tls", "min_version", CONFIG_ENUM, F(tls_min_version), 0, 0, "1.2",
	    0, config_set_tls_version, "lowest TLS version accepted: 1.2 or 1.3" },
	{ "tls", "crl", CONFIG_PATH, F(tls_crl), 0, 0, NULL, 0, NULL,
	    "revoked client certificates (PEM CRLs of the client_ca)" },

	{ "store", "path", CONFIG_PATH, F(db_path), 0, 0, NULL,
	    CONFIG_REQUIRED, NULL,
	    "SQLite database, created and migrated on start" },
	{ "store", "note_key", CONFIG_PATH, F(note_key), 0, 0, NULL, 0, NULL,
	    "key file sealing coaching notes (32 bytes, hex or raw, mode 0600)" },
	{ "store", "note_key_credential", CONFIG_STRING,
	    F(note_key_credential), 0, 0, NULL, 0, NULL,
	    "systemd credential holding the note key, instead of note_key" },

	{ "import", "dir", CONFIG_PATH, F(import_dir), 0, 0, NULL, 0, NULL,
	    "folder under which admin import --server-path may read; unset: "
	    "none" },

	{ "district", "name", CONFIG_STRING, F(district_name), 1, 0,
	    "School District", 0, NULL, "the district's name (%d in feeds)" },
	{ "district", "timezone", CONFIG_ZONE, F(timezone), 0, 0,
	    "America/Chicago", 0, config_set_timezone,
	    "IANA time zone of the schools; all times are local to it" },

	{ "queue", "topics", CONFIG_PATH, F(queue_topics), 0, 0,
	    TOPICS_DEFAULT, 0, NULL, "the topic taxonomy (docs/queues.md)" },
	{ "queue", "aging_hours", CONFIG_INT, F(queue_aging_hours),
	    1, 24 * 365, "24", 0, NULL,
	    "a waiting question gains a priority point per this many hours" },
	{ "queue", "aging_cap", CONFIG_INT, F(queue_aging_cap), 0, 1000,
	    "14", 0, NULL, "aging adds at most this many points" },
	{ "queue", "admin_boost_bonus", CONFIG_INT, F(queue_boost_bonus),
	    0, 1000, "5", 0, NULL,
	    "priority an admin's boost adds to a waiting question" },
	{ "queue", "new_teacher_bonus", CONFIG_INT, F(queue_new_bonus),
	    0, 1000, "2", 0, NULL,
	    "priority added to the questions of a teacher marked new" },
	{ "queue", "rate_window_weeks", CONFIG_INT, F(queue_rate_weeks),
	    1, 52, "4", 0, NULL,
	    "weeks of assignments behind a teacher's expected wait" },

	{ "caps", "categories", CONFIG_PATH, F(caps_categories), 0, 0,
	    CATEGORIES_DEFAULT, 0, NULL,
	    "activity categories and caps (docs/caps.md)" },
	{ "caps", "edit_window", CONFIG_DURATION, F(caps_edit_window),
	    DAY, 366 * DAY, "14d", 0, config_set_edit_window,
	    "how far back a coach may add, change or delete log entries" },

	{ "matching", "expertise_level1", CONFIG_INT,
	    F(match_weights.expertise[1]), 0, MATCH_SCORE_MAX, "20", 0,
	    config_set_weight, "points for a coach working in the question's area" },
	{ "matching", "expertise_level2", CONFIG_INT,
	    F(match_weights.expertise[2]), 0, MATCH_SCORE_MAX, "35", 0,
	    config_set_weight, "points for a coach proficient in the area" },
	{ "matching", "expertise_level3", CONFIG_INT,
	    F(match_weights.expertise[3]), 0, MATCH_SCORE_MAX, "50", 0,
	    config_set_weight, "points for a coach expert in the area" },
	{ "matching", "interest", CONFIG_INT, F(match_weights.interest),
	    0, MATCH_SCORE_MAX, "10", 0, config_set_weight,
	    "points when the coach lists the question's topic" },
	{ "matching", "continuity", CONFIG_INT, F(match_weights.continuity),
	    0, MATCH_SCORE_MAX, "15", 0, config_set_weight,
	    "points when the coach already coaches the teacher" },
	{ "matching", "aging_per_day", CONFIG_INT,
	    F(match_weights.aging_per_day), 0, MATCH_SCORE_MAX, "1", 0,
	    config_set_weight, "points per day the question has waited" },
	{ "matching", "aging_cap_days", CONFIG_INT,
	    F(match_weights.aging_cap_days), 0, MATCH_SCORE_MAX, "30", 0,
	    config_set_weight, "days after which aging stops growing" },
	{ "matching", "boost", CONFIG_INT, F(match_weights.boost),
	    0, MATCH_SCORE_MAX, "30", 0, config_set_weight,
	    "points for a question an admin boosted" },
	{ "matching", "new_teacher", CONFIG_INT, F(match_weights.new_teacher),
	    0, MATCH_SCORE_MAX, "10", 0, config_set_weight,
	    "points for a question of a teacher marked new" },
	{ "matching", "allow_interest_only", CONFIG_BOOL,
	    F(match_weights.allow_interest_only), 0, 0, "yes", 0, NULL,
	    "a coach with the topic as an interest but no expertise may "
	    "take the question" },

	{ "schedule", "school_days", CONFIG_WEEKDAYS, F(sched_weekdays), 0, 0,
	    "mon..fri", 0, config_sched_weekdays, "school days of the week" },
	{ "schedule", "closures", CONFIG_DATES, F(sched_closures), 0, 0, NULL,
	    0, config_sched_closures, "days without school" },
	{ "schedule", "closures_ics", CONFIG_PATH, F(sched_closures_ics),
	    0, 0, NULL, 0, NULL,
	    "iCalendar file whose events close the days they cover" },
	{ "schedule", "rotation_anchor", CONFIG_DATE,
	    F(sched_rotation_anchor), 0, 0, "2026-08-31", 0,
	    config_sched_anchor, "first A day of the A/B (or A..H) rotation" },
	{ "schedule", "horizon_days", CONFIG_INT, F(sched_horizon_days),
	    1, 200, "10", 0, NULL,
	    "school days `admin schedule` plans ahead" },
	{ "schedule", "debrief_within_days", CONFIG_INT,
	    F(sched_debrief_within_days), 0, 20, "2", 0, NULL,
	    "school days from an observation to its debrief, at most" },
	{ "schedule", "max_sessions_per_day", CONFIG_INT,
	    F(sched_max_per_day), 0, 64, "6", 0, NULL,
	    "a coach's sessions a day (0: no limit)" },
	{ "schedule", "max_sessions_per_week", CONFIG_INT,
	    F(sched_max_per_week), 0, 1000, "0", 0, NULL,
	    "a coach's sessions a week (0: no limit)" },
	{ "schedule", "max_teachers_per_week", CONFIG_INT,
	    F(sched_max_teachers_per_week), 0, 1000, "5", 0, NULL,
	    "distinct teachers a coach sees a week" },
	{ "schedule", "seed", CONFIG_INT, F(sched_seed), 0, INT32_MAX, "1", 0,
	    NULL, "search seed: same data and seed, same plan" },
	{ "schedule", "iterations", CONFIG_INT, F(sched_iterations),
	    0, 100000000, "0", 0, NULL,
	    "local-search moves (0: the engine's default)" },
	{ "schedule", "meeting_minutes", CONFIG_INT, F(sched_minutes[0]),
	    0, 600, "0", 0, NULL, "length of a meeting (0: the period)" },
	{ "schedule", "observation_minutes", CONFIG_INT, F(sched_minutes[1]),
	    0, 600, "0", 0, NULL, "length of an observation (0: the period)" },
	{ "schedule", "debrief_minutes", CONFIG_INT, F(sched_minutes[2]),
	    0, 600, "0", 0, NULL, "length of a debrief (0: the period)" },
	{ "schedule", "travel_minutes", CONFIG_INT, F(sched_travel_minutes),
	    0, 240, "0", 0, NULL, "minutes a coach needs between two schools" },
	{ "schedule", "model_embedded", CONFIG_SESSIONS, F(sched_models), 0, 0,
	    "meeting, observation, debrief", 0, config_sched_model,
	    "built-in coaching model: the whole cycle" },
	{ "schedule", "model_modelling", CONFIG_SESSIONS, F(sched_models),
	    0, 0, "meeting, observation, debrief", 0, config_sched_model,
	    "built-in coaching model: the coach teaches the observed lesson" },
	{ "schedule", "model_student-work", CONFIG_SESSIONS, F(sched_models),
	    0, 0, "meeting, debrief", 0, config_sched_model,
	    "built-in coaching model: looking at student work together" },
	{ "schedule", "model_observation", CONFIG_SESSIONS, F(sched_models),
	    0, 0, "observation, debrief", 0, config_sched_model,
	    "built-in coaching model: a drop-in observation" },
	{ "schedule", "model_", CONFIG_SESSIONS, F(sched_models), 0, 0, NULL,
	    CONFIG_PREFIX, config_sched_model,
	    "another coaching model, NAME of a-z 0-9 - _ (16 models at most)" },
	{ "schedule", "default_model", CONFIG_STRING, F(sched_default_model),
	    0, 0, "embedded", 0, config_sched_default_model,
	    "the model of a question that names none" },

	{ "feeds", "listen", CONFIG_HOSTPORT, F(feeds_addr), 0, 0, NULL, 0,
	    config_set_feeds_listen, "address of the feed server; unset: none" },
	{ "feeds", "tls", CONFIG_BOOL, F(feeds_tls), 0, 0, "yes", 0, NULL,
	    "TLS with the [tls] certificate; no: plain HTTP on loopback" },
	{ "feeds", "base_url", CONFIG_URL, F(feeds_base_url), 0, 0, NULL, 0,
	    config_set_base_url, "base of the printed feed URLs; unset: the listen "
	    "address" },
	{ "feeds", "refresh_interval", CONFIG_DURATION, F(feeds_refresh),
	    60, 7 * DAY, "1h", 0, NULL,
	    "REFRESH-INTERVAL and X-PUBLISHED-TTL of every feed" },
	{ "feeds", "retention", CONFIG_DURATION, F(feeds_retention),
	    0, 3650 * DAY, "30d", 0, NULL,
	    "how long cancelled sessions stay in feeds" },
	{ "feeds", "calendar_name", CONFIG_STRING, F(feeds_calname), 0, 0,
	    "%n: coaching", 0, config_set_calname,
	    "calendar name: %n the person or school, %d the district" },
	{ "feeds", "gzip_only", CONFIG_BOOL, F(feeds_gzip_only), 0, 0, "no",
	    0, NULL, "keep only the gzip copy of each feed in memory" },
	{ "feeds", "max_connections", CONFIG_INT, F(feeds_max_connections),
	    1, 100000, "256", 0, NULL,
	    "feed connections served at once; more wait to be accepted" },
	{ "feeds", "timeout", CONFIG_DURATION, F(feeds_timeout), 1, 3600,
	    "20s", 0, NULL, "a feed connection silent this long is closed" },
	{ "feeds", "max_connection_time", CONFIG_DURATION,
	    F(feeds_max_connection_time), 1, DAY, "60s", 0, NULL,
	    "a feed connection is closed this long after accept, busy or not" },
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

static const char *const type_names[] = {
	[CONFIG_INT] = "int",		[CONFIG_BOOL] = "bool",
	[CONFIG_DURATION] = "duration",	[CONFIG_STRING] = "string",
	[CONFIG_PATH] = "path",		[CONFIG_SIZE] = "size",
	[CONFIG_ENUM] = "enum",		[CONFIG_HOSTPORT] = "host:port",
	[CONFIG_URL] = "url",		[CONFIG_ZONE] = "timezone",
	[CONFIG_DATE] = "date",		[CONFIG_DATES] = "dates",
	[CONFIG_WEEKDAYS] = "weekdays",	[CONFIG_SESSIONS] = "sessions",
};

void
config_defaults(struct coachd_config *c)
{
	char	err[ERRMSG_LEN];
	size_t	i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NKEYS; i++)
		if (keys[i].def != NULL && config_key_set(c, &keys[i], keys[i].key,
		    keys[i].def, err, sizeof(err)) == -1)
			fatalx("config: default of [%s] %s: %s",
			    keys[i].section, keys[i].key, err);
}

void
config_keys_print(FILE *f)
{
	const struct config_key	*k;
	size_t			 i;

	for (i = 0; i < NKEYS; i++) {
		k = &keys[i];
		fprintf(f, "%s\t%s%s\t%s\t%s\t%s\n", k->section, k->key,
		    (k->flags & CONFIG_PREFIX) ? "NAME" : "",
		    type_names[k->type], k->def != NULL ? k->def :
		    (k->flags & CONFIG_REQUIRED) ? "(required)" : "-", k->doc);
	}
}

/* ---- reading a file ------------------------------------------------------ */

/* Parse state handed to inih's callback. */
struct parse {
	struct coachd_config	*conf;
	char			 err[ERRMSG_LEN];	/* first error */
	unsigned char		 seen[NKEYS];
};

/* The row of section/name, or NULL; *known_section says if any row has it. */
static const struct config_key *
key_find(const char *section, const char *name, int *known_section)
{
	const struct config_key	*k;
	size_t			 i;

	*known_section = 0;
	for (i = 0; i < NKEYS; i++) {
		k = &keys[i];
		if (strcmp(k->section, section) != 0)
			continue;
		*known_section = 1;
		if ((k->flags & CONFIG_PREFIX) ?
		    strncmp(name, k->key, strlen(k->key)) == 0 :
		    strcmp(name, k->key) == 0)
			return k;
	}
	return NULL;
}

/* inih callback: 1 to go on, 0 to report an error on the current line. */
static int
on_key(void *arg, const char *section, const char *name, const char *value)
{
	struct parse		*p = arg;
	const struct config_key	*k;
	int			 known_section;

	if (p->err[0] != '\0')
		return 1;	/* keep the first error only */
	if ((k = key_find(section, name, &known_section)) != NULL) {
		p->seen[k - keys] = 1;
		return config_key_set(p->conf, k, name, value, p->err,
		    sizeof(p->err)) == 0;
	}
	if (section[0] == '\0')
		errmsg(p->err, sizeof(p->err), "'%s' is outside any [section]",
		    name);
	else if (!known_section)
		errmsg(p->err, sizeof(p->err), "unknown section [%s]", section);
	else
		errmsg(p->err, sizeof(p->err), "unknown key '%s' in [%s]", name,
		    section);
	return 0;
}

/* "[tls] cert and key are required": the section of the first one missing. */
static int
check_required(const struct parse *p, char *err, size_t n)
{
	const struct config_key	*miss = NULL;
	char			 names[256] = "";
	size_t			 i, len, count = 0;

	for (i = 0; i < NKEYS && miss == NULL; i++)
		if ((keys[i].flags & CONFIG_REQUIRED) && !p->seen[i])
			miss = &keys[i];
	if (miss == NULL)
		return 0;
	for (i = 0; i < NKEYS; i++) {
		if (!(keys[i].flags & CONFIG_REQUIRED) ||
		    strcmp(keys[i].section, miss->section) != 0)
			continue;
		len = strlen(names);
		snprintf(names + len, sizeof(names) - len, "%s%s",
		    count++ > 0 ? " and " : "", keys[i].key);
	}
	return errmsg(err, n, "[%s] %s %s required", miss->section, names,
	    count > 1 ? "are" : "is");
}

/* Plain HTTP is for a reverse proxy on the same host only. */
static int
feeds_addr_loopback(const char *a)
{
	return strncmp(a, "127.", 4) == 0 || strcmp(a, "::1") == 0 ||
	    strcmp(a, "localhost") == 0;
}

/* What only the whole file can tell. */
static int
check_file(const struct parse *p, char *err, size_t n)
{
	const struct coachd_config	*c = p->conf;

	if (check_required(p, err, n) == -1 ||
	    config_sched_check(c, err, n) == -1)
		return -1;
	if (c->feeds_enabled && !c->feeds_tls &&
	    !feeds_addr_loopback(c->feeds_addr))
		return errmsg(err, n, "[feeds] tls = no is allowed only on a "
		    "loopback listen address (127.0.0.1, ::1), not '%s'",
		    c->feeds_addr);
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
	if (strlen(path) >= sizeof(c->path))
		return errmsg(err, errlen, "%s: path too long", path);
	strcpy(c->path, path);
	if ((f = fopen(path, "r")) == NULL)
		return errmsg(err, errlen, "%s: %s", path, strerror(errno));
	memset(&p, 0, sizeof(p));
	p.conf = c;
	line = ini_parse_file(f, on_key, &p);
	fclose(f);
	if (line != 0) {
		if (p.err[0] == '\0')
			errmsg(p.err, sizeof(p.err), "syntax error "
			    "(expected [section] or key = value)");
		return errmsg(err, errlen, "%s:%d: %s", path, line, p.err);
	}
	if (check_file(&p, p.err, sizeof(p.err)) == -1)
		return errmsg(err, errlen, "%s: %s", path, p.err);
	return 0;
}
