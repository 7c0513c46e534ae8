/*
 * roster.c: OneRoster 1.1 CSV files (orgs, academicSessions, courses,
 * users, classes, enrollments) into a struct roster, plus roster_free()
 * and the lookups (see roster.h and docs/roster.md).
 *
 * Every parser works on text already in memory and reports the first bad
 * row as "file:line: column: reason"; only roster_load_dir() (roster_dir.c)
 * reads files.  coachd's own files are in roster_local.c, shared helpers
 * in roster_util.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "roster.h"
#include "roster_int.h"
#include "xmalloc.h"

/* Initialise an empty roster. */
int
roster_init(struct roster *r, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	memset(r, 0, sizeof *r);
	r->priv = xcalloc(1, sizeof *r->priv);
	return 0;
}

static void
rs_slot_free(struct roster_slot *s)
{
	free(s->teacher_id);
	free(s->day);
	free(s->period);
	free(s->class_id);
	free(s->subject);
	free(s->room);
}

/* Free what one teacher record owns. */
static void
rs_teacher_free(struct roster_teacher *t)
{
	free(t->id);
	free(t->given_name);
	free(t->family_name);
	free(t->email);
	free(t->username);
	rs_strv_free(&t->schools);
	rs_strv_free(&t->grades);
	rs_strv_free(&t->subjects);
}

/* Free what one class record owns. */
static void
rs_class_free(struct roster_class *c)
{
	free(c->id);
	free(c->title);
	free(c->course_id);
	free(c->class_code);
	free(c->class_type);
	free(c->room);
	free(c->school_id);
	free(c->teacher_id);
	rs_strv_free(&c->terms);
	rs_strv_free(&c->subjects);
	rs_strv_free(&c->grades);
	rs_strv_free(&c->periods);
	rs_strv_free(&c->teacher_ids);
}

/* Free what one coach record owns. */
static void
rs_coach_free(struct roster_coach *c)
{
	size_t	j;

	free(c->id);
	free(c->name);
	free(c->email);
	rs_strv_free(&c->schools);
	rs_strv_free(&c->interests);
	for (j = 0; j < c->nexpertise; j++)
		free(c->expertise[j].area);
	free(c->expertise);
}

/* The parser's lookup maps and saved file names (NULL is fine). */
static void
rs_priv_free(struct roster_priv *p)
{
	if (p == NULL)
		return;
	rs_map_free(&p->orgs);
	rs_map_free(&p->sessions);
	rs_map_free(&p->courses);
	rs_map_free(&p->users);
	rs_map_free(&p->classes);
	rs_map_free(&p->coaches);
	rs_map_free(&p->enrollments);
	rs_fp_free(&p->students);
	rs_fp_free(&p->enroll_ids);
	rs_map_free(&p->keys);
	rs_strv_free(&p->owned);
	free(p->bell_file);
	free(p->tt_file);
	free(p->tt_teacher);
	free(p);
}

/* Free everything the roster owns. */
void
roster_free(struct roster *r)
{
	size_t	i;

	if (r == NULL)
		return;
	free(r->district_id);
	free(r->district_name);
	for (i = 0; i < r->nschools; i++) {
		free(r->schools[i].id);
		free(r->schools[i].name);
		free(r->schools[i].identifier);
		free(r->schools[i].parent_id);
	}
	free(r->schools);
	for (i = 0; i < r->nteachers; i++)
		rs_teacher_free(&r->teachers[i]);
	free(r->teachers);
	for (i = 0; i < r->nclasses; i++)
		rs_class_free(&r->classes[i]);
	free(r->classes);
	for (i = 0; i < r->ncourses; i++) {
		free(r->courses[i].id);
		free(r->courses[i].title);
		free(r->courses[i].code);
		free(r->courses[i].org_id);
		rs_strv_free(&r->courses[i].subjects);
		rs_strv_free(&r->courses[i].grades);
	}
	free(r->courses);
	for (i = 0; i < r->nsessions; i++) {
		free(r->sessions[i].id);
		free(r->sessions[i].title);
		free(r->sessions[i].type);
		free(r->sessions[i].start_date);
		free(r->sessions[i].end_date);
		free(r->sessions[i].parent_id);
	}
	free(r->sessions);
	for (i = 0; i < r->ncoaches; i++)
		rs_coach_free(&r->coaches[i]);
	free(r->coaches);
	for (i = 0; i < r->nbells; i++) {
		free(r->bells[i].school_id);
		free(r->bells[i].day_type);
		free(r->bells[i].period);
	}
	free(r->bells);
	for (i = 0; i < r->nslots; i++)
		rs_slot_free(&r->slots[i]);
	free(r->slots);
	for (i = 0; i < r->nquestions; i++) {
		free(r->questions[i].teacher_id);
		free(r->questions[i].text);
		free(r->questions[i].topic);
	}
	free(r->questions);
	rs_priv_free(r->priv);
	memset(r, 0, sizeof *r);
}

