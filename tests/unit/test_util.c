/*
 * test_util: the shared utilities (lib/util): whole-file reads of regular
 * files, pipes, empty and oversized files; error messages; minutes.
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

#include "errmsg.h"
#include "file.h"
#include "fmt.h"
#include "xmalloc.h"

/* A temporary file holding len bytes of a repeating pattern. */
static char *
temp_file(size_t len)
{
	char	*path = xstrdup("/tmp/coachd-test-util-XXXXXX");
	FILE	*f;
	size_t	 i;
	int	 fd;

	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "wb"));
	for (i = 0; i < len; i++)
		fputc('a' + (int)(i % 26), f);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
check_pattern(const char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		assert_int_equal(buf[i], 'a' + (int)(i % 26));
	assert_int_equal(buf[len], '\0');
}

static void
t_regular(void **state)
{
	/* Empty, one byte, and sizes around the 64 KiB growth step. */
	static const size_t	 sizes[] = { 0, 1, 65535, 65536, 65537,
				    300000 };
	char			 err[ERRMSG_LEN], *path, *buf;
	size_t			 i, len;

	(void)state;
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		path = temp_file(sizes[i]);
		buf = file_read(path, sizes[i], &len, err, sizeof err);
		assert_non_null(buf);
		assert_int_equal(len, sizes[i]);
		check_pattern(buf, len);
		free(buf);
		unlink(path);
		free(path);
	}
}

static void
t_pipe(void **state)
{
	char	 err[ERRMSG_LEN], *cmd, *buf;
	size_t	 len;
	FILE	*p;

	(void)state;
	/* A pipe has no size to go by: the buffer grows as it reads. */
	cmd = xasprintf("head -c 200000 /dev/zero");
	assert_non_null(p = popen(cmd, "r"));
	buf = file_read_stream(p, "pipe", 1 << 20, &len, err, sizeof err);
	pclose(p);
	assert_non_null(buf);
	assert_int_equal(len, 200000);
	free(buf);
	free(cmd);
}

static void
t_limits(void **state)
{
	char	 err[ERRMSG_LEN], *path;

	(void)state;
	path = temp_file(1001);
	assert_null(file_read(path, 1000, NULL, err, sizeof err));
	assert_non_null(strstr(err, "larger than 1000 bytes"));
	assert_non_null(strstr(err, path));
	unlink(path);
	assert_null(file_read(path, 1000, NULL, err, sizeof err));
	assert_non_null(strstr(err, "cannot open"));
	free(path);
}

static void
t_regular_or_missing(void **state)
{
	char	 err[ERRMSG_LEN], *path, *buf;
	size_t	 len;

	(void)state;
	path = temp_file(10);
	assert_int_equal(file_read_regular(path, 1000, &buf, &len, err,
	    sizeof err), 0);
	assert_int_equal(len, 10);
	free(buf);
	assert_int_equal(file_read_regular(path, 5, &buf, &len, err,
	    sizeof err), -1);
	assert_null(buf);
	assert_non_null(strstr(err, "larger than 5 bytes"));
	unlink(path);
	assert_int_equal(file_read_regular(path, 1000, &buf, &len, err,
	    sizeof err), 1);
	assert_null(buf);
	assert_non_null(strstr(err, ": No such file or directory"));
	assert_int_equal(file_read_regular("/tmp", 1000, &buf, &len, err,
	    sizeof err), -1);
	assert_string_equal(err, "/tmp: not a regular file");
	free(path);
}

static void
t_errmsg_minutes(void **state)
{
	char	err[16], buf[16];

	(void)state;
	assert_int_equal(errmsg(err, sizeof err, "%s:%d", "topics.conf", 12),
	    -1);
	assert_string_equal(err, "topics.conf:12");
	assert_int_equal(errmsg(NULL, 0, "ignored"), -1);
	assert_string_equal(fmt_minutes(45, buf, sizeof buf), "45m");
	assert_string_equal(fmt_minutes(240, buf, sizeof buf), "4h");
	assert_string_equal(fmt_minutes(210, buf, sizeof buf), "3h30m");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_regular),
		cmocka_unit_test(t_pipe),
		cmocka_unit_test(t_limits),
		cmocka_unit_test(t_regular_or_missing),
		cmocka_unit_test(t_errmsg_minutes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
