/*
 * store_import.c: write a parsed district roster (roster.h) into the store.
 *
 * Every record is keyed on its OneRoster sourcedId (coaches, which come
 * from coachd's own coaches.csv, on their id), compared with what is
 * stored and only written when something differs: that is what makes a
 * re-import of the same files report everything "unchanged" and touch
 * nothing.  Schools, teachers and coaches go through the same store_*
 * functions as hand-made edits so they get the same validation.  The whole
 * import runs under one savepoint: any failure undoes all of it, and the
 * error names the CSV file and line the bad record came from.
 *
 * Inquiry questions (questions.csv) are not written here; they belong to
 * the questions area.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster.h"
#include "store.h"

/* The kinds an import counts, in the order they are reported. */
enum imp_kind {
	IMP_SCHOOLS,
	IMP_TEACHERS,
	IMP_CLASSES,
	IMP_COACHES,
	IMP_BELLS,
	IMP_TIMETABLE,
	IMP_NKINDS
};

static const char *const imp_kind_names[IMP_NKINDS] = {
	"schools", "teachers", "classes", "coaches", "bells", "timetable"
};

enum imp_outcome {
	IMP_ADDED,
	IMP_UPDATED,
	IMP_UNCHANGED
};

/* State of one import. */
struct imp {
	struct store		*st;
	const struct roster	*r;
	uint32_t		 count[IMP_NKINDS][3];
	char			*err;
	size_t			 errlen;
};

static enum store_status imp_fail(struct imp *, const char *, size_t,
		    enum store_status, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

/* Report "file:line: reason" (ret STORE_INVALID / CONFLICT / ERROR). */
static enum store_status
imp_fail(struct imp *im, const char *file, size_t line, enum store_status ret,
    const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (im->err != NULL && im->errlen > 0)
		snprintf(im->err, im->errlen, "%s:%zu: %s", file, line, msg);
	return ret == STORE_OK ? STORE_INVALID : ret;
}

/* Report a sourcedId that cannot serve as our id. */
static enum store_status
imp_bad_id(struct imp *im, const char *file, size_t line, const char *id)
{
	return imp_fail(im, file, line, STORE_INVALID, "sourcedId '%s' is not "
	    "usable as an id (1-%d of A-Z a-z 0-9 . _ -)", id, STORE_ID_MAX);
}

/* Record one outcome. */
static void
imp_count(struct imp *im, enum imp_kind k, enum imp_outcome o)
{
	im->count[k][o]++;
}

/* Null-safe string equality ("" and NULL are the same). */
static int
imp_streq(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/*
 * Unique strings of v as a borrowed array (for records built on the
 * stack; the array is freed, the strings belong to the roster).
 */
static char **
imp_uniq(const struct roster_strv *v, size_t *n)
{
	char	**u;
	size_t	  i, j;

	u = store_xcalloc(v->n, sizeof *u);
	*n = 0;
	for (i = 0; i < v->n; i++) {
		for (j = 0; j < *n; j++) {
			if (strcmp(u[j], v->v[i]) == 0)
				break;
		}
		if (j == *n)
			u[(*n)++] = v->v[i];
	}
	return u;
}

/* Whether two string lists hold the same set (b has no repeats). */
static int
imp_set_eq(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t	i, j;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++) {
			if (strcmp(a[i], b[j]) == 0)
				break;
		}
		if (j == nb)
			return 0;
	}
	return 1;
}

/*
 * Our id for a record with this sourcedId: the one already carrying it
 * as source_id, else the sourcedId itself.  sql selects id by source_id.
 */
static enum store_status
imp_map_id(struct imp *im, const char *sql, const char *sourced, char *out,
    size_t outlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = store_prepare(im->st, sql, im->err, im->errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, sourced, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(out, outlen, "%s", sqlite3_column_text(s, 0));
	else
		snprintf(out, outlen, "%s", sourced);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(im->st, rc, im->err, im->errlen);
	return STORE_OK;
}

/* Our id of an imported school. */
static enum store_status
imp_school_id(struct imp *im, const char *sourced, char *out, size_t outlen)
{
	return imp_map_id(im, "SELECT id FROM schools WHERE source_id = ?1",
	    sourced, out, outlen);
}

/* Our id of an imported teacher. */
static enum store_status
imp_teacher_id(struct imp *im, const char *sourced, char *out, size_t outlen)
{
	return imp_map_id(im, "SELECT id FROM teachers WHERE source_id = ?1",
	    sourced, out, outlen);
}

/* Set a record's active flag (import follows the roster's status). */
static enum store_status
imp_set_active(struct imp *im, const char *sql, const char *id, int active)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(im->st, sql, im->err, im->errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, active != 0);
	return store_step_done(im->st, s, im->err, im->errlen);
}

