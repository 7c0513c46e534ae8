/*
 * test_roster_parts.c: roster_load_dir() reading big files in parts.
 * A folder whose users.csv and enrollments.csv are several parts long
 * (quoted fields with line breaks and CRLF line ends scattered through
 * them, so records straddle part boundaries) must load exactly as the
 * same text parsed whole, errors must name the file's own line however
 * deep, and csv_parse_part() must number rows from first_line.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv.h"
#include "roster.h"

/* Teachers and students written; enough for several 4 MiB parts. */
#define NT	20000
#define NS	300000

static char	dir[] = "/tmp/roster-parts-XXXXXX";

static void
put(const char *name, const char *text)
{
	char	path[256];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* users.csv: teachers with multi-line quoted names, then students. */
static void
write_users(size_t bad_student)
{
	char	path[256];
	FILE	*f;
	size_t	i;

	snprintf(path, sizeof path, "%s/users.csv", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("sourcedId,enabledUser,orgSourcedIds,role,givenName,familyName,"
	    "email\r\n", f);
	for (i = 0; i < NT; i++)
		fprintf(f, "t%zu,true,s1,teacher,\"Ann\nMarie %zu\",Lee,"
		    "t%zu@x.org%s", i, i, i, i % 7 ? "\n" : "\r\n");
	for (i = 0; i < NS; i++)
		fprintf(f, "st%zu,true,s1,%s,Sam,\"Cruz, Jr.\",\n", i,
		    i == bad_student ? "studnt" : "student");
	fclose(f);
}

/* enrollments.csv: one teacher and many students for each class. */
static void
write_enrollments(void)
{
	char	path[256];
	FILE	*f;
	size_t	i;

	snprintf(path, sizeof path, "%s/enrollments.csv", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,"
	    "primary\n", f);
	fputs("e-t,c1,s1,t0,teacher,true\n", f);
	for (i = 0; i < NS; i++)
		fprintf(f, "e%zu,c1,s1,st%zu,student,false\n", i, i);
	fclose(f);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	put("orgs.csv", "sourcedId,name,type,parentSourcedId\n"
	    "d1,District,district,\ns1,School,school,d1\n");
	put("classes.csv", "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds\n"
	    "c1,Algebra,alg,scheduled,s1,y1\n");
	write_enrollments();
	return 0;
}

static int
teardown(void **state)
{
	const char *const names[] = { "orgs.csv", "users.csv", "classes.csv",
	    "enrollments.csv" };
	char		path[256];
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static void
test_parts_load(void **state)
{
	const struct roster_teacher	*t;
	struct roster			 r;
	char				 err[512];
	char				 id[32], name[64];

	(void)state;
	write_users((size_t)-1);
	assert_int_equal(roster_load_dir(dir, &r, err, sizeof err), 0);
	assert_int_equal(r.nteachers, NT);
	assert_int_equal(r.nstudents, NS);
	assert_int_equal(r.nenrollments, NS + 1);
	assert_int_equal(r.classes[0].nstudents, NS);
	assert_string_equal(r.classes[0].teacher_id, "t0");
	/* the last teacher: its name intact, its line the file's own */
	snprintf(id, sizeof id, "t%d", NT - 1);
	snprintf(name, sizeof name, "Ann\nMarie %d", NT - 1);
	assert_non_null(t = roster_find_teacher(&r, id));
	assert_string_equal(t->given_name, name);
	assert_int_equal(t->line, 2 + 2 * (NT - 1));
	roster_free(&r);
}

static void
test_parts_error_line(void **state)
{
	struct roster	r;
	char		err[512], want[128];

	(void)state;
	write_users(NS - 10);
	assert_int_equal(roster_load_dir(dir, &r, err, sizeof err), -1);
	/* header 1, two lines a teacher, then a line a student */
	snprintf(want, sizeof want, "users.csv:%d: role: bad value 'studnt'",
	    2 + 2 * NT + NS - 10);
	assert_memory_equal(err, want, strlen(want));
}

static void
test_csv_part_lines(void **state)
{
	static const char	text[] = "a,b\r\n1,\"x\ny\"\n2,z\n";
	struct csv_table	t;
	char			err[256];

	(void)state;
	assert_int_equal(csv_parse_part(text, sizeof text - 1, 5, 100, "f.csv",
	    &t, err, sizeof err), 0);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.rows[0].line, 100);
	assert_int_equal(t.rows[1].line, 102);
	assert_string_equal(t.rows[0].field[1], "x\ny");
	csv_free(&t);
	assert_int_equal(csv_parse_part("a,b\n1,2\n3\n", 10, 4, 50, "f.csv",
	    &t, err, sizeof err), -1);
	assert_string_equal(err, "f.csv:51: record has 1 fields, header "
	    "has 2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_part_lines),
		cmocka_unit_test(test_parts_load),
		cmocka_unit_test(test_parts_error_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
