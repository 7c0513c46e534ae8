/*
 * Unit tests for config.c: value parsers, the defaults the key table
 * gives, and file:line errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static void
test_value_parsers(void **state)
{
	char	err[256], host[64];
	long	n;
	size_t	sz;
	int	b, port;

	(void)state;
	assert_int_equal(config_parse_duration("90", &n, err, sizeof(err)), 0);
	assert_int_equal(n, 90);
	assert_int_equal(config_parse_duration("15m", &n, err, sizeof(err)), 0);
	assert_int_equal(n, 900);
	assert_int_equal(config_parse_duration("2h", &n, err, sizeof(err)), 0);
	assert_int_equal(n, 7200);
	assert_int_equal(config_parse_duration("30d", &n, err, sizeof(err)), 0);
	assert_int_equal(n, 30 * 86400);
	assert_int_equal(config_parse_duration("5 min", &n, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "'5 min'"));
	assert_int_equal(config_parse_duration("-1s", &n, err, sizeof(err)),
	    -1);
	assert_int_equal(config_parse_size("1M", &sz, err, sizeof(err)), 0);
	assert_int_equal(sz, 1024 * 1024);
	assert_int_equal(config_parse_size("64k", &sz, err, sizeof(err)), 0);
	assert_int_equal(sz, 65536);
	assert_int_equal(config_parse_int("12x", 0, 100, &n, err, sizeof(err)),
	    -1);
	assert_int_equal(config_parse_int("101", 0, 100, &n, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(config_parse_bool("yes", &b, err, sizeof(err)), 0);
	assert_int_equal(b, 1);
	assert_int_equal(config_parse_bool("maybe", &b, err, sizeof(err)), -1);
	assert_int_equal(config_parse_hostport("[::1]:7443", host,
	    sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 7443);
	assert_int_equal(config_parse_hostport("localhost", host, sizeof(host),
	    &port, err, sizeof(err)), -1);
}

/* Write text to a temp file and load it; returns config_load's result. */
static int
load_text(const char *text, struct coachd_config *c, char *err,
    size_t errlen, char *path, size_t pathlen)
{
	FILE	*f;
	int	 fd;

	snprintf(path, pathlen, "/tmp/coachd-config-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return config_load(path, c, err, errlen);
}

static void
test_file_errors(void **state)
{
	struct coachd_config	c;
	char			err[512], path[64], want[128];
	int			rc;

	(void)state;
	rc = load_text("[tls]\ncert = a.crt\nkey = a.key\n[store]\n"
	    "path = /var/x.db\n[server]\nmax_connections = 5\n", &c, err,
	    sizeof(err), path, sizeof(path));
	assert_int_equal(rc, 0);
	assert_int_equal(c.max_connections, 5);
	assert_int_equal(c.idle_timeout, 300);	/* default kept */
	/* relative paths resolve against the file's directory */
	assert_string_equal(c.tls_cert, "/tmp/a.crt");
	assert_string_equal(c.db_path, "/var/x.db");
	unlink(path);

	rc = load_text("[tls]\ncert = a.crt\nkey = a.key\n[server]\n"
	    "max_connections = 0\n", &c, err, sizeof(err), path, sizeof(path));
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "%s:5: ", path);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "out of range"));
	unlink(path);

	rc = load_text("[server]\nlisten = 127.0.0.1:1\nfoo = bar\n", &c, err,
	    sizeof(err), path, sizeof(path));
	assert_int_equal(rc, -1);
	snprintf(want, sizeof(want), "%s:3: unknown key 'foo' in [server]",
	    path);
	assert_string_equal(err, want);
	unlink(path);

	rc = load_text("[tls]\ncert = a\nkey = b\n", &c, err, sizeof(err),
	    path, sizeof(path));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "[store] path is required"));
	unlink(path);

	assert_int_equal(config_load("/nonexistent/coachd.conf", &c, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/coachd.conf: "));
}

/* A whole-number field of struct coachd_config and its default. */
#define NUM(m, v)	{ #m, offsetof(struct coachd_config, m), \
			  sizeof(((struct coachd_config *)0)->m), v }