/*
 * After an add or update (status ret) of a record that was stored with
 * was_active (-1: not stored), follow the roster's status with the UPDATE
 * sql (?1 id, ?2 active) and count the outcome.
 */
static enum store_status
imp_written(struct imp *im, enum store_status ret, enum imp_kind k,
    enum imp_outcome o, const char *sql, const char *id, int was_active,
    int active)
{
	if (ret == STORE_OK && (was_active < 0 ? !active :
	    was_active != active))
		ret = imp_set_active(im, sql, id, active);
	if (ret == STORE_OK)
		imp_count(im, k, o);
	return ret;
}

/* ---- schools ------------------------------------------------------------- */

/* Upsert one org of type school. */
static enum store_status
imp_school(struct imp *im, const struct roster_school *rs)
{
	Coachd__V1__School	 sc, *old = NULL;
	enum store_status	 ret;
	char			 id[STORE_ID_MAX + 2], msg[512];

	if (!store_id_valid(rs->id))
		return imp_bad_id(im, "orgs.csv", rs->line, rs->id);
	if ((ret = imp_school_id(im, rs->id, id, sizeof id)) != STORE_OK)
		return ret;
	coachd__v1__school__init(&sc);
	sc.id = id;
	sc.name = rs->name;
	sc.source_id = rs->id;
	ret = store_school_get(im->st, id, &old, msg, sizeof msg);
	if (ret == STORE_NOTFOUND) {
		ret = store_school_add(im->st, &sc, msg, sizeof msg);
		if (ret == STORE_OK)
			imp_count(im, IMP_SCHOOLS, IMP_ADDED);
		goto out;
	}
	if (ret != STORE_OK)
		goto out;
	/* The kind is ours (OneRoster does not say), keep what is stored. */
	sc.kind = old->kind;
	if (imp_streq(old->name, sc.name) && imp_streq(old->source_id,
	    sc.source_id)) {
		imp_count(im, IMP_SCHOOLS, IMP_UNCHANGED);
		goto out;
	}
	if ((ret = store_school_update(im->st, &sc, msg, sizeof msg)) ==
	    STORE_OK)
		imp_count(im, IMP_SCHOOLS, IMP_UPDATED);
out:
	if (old != NULL)
		protobuf_c_message_free_unpacked(&old->base, NULL);
	if (ret != STORE_OK)
		return imp_fail(im, "orgs.csv", rs->line, ret, "%s", msg);
	return STORE_OK;
}

/* ---- teachers ------------------------------------------------------------ */

/* Whether a stored teacher already matches the import. */
static int
imp_teacher_same(const Coachd__V1__Teacher *a, const Coachd__V1__Teacher *b)
{
	return imp_streq(a->name, b->name) && imp_streq(a->email, b->email) &&
	    imp_streq(a->school, b->school) &&
	    imp_streq(a->source_id, b->source_id) &&
	    a->active == b->active &&
	    imp_set_eq(a->subjects, a->n_subjects, b->subjects,
	    b->n_subjects) &&
	    imp_set_eq(a->grades, a->n_grades, b->grades, b->n_grades);
}

/* Upsert the fields of one teacher (record built by the caller). */
static enum store_status
imp_teacher_write(struct imp *im, Coachd__V1__Teacher *t, char *msg,
    size_t msglen)
{
	Coachd__V1__Teacher	*old = NULL;
	enum store_status	 ret;
	enum imp_outcome	 o;

	ret = store_teacher_get(im->st, t->id, &old, msg, msglen);
	if (ret == STORE_OK)	/* coachd's flag, not the roster's: kept */
		t->new_teacher = old->new_teacher;
	if (ret == STORE_NOTFOUND) {
		o = IMP_ADDED;
		ret = store_teacher_add(im->st, t, msg, msglen);
	} else if (ret != STORE_OK)
		goto out;
	else if (imp_teacher_same(old, t)) {
		imp_count(im, IMP_TEACHERS, IMP_UNCHANGED);
		goto out;
	} else {
		o = IMP_UPDATED;
		ret = store_teacher_update(im->st, t, msg, msglen);
	}
	ret = imp_written(im, ret, IMP_TEACHERS, o, "UPDATE teachers SET "
	    "active = ?2 WHERE id = ?1", t->id, old == NULL ? -1 :
	    old->active, t->active);
out:
	if (old != NULL)
		protobuf_c_message_free_unpacked(&old->base, NULL);
	return ret;
}

