/*
 * config: coachd.conf (INI syntax, parsed with inih) into a struct.
 * Every key is one row of the key table in config.c, which is also what
 * the defaults, `coachd --config-keys` and the check of conf/coachd.conf
 * read.  Unknown sections or keys and bad values are errors reported as
 * "file:line: what is wrong"; nothing is silently ignored.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_PATH_MAX	1024

#define CONFIG_MODELS_MAX	16	/* coaching models in [schedule] */
#define CONFIG_LEVELS		4	/* expertise levels 0..3 */

/* [matching] weights; config_match_weights() hands them to the engine. */
struct config_weights {
	uint32_t	expertise[CONFIG_LEVELS];	/* level 0 stays 0 */
	uint32_t	interest;		/* coach lists the topic */
	uint32_t	continuity;		/* coach already coaches them */
	uint32_t	aging_per_day;		/* per day a question waited */
	uint32_t	aging_cap_days;		/* aging stops growing here */
	uint32_t	boost;			/* an admin boosted it */
	uint32_t	new_teacher;		/* the teacher is marked new */
	int		allow_interest_only;	/* level 0 + interest allowed */
};

struct coachd_config {
	char		path[CONFIG_PATH_MAX];	/* the file read */

	/* [server] */
	char		listen_addr[256];
	int		listen_port;		/* 0: pick a free port */
	int		max_connections;
	size_t		max_frame;
	int		handshake_timeout;	/* seconds */
	int		idle_timeout;		/* seconds */
	int		shutdown_timeout;	/* seconds to drain on SIGTERM */
	int		log_level;		/* enum log_level */
	/* [server] limits on clients (docs/security.md, "Limits") */
	int		login_timeout;		/* accept to hello, absolute */
	size_t		login_max_frame;	/* frames before hello */
	int		max_per_address;	/* open connections per address */
	size_t		max_output;		/* buffered replies, then pause */
	int		login_failures;		/* before backoff; 0: none */
	long		login_backoff;		/* first block, seconds */
	long		login_backoff_max;	/* longest block, seconds */

	/* [tls] */
	char		tls_cert[CONFIG_PATH_MAX];
	char		tls_key[CONFIG_PATH_MAX];
	char		tls_client_ca[CONFIG_PATH_MAX];	/* "" = no mTLS */
	int		tls_min_version;	/* 12 or 13 */
	char		tls_crl[CONFIG_PATH_MAX];	/* "" = no CRL check */

	/* [store] */
	char		db_path[CONFIG_PATH_MAX];
	char		note_key[CONFIG_PATH_MAX];	/* "" = see notekey.h */
	char		note_key_credential[256];	/* systemd credential */

	/* [district] */
	char		district_name[256];
	char		timezone[128];		/* IANA name */

	/* [queue] inquiry-question queues (docs/queues.md) */
	char		queue_topics[CONFIG_PATH_MAX];	/* topics.conf */
	int		queue_aging_hours;	/* one point per H hours */
	int		queue_aging_cap;	/* aging adds at most this */
	int		queue_boost_bonus;	/* an admin's boost adds this */
	int		queue_new_bonus;	/* a new teacher's question: this */
	int		queue_rate_weeks;	/* history for expected wait */

	/* [caps] time caps (docs/caps.md) */
	char		caps_categories[CONFIG_PATH_MAX];	/* categories.conf */
	long		caps_edit_window;	/* seconds a coach may reach back */

	/* [schedule] coaching cycles (docs/scheduling.md, config_sched.c) */
	unsigned	sched_weekdays;		/* bit 0 = mon ... bit 6 = sun */
	char		sched_closures[4096];	/* "YYYY-MM-DD,..." */
	char		sched_closures_ics[CONFIG_PATH_MAX];	/* "" = none */
	char		sched_rotation_anchor[16];	/* first A day */
	int		sched_horizon_days;	/* school days planned ahead */
	int		sched_debrief_within_days;
	int		sched_max_per_day;	/* coach sessions a day, 0 = none */
	int		sched_max_per_week;	/* coach sessions a week, 0 = none */
	int		sched_max_teachers_per_week;
	int		sched_iterations;	/* local-search budget, 0 = default */
	long		sched_seed;
	/* minutes of a meeting, observation, debrief; 0 = the whole period */
	int		sched_minutes[3];
	int		sched_travel_minutes;	/* between two schools a day */
	/* coaching models: which sessions a cycle of each has */
	struct config_model {
		char		name[32];
		unsigned	kinds;		/* bit k: sched kind k */
	}		sched_models[CONFIG_MODELS_MAX];
	int		sched_n_models;
	char		sched_default_model[32];

	/* [feeds] iCalendar feed server (docs/feeds.md); off without listen */
	int		feeds_enabled;
	char		feeds_addr[256];
	int		feeds_port;		/* 0: pick a free port */
	int		feeds_tls;		/* 0 (plain HTTP) only on loopback */
	char		feeds_base_url[512];	/* for printed URLs; "" = listen */
	int		feeds_refresh;		/* REFRESH-INTERVAL, seconds */
	int		feeds_retention;	/* cancelled kept, seconds */
	char		feeds_calname[256];	/* %n name, %d district */
	int		feeds_gzip_only;	/* cache gzip bodies only */
	int		feeds_max_connections;	/* then accept pauses */
	int		feeds_timeout;		/* idle read/write, seconds */
	int		feeds_max_connection_time;	/* absolute, seconds */

	/* [import] roster imports from a folder on the server */
	char		import_dir[CONFIG_PATH_MAX];	/* "" = not allowed */

	/* [matching] (admin assign) */
	struct config_weights match_weights;
};

struct match_weights;

/* Fill defaults, then read path over them.  0, or -1 with err filled. */
int	config_load(const char *path, struct coachd_config *, char *err,
	    size_t errlen);
/* Every key's default, parsed from the key table. */
void	config_defaults(struct coachd_config *);
/* One line per key: section, key, type, default ("-": none), doc. */
void	config_keys_print(FILE *);
/* The [matching] weights in the engine's struct; returns out. */
struct match_weights *config_match_weights(const struct coachd_config *,
	    struct match_weights *out);

/*
 * Value parsers shared by every section: each returns 0 or -1 with a
 * message naming what was expected.
 */
int	config_parse_int(const char *value, long min, long max, long *out,
	    char *err, size_t errlen);
int	config_parse_bool(const char *value, int *out, char *err,
	    size_t errlen);
/* "90", "90s", "15m", "2h", "30d" -> seconds. */
int	config_parse_duration(const char *value, long *out, char *err,
	    size_t errlen);
/* "512", "64k", "1M" -> bytes. */
int	config_parse_size(const char *value, size_t *out, char *err,
	    size_t errlen);
/* Resolve a path relative to the config file's directory. */
int	config_parse_path(const struct coachd_config *, const char *value,
	    char *out, size_t outlen, char *err, size_t errlen);
/* "host:port", "[v6]:port" */
int	config_parse_hostport(const char *value, char *host, size_t hostlen,
	    int *port, char *err, size_t errlen);

/* The kinds mask of a coaching model; 0 if there is no such model. */
unsigned config_sched_model_kinds(const struct coachd_config *,
	    const char *name);
/* "embedded, modelling, ..." for messages. */
void	config_sched_model_names(const struct coachd_config *, char *buf,
	    size_t len);
/*
 * The end of a session of `kind` starting at `start` in a period ending at
 * `end` (minutes after midnight): the configured length, never past the
 * period; kinds without one take the whole period.
 */
int	config_sched_session_end(const struct coachd_config *,
	    const char *kind, int start, int end);

#endif
