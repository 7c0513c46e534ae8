/*
 * test_csv.c: unit tests for the RFC 4180 reader (csv.c), good input and
 * every error path with its "file:line: reason" message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* Parse a NUL-terminated literal; returns csv_parse()'s status. */
static int
parse(const char *text, struct csv_table *t, char *err, size_t errlen)
{
	err[0] = '\0';
	return csv_parse(text, strlen(text), "t.csv", t, err, errlen);
}

/* Parsing must fail with exactly this message. */
static void
expect_error(const char *text, const char *msg)
{
	struct csv_table	t;
	char			err[256];

	assert_int_equal(parse(text, &t, err, sizeof err), -1);
	assert_string_equal(err, msg);
	assert_null(t.rows);
	assert_null(t.header);
}

static void
test_simple(void **state)
{
	struct csv_table	t;
	char			err[256];

	(void)state;
	assert_int_equal(parse("a,b, c \n1,2,3\n4,,6\n", &t, err,
	    sizeof err), 0);
	assert_int_equal(t.ncols, 3);
	assert_string_equal(t.header[2], "c");
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0].field[0], "1");
	assert_string_equal(t.rows[1].field[1], "");
	assert_int_equal(t.rows[0].line, 2);
	assert_int_equal(t.rows[1].line, 3);
	assert_int_equal(csv_col(&t, "B"), 1);
	assert_int_equal(csv_col(&t, "c"), 2);
	assert_int_equal(csv_col(&t, "d"), -1);
	csv_free(&t);
}

static void
test_quoted(void **state)
{
	struct csv_table	t;
	char			err[256];

	(void)state;
	assert_int_equal(parse("id,text\n"
	    "1,\"a, b\"\n"
	    "2,\"say \"\"hi\"\"\"\n"
	    "3,\"line one\nline two\n\nline four\"\n"
	    "4,\"\"\n"
	    "5,after\n", &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 5);
	assert_string_equal(t.rows[0].field[1], "a, b");
	assert_string_equal(t.rows[1].field[1], "say \"hi\"");
	assert_string_equal(t.rows[2].field[1],
	    "line one\nline two\n\nline four");
	assert_int_equal(t.rows[2].line, 4);
	/* The embedded newlines count as physical lines. */
	assert_int_equal(t.rows[3].line, 8);
	assert_string_equal(t.rows[3].field[1], "");
	assert_int_equal(t.rows[4].line, 9);
	csv_free(&t);
}

static void
test_crlf_bom_blank(void **state)
{
	struct csv_table	t;
	char			err[256];

	(void)state;
	assert_int_equal(parse("\xef\xbb\xbfid,name\r\n\r\n"
	    "1,\"Zoë\r\nÅsa\"\r\n\r\n2,Bob", &t, err, sizeof err), 0);
	assert_string_equal(t.header[0], "id");
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.rows[0].line, 3);
	/* Inside quotes CRLF is kept as is: the data is not rewritten. */
	assert_string_equal(t.rows[0].field[1], "Zoë\r\nÅsa");
	assert_int_equal(t.rows[1].line, 6);
	assert_string_equal(t.rows[1].field[1], "Bob");
	csv_free(&t);
}

static void
test_lone_cr_and_trailing_comma(void **state)
{
	struct csv_table	t;
	char			err[256];

	(void)state;
	assert_int_equal(parse("a,b\r1,\r2,x", &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0].field[1], "");
	assert_int_equal(t.rows[1].line, 3);
	csv_free(&t);
	assert_int_equal(parse("a,b\n1,", &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.rows[0].field[1], "");
	csv_free(&t);
}

static void
test_header_only(void **state)
{
	struct csv_table	t;
	char			err[256];

	(void)state;
	assert_int_equal(parse("a,b\n", &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 2);
	csv_free(&t);
	csv_free(&t);		/* safe twice: it zeroes the table */
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("a,b\n1,\"open\n2,3\n",
	    "t.csv:2: unterminated quoted field");
	expect_error("a,b\n1,2\n3,\"x\"y\n",
	    "t.csv:3: unexpected character after closing quote (field 2)");
	expect_error("a,b\n1,x\"y\n",
	    "t.csv:2: quote inside unquoted field 2 (quote the whole field "
	    "and double it)");
	expect_error("a,b,c\n1,2,3\n\n1,2\n",
	    "t.csv:4: record has 2 fields, header has 3");
	expect_error("a,b\n1,2,3\n",
	    "t.csv:2: record has 3 fields, header has 2");
	expect_error("", "t.csv:1: empty file (no header)");
	expect_error("\n\n", "t.csv:1: empty file (no header)");
	expect_error("a,B,A\n", "t.csv:1: duplicate header column 'A'");
	expect_error("a,,c\n", "t.csv:1: header column 2 has no name");
	expect_error("a\n\"x\ny\"\nok\n\xff\n",
	    "t.csv:5: invalid UTF-8 byte 0xff");
	expect_error("a\n\xc0\x80\n", "t.csv:2: invalid UTF-8 byte 0xc0");
	expect_error("a\n\xed\xa0\x80\n", "t.csv:2: invalid UTF-8 byte 0xed");
}

static void
test_nul_byte(void **state)
{
	struct csv_table	t;
	char			err[256];
	const char		text[] = "a\nx\0y\n";

	(void)state;
	assert_int_equal(csv_parse(text, sizeof text - 1, "t.csv", &t, err,
	    sizeof err), -1);
	assert_string_equal(err, "t.csv:2: NUL byte in text");
}

static void
test_not_terminated_input(void **state)
{
	struct csv_table	t;
	char			err[256];
	const char		text[] = "a,b\n1,2XXXX";

	(void)state;
	/* len stops before the junk: the parser must not read past it. */
	assert_int_equal(csv_parse(text, 7, "t.csv", &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.rows[0].field[1], "2");
	csv_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_crlf_bom_blank),
		cmocka_unit_test(test_lone_cr_and_trailing_comma),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_not_terminated_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
