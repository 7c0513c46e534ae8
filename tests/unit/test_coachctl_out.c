/*
 * test_out: coachctl's printers (client/out.c) without a server: display
 * widths, table alignment, and the descriptor-driven JSON and text
 * renderings of real coachd.v1 messages.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "coachctl.h"

/* Run a printer into a string (caller frees). */
static char *
capture_table(const struct out_table *t)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(out_table_print(t, f), 0);
	fclose(f);
	return buf;
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(out_width(""), 0);
	assert_int_equal(out_width("Ana Ruiz"), 8);
	assert_int_equal(out_width("Jos\xc3\xa9"), 4);		/* José */
	assert_int_equal(out_width("e\xcc\x81"), 1);		/* e + U+0301 */
	assert_int_equal(out_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* CJK */
	assert_int_equal(out_width("\xff\xfe" "a"), 3);		/* invalid */
	assert_int_equal(out_width("\xc3"), 1);			/* truncated */
}

static void
test_table_align(void **state)
{
	static const char *const hdr[] = { "ID", "NAME", ">CAP", "SCHOOL",
	    NULL };
	struct out_table	*t;
	char			*s;

	(void)state;
	t = out_table_new(hdr);
	assert_non_null(t);
	out_table_add(t, "c1", "Jos\xc3\xa9 P\xc3\xa9rez", "12", "lincoln-es");
	out_table_add(t, "c10", "Ana", "3", "");
	assert_int_equal(out_table_rows(t), 2);
	s = capture_table(t);
	/* é is one column: NAME is 10 wide; CAP right-aligned; no trailing blanks. */
	assert_string_equal(s,
	    "ID   NAME        CAP  SCHOOL\n"
	    "c1   Jos\xc3\xa9 P\xc3\xa9rez   12  lincoln-es\n"
	    "c10  Ana           3\n");
	free(s);
	out_table_free(t);
}

static void
test_table_control_chars(void **state)
{
	static const char *const hdr[] = { "K", "V", NULL };
	struct out_table	*t;
	char			*s;

	(void)state;
	t = out_table_new(hdr);
	out_table_add(t, "a\x1b[31m", "x\ny");
	s = capture_table(t);
	assert_string_equal(s, "K       V\na?[31m  x?y\n");
	free(s);
	out_table_free(t);
}

/* A coach with two expertise areas, an interest and two schools. */
struct coach_fixture {
	Coachd__V1__Coach	 c;
	Coachd__V1__Expertise	 e[2];
	Coachd__V1__Expertise	*ep[2];
	char			*interests[1];
	char			*schools[2];
};

static void
coach_fixture(struct coach_fixture *f)
{
	coachd__v1__coach__init(&f->c);
	coachd__v1__expertise__init(&f->e[0]);
	coachd__v1__expertise__init(&f->e[1]);
	f->e[0].area = (char *)"math";
	f->e[0].level = 3;
	f->e[1].area = (char *)"literacy";
	f->e[1].level = 1;
	f->ep[0] = &f->e[0];
	f->ep[1] = &f->e[1];
	f->interests[0] = (char *)"math-discourse";
	f->schools[0] = (char *)"lincoln-es";
	f->schools[1] = (char *)"grant-ms";
	f->c.id = (char *)"c1";
	f->c.name = (char *)"Ana Ruiz";
	f->c.email = (char *)"a@x";
	f->c.expertise = f->ep;
	f->c.n_expertise = 2;
	f->c.interests = f->interests;
	f->c.n_interests = 1;
	f->c.caseload_cap = 12;
	f->c.schools = f->schools;
	f->c.n_schools = 2;
	f->c.active = 0;
}

static void
test_json_coach(void **state)
{
	struct coach_fixture	 f;
	json_t			*j, *ex;

	(void)state;
	coach_fixture(&f);
	j = out_msg_json(&f.c.base);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "c1");
	assert_string_equal(json_string_value(json_object_get(j, "name")),
	    "Ana Ruiz");
	assert_int_equal(json_integer_value(json_object_get(j,
	    "caseload_cap")), 12);
	/* proto3 defaults are still emitted, so scripts see them. */
	assert_true(json_is_false(json_object_get(j, "active")));
	assert_int_equal(json_integer_value(json_object_get(j,
	    "active_teachers")), 0);
	ex = json_object_get(j, "expertise");
	assert_int_equal(json_array_size(ex), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(ex, 1), "area")), "literacy");
	assert_int_equal(json_integer_value(json_object_get(
	    json_array_get(ex, 0), "level")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "schools")), 2);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(j, "schools"), 1)), "grant-ms");
	json_decref(j);
}

