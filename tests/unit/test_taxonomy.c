/*
 * test_taxonomy: the INI-like reader and conf/topics.conf parsing,
 * including the error messages ("file:line: what is wrong").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taxonomy.h"

static const char good[] =
    "# comment\n"
    "[topic writing]\n"
    "name = Writing\n"
    "area = literacy\n"
    "keywords = Writing,  Mentor   TEXT , ,essay\n"
    "\n"
    "[topic math-talk]\n"
    "name = Math talk\n"
    "area = math\n"
    "keywords = number talk\n"
    "priority = -2\n"
    "[topic reading]\n"
    "name = Reading\n"
    "area = literacy\n"
    "keywords = reading\n";

static void
test_parse_good(void **state)
{
	struct taxonomy_topics	t;
	const char		*areas[4];
	char			err[256];

	(void)state;
	assert_int_equal(taxonomy_parse_topics(good, "t.conf", &t, err,
	    sizeof err), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[0].id, "writing");
	assert_string_equal(t.v[0].name, "Writing");
	assert_string_equal(t.v[0].area, "literacy");
	assert_int_equal(t.v[0].nkeywords, 3);
	assert_string_equal(t.v[0].keywords[0], "writing");
	assert_string_equal(t.v[0].keywords[1], "mentor text");
	assert_string_equal(t.v[0].keywords[2], "essay");
	assert_int_equal(t.v[0].priority, 0);
	assert_int_equal(t.v[1].priority, -2);
	assert_int_equal(t.v[1].line, 7);
	assert_int_equal(taxonomy_find_topic(&t, "math-talk"), 1);
	assert_int_equal(taxonomy_find_topic(&t, "nope"), -1);
	/* Areas: distinct, first-appearance order. */
	assert_int_equal(taxonomy_areas(&t, areas, 4), 2);
	assert_string_equal(areas[0], "literacy");
	assert_string_equal(areas[1], "math");
	assert_int_equal(taxonomy_areas(&t, areas, 1), 2);
	taxonomy_topics_free(&t);
}

/* Parse text that must fail and compare the whole message. */
static void
expect_error(const char *text, const char *want)
{
	struct taxonomy_topics	t;
	char			err[256];

	assert_int_equal(taxonomy_parse_topics(text, "t.conf", &t, err,
	    sizeof err), -1);
	assert_string_equal(err, want);
	assert_int_equal(t.n, 0);
	assert_null(t.v);
}

static void
test_parse_errors(void **state)
{
	(void)state;
	expect_error("[topic a]\nname = A\ncolour = red\n",
	    "t.conf:3: unknown key 'colour' in topic 'a' (expected name, "
	    "area, keywords, priority)");
	expect_error("[topic a]\nname=A\narea=x\nkeywords=k\n"
	    "[topic a]\nname=B\n",
	    "t.conf:5: duplicate topic id 'a' (first at line 1)");
	expect_error("[topic a]\nname=A\nkeywords=k\n[topic b]\n",
	    "t.conf:4: topic 'a' (line 1) has no area");
	expect_error("[topic a]\nname=A\narea=x\n",
	    "t.conf:3: topic 'a' (line 1) has no keywords");
	expect_error("[topics a]\n",
	    "t.conf:1: unknown section [topics a], expected [topic ID]");
	expect_error("name = A\n",
	    "t.conf:1: key 'name' outside any section");
	expect_error("[topic a]\nname A\n",
	    "t.conf:2: expected 'key = value'");
	expect_error("[topic a\n",
	    "t.conf:1: section header must end with ']'");
	expect_error("[topic a]\nname=A\nname=B\n",
	    "t.conf:3: duplicate key 'name' in topic 'a'");
	expect_error("[topic a]\npriority = 11\n",
	    "t.conf:2: priority must be an integer from -10 to 10, not '11'");
	expect_error("[topic Bad Id]\n",
	    "t.conf:1: bad topic id 'Bad Id' (lower-case letters, digits, "
	    "'-', '_', '.', ':'; under 48 characters)");
	expect_error("[topic a]\nkeywords = , ,\n",
	    "t.conf:2: no keywords in topic 'a'");
	expect_error("# nothing\n", "t.conf: no [topic ID] sections");
}

static void
test_split_and_ids(void **state)
{
	char	**v;
	size_t	  n;

	(void)state;
	assert_int_equal(taxonomy_split_list(" A ,b\tc,,", &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b c");
	taxonomy_free_list(v, n);
	assert_true(taxonomy_valid_id("data-work"));
	assert_true(taxonomy_valid_id("school:lincoln_1"));
	assert_false(taxonomy_valid_id("-x"));
	assert_false(taxonomy_valid_id("Data"));
	assert_false(taxonomy_valid_id(""));
}

/* Read a file of the source tree (tests may do I/O; engines may not). */
static char *
slurp(const char *rel)
{
	char	 path[1024], *buf;
	FILE	*f;
	long	 len;

	snprintf(path, sizeof path, "%s/%s", COACHD_SRC_DIR, rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (buf != NULL && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* The shipped default covers the expected topics. */
static void
test_shipped_topics(void **state)
{
	static const char *need[] = { "classroom-management",
	    "student-autonomy", "questioning-discussion",
	    "small-group-reading", "writing", "math-discourse",
	    "science-inquiry", "formative-assessment", "data-use",
	    "differentiation", "english-learners", "special-education",
	    "social-emotional-learning", "technology-integration" };
	struct taxonomy_topics	 t;
	const char		*areas[16];
	char			 err[256], *text;
	size_t			 i;

	(void)state;
	text = slurp("conf/topics.conf");
	assert_non_null(text);
	if (taxonomy_parse_topics(text, "topics.conf", &t, err,
	    sizeof err) != 0)
		fail_msg("%s", err);
	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		assert_true(taxonomy_find_topic(&t, need[i]) >= 0);
	assert_int_equal(taxonomy_areas(&t, areas, 16), 8);
	taxonomy_topics_free(&t);
	free(text);
}

/*
 * Every prefix of the shipped file either parses or fails with a
 * "name:line:" message; under ASan this also proves no prefix makes the
 * reader overrun or leak.
 */
static void
test_prefixes(void **state)
{
	struct taxonomy_topics	 t;
	char			 err[256], *text, *cut;
	size_t			 len, i;

	(void)state;
	assert_non_null(text = slurp("conf/topics.conf"));
	len = strlen(text);
	assert_non_null(cut = malloc(len + 1));
	for (i = 0; i <= len; i++) {
		memcpy(cut, text, i);
		cut[i] = '\0';
		if (taxonomy_parse_topics(cut, "p", &t, err, sizeof err) == 0) {
			assert_true(t.n > 0);
			taxonomy_topics_free(&t);
			continue;
		}
		assert_true(strncmp(err, "p:", 2) == 0);
		assert_int_equal(t.n, 0);
	}
	free(cut);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_split_and_ids),
		cmocka_unit_test(test_shipped_topics),
		cmocka_unit_test(test_prefixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