/* Upsert one user of role teacher. */
static enum store_status
imp_teacher(struct imp *im, const struct roster_teacher *rt)
{
	Coachd__V1__Teacher	 t;
	enum store_status	 ret;
	char			 id[STORE_ID_MAX + 2], school[STORE_ID_MAX + 2];
	char			 name[STORE_TEXT_MAX * 2 + 2], msg[512] = "";

	if (!store_id_valid(rt->id))
		return imp_bad_id(im, "users.csv", rt->line, rt->id);
	if (rt->schools.n == 0)
		return imp_fail(im, "users.csv", rt->line, STORE_INVALID,
		    "teacher %s belongs to no school", rt->id);
	if ((ret = imp_teacher_id(im, rt->id, id, sizeof id)) != STORE_OK ||
	    (ret = imp_school_id(im, rt->schools.v[0], school,
	    sizeof school)) != STORE_OK)
		return ret;
	snprintf(name, sizeof name, "%s%s%s", rt->given_name,
	    *rt->given_name != '\0' && *rt->family_name != '\0' ? " " : "",
	    rt->family_name);
	coachd__v1__teacher__init(&t);
	t.id = id;
	t.name = *name != '\0' ? name : (*rt->username != '\0' ?
	    rt->username : rt->id);
	t.email = rt->email;
	t.school = school;
	t.source_id = rt->id;
	t.active = rt->active != 0;
	t.subjects = imp_uniq(&rt->subjects, &t.n_subjects);
	t.grades = imp_uniq(&rt->grades, &t.n_grades);
	ret = imp_teacher_write(im, &t, msg, sizeof msg);
	free(t.subjects);
	free(t.grades);
	if (ret != STORE_OK)
		return imp_fail(im, "users.csv", rt->line, ret, "%s", msg);
	return STORE_OK;
}

/* ---- classes ------------------------------------------------------------- */

/* Bind a class's columns as ?1..?6 (id, title, subject, room, school,
 * teacher; "" for none) for both the comparison and the upsert. */
static void
imp_class_bind(sqlite3_stmt *s, const struct roster_class *rc,
    const char *subject, const char *school, const char *teacher)
{
	sqlite3_bind_text(s, 1, rc->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, rc->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, rc->room != NULL ? rc->room : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 5, school, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, teacher, -1, SQLITE_STATIC);
}

/* Upsert one class: title, first subject, room, school, primary teacher. */
static enum store_status
imp_class(struct imp *im, const struct roster_class *rc)
{
	sqlite3_stmt	*s;
	const char	*subject;
	char		 school[STORE_ID_MAX + 2], teacher[STORE_ID_MAX + 2];
	char		 msg[256];
	int		 rv, same = 0, found = 0;

	if (!store_id_valid(rc->id))
		return imp_bad_id(im, "classes.csv", rc->line, rc->id);
	if (imp_school_id(im, rc->school_id, school, sizeof school) !=
	    STORE_OK)
		return STORE_ERROR;
	*teacher = '\0';
	if (rc->teacher_id != NULL && imp_teacher_id(im, rc->teacher_id,
	    teacher, sizeof teacher) != STORE_OK)
		return STORE_ERROR;
	subject = rc->subjects.n > 0 ? rc->subjects.v[0] : "";
	s = store_prepare(im->st, "SELECT title = ?2 AND subject = ?3 AND "
	    "room = ?4 AND school = ?5 AND teacher IS nullif(?6, '') AND "
	    "source_id IS ?1 FROM classes WHERE id = ?1", im->err, im->errlen);
	if (s == NULL)
		return STORE_ERROR;
	imp_class_bind(s, rc, subject, school, teacher);
	if ((rv = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		same = sqlite3_column_int(s, 0);
	}
	sqlite3_reset(s);
	if (rv != SQLITE_ROW && rv != SQLITE_DONE)
		return store_fail(im->st, rv, im->err, im->errlen);
	if (same) {
		imp_count(im, IMP_CLASSES, IMP_UNCHANGED);
		return STORE_OK;
	}
	s = store_prepare(im->st, "INSERT INTO classes (id, title, subject, "
	    "room, school, teacher, source_id) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "nullif(?6, ''), ?1) ON CONFLICT (id) DO UPDATE SET "
	    "title = excluded.title, subject = excluded.subject, "
	    "room = excluded.room, school = excluded.school, "
	    "teacher = excluded.teacher, source_id = excluded.source_id",
	    im->err, im->errlen);
	if (s == NULL)
		return STORE_ERROR;
	imp_class_bind(s, rc, subject, school, teacher);
	if (store_step_done(im->st, s, msg, sizeof msg) != STORE_OK)
		return imp_fail(im, "classes.csv", rc->line, STORE_INVALID,
		    "class %s: %s", rc->id, msg);
	imp_count(im, IMP_CLASSES, found ? IMP_UPDATED : IMP_ADDED);
	return STORE_OK;
}

