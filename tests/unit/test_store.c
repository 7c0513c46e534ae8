/*
 * test_store.c: unit tests for the SQLite store on real temporary files:
 * migrations (fresh, reopen, step by step, refusal of a newer database),
 * savepoints, school/coach/teacher CRUD and validation (a rejected write
 * changes nothing), tokens, and roster import (counts, idempotency,
 * all-or-nothing).
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

#include "roster.h"
#include "store.h"

/* A temporary directory holding one database per test. */
struct fx {
	char		 dir[64];
	char		 path[96];
	struct store	*st;
	char		 err[1024];
};

static int
setup(void **state)
{
	struct fx	*f;

	f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/coachd.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*f = *state;
	char		 p[128];

	store_close(f->st);
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* The modules under test (coachd's own list is in store_registry.c). */
static const struct store_schema *const test_schemas[] = {
	&store_roster_schema,
	&store_coaching_schema,
	&store_trust_schema,
};

/* Open the roster and coaching modules, failing the test on error. */
/* Open f->path with the n schemas of list into f->st. */
static enum store_status
open_schemas(struct fx *f, const struct store_schema *const *list, size_t n)
{
	return store_open_schemas(f->path, list, n, &f->st, f->err,
	    sizeof f->err);
}

static void
open_store(struct fx *f)
{
	if (open_schemas(f, test_schemas, sizeof test_schemas /
	    sizeof test_schemas[0]) != STORE_OK)
		fail_msg("store_open: %s", f->err);
}

/* Add a school with a name. */
static void
add_school(struct fx *f, const char *id, const char *name)
{
	Coachd__V1__School	sc = COACHD__V1__SCHOOL__INIT;

	sc.id = (char *)id;
	sc.name = (char *)name;
	if (store_school_add(f->st, &sc, f->err, sizeof f->err) != STORE_OK)
		fail_msg("add school %s: %s", id, f->err);
}

/* One integer from a query. */
static int
query_int(struct store *st, const char *sql)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* One text value from a query, copied into buf. */
static const char *
query_text(struct store *st, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt	*s;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
	    SQLITE_OK);
	snprintf(buf, len, "<none>");
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(buf, len, "%s", sqlite3_column_text(s, 0) != NULL ?
		    (const char *)sqlite3_column_text(s, 0) : "<null>");
	sqlite3_finalize(s);
	return buf;
}

/* ---- migrations ------------------------------------------------------------ */

static void
test_migrate_fresh(void **state)
{
	struct fx	*f = *state;
	char		 buf[64];

	open_store(f);
	/* 2: tokens.created_by (who issued each token); 3: new_teacher. */
	assert_int_equal(store_schema_version(f->st, "roster"), 3);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM "
	    "pragma_table_info('tokens') WHERE name = 'created_by'"), 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM "
	    "pragma_table_info('teachers') WHERE name = 'new_teacher'"), 1);
	assert_int_equal(store_schema_version(f->st, "nonesuch"), 0);
	assert_string_equal(query_text(f->st, "PRAGMA journal_mode", buf,
	    sizeof buf), "wal");
	assert_int_equal(query_int(f->st, "PRAGMA foreign_keys"), 1);
	/* 2 = FULL: an acknowledged commit is on disk. */
	assert_int_equal(query_int(f->st, "PRAGMA synchronous"), 2);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('schools', 'coaches', "
	    "'coach_expertise', 'coach_interests', 'coach_schools', 'teachers', "
	    "'teacher_subjects', 'teacher_grades', 'classes', 'class_periods', "
	    "'bell_periods', 'admins', 'tokens')"), 13);
}

static void
test_migrate_reopen(void **state)
{
	struct fx		*f = *state;

	open_store(f);
	add_school(f, "s1", "North");
	store_close(f->st);
	f->st = NULL;
	open_store(f);
	/* Nothing re-applied, data kept. */
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM "
	    "schema_migrations WHERE module = 'roster'"), 3);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM schools"), 1);
}

static const struct store_migration t_steps[] = {
	{ 1, "CREATE TABLE t1 (a INTEGER)" },
	{ 2, "CREATE TABLE t2 (b INTEGER); INSERT INTO t1 VALUES (7)" },
	{ 3, "CREATE TABLE t3 (c INTEGER); THIS IS NOT SQL" },
};
static const struct store_schema t_v1 = { "t", t_steps, 1 };
static const struct store_schema t_v2 = { "t", t_steps, 2 };
static const struct store_schema t_v3 = { "t", t_steps, 3 };
static const struct store_migration u_steps[] = {
	{ 1, "CREATE TABLE u1 (a INTEGER)" },
};
static const struct store_schema u_v1 = { "u", u_steps, 1 };