static void
test_json_response_oneof(void **state)
{
	Coachd__V1__Response	 r = COACHD__V1__RESPONSE__INIT;
	Coachd__V1__Principal	 p = COACHD__V1__PRINCIPAL__INIT;
	const ProtobufCMessage	*m;
	json_t			*j;

	(void)state;
	p.user = (char *)"root";
	p.role = COACHD__V1__ROLE__ADMIN;
	r.id = UINT64_MAX;
	r.result_case = COACHD__V1__RESPONSE__RESULT_PRINCIPAL;
	r.principal = &p;
	m = out_result_msg(&r);
	assert_ptr_equal(m, &p.base);
	j = out_msg_json(&r.base);
	/* Only the set oneof member appears; enums by lowercase name. */
	assert_non_null(json_object_get(j, "principal"));
	assert_null(json_object_get(j, "school"));
	assert_null(json_object_get(j, "empty"));
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(j, "principal"), "role")), "admin");
	assert_string_equal(json_string_value(json_object_get(j, "status")),
	    "ok");
	/* Beyond int64: kept exact as a string. */
	assert_string_equal(json_string_value(json_object_get(j, "id")),
	    "18446744073709551615");
	json_decref(j);

	r.result_case = COACHD__V1__RESPONSE__RESULT__NOT_SET;
	assert_null(out_result_msg(&r));
}

static void
test_json_bytes_and_bad_utf8(void **state)
{
	Coachd__V1__ImportFile	 f = COACHD__V1__IMPORT_FILE__INIT;
	json_t			*j;

	(void)state;
	f.name = (char *)"bad\xff" "name";
	f.content.data = (uint8_t *)"hi!?";
	f.content.len = 4;
	j = out_msg_json(&f.base);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "content")),
	    "aGkhPw==");
	assert_string_equal(json_string_value(json_object_get(j, "name")),
	    "bad?name");
	json_decref(j);
}

/* Field name of m reads as want in a table cell. */
static void
assert_field_text(const ProtobufCMessage *m, const char *name,
    const char *want)
{
	char	*s = out_field_text(m, name);

	assert_string_equal(s, want);
	free(s);
}

static void
test_field_text(void **state)
{
	struct coach_fixture	 f;

	(void)state;
	coach_fixture(&f);
	assert_field_text(&f.c.base, "expertise", "math:3,literacy:1");
	assert_field_text(&f.c.base, "schools", "lincoln-es,grant-ms");
	assert_field_text(&f.c.base, "active", "no");
	assert_field_text(&f.c.base, "no_such_field", "");
}

static void
test_msgs_table(void **state)
{
	static const char *const cols[] = { "id", "expertise",
	    ">caseload_cap=CAP", "active", NULL };
	struct coach_fixture	 a, b;
	const ProtobufCMessage	*msgs[2];
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;

	(void)state;
	coach_fixture(&a);
	coach_fixture(&b);
	b.c.id = (char *)"c2";
	b.c.n_expertise = 0;
	b.c.caseload_cap = 8;
	b.c.active = 1;
	msgs[0] = &a.c.base;
	msgs[1] = &b.c.base;
	f = open_memstream(&buf, &len);
	assert_int_equal(out_msgs_table(f, msgs, 2, cols), 0);
	fclose(f);
	assert_string_equal(buf,
	    "ID  EXPERTISE          CAP  ACTIVE\n"
	    "c1  math:3,literacy:1   12  no\n"
	    "c2                       8  yes\n");
	free(buf);
}

static void
test_detail(void **state)
{
	Coachd__V1__School	 s = COACHD__V1__SCHOOL__INIT;
	char			*buf = NULL;
	size_t			 len = 0;
	FILE			*f;

	(void)state;
	s.id = (char *)"lincoln-es";
	s.name = (char *)"Lincoln Elementary";
	s.kind = (char *)"elementary";
	s.active = 1;
	f = open_memstream(&buf, &len);
	assert_int_equal(out_msg_detail(f, &s.base), 0);
	fclose(f);
	assert_string_equal(buf,
	    "id         lincoln-es\n"
	    "name       Lincoln Elementary\n"
	    "kind       elementary\n"
	    "active     yes\n"
	    "source_id\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_table_align),
		cmocka_unit_test(test_table_control_chars),
		cmocka_unit_test(test_json_coach),
		cmocka_unit_test(test_json_response_oneof),
		cmocka_unit_test(test_json_bytes_and_bad_utf8),
		cmocka_unit_test(test_field_text),
		cmocka_unit_test(test_msgs_table),
		cmocka_unit_test(test_detail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