/* ---- coaches ------------------------------------------------------------- */

/* Whether a stored coach already matches the import. */
static int
imp_coach_same(const Coachd__V1__Coach *a, const Coachd__V1__Coach *b)
{
	size_t	i, j;

	if (!imp_streq(a->name, b->name) || !imp_streq(a->email, b->email) ||
	    a->caseload_cap != b->caseload_cap || a->active != b->active ||
	    a->n_expertise != b->n_expertise ||
	    !imp_set_eq(a->interests, a->n_interests, b->interests,
	    b->n_interests) ||
	    !imp_set_eq(a->schools, a->n_schools, b->schools, b->n_schools))
		return 0;
	for (i = 0; i < a->n_expertise; i++) {
		for (j = 0; j < b->n_expertise; j++) {
			if (strcmp(a->expertise[i]->area,
			    b->expertise[j]->area) == 0 &&
			    a->expertise[i]->level == b->expertise[j]->level)
				break;
		}
		if (j == b->n_expertise)
			return 0;
	}
	return 1;
}

/* Upsert a built coach record. */
static enum store_status
imp_coach_write(struct imp *im, const Coachd__V1__Coach *c, char *msg,
    size_t msglen)
{
	Coachd__V1__Coach	*old = NULL;
	enum store_status	 ret;
	enum imp_outcome	 o;

	ret = store_coach_get(im->st, c->id, &old, msg, msglen);
	if (ret == STORE_NOTFOUND) {
		o = IMP_ADDED;
		ret = store_coach_add(im->st, c, msg, msglen);
	} else if (ret != STORE_OK)
		goto out;
	else if (imp_coach_same(old, c)) {
		imp_count(im, IMP_COACHES, IMP_UNCHANGED);
		goto out;
	} else {
		o = IMP_UPDATED;
		ret = store_coach_update(im->st, c, msg, msglen);
	}
	ret = imp_written(im, ret, IMP_COACHES, o, "UPDATE coaches SET "
	    "active = ?2 WHERE id = ?1", c->id, old == NULL ? -1 :
	    old->active, c->active);
out:
	if (old != NULL)
		protobuf_c_message_free_unpacked(&old->base, NULL);
	return ret;
}