static void
test_migrate_steps(void **state)
{
	struct fx			*f = *state;
	const struct store_schema	*l1[] = { &t_v1 }, *l2[] = { &t_v2 };
	const struct store_schema	*l3[] = { &t_v3 };

	assert_int_equal(open_schemas(f, l1, 1), STORE_OK);
	assert_int_equal(store_schema_version(f->st, "t"), 1);
	store_close(f->st);
	assert_int_equal(open_schemas(f, l2, 1), STORE_OK);
	assert_int_equal(store_schema_version(f->st, "t"), 2);
	assert_int_equal(query_int(f->st, "SELECT a FROM t1"), 7);
	store_close(f->st);
	/* A broken step fails the open and leaves the earlier steps alone. */
	assert_int_equal(open_schemas(f, l3, 1), STORE_ERROR);
	assert_null(f->st);
	assert_non_null(strstr(f->err, "schema t step 3"));
	assert_int_equal(open_schemas(f, l2, 1), STORE_OK);
	assert_int_equal(store_schema_version(f->st, "t"), 2);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM sqlite_master "
	    "WHERE name = 't3'"), 0);
}

static void
test_migrate_newer_refused(void **state)
{
	struct fx			*f = *state;
	const struct store_schema	*l1[] = { &t_v1 }, *l2[] = { &t_v2 };
	const struct store_schema	*lu[] = { &t_v2, &u_v1 };

	assert_int_equal(open_schemas(f, l2, 1), STORE_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_schemas(f, l1, 1), STORE_ERROR);
	assert_null(f->st);
	assert_string_equal(f->err, "database schema module 't' is version 2 "
	    "but this coachd knows only up to 1 (written by a newer version?)");
	/* A module this binary has never heard of is refused as well. */
	assert_int_equal(open_schemas(f, lu, 2), STORE_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_schemas(f, l2, 1), STORE_ERROR);
	assert_non_null(strstr(f->err, "module 'u'"));
}

static void
test_savepoints(void **state)
{
	struct fx		*f = *state;

	open_store(f);
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), STORE_OK);
	assert_int_equal(store_savepoint(f->st, f->err, sizeof f->err),
	    STORE_OK);
	add_school(f, "kept", "X");
	assert_int_equal(store_savepoint(f->st, f->err, sizeof f->err),
	    STORE_OK);
	add_school(f, "undone", "X");
	store_savepoint_rollback(f->st);
	store_savepoint_release(f->st);
	assert_int_equal(store_commit(f->st, f->err, sizeof f->err), STORE_OK);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM schools WHERE "
	    "id = 'kept'"), 1);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM schools WHERE "
	    "id = 'undone'"), 0);
	/* A rolled-back batch leaves nothing. */
	assert_int_equal(store_begin(f->st, f->err, sizeof f->err), STORE_OK);
	add_school(f, "gone", "X");
	store_rollback(f->st);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM schools"), 1);
}

/* ---- CRUD ------------------------------------------------------------------ */

