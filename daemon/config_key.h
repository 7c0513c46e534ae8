/*
 * config_key: one row per coachd.conf key, private to config.c (the
 * table, loading, defaults, listing), config_parse.c (the value parsers)
 * and config_sched.c (the [schedule] parsers the table names).
 */
#ifndef CONFIG_KEY_H
#define CONFIG_KEY_H

#include <stddef.h>

#include "config.h"

/* What a value looks like; the first five have a parser of their own. */
enum config_type {
	CONFIG_INT,		/* whole number in min..max */
	CONFIG_BOOL,		/* yes/no, true/false, on/off, 1/0 */
	CONFIG_DURATION,	/* seconds in min..max: 90, 15m, 2h, 30d */
	CONFIG_STRING,		/* min..size-1 characters */
	CONFIG_PATH,		/* relative to the config file's folder */
	CONFIG_SIZE,		/* bytes: 512, 64k, 1M */
	CONFIG_ENUM,		/* one of the words the doc names */
	CONFIG_HOSTPORT,	/* host:port, [v6]:port */
	CONFIG_URL,
	CONFIG_ZONE,		/* IANA time zone */
	CONFIG_DATE,		/* YYYY-MM-DD */
	CONFIG_DATES,		/* YYYY-MM-DD, ... */
	CONFIG_WEEKDAYS,	/* mon..fri, mon,tue,thu */
	CONFIG_SESSIONS,	/* meeting, observation, debrief */
};

#define CONFIG_REQUIRED	0x1	/* the file must set it */
#define CONFIG_PREFIX	0x2	/* key is a prefix: model_NAME */

struct config_key;

/*
 * Parse value into the row's field of c; key is the name as written (for
 * CONFIG_PREFIX rows).  0, or -1 with err filled.
 */
typedef int config_set_fn(struct coachd_config *c,
    const struct config_key *k, const char *key, const char *value,
    char *err, size_t errlen);

struct config_key {
	const char	*section;
	const char	*key;
	enum config_type type;
	size_t		 offset;	/* of the field in coachd_config */
	size_t		 size;		/* of the field */
	long		 min, max;	/* INT, DURATION, SIZE; STRING length */
	const char	*def;		/* default as written; NULL: none */
	int		 flags;
	config_set_fn	*set;		/* NULL: the type's own parser */
	const char	*doc;
};

/* The field row k describes in c. */
static inline void *
config_field(struct coachd_config *c, const struct config_key *k)
{
	return (char *)c + k->offset;
}

/* Parse v through row k: its own parser, else its type's (config_parse.c). */
int	config_key_set(struct coachd_config *c, const struct config_key *k,
	    const char *key, const char *v, char *err, size_t n);
/* The keys with a parser of their own (config_parse.c). */
config_set_fn	config_set_listen,
		config_set_max_frame,
		config_set_log_level,
		config_set_tls_version,
		config_set_timezone,
		config_set_edit_window,
		config_set_weight,
		config_set_feeds_listen,
		config_set_base_url,
		config_set_calname;

/* [schedule] parsers (config_sched.c). */
config_set_fn	config_sched_weekdays, config_sched_closures,
		config_sched_anchor, config_sched_model,
		config_sched_default_model;
/* After the whole file: the default model must be one of the models. */
int	config_sched_check(const struct coachd_config *, char *err, size_t n);

#endif