/* Upsert one row of coaches.csv. */
static enum store_status
imp_coach(struct imp *im, const struct roster_coach *rc)
{
	Coachd__V1__Coach	  c;
	Coachd__V1__Expertise	 *ex = NULL, **exp = NULL;
	enum store_status	  ret = STORE_OK;
	char			(*schools)[STORE_ID_MAX + 2] = NULL;
	char			**sp = NULL, msg[512] = "";
	size_t			  i;

	coachd__v1__coach__init(&c);
	c.id = rc->id;
	c.name = rc->name;
	c.email = rc->email;
	c.caseload_cap = rc->caseload_cap < 0 ? UINT32_MAX :
	    (uint32_t)rc->caseload_cap;
	c.active = rc->active != 0;
	if (rc->nexpertise > 0) {
		ex = store_xcalloc(rc->nexpertise, sizeof *ex);
		exp = store_xcalloc(rc->nexpertise, sizeof *exp);
	}
	for (i = 0; i < rc->nexpertise; i++) {
		coachd__v1__expertise__init(&ex[i]);
		ex[i].area = rc->expertise[i].area;
		ex[i].level = rc->expertise[i].level < 0 ? 0 :
		    (uint32_t)rc->expertise[i].level;
		exp[i] = &ex[i];
	}
	c.expertise = exp;
	c.n_expertise = rc->nexpertise;
	c.interests = imp_uniq(&rc->interests, &c.n_interests);
	/* Map school sourcedIds to our ids, then drop repeats. */
	schools = store_xcalloc(rc->schools.n, sizeof *schools);
	sp = store_xcalloc(rc->schools.n, sizeof *sp);
	for (i = 0; i < rc->schools.n && ret == STORE_OK; i++) {
		ret = imp_school_id(im, rc->schools.v[i], schools[i],
		    sizeof schools[i]);
		sp[i] = schools[i];
	}
	if (ret != STORE_OK)
		goto out;
	c.schools = sp;
	c.n_schools = rc->schools.n;
	for (i = 1; i < c.n_schools; i++) {
		if (imp_set_eq(&sp[i], 1, sp, i)) {
			memmove(&sp[i], &sp[i + 1], (c.n_schools - i - 1) *
			    sizeof *sp);
			c.n_schools--;
			i--;
		}
	}
	ret = imp_coach_write(im, &c, msg, sizeof msg);
	if (ret != STORE_OK)
		ret = imp_fail(im, "coaches.csv", rc->line, ret, "%s", msg);
out:
	free(c.interests);
	free(sp);
	free(schools);
	free(exp);
	free(ex);
	return ret;
}

/* ---- bells and timetable ---------------------------------------------------- */

