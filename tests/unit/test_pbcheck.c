/*
 * Unit tests for pbcheck: the UTF-8 rules, and the descriptor walk over
 * plain, nested, repeated and oneof string fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coachd.pb-c.h"
#include "pbcheck.h"

static int
ok(const char *s)
{
	return pbcheck_utf8(s, strlen(s));
}

static void
test_utf8_rules(void **state)
{
	(void)state;
	assert_true(ok(""));
	assert_true(ok("plain ascii"));
	assert_true(ok("Z\xc3\xab"));			/* ë */
	assert_true(ok("\xe2\x80\x94"));		/* em dash */
	assert_true(ok("\xe6\x97\xa5\xe6\x9c\xac"));	/* two CJK */
	assert_true(ok("\xf0\x9f\x98\x80"));		/* U+1F600 */
	assert_true(ok("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	assert_false(ok("\xff"));
	assert_false(ok("\x80"));			/* stray continuation */
	assert_false(ok("a\xc3"));			/* truncated */
	assert_false(ok("\xe2\x80"));			/* truncated */
	assert_false(ok("\xc3\x28"));			/* bad continuation */
	assert_false(ok("\xc0\xaf"));			/* overlong '/' */
	assert_false(ok("\xe0\x80\xaf"));		/* overlong */
	assert_false(ok("\xed\xa0\x80"));		/* surrogate D800 */
	assert_false(ok("\xf4\x90\x80\x80"));		/* above U+10FFFF */
	assert_false(ok("\xf8\x88\x80\x80\x80"));	/* 5-byte form */
}

static void
test_walk_nested_repeated(void **state)
{
	Coachd__V1__CoachPut	put = COACHD__V1__COACH_PUT__INIT;
	Coachd__V1__Coach	c = COACHD__V1__COACH__INIT;
	Coachd__V1__Expertise	e0 = COACHD__V1__EXPERTISE__INIT;
	Coachd__V1__Expertise	e1 = COACHD__V1__EXPERTISE__INIT;
	Coachd__V1__Expertise	*ex[2] = { &e0, &e1 };
	char			 a[] = "a", b[] = "b", cc[] = "c", ff[] = "\xff";
	char			 id[] = "c-zoe", zoe[] = "Zo\xc3\xab";
	char			 latin1[] = "Zo\xeb", math[] = "math";
	char			 ela[] = "ela", overlong[] = "\xc0\xaf";
	char			*interests[3] = { a, b, cc };
	char			 path[64];

	(void)state;
	put.coach = &c;
	c.id = id;
	c.name = zoe;
	c.interests = interests;
	c.n_interests = 3;
	c.expertise = ex;
	c.n_expertise = 2;
	e0.area = math;
	e1.area = ela;
	assert_int_equal(pbcheck_strings(&put.base, path, sizeof(path)), 0);
	assert_string_equal(path, "");

	c.name = latin1;				/* Latin-1, not UTF-8 */
	assert_int_equal(pbcheck_strings(&put.base, path, sizeof(path)), -1);
	assert_string_equal(path, "coach.name");
	c.name = zoe;

	interests[2] = ff;
	assert_int_equal(pbcheck_strings(&put.base, path, sizeof(path)), -1);
	assert_string_equal(path, "coach.interests[2]");
	interests[2] = cc;

	e1.area = overlong;
	assert_int_equal(pbcheck_strings(&put.base, path, sizeof(path)), -1);
	assert_string_equal(path, "coach.expertise[1].area");

	/* a path longer than the buffer is cut, never overrun */
	assert_int_equal(pbcheck_strings(&put.base, path, 8), -1);
	assert_string_equal(path, "coach.e");
	assert_int_equal(pbcheck_strings(&put.base, NULL, 0), -1);
}

/* Only the oneof member that is set is read. */
static void
test_walk_oneof(void **state)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Hello	h = COACHD__V1__HELLO__INIT;
	char			okstr[] = "ok", fe[] = "\xfe", path[64];

	(void)state;
	req.op_case = COACHD__V1__REQUEST__OP_HELLO;
	req.hello = &h;
	h.client = okstr;
	assert_int_equal(pbcheck_strings(&req.base, path, sizeof(path)), 0);
	h.token = fe;
	assert_int_equal(pbcheck_strings(&req.base, path, sizeof(path)), -1);
	assert_string_equal(path, "hello.token");
	assert_int_equal(pbcheck_strings(NULL, path, sizeof(path)), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_utf8_rules),
		cmocka_unit_test(test_walk_nested_repeated),
		cmocka_unit_test(test_walk_oneof),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