enum { O_ID, O_STATUS, O_NAME, O_TYPE, O_IDENT, O_PARENT };
static const struct rs_col orgs_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "name", 1 }, { "type", 1 },
	{ "identifier", 0 }, { "parentSourcedId", 0 }, { NULL, 0 }
};

/* orgs.csv: schools, plus the district's name. */
int
roster_parse_orgs(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const types[] = { "department", "school",
	    "district", "local", "state", "national", NULL };
	struct roster_priv	*p = r->priv;
	struct roster_school	*s;
	struct rs_file		 f;
	const char		*type;
	size_t			 i;
	int			 del;

	if (rs_open(&f, orgs_spec, text, len, filename, err, errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, O_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		type = rs_val(&f, i, O_TYPE);
		if (!rs_oneof(type, types)) {
			rs_err(&f, f.t.rows[i].line, "type: bad value '%s' "
			    "(want school, district, ...)", type);
			return rs_close(&f, -1);
		}
		if (strcasecmp(type, "school") != 0) {
			if (rs_new_owned_id(&f, i, p, &p->orgs,
			    rs_val(&f, i, O_ID), RS_NONSCHOOL) == -1)
				return rs_close(&f, -1);
			if (strcasecmp(type, "district") == 0 &&
			    r->district_id == NULL) {
				r->district_id = xstrdup(rs_val(&f, i, O_ID));
				r->district_name = xstrdup(rs_val(&f, i,
				    O_NAME));
			}
			continue;
		}
		rs_grow(&r->schools, r->nschools, sizeof *r->schools);
		s = &r->schools[r->nschools++];
		s->id = xstrdup(rs_val(&f, i, O_ID));
		s->name = xstrdup(rs_val(&f, i, O_NAME));
		s->identifier = xstrdup(rs_val(&f, i, O_IDENT));
		s->parent_id = xstrdup(rs_val(&f, i, O_PARENT));
		s->line = f.t.rows[i].line;
		if (rs_new_id(&f, i, &p->orgs, s->id, r->nschools - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
}

enum { S_ID, S_STATUS, S_TITLE, S_TYPE, S_START, S_END, S_PARENT };
static const struct rs_col sessions_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "title", 1 }, { "type", 1 },
	{ "startDate", 1 }, { "endDate", 1 }, { "parentSourcedId", 0 },
	{ NULL, 0 }
};

/* academicSessions.csv: terms that classes refer to. */
int
roster_parse_sessions(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const types[] = { "calendar", "gradingPeriod",
	    "schoolYear", "semester", "term", NULL };
	struct roster_session	*s;
	struct rs_file		 f;
	size_t			 i;
	int			 del;

	if (rs_open(&f, sessions_spec, text, len, filename, err, errlen) == -1)
		return -1;
	r->priv->have_sessions = 1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, S_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (!rs_oneof(rs_val(&f, i, S_TYPE), types)) {
			rs_err(&f, f.t.rows[i].line, "type: bad value '%s' "
			    "(want schoolYear, semester, term, ...)",
			    rs_val(&f, i, S_TYPE));
			return rs_close(&f, -1);
		}
		if (!rs_date(rs_val(&f, i, S_START)) ||
		    !rs_date(rs_val(&f, i, S_END))) {
			rs_err(&f, f.t.rows[i].line, "%s: not a YYYY-MM-DD "
			    "date", rs_date(rs_val(&f, i, S_START)) ?
			    "endDate" : "startDate");
			return rs_close(&f, -1);
		}
		if (strcmp(rs_val(&f, i, S_START), rs_val(&f, i, S_END)) > 0) {
			rs_err(&f, f.t.rows[i].line, "endDate: before "
			    "startDate");
			return rs_close(&f, -1);
		}
		rs_grow(&r->sessions, r->nsessions, sizeof *r->sessions);
		s = &r->sessions[r->nsessions++];
		s->id = xstrdup(rs_val(&f, i, S_ID));
		s->title = xstrdup(rs_val(&f, i, S_TITLE));
		s->type = xstrdup(rs_val(&f, i, S_TYPE));
		s->start_date = xstrdup(rs_val(&f, i, S_START));
		s->end_date = xstrdup(rs_val(&f, i, S_END));
		s->parent_id = xstrdup(rs_val(&f, i, S_PARENT));
		s->line = f.t.rows[i].line;
		if (rs_new_id(&f, i, &r->priv->sessions, s->id,
		    r->nsessions - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
}

enum { C_ID, C_STATUS, C_TITLE, C_CODE, C_GRADES, C_ORG, C_SUBJECTS };
static const struct rs_col courses_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "title", 1 },
	{ "courseCode", 0 }, { "grades", 0 }, { "orgSourcedId", 1 },
	{ "subjects", 0 }, { NULL, 0 }
};

/* courses.csv: titles, subjects and grades that classes may inherit. */
int
roster_parse_courses(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct roster_course	*c;
	struct rs_file		 f;
	size_t			 i;
	int			 del;

	if (rs_open(&f, courses_spec, text, len, filename, err, errlen) == -1)
		return -1;
	r->priv->have_courses = 1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, C_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (!rs_map_get(&r->priv->orgs, rs_val(&f, i, C_ORG), NULL)) {
			rs_err(&f, f.t.rows[i].line, "orgSourcedId: unknown "
			    "org '%s'", rs_val(&f, i, C_ORG));
			return rs_close(&f, -1);
		}
		rs_grow(&r->courses, r->ncourses, sizeof *r->courses);
		c = &r->courses[r->ncourses++];
		c->id = xstrdup(rs_val(&f, i, C_ID));
		c->title = xstrdup(rs_val(&f, i, C_TITLE));
		c->code = xstrdup(rs_val(&f, i, C_CODE));
		c->org_id = xstrdup(rs_val(&f, i, C_ORG));
		c->line = f.t.rows[i].line;
		rs_split(rs_val(&f, i, C_SUBJECTS), ',', &c->subjects);
		rs_split(rs_val(&f, i, C_GRADES), ',', &c->grades);
		if (rs_grades(&f, i, "grades", &c->grades) == -1 ||
		    rs_new_id(&f, i, &r->priv->courses, c->id,
		    r->ncourses - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
}

enum { U_ID, U_STATUS, U_ENABLED, U_ORGS, U_ROLE, U_USERNAME, U_GIVEN,
    U_FAMILY, U_EMAIL, U_GRADES };
static const struct rs_col users_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "enabledUser", 1 },
	{ "orgSourcedIds", 1 }, { "role", 1 }, { "username", 0 },
	{ "givenName", 1 }, { "familyName", 1 }, { "email", 0 },
	{ "grades", 0 }, { NULL, 0 }
};

/* Check a user's orgs exist; copy the school ones into schools. */
static int
rs_user_orgs(struct roster *r, struct rs_file *f, size_t i,
    struct roster_strv *schools)
{
	struct roster_strv	orgs = { 0 };
	size_t			k;
	int			rc = -1;

	rs_split(rs_val(f, i, U_ORGS), ',', &orgs);
	for (k = 0; k < orgs.n; k++) {
		if (!rs_map_get(&r->priv->orgs, orgs.v[k], NULL)) {
			rs_err(f, f->t.rows[i].line, "orgSourcedIds: unknown "
			    "org '%s'", orgs.v[k]);
			goto out;
		}
		if (schools != NULL && rs_school(r, orgs.v[k]) != -1)
			rs_strv_addu(schools, orgs.v[k]);
	}
	rc = 0;
out:
	rs_strv_free(&orgs);
	return rc;
}

/*
 * users.csv: teachers are kept; students and other roles are checked and
 * indexed by sourcedId only, because enrolments refer to them and coachd
 * has no business holding student names.
 */
int
roster_parse_users(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const roles[] = { "administrator", "aide",
	    "guardian", "parent", "proctor", "relative", "student", "teacher",
	    NULL };
	struct roster_teacher	*t;
	struct rs_file		 f;
	const char		*role, *email;
	size_t			 i, line;
	int			 del, en;

	if (rs_open_part(&f, users_spec, r->priv, text, len, filename, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		line = f.t.rows[i].line;
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, U_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		role = rs_val(&f, i, U_ROLE);
		if (!rs_oneof(role, roles)) {
			rs_err(&f, line, "role: bad value '%s' (want teacher, "
			    "student, ...)", role);
			return rs_close(&f, -1);
		}
		if ((en = rs_bool(rs_val(&f, i, U_ENABLED), 1)) == -1) {
			rs_err(&f, line, "enabledUser: bad value '%s' (want "
			    "true or false)", rs_val(&f, i, U_ENABLED));
			return rs_close(&f, -1);
		}
		email = rs_val(&f, i, U_EMAIL);
		if (email[0] != '\0' && (strchr(email, '@') == NULL ||
		    strchr(email, ' ') != NULL)) {
			rs_err(&f, line, "email: bad address '%s'", email);
			return rs_close(&f, -1);
		}
		if (strcasecmp(role, "student") == 0) {
			/* a fingerprint only: coachd keeps nothing of students */
			if (rs_user_orgs(r, &f, i, NULL) == -1 ||
			    rs_new_fp_id(&f, i, &r->priv->students,
			    &r->priv->users, rs_val(&f, i, U_ID)) == -1)
				return rs_close(&f, -1);
			r->nstudents++;
			continue;
		}
		if (rs_fp_has(&r->priv->students, rs_val(&f, i, U_ID))) {
			rs_err(&f, line, "sourcedId: duplicate '%s'",
			    rs_val(&f, i, U_ID));
			return rs_close(&f, -1);
		}
		if (strcasecmp(role, "teacher") != 0) {
			if (rs_user_orgs(r, &f, i, NULL) == -1 ||
			    rs_new_owned_id(&f, i, r->priv, &r->priv->users,
			    rs_val(&f, i, U_ID), RS_OTHER) == -1)
				return rs_close(&f, -1);
			continue;
		}
		rs_grow(&r->teachers, r->nteachers, sizeof *r->teachers);
		t = &r->teachers[r->nteachers++];
		t->id = xstrdup(rs_val(&f, i, U_ID));
		t->given_name = xstrdup(rs_val(&f, i, U_GIVEN));
		t->family_name = xstrdup(rs_val(&f, i, U_FAMILY));
		t->email = xstrdup(email);
		t->username = xstrdup(rs_val(&f, i, U_USERNAME));
		t->active = en;
		t->line = line;
		rs_split(rs_val(&f, i, U_GRADES), ',', &t->grades);
		if (rs_grades(&f, i, "grades", &t->grades) == -1 ||
		    rs_user_orgs(r, &f, i, &t->schools) == -1 ||
		    rs_new_id(&f, i, &r->priv->users, t->id,
		    r->nteachers - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
}

enum { K_ID, K_STATUS, K_TITLE, K_GRADES, K_COURSE, K_CODE, K_TYPE, K_LOC,
    K_SCHOOL, K_TERMS, K_SUBJECTS, K_PERIODS };
static const struct rs_col classes_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "title", 1 }, { "grades", 0 },
	{ "courseSourcedId", 1 }, { "classCode", 0 }, { "classType", 1 },
	{ "location", 0 }, { "schoolSourcedId", 1 }, { "termSourcedIds", 1 },
	{ "subjects", 0 }, { "periods", 0 }, { NULL, 0 }
};

/* Check a class's references, inherit course subjects, check periods. */
static int
rs_class_check(struct roster *r, struct rs_file *f, size_t i,
    struct roster_class *c)
{
	const struct roster_course	*co = NULL;
	size_t				 k, v;
	int				 any;

	if (rs_school(r, c->school_id) == -1) {
		rs_err(f, c->line, "schoolSourcedId: unknown school '%s'",
		    c->school_id);
		return -1;
	}
	if (r->priv->have_courses) {
		if (!rs_map_get(&r->priv->courses, c->course_id, &v)) {
			rs_err(f, c->line, "courseSourcedId: unknown course "
			    "'%s'", c->course_id);
			return -1;
		}
		co = &r->courses[v];
	}
	for (k = 0; r->priv->have_sessions && k < c->terms.n; k++) {
		if (!rs_map_get(&r->priv->sessions, c->terms.v[k], NULL)) {
			rs_err(f, c->line, "termSourcedIds: unknown academic "
			    "session '%s'", c->terms.v[k]);
			return -1;
		}
	}
	if (co != NULL && c->subjects.n == 0)
		for (k = 0; k < co->subjects.n; k++)
			rs_strv_add(&c->subjects, co->subjects.v[k]);
	if (co != NULL && c->grades.n == 0)
		for (k = 0; k < co->grades.n; k++)
			rs_strv_add(&c->grades, co->grades.v[k]);
	if (rs_grades(f, i, "grades", &c->grades) == -1)
		return -1;
	for (k = 0; k < c->periods.n; k++) {
		if (!rs_token(c->periods.v[k])) {
			rs_err(f, c->line, "periods: bad period '%s'",
			    c->periods.v[k]);
			return -1;
		}
		if (!rs_bell_has(r, c->school_id, c->periods.v[k], &any) &&
		    any) {
			rs_err(f, c->line, "periods: period '%s' is not in "
			    "the bell schedule of school '%s'",
			    c->periods.v[k], c->school_id);
			return -1;
		}
	}
	return 0;
}

/* classes.csv: sections with their periods and rooms. */
int
roster_parse_classes(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	static const char *const types[] = { "homeroom", "scheduled", NULL };
	struct roster_class	*c;
	struct rs_file		 f;
	size_t			 i;
	int			 del;

	if (rs_open_part(&f, classes_spec, r->priv, text, len, filename, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, K_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		if (!rs_oneof(rs_val(&f, i, K_TYPE), types)) {
			rs_err(&f, f.t.rows[i].line, "classType: bad value "
			    "'%s' (want homeroom or scheduled)",
			    rs_val(&f, i, K_TYPE));
			return rs_close(&f, -1);
		}
		rs_grow(&r->classes, r->nclasses, sizeof *r->classes);
		c = &r->classes[r->nclasses++];
		c->id = xstrdup(rs_val(&f, i, K_ID));
		c->title = xstrdup(rs_val(&f, i, K_TITLE));
		c->course_id = xstrdup(rs_val(&f, i, K_COURSE));
		c->class_code = xstrdup(rs_val(&f, i, K_CODE));
		c->class_type = xstrdup(rs_val(&f, i, K_TYPE));
		c->room = xstrdup(rs_val(&f, i, K_LOC));
		c->school_id = xstrdup(rs_val(&f, i, K_SCHOOL));
		c->line = f.t.rows[i].line;
		rs_split(rs_val(&f, i, K_TERMS), ',', &c->terms);
		rs_split(rs_val(&f, i, K_SUBJECTS), ',', &c->subjects);
		rs_split(rs_val(&f, i, K_GRADES), ',', &c->grades);
		rs_split(rs_val(&f, i, K_PERIODS), ',', &c->periods);
		if (rs_class_check(r, &f, i, c) == -1 ||
		    rs_new_id(&f, i, &r->priv->classes, c->id,
		    r->nclasses - 1) == -1)
			return rs_close(&f, -1);
	}
	return rs_close(&f, 0);
}

enum { E_ID, E_STATUS, E_CLASS, E_SCHOOL, E_USER, E_ROLE, E_PRIMARY };
static const struct rs_col enroll_spec[] = {
	{ "sourcedId", 1 }, { "status", 0 }, { "classSourcedId", 1 },
	{ "schoolSourcedId", 1 }, { "userSourcedId", 1 }, { "role", 1 },
	{ "primary", 0 }, { NULL, 0 }
};

/* Apply one enrolment row to its class. */
static int
rs_enroll(struct roster *r, struct rs_file *f, size_t i)
{
	static const char *const roles[] = { "administrator", "proctor",
	    "student", "teacher", NULL };
	struct roster_class	*c;
	const char		*role = rs_val(f, i, E_ROLE);
	size_t			 cv, uv, line = f->t.rows[i].line;
	int			 prim;

	if (!rs_oneof(role, roles)) {
		rs_err(f, line, "role: bad value '%s' (want teacher or "
		    "student, ...)", role);
		return -1;
	}
	if ((prim = rs_bool(rs_val(f, i, E_PRIMARY), 0)) == -1) {
		rs_err(f, line, "primary: bad value '%s' (want true or "
		    "false)", rs_val(f, i, E_PRIMARY));
		return -1;
	}
	if (!rs_map_get(&r->priv->classes, rs_val(f, i, E_CLASS), &cv)) {
		rs_err(f, line, "classSourcedId: unknown class '%s'",
		    rs_val(f, i, E_CLASS));
		return -1;
	}
	c = &r->classes[cv];
	if (rs_fp_has(&r->priv->students, rs_val(f, i, E_USER)))
		uv = RS_STUDENT;
	else if (!rs_map_get(&r->priv->users, rs_val(f, i, E_USER), &uv)) {
		rs_err(f, line, "userSourcedId: unknown user '%s'",
		    rs_val(f, i, E_USER));
		return -1;
	}
	if (strcmp(rs_val(f, i, E_SCHOOL), c->school_id) != 0) {
		rs_err(f, line, "schoolSourcedId: '%s' is not the school of "
		    "class '%s' ('%s')", rs_val(f, i, E_SCHOOL), c->id,
		    c->school_id);
		return -1;
	}
	if (strcasecmp(role, "student") == 0) {
		if (uv != RS_STUDENT) {
			rs_err(f, line, "userSourcedId: '%s' is not a student",
			    rs_val(f, i, E_USER));
			return -1;
		}
		c->nstudents++;
		return 0;
	}
	if (strcasecmp(role, "teacher") != 0)
		return 0;
	if (uv == RS_STUDENT || uv == RS_OTHER) {
		rs_err(f, line, "userSourcedId: '%s' is not a teacher",
		    rs_val(f, i, E_USER));
		return -1;
	}
	if (rs_strv_has(&c->teacher_ids, r->teachers[uv].id)) {
		rs_err(f, line, "userSourcedId: teacher '%s' enrolled twice "
		    "in class '%s'", r->teachers[uv].id, c->id);
		return -1;
	}
	rs_strv_add(&c->teacher_ids, r->teachers[uv].id);
	if (prim && c->teacher_id == NULL)
		c->teacher_id = xstrdup(r->teachers[uv].id);
	return 0;
}

/*
 * enrollments.csv: who teaches each class; students are only counted.
 * A student enrolment is checked (class, school, a known student) and
 * then forgotten: even its sourcedId is not kept, so memory does not grow
 * with the students' rows (a big city has tens of millions).  Uniqueness
 * of sourcedIds is therefore checked among the other enrolments only.
 */
int
roster_parse_enrollments(struct roster *r, const char *text, size_t len,
    const char *filename, char *err, size_t errlen)
{
	struct rs_file	f;
	size_t		i;
	int		del, student;

	if (rs_open_part(&f, enroll_spec, r->priv, text, len, filename, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < f.t.nrows; i++) {
		if (rs_required(&f, i) == -1 ||
		    rs_status(&f, i, E_STATUS, &del) == -1)
			return rs_close(&f, -1);
		if (del)
			continue;
		student = strcasecmp(rs_val(&f, i, E_ROLE), "student") == 0;
		if ((!student && rs_new_fp_id(&f, i, &r->priv->enroll_ids,
		    NULL, rs_val(&f, i, E_ID)) == -1) ||
		    rs_enroll(r, &f, i) == -1)
			return rs_close(&f, -1);
		r->nenrollments++;
	}
	return rs_close(&f, 0);
}

const struct roster_teacher *
roster_find_teacher(const struct roster *r, const char *id)
{
	long	t = rs_teacher(r, id);

	return t == -1 ? NULL : &r->teachers[t];
}

const struct roster_class *
roster_find_class(const struct roster *r, const char *id)
{
	size_t	v;

	if (!rs_map_get(&r->priv->classes, id, &v))
		return NULL;
	return &r->classes[v];
}

const struct roster_school *
roster_find_school(const struct roster *r, const char *id)
{
	long	s = rs_school(r, id);

	return s == -1 ? NULL : &r->schools[s];
}