/* Upsert one bell period. */
static enum store_status
imp_bell(struct imp *im, const struct roster_bell *b)
{
	sqlite3_stmt	*s;
	char		 school[STORE_ID_MAX + 2], msg[256];
	int		 rv, found = 0, same = 0;

	if (imp_school_id(im, b->school_id, school, sizeof school) != STORE_OK)
		return STORE_ERROR;
	s = store_prepare(im->st, "SELECT start_min = ?4 AND end_min = ?5 "
	    "FROM bell_periods WHERE school = ?1 AND day_type = ?2 AND "
	    "period = ?3", im->err, im->errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, school, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->day_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, b->start_min);
	sqlite3_bind_int(s, 5, b->end_min);
	if ((rv = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		same = sqlite3_column_int(s, 0);
	}
	sqlite3_reset(s);
	if (rv != SQLITE_ROW && rv != SQLITE_DONE)
		return store_fail(im->st, rv, im->err, im->errlen);
	if (same) {
		imp_count(im, IMP_BELLS, IMP_UNCHANGED);
		return STORE_OK;
	}
	s = store_prepare(im->st, "INSERT INTO bell_periods (school, day_type, "
	    "period, start_min, end_min) VALUES (?1, ?2, ?3, ?4, ?5) "
	    "ON CONFLICT (school, day_type, period) DO UPDATE SET "
	    "start_min = excluded.start_min, end_min = excluded.end_min",
	    im->err, im->errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, school, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->day_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, b->start_min);
	sqlite3_bind_int(s, 5, b->end_min);
	if (store_step_done(im->st, s, msg, sizeof msg) != STORE_OK)
		return imp_fail(im, "bell_schedules.csv", b->line,
		    STORE_INVALID, "school %s period %s: %s", b->school_id,
		    b->period, msg);
	imp_count(im, IMP_BELLS, found ? IMP_UPDATED : IMP_ADDED);
	return STORE_OK;
}

/* Where a slot came from, for errors. */
static const char *
imp_slot_file(const struct roster_slot *sl)
{
	return sl->source == ROSTER_SRC_CSV ? "timetable.csv" : "classes.csv";
}

/* Bind a slot's key (?1-?3) and contents (?4-?7). */
static void
imp_slot_bind(sqlite3_stmt *s, const char *teacher,
    const struct roster_slot *sl)
{
	sqlite3_bind_text(s, 1, teacher, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, sl->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sl->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, sl->kind == ROSTER_SLOT_TEACH ? "teach" :
	    "free", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, sl->class_id != NULL ? sl->class_id : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 6, sl->subject != NULL ? sl->subject : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 7, sl->room != NULL ? sl->room : "", -1,
	    SQLITE_STATIC);
}

/* Upsert one teacher-period of the timetable. */
static enum store_status
imp_slot(struct imp *im, const struct roster_slot *sl)
{
	sqlite3_stmt	*s;
	char		 teacher[STORE_ID_MAX + 2], msg[256];
	int		 rv, found = 0, same = 0;

	if (imp_teacher_id(im, sl->teacher_id, teacher, sizeof teacher) !=
	    STORE_OK)
		return STORE_ERROR;
	s = store_prepare(im->st, "SELECT kind = ?4 AND class IS nullif(?5, '') "
	    "AND subject = ?6 AND room = ?7 FROM class_periods WHERE "
	    "teacher = ?1 AND day_type = ?2 AND period = ?3", im->err,
	    im->errlen);
	if (s == NULL)
		return STORE_ERROR;
	imp_slot_bind(s, teacher, sl);
	if ((rv = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		same = sqlite3_column_int(s, 0);
	}
	sqlite3_reset(s);
	if (rv != SQLITE_ROW && rv != SQLITE_DONE)
		return store_fail(im->st, rv, im->err, im->errlen);
	if (same) {
		imp_count(im, IMP_TIMETABLE, IMP_UNCHANGED);
		return STORE_OK;
	}
	s = store_prepare(im->st, "INSERT INTO class_periods (teacher, "
	    "day_type, period, kind, class, subject, room) VALUES (?1, ?2, ?3, "
	    "?4, nullif(?5, ''), ?6, ?7) ON CONFLICT (teacher, day_type, "
	    "period) DO UPDATE SET kind = excluded.kind, class = excluded.class, "
	    "subject = excluded.subject, room = excluded.room", im->err,
	    im->errlen);
	if (s == NULL)
		return STORE_ERROR;
	imp_slot_bind(s, teacher, sl);
	if (store_step_done(im->st, s, msg, sizeof msg) != STORE_OK)
		return imp_fail(im, imp_slot_file(sl), sl->line, STORE_INVALID,
		    "teacher %s day %s period %s: %s", sl->teacher_id, sl->day,
		    sl->period, msg);
	imp_count(im, IMP_TIMETABLE, found ? IMP_UPDATED : IMP_ADDED);
	return STORE_OK;
}

/*
 * Remove what a previous import left behind: bell periods of the schools
 * and timetable slots of the teachers this import describes that it no
 * longer lists.  The keys imported are collected in a temporary table so
 * that one DELETE per kind does the comparison.
 */
static enum store_status
imp_prune(struct imp *im)
{
	static const char *const sql[] = {
		"CREATE TEMP TABLE IF NOT EXISTS imp_keys (kind INTEGER, "
		"owner TEXT, day_type TEXT, period TEXT)",
		"DELETE FROM temp.imp_keys",
	};
	const struct roster	*r = im->r;
	sqlite3_stmt		*s;
	char			 owner[STORE_ID_MAX + 2];
	size_t			 i;
	int			 rv;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		if (sqlite3_exec(store_db(im->st), sql[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			return store_fail(im->st, sqlite3_errcode(
			    store_db(im->st)), im->err, im->errlen);
	}
	for (i = 0; i < r->nbells + r->nslots; i++) {
		if (i < r->nbells)
			rv = imp_school_id(im, r->bells[i].school_id, owner,
			    sizeof owner);
		else
			rv = imp_teacher_id(im, r->slots[i - r->nbells].
			    teacher_id, owner, sizeof owner);
		if (rv != STORE_OK)
			return STORE_ERROR;
		s = store_prepare(im->st, "INSERT INTO temp.imp_keys VALUES "
		    "(?1, ?2, ?3, ?4)", im->err, im->errlen);
		if (s == NULL)
			return STORE_ERROR;
		sqlite3_bind_int(s, 1, i < r->nbells ? 0 : 1);
		sqlite3_bind_text(s, 2, owner, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, i < r->nbells ? r->bells[i].day_type :
		    r->slots[i - r->nbells].day, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, i < r->nbells ? r->bells[i].period :
		    r->slots[i - r->nbells].period, -1, SQLITE_STATIC);
		if (store_step_done(im->st, s, im->err, im->errlen) != STORE_OK)
			return STORE_ERROR;
	}
	if (sqlite3_exec(store_db(im->st),
	    "DELETE FROM bell_periods WHERE school IN (SELECT owner FROM "
	    "temp.imp_keys WHERE kind = 0) AND NOT EXISTS (SELECT 1 FROM "
	    "temp.imp_keys k WHERE k.kind = 0 AND k.owner = school AND "
	    "k.day_type = bell_periods.day_type AND k.period = "
	    "bell_periods.period);"
	    "DELETE FROM class_periods WHERE teacher IN (SELECT owner FROM "
	    "temp.imp_keys WHERE kind = 1) AND NOT EXISTS (SELECT 1 FROM "
	    "temp.imp_keys k WHERE k.kind = 1 AND k.owner = teacher AND "
	    "k.day_type = class_periods.day_type AND k.period = "
	    "class_periods.period);"
	    "DELETE FROM temp.imp_keys", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(im->st, sqlite3_errcode(store_db(im->st)),
		    im->err, im->errlen);
	return STORE_OK;
}

/* ---- records a bulk import no longer lists -------------------------------- */

/* What a bulk import may deactivate, and how to find it. */
static const struct imp_gone {
	enum imp_kind	  kind;
	const char	 *what;
	const char	 *sql;		/* active imported rows not in imp_seen */
	enum store_status (*deactivate)(struct store *, const char *, char *,
			    size_t);
} imp_gone[] = {
	{ IMP_SCHOOLS, "school", "SELECT id FROM schools WHERE active = 1 AND "
	  "source_id IS NOT NULL AND source_id NOT IN (SELECT sid FROM "
	  "temp.imp_seen WHERE kind = 0) ORDER BY id",
	  store_school_deactivate },
	{ IMP_TEACHERS, "teacher", "SELECT id FROM teachers WHERE active = 1 "
	  "AND source_id IS NOT NULL AND source_id NOT IN (SELECT sid FROM "
	  "temp.imp_seen WHERE kind = 1) ORDER BY id",
	  store_teacher_deactivate },
};

/* Fill temp.imp_seen with the sourcedIds r lists (kind 0 schools, 1 teachers). */
static enum store_status
imp_seen_fill(struct store *st, const struct roster *r, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	size_t		 i;

	if (sqlite3_exec(store_db(st), "CREATE TEMP TABLE IF NOT EXISTS "
	    "imp_seen (kind INTEGER, sid TEXT); DELETE FROM temp.imp_seen",
	    NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, sqlite3_errcode(store_db(st)), err,
		    errlen);
	for (i = 0; i < r->nschools + r->nteachers; i++) {
		s = store_prepare(st, "INSERT INTO temp.imp_seen VALUES "
		    "(?1, ?2)", err, errlen);
		if (s == NULL)
			return STORE_ERROR;
		sqlite3_bind_int(s, 1, i < r->nschools ? 0 : 1);
		sqlite3_bind_text(s, 2, i < r->nschools ? r->schools[i].id :
		    r->teachers[i - r->nschools].id, -1, SQLITE_STATIC);
		if (store_step_done(st, s, err, errlen) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Append "WHAT ID" to res->deactivated. */
static enum store_status
imp_gone_note(Coachd__V1__ImportResult *res, const char *what,
    const unsigned char *id, char *err, size_t errlen)
{
	char	**v;
	size_t	  len;

	v = realloc(res->deactivated, (res->n_deactivated + 1) * sizeof *v);
	if (v == NULL)
		return store_errf(err, errlen, STORE_ERROR, "out of memory");
	res->deactivated = v;
	len = strlen(what) + 1 + strlen((const char *)id) + 1;
	if ((v[res->n_deactivated] = malloc(len)) == NULL)
		return store_errf(err, errlen, STORE_ERROR, "out of memory");
	snprintf(v[res->n_deactivated++], len, "%s %s", what, id);
	return STORE_OK;
}

/* List one kind's missing records into res, then deactivate them. */
static enum store_status
imp_gone_kind(struct store *st, const struct imp_gone *g,
    Coachd__V1__ImportResult *res, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	size_t		 first = res->n_deactivated, i;
	int		 rc;
	enum store_status ret = STORE_OK;

	if ((s = store_prepare(st, g->sql, err, errlen)) == NULL)
		return STORE_ERROR;
	while (ret == STORE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ret = imp_gone_note(res, g->what, sqlite3_column_text(s, 0),
		    err, errlen);
	sqlite3_reset(s);
	if (ret != STORE_OK)
		return ret;
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	/* Deactivate after the SELECT is done: never update what we scan. */
	for (i = first; ret == STORE_OK && i < res->n_deactivated; i++)
		ret = g->deactivate(st, res->deactivated[i] +
		    strlen(g->what) + 1, err, errlen);
	if (ret == STORE_OK && (size_t)g->kind < res->n_counts)
		res->counts[g->kind]->deactivated =
		    (uint32_t)(res->n_deactivated - first);
	return ret;
}

enum store_status
store_import_deactivate_missing(struct store *st, const struct roster *r,
    Coachd__V1__ImportResult *res, char *err, size_t errlen)
{
	enum store_status	ret;
	size_t			i;

	ret = imp_seen_fill(st, r, err, errlen);
	for (i = 0; ret == STORE_OK && i < sizeof imp_gone / sizeof
	    imp_gone[0]; i++)
		ret = imp_gone_kind(st, &imp_gone[i], res, err, errlen);
	if (sqlite3_exec(store_db(st), "DELETE FROM temp.imp_seen", NULL,
	    NULL, NULL) != SQLITE_OK && ret == STORE_OK)
		ret = store_fail(st, sqlite3_errcode(store_db(st)), err,
		    errlen);
	return ret;
}

/* ---- driver -------------------------------------------------------------- */

/* Every kind, in dependency order. */
static enum store_status
imp_all(struct imp *im)
{
	const struct roster	*r = im->r;
	enum store_status	 ret = STORE_OK;
	size_t			 i;

	for (i = 0; ret == STORE_OK && i < r->nschools; i++)
		ret = imp_school(im, &r->schools[i]);
	for (i = 0; ret == STORE_OK && i < r->nteachers; i++)
		ret = imp_teacher(im, &r->teachers[i]);
	for (i = 0; ret == STORE_OK && i < r->nclasses; i++)
		ret = imp_class(im, &r->classes[i]);
	for (i = 0; ret == STORE_OK && i < r->ncoaches; i++)
		ret = imp_coach(im, &r->coaches[i]);
	for (i = 0; ret == STORE_OK && i < r->nbells; i++)
		ret = imp_bell(im, &r->bells[i]);
	for (i = 0; ret == STORE_OK && i < r->nslots; i++)
		ret = imp_slot(im, &r->slots[i]);
	if (ret == STORE_OK)
		ret = imp_prune(im);
	return ret;
}

/* The counts as a response message. */
static Coachd__V1__ImportResult *
imp_result(const struct imp *im)
{
	Coachd__V1__ImportResult	*res;
	Coachd__V1__ImportCount		*c;
	size_t				 k;

	res = store_xcalloc(1, sizeof *res);
	coachd__v1__import_result__init(res);
	res->counts = store_xcalloc(IMP_NKINDS, sizeof *res->counts);
	for (k = 0; k < IMP_NKINDS; k++) {
		c = store_xcalloc(1, sizeof *c);
		coachd__v1__import_count__init(c);
		c->kind = store_xstrdup(imp_kind_names[k]);
		c->added = im->count[k][IMP_ADDED];
		c->updated = im->count[k][IMP_UPDATED];
		c->unchanged = im->count[k][IMP_UNCHANGED];
		res->counts[res->n_counts++] = c;
	}
	return res;
}

enum store_status
store_import(struct store *st, const struct roster *r,
    Coachd__V1__ImportResult **out, char *err, size_t errlen)
{
	struct imp		im;
	enum store_status	ret;

	*out = NULL;
	memset(&im, 0, sizeof im);
	im.st = st;
	im.r = r;
	im.err = err;
	im.errlen = errlen;
	if (store_savepoint(st, err, errlen) != STORE_OK)
		return STORE_ERROR;
	if ((ret = imp_all(&im)) != STORE_OK) {
		store_savepoint_rollback(st);
		return ret;
	}
	store_savepoint_release(st);
	*out = imp_result(&im);
	return STORE_OK;
}