static void
test_school_crud(void **state)
{
	struct fx		*f = *state;
	Coachd__V1__School	 sc = COACHD__V1__SCHOOL__INIT, *got;
	Coachd__V1__SchoolList	*l;
	Coachd__V1__ListRequest	 lr = COACHD__V1__LIST_REQUEST__INIT;

	open_store(f);
	add_school(f, "s1", "North High");
	add_school(f, "s2", "South Elementary");
	sc.id = (char *)"s1";
	sc.name = (char *)"Again";
	assert_int_equal(store_school_add(f->st, &sc, f->err, sizeof f->err),
	    STORE_CONFLICT);
	assert_string_equal(f->err, "school 's1' already exists");
	assert_int_equal(store_school_get(f->st, "s1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_string_equal(got->name, "North High");
	assert_string_equal(got->kind, "other");
	assert_true(got->active);
	protobuf_c_message_free_unpacked(&got->base, NULL);

	sc.name = (char *)"North High School";
	sc.kind = (char *)"high";
	assert_int_equal(store_school_update(f->st, &sc, f->err,
	    sizeof f->err), STORE_OK);
	sc.kind = (char *)"college";
	assert_int_equal(store_school_update(f->st, &sc, f->err,
	    sizeof f->err), STORE_INVALID);
	assert_string_equal(f->err, "school s1: kind 'college' is not one of "
	    "elementary, middle, high, other");
	sc.id = (char *)"s9";
	sc.kind = (char *)"";
	assert_int_equal(store_school_update(f->st, &sc, f->err,
	    sizeof f->err), STORE_NOTFOUND);
	assert_int_equal(store_school_get(f->st, "s1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_string_equal(got->name, "North High School");
	assert_string_equal(got->kind, "high");
	protobuf_c_message_free_unpacked(&got->base, NULL);
	assert_int_equal(store_school_get(f->st, "nope", &got, f->err,
	    sizeof f->err), STORE_NOTFOUND);
	assert_null(got);

	assert_int_equal(store_school_deactivate(f->st, "s2", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_school_deactivate(f->st, "s9", f->err,
	    sizeof f->err), STORE_NOTFOUND);
	assert_int_equal(store_school_list(f->st, &lr, &l, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(l->n_schools, 1);
	assert_string_equal(l->schools[0]->id, "s1");
	protobuf_c_message_free_unpacked(&l->base, NULL);
	lr.include_inactive = 1;
	assert_int_equal(store_school_list(f->st, &lr, &l, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(l->n_schools, 2);
	assert_false(l->schools[1]->active);
	protobuf_c_message_free_unpacked(&l->base, NULL);
}

/* A coach record on the stack (fields borrowed). */
struct coach_fx {
	Coachd__V1__Coach	 c;
	Coachd__V1__Expertise	 e[2], *ep[2];
	char			*interests[2], *schools[2];
};

static void
coach_init(struct coach_fx *x, const char *id)
{
	size_t	i;

	memset(x, 0, sizeof *x);
	coachd__v1__coach__init(&x->c);
	for (i = 0; i < 2; i++) {
		coachd__v1__expertise__init(&x->e[i]);
		x->ep[i] = &x->e[i];
	}
	x->c.id = (char *)id;
	x->c.name = (char *)"Dana W";
	x->c.email = (char *)"dana@example.org";
	x->c.caseload_cap = 12;
	x->e[0].area = (char *)"literacy";
	x->e[0].level = 3;
	x->e[1].area = (char *)"math";
	x->e[1].level = 1;
	x->c.expertise = x->ep;
	x->c.n_expertise = 2;
	x->interests[0] = (char *)"writing";
	x->c.interests = x->interests;
	x->c.n_interests = 1;
	x->schools[0] = (char *)"s1";
	x->schools[1] = (char *)"s2";
	x->c.schools = x->schools;
	x->c.n_schools = 2;
}

static void
test_coach_crud(void **state)
{
	struct fx		*f = *state;
	struct coach_fx		 x;
	Coachd__V1__Coach	*got;
	Coachd__V1__CoachList	*l;
	Coachd__V1__ListRequest	 lr = COACHD__V1__LIST_REQUEST__INIT;

	open_store(f);
	add_school(f, "s1", "North");
	add_school(f, "s2", "South");
	coach_init(&x, "c1");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_CONFLICT);
	assert_int_equal(store_coach_get(f->st, "c1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(got->n_expertise, 2);
	assert_string_equal(got->expertise[0]->area, "literacy");
	assert_int_equal(got->expertise[0]->level, 3);
	assert_int_equal(got->n_schools, 2);
	assert_string_equal(got->schools[1], "s2");
	assert_int_equal(got->n_interests, 1);
	assert_int_equal(got->caseload_cap, 12);
	assert_true(got->active);
	protobuf_c_message_free_unpacked(&got->base, NULL);

	/* Update replaces the lists. */
	x.c.n_expertise = 1;
	x.e[0].level = 2;
	x.c.n_schools = 1;
	x.c.n_interests = 0;
	assert_int_equal(store_coach_update(f->st, &x.c, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_coach_get(f->st, "c1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(got->n_expertise, 1);
	assert_int_equal(got->expertise[0]->level, 2);
	assert_int_equal(got->n_schools, 1);
	assert_int_equal(got->n_interests, 0);
	protobuf_c_message_free_unpacked(&got->base, NULL);

	/* School filter and deactivation. */
	coach_init(&x, "c2");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	lr.school = (char *)"s2";
	assert_int_equal(store_coach_list(f->st, &lr, &l, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(l->n_coaches, 1);
	assert_string_equal(l->coaches[0]->id, "c2");
	protobuf_c_message_free_unpacked(&l->base, NULL);
	assert_int_equal(store_coach_deactivate(f->st, "c2", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_coach_list(f->st, &lr, &l, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(l->n_coaches, 0);
	protobuf_c_message_free_unpacked(&l->base, NULL);
}

/* Each bad coach is refused with its message and the stored one stays. */
static void
test_coach_validation(void **state)
{
	static const struct {
		int		 what;
		const char	*msg;
	} cases[] = {
		{ 0, "coach c9: expertise level 4 out of range 1-3" },
		{ 1, "coach c9: unknown school 'x'" },
		{ 2, "coach id 'bad id' is not valid (1-64 of A-Z a-z 0-9 . _ -)" },
		{ 3, "coach c9: expertise area 'literacy' listed twice" },
		{ 4, "coach c9: name is required" },
		{ 5, "coach c9: email 'dana' is not an address" },
		{ 6, "coach c9: caseload cap 5000 out of range 0-1000" },
		{ 7, "coach c9: expertise level 0 out of range 1-3" },
	};
	struct fx		*f = *state;
	struct coach_fx		 x;
	Coachd__V1__Coach	*got;
	size_t			 i;

	open_store(f);
	add_school(f, "s1", "North");
	add_school(f, "s2", "South");
	coach_init(&x, "c9");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		coach_init(&x, "c9");
		switch (cases[i].what) {
		case 0: x.e[1].level = 4; break;
		case 1: x.schools[1] = (char *)"x"; break;
		case 2: x.c.id = (char *)"bad id"; break;
		case 3: x.e[1].area = (char *)"literacy"; break;
		case 4: x.c.name = (char *)""; break;
		case 5: x.c.email = (char *)"dana"; break;
		case 6: x.c.caseload_cap = 5000; break;
		case 7: x.e[0].level = 0; break;
		}
		x.c.name = cases[i].what == 4 ? (char *)"" : (char *)"Changed";
		assert_int_equal(store_coach_update(f->st, &x.c, f->err,
		    sizeof f->err), STORE_INVALID);
		assert_string_equal(f->err, cases[i].msg);
	}
	assert_int_equal(store_coach_get(f->st, "c9", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_string_equal(got->name, "Dana W");
	assert_int_equal(got->n_expertise, 2);
	assert_int_equal(got->expertise[1]->level, 1);
	assert_int_equal(got->n_schools, 2);
	protobuf_c_message_free_unpacked(&got->base, NULL);
}

/* A coach's read-only caseload counts distinct teachers in open work. */
static void
test_coach_load(void **state)
{
	struct fx		*f = *state;
	struct coach_fx		 x;
	Coachd__V1__Teacher	 t = COACHD__V1__TEACHER__INIT;
	Coachd__V1__Coach	*got;
	static const char *const tids[] = { "t1", "t2", "t3" };
	size_t			 i;

	open_store(f);
	add_school(f, "s1", "North");
	add_school(f, "s2", "South");
	coach_init(&x, "c1");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	t.name = (char *)"T";
	t.school = (char *)"s1";
	for (i = 0; i < 3; i++) {
		t.id = (char *)tids[i];
		assert_int_equal(store_teacher_add(f->st, &t, f->err,
		    sizeof f->err), STORE_OK);
	}
	assert_int_equal(sqlite3_exec(store_db(f->st),
	    "INSERT INTO questions (teacher, text, state, coach, submitted_by, "
	    "submitted_at) VALUES "
	    "('t1', 'a', 'assigned', 'c1', 't1', 1),"
	    "('t1', 'b', 'in-cycle', 'c1', 't1', 2),"
	    "('t2', 'c', 'in-cycle', 'c1', 't2', 3),"
	    "('t3', 'd', 'closed', 'c1', 't3', 4)", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(store_coach_get(f->st, "c1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(got->active_teachers, 2);
	protobuf_c_message_free_unpacked(&got->base, NULL);
}

static void
test_teacher_crud(void **state)
{
	struct fx		*f = *state;
	Coachd__V1__Teacher	 t = COACHD__V1__TEACHER__INIT, *got;
	Coachd__V1__TeacherList	*l;
	Coachd__V1__ListRequest	 lr = COACHD__V1__LIST_REQUEST__INIT;
	char			*subj[] = { (char *)"Mathematics",
				    (char *)"English Language Arts" };
	char			*grades[] = { (char *)"09", (char *)"09" };

	open_store(f);
	add_school(f, "s1", "North");
	t.id = (char *)"t1";
	t.name = (char *)"Maria Ortiz";
	t.school = (char *)"x";
	assert_int_equal(store_teacher_add(f->st, &t, f->err, sizeof f->err),
	    STORE_INVALID);
	assert_string_equal(f->err, "teacher t1: unknown school 'x'");
	t.school = (char *)"";
	assert_int_equal(store_teacher_add(f->st, &t, f->err, sizeof f->err),
	    STORE_INVALID);
	t.school = (char *)"s1";
	t.subjects = subj;
	t.n_subjects = 2;
	t.grades = grades;
	t.n_grades = 2;
	assert_int_equal(store_teacher_add(f->st, &t, f->err, sizeof f->err),
	    STORE_INVALID);
	assert_string_equal(f->err, "teacher t1: grade '09' listed twice");
	t.n_grades = 1;
	assert_int_equal(store_teacher_add(f->st, &t, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM teachers"), 1);
	assert_int_equal(store_teacher_get(f->st, "t1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_string_equal(got->school, "s1");
	assert_int_equal(got->n_subjects, 2);
	assert_string_equal(got->subjects[0], "English Language Arts");
	assert_int_equal(got->n_grades, 1);
	protobuf_c_message_free_unpacked(&got->base, NULL);
	lr.school = (char *)"s1";
	assert_int_equal(store_teacher_list(f->st, &lr, &l, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(l->n_teachers, 1);
	protobuf_c_message_free_unpacked(&l->base, NULL);
	lr.school = (char *)"s2";
	assert_int_equal(store_teacher_list(f->st, &lr, &l, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(l->n_teachers, 0);
	protobuf_c_message_free_unpacked(&l->base, NULL);
	assert_int_equal(store_teacher_deactivate(f->st, "t1", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_teacher_get(f->st, "t1", &got, f->err,
	    sizeof f->err), STORE_OK);
	assert_false(got->active);
	protobuf_c_message_free_unpacked(&got->base, NULL);
}

/* ---- tokens ---------------------------------------------------------------- */

/* Enrolment codes: single use, expiry, revocation; the auth epoch. */
static void
test_enrol(void **state)
{
	struct fx		*f = *state;
	struct coach_fx		 x;
	struct store_user	 u;
	Coachd__V1__Role	 role = COACHD__V1__ROLE__ROLE_UNSPECIFIED;
	unsigned char		 h1[32], h2[32], h3[32], ht[32];
	char			 id[64];
	int64_t			 g0, g1;

	memset(h1, 1, sizeof h1);
	memset(h2, 2, sizeof h2);
	memset(h3, 3, sizeof h3);
	memset(ht, 9, sizeof ht);
	open_store(f);
	add_school(f, "s1", "North");
	add_school(f, "s2", "South");
	coach_init(&x, "c1");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	/* the role comes from the id; admins are not enrolled */
	assert_int_equal(store_enrol_add(f->st, "en_a", h1, &role, "c1", 100,
	    200, "root", f->err, sizeof f->err), STORE_OK);
	assert_int_equal(role, COACHD__V1__ROLE__COACH);
	role = COACHD__V1__ROLE__ADMIN;
	assert_int_equal(store_enrol_add(f->st, "en_x", h2, &role, "c1", 100,
	    200, "root", f->err, sizeof f->err), STORE_INVALID);
	role = COACHD__V1__ROLE__ROLE_UNSPECIFIED;
	assert_int_equal(store_enrol_add(f->st, "en_x", h2, &role, "ghost",
	    100, 200, "root", f->err, sizeof f->err), STORE_NOTFOUND);
	/* redeemed once */
	assert_int_equal(store_enrol_find(f->st, h1, 150, id, sizeof id, &u,
	    f->err, sizeof f->err), STORE_OK);
	assert_string_equal(id, "en_a");
	assert_string_equal(u.user, "c1");
	assert_int_equal(store_token_add(f->st, "tk_e", ht,
	    COACHD__V1__ROLE__COACH, "c1", "", 150, "enrolment en_a", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_auth_epoch(f->st, &g0, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(store_token_grant_notes(f->st, "tk_e", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_enrol_used(f->st, "en_a", "tk_e", 150, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_enrol_used(f->st, "en_a", "tk_e", 151, f->err,
	    sizeof f->err), STORE_NOTFOUND);
	assert_int_equal(store_enrol_find(f->st, h1, 152, id, sizeof id, &u,
	    f->err, sizeof f->err), STORE_CONFLICT);
	assert_non_null(strstr(f->err, "already used"));
	assert_int_equal(store_token_find(f->st, ht, &u, f->err,
	    sizeof f->err), STORE_OK);
	assert_true(u.note_rights);
	/* expired, revoked */
	assert_int_equal(store_enrol_add(f->st, "en_b", h2, &role, "c1", 100,
	    200, "root", f->err, sizeof f->err), STORE_OK);
	assert_int_equal(store_enrol_find(f->st, h2, 200, id, sizeof id, &u,
	    f->err, sizeof f->err), STORE_CONFLICT);
	assert_non_null(strstr(f->err, "expired"));
	assert_int_equal(store_enrol_add(f->st, "en_c", h3, &role, "c1", 100,
	    900, "root", f->err, sizeof f->err), STORE_OK);
	assert_int_equal(store_enrol_revoke(f->st, "en_c", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_enrol_revoke(f->st, "en_c", f->err,
	    sizeof f->err), STORE_CONFLICT);
	assert_int_equal(store_enrol_revoke(f->st, "en_a", f->err,
	    sizeof f->err), STORE_CONFLICT);
	assert_int_equal(store_enrol_find(f->st, h3, 150, id, sizeof id, &u,
	    f->err, sizeof f->err), STORE_CONFLICT);
	assert_non_null(strstr(f->err, "revoked"));
	/* the epoch moves on note rights, revocation and deactivation */
	assert_int_equal(store_auth_epoch(f->st, &g1, f->err, sizeof f->err),
	    STORE_OK);
	assert_true(g1 > g0);
	assert_int_equal(store_token_revoke(f->st, "tk_e", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_auth_epoch(f->st, &g0, f->err, sizeof f->err),
	    STORE_OK);
	assert_true(g0 > g1);
	assert_int_equal(store_coach_deactivate(f->st, "c1", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_auth_epoch(f->st, &g1, f->err, sizeof f->err),
	    STORE_OK);
	assert_true(g1 > g0);
	/* a deactivated person's code no longer works */
	memset(h1, 4, sizeof h1);
	assert_int_equal(store_enrol_add(f->st, "en_d", h1, &role, "c1", 100,
	    900, "root", f->err, sizeof f->err), STORE_INVALID);
}

/* A CN held by two roles names nobody; admins get ids of their own. */
static void
test_user_find_ambiguous(void **state)
{
	struct fx		*f = *state;
	struct coach_fx		 x;
	struct store_user	 u;
	unsigned char		 h1[32], h2[32];

	memset(h1, 1, sizeof h1);
	memset(h2, 2, sizeof h2);
	open_store(f);
	add_school(f, "s1", "North");
	add_school(f, "s2", "South");
	coach_init(&x, "c1");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(store_token_add(f->st, "tk_a", h1,
	    COACHD__V1__ROLE__ADMIN, "c1", "", 100, "init", f->err,
	    sizeof f->err), STORE_INVALID);
	assert_string_equal(f->err, "token: 'c1' is a coach's id; an "
	    "administrator needs an id of their own");
	assert_int_equal(store_token_add(f->st, "tk_a", h1,
	    COACHD__V1__ROLE__ADMIN, "dual", "", 100, "init", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_user_find(f->st, "dual", &u, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(u.role, COACHD__V1__ROLE__ADMIN);
	coach_init(&x, "dual");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(store_user_find(f->st, "dual", &u, f->err,
	    sizeof f->err), STORE_CONFLICT);
	assert_string_equal(f->err, "'dual' is the id of both an admin and a "
	    "coach; a certificate must name one user in one role");
	assert_int_equal(store_user_find(f->st, "c1", &u, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(u.role, COACHD__V1__ROLE__COACH);
}

static void
test_tokens(void **state)
{
	struct fx		*f = *state;
	struct coach_fx		 x;
	struct store_user	 u;
	Coachd__V1__TokenList	*l;
	unsigned char		 h1[32], h2[32], h3[32];
	int			 n;

	memset(h1, 1, sizeof h1);
	memset(h2, 2, sizeof h2);
	memset(h3, 3, sizeof h3);
	open_store(f);
	add_school(f, "s1", "North");
	add_school(f, "s2", "South");
	assert_int_equal(store_admin_count(f->st, &n, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_add(f->st, "tk_a", h1,
	    COACHD__V1__ROLE__ADMIN, "root", "laptop", 100, "init", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_admin_count(f->st, &n, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(n, 1);
	/* Coach tokens need the coach. */
	assert_int_equal(store_token_add(f->st, "tk_c", h2,
	    COACHD__V1__ROLE__COACH, "c1", "", 101, "root", f->err,
	    sizeof f->err), STORE_INVALID);
	assert_string_equal(f->err, "token: no coach 'c1'");
	coach_init(&x, "c1");
	assert_int_equal(store_coach_add(f->st, &x.c, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(store_token_add(f->st, "tk_c", h2,
	    COACHD__V1__ROLE__COACH, "c1", "", 101, "root", f->err,
	    sizeof f->err), STORE_OK);
	/* The same hash twice is refused. */
	assert_int_equal(store_token_add(f->st, "tk_d", h2,
	    COACHD__V1__ROLE__ADMIN, "root", "", 102, "root", f->err,
	    sizeof f->err), STORE_CONFLICT);

	assert_int_equal(store_token_find(f->st, h2, &u, f->err,
	    sizeof f->err), STORE_OK);
	assert_string_equal(u.user, "c1");
	assert_int_equal(u.role, COACHD__V1__ROLE__COACH);
	assert_string_equal(u.display_name, "Dana W");
	assert_true(u.active);
	assert_int_equal(store_token_find(f->st, h3, &u, f->err,
	    sizeof f->err), STORE_NOTFOUND);
	/* A deactivated coach's token resolves to an inactive principal. */
	assert_int_equal(store_coach_deactivate(f->st, "c1", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_token_find(f->st, h2, &u, f->err,
	    sizeof f->err), STORE_OK);
	assert_false(u.active);
	assert_int_equal(store_user_find(f->st, "root", &u, f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(u.role, COACHD__V1__ROLE__ADMIN);
	assert_int_equal(store_user_find(f->st, "nobody", &u, f->err,
	    sizeof f->err), STORE_NOTFOUND);

	assert_int_equal(store_token_revoke(f->st, "tk_a", f->err,
	    sizeof f->err), STORE_OK);
	assert_int_equal(store_token_revoke(f->st, "tk_a", f->err,
	    sizeof f->err), STORE_CONFLICT);
	assert_int_equal(store_token_revoke(f->st, "tk_zz", f->err,
	    sizeof f->err), STORE_NOTFOUND);
	assert_int_equal(store_token_find(f->st, h1, &u, f->err,
	    sizeof f->err), STORE_NOTFOUND);
	assert_int_equal(store_admin_count(f->st, &n, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_list(f->st, &l, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(l->n_tokens, 2);
	assert_string_equal(l->tokens[0]->id, "tk_a");
	assert_true(l->tokens[0]->revoked);
	assert_string_equal(l->tokens[0]->label, "laptop");
	assert_string_equal(l->tokens[0]->created_by, "init");
	assert_string_equal(l->tokens[1]->created_by, "root");
	assert_int_equal(l->tokens[1]->created, 101);
	protobuf_c_message_free_unpacked(&l->base, NULL);
	/* Only the hash is stored. */
	assert_int_equal(query_int(f->st, "SELECT length(hash) FROM tokens "
	    "WHERE token_id = 'tk_c'"), 32);
}

/* ---- import ---------------------------------------------------------------- */

static const char fx_orgs[] =
    "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
    "d1,,,Test District,district,TD,\n"
    "s1,,,North High,school,NH,d1\n"
    "s2,active,,South Elementary,school,SE,d1\n";
static const char fx_bells[] =
    "school_id,day_type,period,start,end\n"
    "s1,A,1,07:45,09:15\n"
    "s1,A,2,9:25,10:55\n"
    "s2,*,LIT,08:20,09:50\n"
    "s2,*,SPEC,10:00,10:45\n";
static const char fx_users[] =
    "sourcedId,status,enabledUser,orgSourcedIds,role,username,givenName,"
    "familyName,email,grades,password\n"
    "t1,,true,s1,teacher,mortiz,Maria,Ortiz,maria@x.org,\"09,10\",\n"
    "t2,,TRUE,s1,teacher,jlee,James,Lee,,,\n"
    "t3,,false,s2,teacher,,Zoe,O'Brien,,KG,\n"
    "st1,,true,s1,student,,A,B,,09,secret\n";
static const char fx_classes[] =
    "sourcedId,title,grades,courseSourcedId,classCode,classType,location,"
    "schoolSourcedId,termSourcedIds,subjects,periods\n"
    "c1,Algebra I,09,alg,A1,scheduled,Room 201,s1,y1,Mathematics,1\n"
    "c3,Reading K,KG,lit,,homeroom,Room 5,s2,y1,Reading,LIT\n";
static const char fx_enroll[] =
    "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,primary\n"
    "e1,c1,s1,t1,teacher,true\n"
    "e2,c1,s1,st1,student,false\n"
    "e5,c3,s2,t3,teacher,\n";
static const char fx_coaches[] =
    "id,name,email,schools,expertise,interests,caseload_cap,active\n"
    "k1,Dana W,dana@x.org,s1;s2,literacy:3; assessment:1,"
    "writing;small-group-reading,12,\n"
    "k2,Chidi A,,s1,math:2,,0,false\n";

/* Parse the fixture district (orgs_text replaces orgs.csv when given). */
static void
load_roster(struct roster *r, const char *orgs_text)
{
	struct {
		const char	*text, *name;
		int		(*fn)(struct roster *, const char *, size_t,
				    const char *, char *, size_t);
	} fl[] = {
		{ fx_orgs, "orgs.csv", roster_parse_orgs },
		{ fx_bells, "bell_schedules.csv", roster_parse_bells },
		{ fx_users, "users.csv", roster_parse_users },
		{ fx_classes, "classes.csv", roster_parse_classes },
		{ fx_enroll, "enrollments.csv", roster_parse_enrollments },
		{ fx_coaches, "coaches.csv", roster_parse_coaches },
	};
	char	err[512] = "";
	size_t	i;

	if (orgs_text != NULL)
		fl[0].text = orgs_text;
	if (roster_init(r, err, sizeof err) == -1)
		fail_msg("roster_init: %s", err);
	for (i = 0; i < sizeof fl / sizeof fl[0]; i++) {
		if (fl[i].fn(r, fl[i].text, strlen(fl[i].text), fl[i].name,
		    err, sizeof err) == -1)
			fail_msg("parse: %s", err);
	}
	if (roster_finish(r, err, sizeof err) == -1)
		fail_msg("roster_finish: %s", err);
}

/* The count of one kind; fails if absent. */
static const Coachd__V1__ImportCount *
count_of(const Coachd__V1__ImportResult *res, const char *kind)
{
	size_t	i;

	for (i = 0; i < res->n_counts; i++) {
		if (strcmp(res->counts[i]->kind, kind) == 0)
			return res->counts[i];
	}
	fail_msg("no count for %s", kind);
	return NULL;
}

static void
test_import_idempotent(void **state)
{
	static const char *const kinds[] = { "schools", "teachers", "classes",
	    "coaches", "bells", "timetable" };
	struct fx			*f = *state;
	struct roster			 r;
	Coachd__V1__ImportResult	*res;
	const Coachd__V1__ImportCount	*c;
	Coachd__V1__Teacher		*t;
	Coachd__V1__Coach		*k;
	size_t				 i;
	char				 buf[64];

	open_store(f);
	load_roster(&r, NULL);
	assert_int_equal(store_import(f->st, &r, &res, f->err, sizeof f->err),
	    STORE_OK);
	c = count_of(res, "schools");
	assert_int_equal(c->added, 2);
	assert_int_equal(count_of(res, "teachers")->added, 3);
	assert_int_equal(count_of(res, "classes")->added, 2);
	assert_int_equal(count_of(res, "coaches")->added, 2);
	assert_int_equal(count_of(res, "bells")->added, 4);
	assert_int_equal(count_of(res, "timetable")->added, r.nslots);
	assert_true(r.nslots > 0);
	protobuf_c_message_free_unpacked(&res->base, NULL);

	assert_int_equal(store_teacher_get(f->st, "t1", &t, f->err,
	    sizeof f->err), STORE_OK);
	assert_string_equal(t->name, "Maria Ortiz");
	assert_string_equal(t->school, "s1");
	assert_string_equal(t->source_id, "t1");
	assert_true(t->active);
	protobuf_c_message_free_unpacked(&t->base, NULL);
	assert_int_equal(store_teacher_get(f->st, "t3", &t, f->err,
	    sizeof f->err), STORE_OK);
	assert_false(t->active);
	protobuf_c_message_free_unpacked(&t->base, NULL);
	assert_int_equal(store_coach_get(f->st, "k2", &k, f->err,
	    sizeof f->err), STORE_OK);
	assert_false(k->active);
	assert_int_equal(k->caseload_cap, 0);
	protobuf_c_message_free_unpacked(&k->base, NULL);
	assert_string_equal(query_text(f->st, "SELECT kind || ':' || "
	    "ifnull(class, '-') FROM class_periods WHERE teacher = 't1' AND "
	    "period = '1'", buf, sizeof buf), "teach:c1");
	assert_int_equal(query_int(f->st, "SELECT start_min FROM bell_periods "
	    "WHERE school = 's1' AND period = '2'"), 9 * 60 + 25);

	/* The same roster again: nothing added, nothing updated. */
	assert_int_equal(store_import(f->st, &r, &res, f->err, sizeof f->err),
	    STORE_OK);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		c = count_of(res, kinds[i]);
		assert_int_equal(c->added, 0);
		assert_int_equal(c->updated, 0);
	}
	assert_int_equal(count_of(res, "schools")->unchanged, 2);
	assert_int_equal(count_of(res, "teachers")->unchanged, 3);
	assert_int_equal(count_of(res, "coaches")->unchanged, 2);
	assert_int_equal(count_of(res, "timetable")->unchanged, r.nslots);
	protobuf_c_message_free_unpacked(&res->base, NULL);
	roster_free(&r);

	/* A renamed school is one update, the rest unchanged. */
	load_roster(&r, "sourcedId,status,dateLastModified,name,type,"
	    "identifier,parentSourcedId\n"
	    "d1,,,Test District,district,TD,\n"
	    "s1,,,North High School,school,NH,d1\n"
	    "s2,active,,South Elementary,school,SE,d1\n");
	assert_int_equal(store_import(f->st, &r, &res, f->err, sizeof f->err),
	    STORE_OK);
	assert_int_equal(count_of(res, "schools")->updated, 1);
	assert_int_equal(count_of(res, "schools")->unchanged, 1);
	assert_int_equal(count_of(res, "teachers")->unchanged, 3);
	protobuf_c_message_free_unpacked(&res->base, NULL);
	roster_free(&r);
}

static void
test_import_all_or_nothing(void **state)
{
	struct fx			*f = *state;
	struct roster			 r;
	Coachd__V1__ImportResult	*res;
	size_t				 i;
	char				 buf[64], want[128];
	int				 before;

	open_store(f);
	load_roster(&r, NULL);
	assert_int_equal(store_import(f->st, &r, &res, f->err, sizeof f->err),
	    STORE_OK);
	protobuf_c_message_free_unpacked(&res->base, NULL);
	before = query_int(f->st, "SELECT count(*) FROM class_periods");
	roster_free(&r);

	/*
	 * A rename that would be written first, then a coach the store
	 * refuses (the parser allows levels the store does not): the
	 * whole import must leave no trace.
	 */
	load_roster(&r, "sourcedId,status,dateLastModified,name,type,"
	    "identifier,parentSourcedId\n"
	    "d1,,,Test District,district,TD,\n"
	    "s1,,,Renamed High,school,NH,d1\n"
	    "s2,active,,South Elementary,school,SE,d1\n"
	    "s3,,,West Middle,school,WM,d1\n");
	for (i = 0; i < r.ncoaches; i++) {
		if (strcmp(r.coaches[i].id, "k2") == 0)
			r.coaches[i].expertise[0].level = 4;
	}
	res = NULL;
	assert_int_equal(store_import(f->st, &r, &res, f->err, sizeof f->err),
	    STORE_INVALID);
	assert_null(res);
	snprintf(want, sizeof want, "coaches.csv:3: coach k2: expertise level "
	    "4 out of range 1-3");
	assert_string_equal(f->err, want);
	assert_string_equal(query_text(f->st, "SELECT name FROM schools WHERE "
	    "id = 's1'", buf, sizeof buf), "North High");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM schools"), 2);
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM class_periods"),
	    before);
	assert_int_equal(query_int(f->st, "SELECT level FROM coach_expertise "
	    "WHERE coach = 'k2'"), 2);
	roster_free(&r);
}

/* A bad sourcedId is reported with its file and line. */
static void
test_import_bad_id(void **state)
{
	struct fx			*f = *state;
	struct roster			 r;
	Coachd__V1__ImportResult	*res = NULL;

	open_store(f);
	load_roster(&r, "sourcedId,status,dateLastModified,name,type,"
	    "identifier,parentSourcedId\n"
	    "d1,,,Test District,district,TD,\n"
	    "s1,,,North High,school,NH,d1\n"
	    "s2,active,,South Elementary,school,SE,d1\n"
	    "s 4,,,Odd School,school,,d1\n");
	assert_int_equal(store_import(f->st, &r, &res, f->err, sizeof f->err),
	    STORE_INVALID);
	assert_null(res);
	assert_string_equal(f->err, "orgs.csv:5: sourcedId 's 4' is not usable "
	    "as an id (1-64 of A-Z a-z 0-9 . _ -)");
	assert_int_equal(query_int(f->st, "SELECT count(*) FROM schools"), 0);
	roster_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_fresh, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_reopen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_steps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_migrate_newer_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_savepoints, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_school_crud, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coach_crud, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coach_validation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_coach_load, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_teacher_crud, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enrol, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_find_ambiguous, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_idempotent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_import_all_or_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_bad_id, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