static const struct {
	const char	*name;
	size_t		 offset, size;
	long		 want;
} num_defaults[] = {
	NUM(listen_port, 7443), NUM(max_connections, 256),
	NUM(max_frame, 1024 * 1024), NUM(handshake_timeout, 10),
	NUM(idle_timeout, 300), NUM(shutdown_timeout, 10),
	NUM(log_level, 1 /* info */), NUM(tls_min_version, 12),
	NUM(queue_aging_hours, 24), NUM(queue_aging_cap, 14),
	NUM(queue_boost_bonus, 5), NUM(queue_new_bonus, 2),
	NUM(queue_rate_weeks, 4), NUM(caps_edit_window, 14 * 86400),
	NUM(match_weights.expertise[0], 0),
	NUM(match_weights.expertise[1], 20),
	NUM(match_weights.expertise[2], 35),
	NUM(match_weights.expertise[3], 50),
	NUM(match_weights.interest, 10), NUM(match_weights.continuity, 15),
	NUM(match_weights.aging_per_day, 1),
	NUM(match_weights.aging_cap_days, 30), NUM(match_weights.boost, 30),
	NUM(match_weights.new_teacher, 10),
	NUM(match_weights.allow_interest_only, 1),
	NUM(sched_weekdays, 0x1f), NUM(sched_horizon_days, 10),
	NUM(sched_debrief_within_days, 2), NUM(sched_max_per_day, 6),
	NUM(sched_max_per_week, 0), NUM(sched_max_teachers_per_week, 5),
	NUM(sched_iterations, 0), NUM(sched_seed, 1),
	NUM(sched_minutes[0], 0), NUM(sched_minutes[1], 0),
	NUM(sched_minutes[2], 0), NUM(sched_travel_minutes, 0),
	NUM(sched_n_models, 4), NUM(feeds_enabled, 0), NUM(feeds_tls, 1),
	NUM(feeds_refresh, 3600), NUM(feeds_retention, 30 * 86400),
	NUM(feeds_gzip_only, 0),
};

/* Every default, as the key table parses it from its default text. */
static void
test_defaults(void **state)
{
	struct coachd_config	c;
	char			names[256];
	const char		*f;
	size_t			i;
	long			got;
	int			gi;

	(void)state;
	config_defaults(&c);
	for (i = 0; i < sizeof(num_defaults) / sizeof(num_defaults[0]); i++) {
		f = (const char *)&c + num_defaults[i].offset;
		if (num_defaults[i].size == sizeof(long)) {
			memcpy(&got, f, sizeof(got));
		} else {
			memcpy(&gi, f, sizeof(gi));
			got = gi;
		}
		if (got != num_defaults[i].want)
			fail_msg("%s: %ld, not %ld", num_defaults[i].name, got,
			    num_defaults[i].want);
	}
	assert_string_equal(c.listen_addr, "127.0.0.1");
	assert_string_equal(c.tls_cert, "");
	assert_string_equal(c.district_name, "School District");
	assert_string_equal(c.timezone, "America/Chicago");
	assert_string_equal(c.sched_closures, "");
	assert_string_equal(c.sched_rotation_anchor, "2026-08-31");
	assert_string_equal(c.sched_default_model, "embedded");
	assert_string_equal(c.feeds_calname, "%n: coaching");
	config_sched_model_names(&c, names, sizeof(names));
	assert_string_equal(names,
	    "embedded, modelling, student-work, observation");
	assert_int_equal(config_sched_model_kinds(&c, "embedded"), 0x7);
	assert_int_equal(config_sched_model_kinds(&c, "modelling"), 0x7);
	assert_int_equal(config_sched_model_kinds(&c, "student-work"), 0x5);
	assert_int_equal(config_sched_model_kinds(&c, "observation"), 0x6);
}

/* Loading text fails with an error that contains want. */
static void
expect_error(const char *text, const char *want)
{
	struct coachd_config	c;
	char			err[512], path[64];

	assert_int_equal(load_text(text, &c, err, sizeof(err), path,
	    sizeof(path)), -1);
	unlink(path);
	if (strstr(err, want) == NULL)
		fail_msg("'%s' does not contain '%s'", err, want);
}

/* Keys of a prefix row, replaced built-in rows, whole-file checks. */
static void
test_table_keys(void **state)
{
	struct coachd_config	c;
	char			err[512], path[64], names[256];

	(void)state;
	assert_int_equal(load_text("[tls]\ncert = a\nkey = b\n[store]\n"
	    "path = x\n[schedule]\nmodel_embedded = meeting\nmodel_pair = "
	    "meeting, debrief\ndefault_model = pair\n[feeds]\nlisten = "
	    "[::1]:0\n", &c, err, sizeof(err), path, sizeof(path)), 0);
	unlink(path);
	config_sched_model_names(&c, names, sizeof(names));
	assert_string_equal(names,
	    "embedded, modelling, student-work, observation, pair");
	assert_int_equal(config_sched_model_kinds(&c, "embedded"), 0x1);
	assert_int_equal(config_sched_model_kinds(&c, "pair"), 0x5);
	assert_int_equal(c.feeds_enabled, 1);
	assert_string_equal(c.feeds_addr, "::1");

	expect_error("[store]\npath = x\n",
	    ": [tls] cert and key are required");
	expect_error("[tls]\ncert = a\nkey = b\n[store]\npath = x\n"
	    "[matching]\nboost = 999999\n", ":7: weights allow a score of");
	expect_error("[schedule]\nmodel_ = meeting\n",
	    ":2: model_: a model name is");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_parsers),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_table_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
