/*
 * test_chart: horizontal bar rendering, UTF-8 and ASCII, with caps marked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "chart.h"

/*
 * ASCII, width 10, scale = largest value (5): data-work fills 10 cells,
 * the cap of 4 sits at cell 8, so cells 8-9 are past it ('!');
 * observation 2.5 -> 5 cells; pd 0 -> none.
 */
static void
test_ascii(void **state)
{
	static const struct chart_bar bars[] = {
		{ "data-work", 5, 4, "5h" },
		{ "observation", 2.5, -1, NULL },
		{ "pd", 0, -1, "0h" },
	};
	static const char want[] =
	    "data-work   ########!! 5h\n"
	    "observation #####     \n"
	    "pd                     0h\n";
	char	buf[256];
	int	n;

	(void)state;
	n = chart_bars(bars, 3, 10, 0, 0, buf, sizeof buf);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

/* A cap the bar does not reach is drawn as a mark. */
static void
test_cap_mark(void **state)
{
	static const struct chart_bar bar = { "c", 1, 2, NULL };
	char	buf[64];

	(void)state;
	assert_int_equal(chart_bars(&bar, 1, 4, 4, 0, buf, sizeof buf), 7);
	assert_string_equal(buf, "c # | \n");
	assert_int_equal(chart_bars(&bar, 1, 4, 4, 1, buf, sizeof buf), 11);
	assert_string_equal(buf, "c \xe2\x96\x88 \xe2\x94\x82 \n");
}

/*
 * UTF-8, width 4, max 3: a = 3 fills 32 eighths, its cap 2 is cell
 * round(2.67) = 3, so cell 3 is past it; b = 1.3 -> round(13.87) = 14
 * eighths = one full block and a 6/8 block.
 */
static void
test_utf8(void **state)
{
	static const struct chart_bar bars[] = {
		{ "a", 3, 2, NULL },
		{ "b", 1.3, -1, NULL },
	};
	static const char want[] =
	    "a \xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x93\n"
	    "b \xe2\x96\x88\xe2\x96\x8a  \n";
	char	buf[128];

	(void)state;
	assert_int_equal(chart_bars(bars, 2, 4, 0, 1, buf, sizeof buf),
	    (int)strlen(want));
	assert_string_equal(buf, want);
}

/* Labels are padded by characters, not bytes. */
static void
test_utf8_labels(void **state)
{
	static const struct chart_bar bars[] = {
		{ "caf\xc3\xa9", 1, -1, NULL },
		{ "ab", 1, -1, NULL },
	};
	char	buf[128];

	(void)state;
	chart_bars(bars, 2, 2, 1, 0, buf, sizeof buf);
	assert_string_equal(buf, "caf\xc3\xa9 ##\nab   ##\n");
}

static void
test_truncation_and_errors(void **state)
{
	static const struct chart_bar bar = { "x", 1, -1, NULL };
	static const struct chart_bar neg = { "x", -1, -1, NULL };
	char	buf[5];

	(void)state;
	assert_int_equal(chart_bars(&bar, 1, 4, 0, 0, buf, sizeof buf), 7);
	assert_string_equal(buf, "x ##");
	assert_int_equal(chart_bars(&bar, 1, 0, 0, 0, buf, sizeof buf), -1);
	assert_int_equal(chart_bars(&neg, 1, 4, 0, 0, buf, sizeof buf), -1);
	assert_int_equal(chart_bars(NULL, 0, 4, 0, 0, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
}

static void
test_want_utf8(void **state)
{
	(void)state;
	assert_true(chart_want_utf8(NULL, NULL, "en_US.UTF-8"));
	assert_true(chart_want_utf8("", "C.utf8", "C"));
	assert_false(chart_want_utf8("C", "en_US.UTF-8", "en_US.UTF-8"));
	assert_false(chart_want_utf8(NULL, NULL, "POSIX"));
	assert_false(chart_want_utf8(NULL, NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_cap_mark),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_labels),
		cmocka_unit_test(test_truncation_and_errors),
		cmocka_unit_test(test_want_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
