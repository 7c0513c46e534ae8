/*
 * Unit tests for config.c: value parsers and file:line errors.
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value_parsers),
		cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
