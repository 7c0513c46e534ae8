/*
 * store_roster.c: schools, coaches and teachers in SQLite (the roster
 * module's schema is in store_roster_schema.c).
 *
 * Every write validates its whole record first, so that a bad value is
 * reported by name ("coach c9: expertise level 4 out of range 1-3") and
 * nothing is written; multi-row writes run under their own savepoint so a
 * failure half-way leaves no trace even inside a longer transaction.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "xmalloc.h"

#define SR_CAP_MAX	1000	/* largest caseload cap accepted */

/* A referenced school must exist. */
static enum store_status
sr_check_school_ref(struct store *st, const char *what, const char *id,
    const char *school, char *err, size_t errlen)
{
	int	rc;

	rc = store_exists(st, "SELECT 1 FROM schools WHERE id = ?1", school,
	    err, errlen);
	if (rc < 0)
		return STORE_ERROR;
	if (rc == 0)
		return store_errf(err, errlen, STORE_INVALID,
		    "%s %s: unknown school '%s'", what, id, school);
	return STORE_OK;
}

/* Ids from a list query, in order; the list functions own them. */
struct sr_ids {
	char	**v;
	size_t	  n;
};

/* Collect ids from a list query (binds: ?1 include_inactive, ?2 school). */
static enum store_status
sr_list_ids(struct store *st, const char *sql, const Coachd__V1__ListRequest *lr,
    struct sr_ids *ids, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, lr != NULL && lr->include_inactive);
	sqlite3_bind_text(s, 2, lr != NULL && lr->school != NULL ? lr->school :
	    "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_strv_push(&ids->v, &ids->n,
		    (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

/* Free an id list from sr_list_ids. */
static void
sr_free_ids(struct sr_ids *ids)
{
	size_t	i;

	for (i = 0; i < ids->n; i++)
		free(ids->v[i]);
	free(ids->v);
}

/*
 * Prepare a query keyed on ?1 = id and step to its row: *sp holds the
 * statement on STORE_OK (the caller resets it), NOTFOUND when none.
 */
static enum store_status
sr_get_row(struct store *st, const char *sql, const char *what,
    const char *id, sqlite3_stmt **sp, char *err, size_t errlen)
{
	if ((*sp = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(*sp, 1, id, -1, SQLITE_STATIC);
	return store_step_row(st, *sp, what, id, err, errlen);
}

/* An add needs a new id (CONFLICT if taken), an update an existing one. */
static enum store_status
sr_check_new(struct store *st, const char *sql, const char *what,
    const char *id, int add, char *err, size_t errlen)
{
	int	rc;

	if ((rc = store_exists(st, sql, id, err, errlen)) < 0)
		return STORE_ERROR;
	if (add && rc > 0)
		return store_errf(err, errlen, STORE_CONFLICT,
		    "%s '%s' already exists", what, id);
	if (!add && rc == 0)
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "%s '%s' not found", what, id);
	return STORE_OK;
}

/* Run each DELETE of a record's child rows with ?1 = id. */
static enum store_status
sr_delete_children(struct store *st, const char *const *del, size_t n,
    const char *id, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	size_t			 i;

	for (i = 0; i < n; i++) {
		if ((s = store_prepare(st, del[i], err, errlen)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
			return ret;
	}
	return STORE_OK;
}

/* Close a write's savepoint: keep it on success, undo it otherwise. */
static enum store_status
sr_savepoint_end(struct store *st, enum store_status ret)
{
	if (ret == STORE_OK)
		store_savepoint_release(st);
	else
		store_savepoint_rollback(st);
	return ret;
}

/* How a kind with child lists is written (coaches, teachers). */
struct sr_writer {
	const char	*what;		/* "coach", in messages */
	const char	*exists_sql;	/* ?1 = id */
	const char	*insert_sql;	/* both bound by bind */
	const char	*update_sql;
	/* Validate; STORE_ERROR only when the database failed. */
	enum store_status (*check)(struct store *, const ProtobufCMessage *,
			    char *, size_t);
	void		(*bind)(sqlite3_stmt *, const ProtobufCMessage *);
	/* Say what a CONFLICT of the row means (NULL: the store's words). */
	void		(*conflict)(const ProtobufCMessage *, char *, size_t);
	/* Replace the record's child rows. */
	enum store_status (*children)(struct store *,
			    const ProtobufCMessage *, char *, size_t);
};

/* Write a record (id id) and its lists under one savepoint. */
static enum store_status
sr_write(struct store *st, const struct sr_writer *w,
    const ProtobufCMessage *rec, const char *id, int add, char *err,
    size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if ((ret = w->check(st, rec, err, errlen)) != STORE_OK)
		return ret == STORE_ERROR ? STORE_ERROR : STORE_INVALID;
	if ((ret = sr_check_new(st, w->exists_sql, w->what, id, add, err,
	    errlen)) != STORE_OK)
		return ret;
	if (store_savepoint(st, err, errlen) != STORE_OK)
		return STORE_ERROR;
	s = store_prepare(st, add ? w->insert_sql : w->update_sql, err,
	    errlen);
	if (s == NULL) {
		ret = STORE_ERROR;
		goto out;
	}
	w->bind(s, rec);
	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK) {
		if (ret == STORE_CONFLICT && w->conflict != NULL)
			w->conflict(rec, err, errlen);
		goto out;
	}
	ret = w->children(st, rec, err, errlen);
out:
	return sr_savepoint_end(st, ret);
}

/* ---- schools ------------------------------------------------------------- */

/* Validate a school record. */
static enum store_status
sr_school_check(const Coachd__V1__School *sc, char *err, size_t errlen)
{
	static const char *const kinds[] = { "", "elementary", "middle",
	    "high", "other" };
	size_t	i;

	if (sc == NULL)
		return store_errf(err, errlen, STORE_INVALID, "school missing");
	if (store_check_id("school", sc->id, err, errlen) != STORE_OK ||
	    store_check_text("school", sc->id, "name", sc->name, 1, err,
	    errlen) != STORE_OK ||
	    store_check_text("school", sc->id, "source_id", sc->source_id, 0,
	    err, errlen) != STORE_OK)
		return STORE_INVALID;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(sc->kind != NULL ? sc->kind : "", kinds[i]) == 0)
			return STORE_OK;
	}
	return store_errf(err, errlen, STORE_INVALID, "school %s: kind '%s' is not "
	    "one of elementary, middle, high, other", sc->id, sc->kind);
}

/* Kind to store: empty means "other". */
static const char *
sr_school_kind(const Coachd__V1__School *sc)
{
	return sc->kind == NULL || *sc->kind == '\0' ? "other" : sc->kind;
}

/*
 * Write a school row.  An update that matches no row is NOTFOUND, and
 * any failure of its UPDATE is a storage error.
 */
static enum store_status
sr_school_write(struct store *st, const Coachd__V1__School *sc, int add,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if (sr_school_check(sc, err, errlen) != STORE_OK)
		return STORE_INVALID;
	if (add && (ret = sr_check_new(st, "SELECT 1 FROM schools WHERE "
	    "id = ?1", "school", sc->id, 1, err, errlen)) != STORE_OK)
		return ret;
	s = store_prepare(st, add ? "INSERT INTO schools (id, name, kind, "
	    "active, source_id) VALUES (?1, ?2, ?3, 1, ?4)" :
	    "UPDATE schools SET name = ?2, kind = ?3, source_id = ?4 "
	    "WHERE id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, sc->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, sc->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, sr_school_kind(sc), -1, SQLITE_STATIC);
	store_bind_opt(s, 4, sc->source_id);
	if (add)
		return store_step_done(st, s, err, errlen);
	return store_update_one(st, s, "school", sc->id, err, errlen);
}

enum store_status
store_school_add(struct store *st, const Coachd__V1__School *sc, char *err,
    size_t errlen)
{
	return sr_school_write(st, sc, 1, err, errlen);
}

enum store_status
store_school_update(struct store *st, const Coachd__V1__School *sc, char *err,
    size_t errlen)
{
	return sr_school_write(st, sc, 0, err, errlen);
}

/* ---- coaches --------------------------------------------------------------- */

/* Validate a coach record, including that its schools exist. */
static enum store_status
sr_coach_check(struct store *st, const ProtobufCMessage *m, char *err,
    size_t errlen)
{
	const Coachd__V1__Coach		*c = (const Coachd__V1__Coach *)m;
	const Coachd__V1__Expertise	*e;
	size_t				 i, j;

	if (c == NULL)
		return store_errf(err, errlen, STORE_INVALID, "coach missing");
	if (store_check_id("coach", c->id, err, errlen) != STORE_OK ||
	    store_check_text("coach", c->id, "name", c->name, 1, err,
	    errlen) != STORE_OK ||
	    store_check_email("coach", c->id, c->email, err, errlen) != STORE_OK)
		return STORE_INVALID;
	if (c->caseload_cap > SR_CAP_MAX)
		return store_errf(err, errlen, STORE_INVALID, "coach %s: caseload "
		    "cap %u out of range 0-%d", c->id, c->caseload_cap,
		    SR_CAP_MAX);
	for (i = 0; i < c->n_expertise; i++) {
		e = c->expertise[i];
		if (!store_id_valid(e->area))
			return store_errf(err, errlen, STORE_INVALID, "coach %s: "
			    "expertise area '%s' is not a valid id", c->id,
			    e->area);
		if (e->level < 1 || e->level > 3)
			return store_errf(err, errlen, STORE_INVALID, "coach %s: "
			    "expertise level %u out of range 1-3", c->id,
			    e->level);
		for (j = 0; j < i; j++) {
			if (strcmp(c->expertise[j]->area, e->area) == 0)
				return store_errf(err, errlen, STORE_INVALID,
				    "coach %s: expertise area '%s' listed "
				    "twice", c->id, e->area);
		}
	}
	if (store_check_ids("coach", c->id, "interest", c->interests,
	    c->n_interests, err, errlen) != STORE_OK ||
	    store_check_ids("coach", c->id, "school", c->schools, c->n_schools,
	    err, errlen) != STORE_OK)
		return STORE_INVALID;
	for (i = 0; i < c->n_schools; i++) {
		if (sr_check_school_ref(st, "coach", c->id, c->schools[i], err,
		    errlen) != STORE_OK)
			return STORE_INVALID;
	}
	return STORE_OK;
}

/* Replace a coach's expertise, interests and schools. */
static enum store_status
sr_coach_children(struct store *st, const ProtobufCMessage *m, char *err,
    size_t errlen)
{
	const Coachd__V1__Coach	*c = (const Coachd__V1__Coach *)m;
	static const char *const del[] = {
		"DELETE FROM coach_expertise WHERE coach = ?1",
		"DELETE FROM coach_interests WHERE coach = ?1",
		"DELETE FROM coach_schools WHERE coach = ?1",
	};
	sqlite3_stmt	*s;
	size_t		 i;

	if (sr_delete_children(st, del, sizeof del / sizeof del[0], c->id, err,
	    errlen) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < c->n_expertise; i++) {
		s = store_prepare(st, "INSERT INTO coach_expertise (coach, "
		    "area, level) VALUES (?1, ?2, ?3)", err, errlen);
		if (s == NULL)
			return STORE_ERROR;
		sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, c->expertise[i]->area, -1,
		    SQLITE_STATIC);
		sqlite3_bind_int(s, 3, (int)c->expertise[i]->level);
		if (store_step_done(st, s, err, errlen) != STORE_OK)
			return STORE_ERROR;
	}
	if (store_strv_insert(st, "INSERT INTO coach_interests (coach, topic) "
	    "VALUES (?1, ?2)", c->id, c->interests, c->n_interests, err,
	    errlen) != STORE_OK)
		return STORE_ERROR;
	return store_strv_insert(st, "INSERT INTO coach_schools (coach, school) "
	    "VALUES (?1, ?2)", c->id, c->schools, c->n_schools, err, errlen);
}

/* Bind a coach row: ?1 id, ?2 name, ?3 email, ?4 caseload cap. */
static void
sr_coach_bind(sqlite3_stmt *s, const ProtobufCMessage *m)
{
	const Coachd__V1__Coach	*c = (const Coachd__V1__Coach *)m;

	sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, c->email != NULL ? c->email : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, c->caseload_cap);
}

static const struct sr_writer sr_coach_writer = {
	"coach", "SELECT 1 FROM coaches WHERE id = ?1",
	"INSERT INTO coaches (id, name, email, caseload_cap, active) "
	"VALUES (?1, ?2, ?3, ?4, 1)",
	"UPDATE coaches SET name = ?2, email = ?3, caseload_cap = ?4 "
	"WHERE id = ?1",
	sr_coach_check, sr_coach_bind, NULL, sr_coach_children
};

enum store_status
store_coach_add(struct store *st, const Coachd__V1__Coach *c, char *err,
    size_t errlen)
{
	return sr_write(st, &sr_coach_writer, (const ProtobufCMessage *)c,
	    c != NULL ? c->id : NULL, 1, err, errlen);
}

enum store_status
store_coach_update(struct store *st, const Coachd__V1__Coach *c, char *err,
    size_t errlen)
{
	return sr_write(st, &sr_coach_writer, (const ProtobufCMessage *)c,
	    c != NULL ? c->id : NULL, 0, err, errlen);
}

/* Load a coach's expertise list. */
static enum store_status
sr_coach_expertise(struct store *st, Coachd__V1__Coach *c, char *err,
    size_t errlen)
{
	Coachd__V1__Expertise	*e;
	sqlite3_stmt		*s;
	int			 rc;

	s = store_prepare(st, "SELECT area, level FROM coach_expertise "
	    "WHERE coach = ?1 ORDER BY area", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c->expertise = xreallocarray(c->expertise, c->n_expertise + 1,
		    sizeof *c->expertise);
		e = xcalloc(1, sizeof *e);
		coachd__v1__expertise__init(e);
		e->area = store_column_strdup(s, 0);
		e->level = (uint32_t)sqlite3_column_int(s, 1);
		c->expertise[c->n_expertise++] = e;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

/*
 * Current caseload: distinct teachers with a question assigned to the
 * coach or in a cycle with them (the definition store_question.h uses).
 * The questions table belongs to the coaching module; without it (a
 * roster-only database) the load is simply 0.
 */
static void
sr_coach_load(struct store *st, Coachd__V1__Coach *c)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "SELECT count(DISTINCT teacher) FROM questions "
	    "WHERE coach = ?1 AND state IN ('assigned', 'in-cycle')", NULL, 0);
	if (s == NULL)
		return;
	sqlite3_bind_text(s, 1, c->id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		c->active_teachers = (uint32_t)sqlite3_column_int(s, 0);
	sqlite3_reset(s);
}

/* Load what a coach row does not hold: caseload and the three lists. */
static enum store_status
sr_coach_lists(struct store *st, ProtobufCMessage *m, char *err,
    size_t errlen)
{
	Coachd__V1__Coach	*c = (Coachd__V1__Coach *)m;
	enum store_status	 ret;

	sr_coach_load(st, c);
	if ((ret = sr_coach_expertise(st, c, err, errlen)) != STORE_OK ||
	    (ret = store_strv_load(st, "SELECT topic FROM coach_interests WHERE "
	    "coach = ?1 ORDER BY topic", c->id, &c->interests, &c->n_interests,
	    err, errlen)) != STORE_OK)
		return ret;
	return store_strv_load(st, "SELECT school FROM coach_schools WHERE "
	    "coach = ?1 ORDER BY school", c->id, &c->schools, &c->n_schools,
	    err, errlen);
}

/* ---- teachers ------------------------------------------------------------- */

/* Validate a teacher record, including that the school exists. */
static enum store_status
sr_teacher_check(struct store *st, const ProtobufCMessage *m, char *err,
    size_t errlen)
{
	const Coachd__V1__Teacher	*t = (const Coachd__V1__Teacher *)m;

	if (t == NULL)
		return store_errf(err, errlen, STORE_INVALID, "teacher missing");
	if (store_check_id("teacher", t->id, err, errlen) != STORE_OK ||
	    store_check_text("teacher", t->id, "name", t->name, 1, err,
	    errlen) != STORE_OK ||
	    store_check_email("teacher", t->id, t->email, err, errlen) !=
	    STORE_OK ||
	    store_check_text("teacher", t->id, "source_id", t->source_id, 0, err,
	    errlen) != STORE_OK ||
	    store_check_labels("teacher", t->id, "subject", t->subjects,
	    t->n_subjects, err, errlen) != STORE_OK ||
	    store_check_labels("teacher", t->id, "grade", t->grades, t->n_grades,
	    err, errlen) != STORE_OK)
		return STORE_INVALID;
	if (t->school == NULL || *t->school == '\0')
		return store_errf(err, errlen, STORE_INVALID,
		    "teacher %s: school is required", t->id);
	return sr_check_school_ref(st, "teacher", t->id, t->school, err,
	    errlen);
}

/* Bind a teacher row: ?1 id, ?2 name, ?3 email, ?4 school, ?5 source_id,
 * ?6 new teacher. */
static void
sr_teacher_bind(sqlite3_stmt *s, const ProtobufCMessage *m)
{
	const Coachd__V1__Teacher	*t = (const Coachd__V1__Teacher *)m;

	sqlite3_bind_text(s, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, t->email != NULL ? t->email : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 4, t->school, -1, SQLITE_STATIC);
	store_bind_opt(s, 5, t->source_id);
	sqlite3_bind_int(s, 6, t->new_teacher != 0);
}

/* The only UNIQUE a valid teacher row can break is its source_id. */
static void
sr_teacher_conflict(const ProtobufCMessage *m, char *err, size_t errlen)
{
	const Coachd__V1__Teacher	*t = (const Coachd__V1__Teacher *)m;

	store_errf(err, errlen, STORE_CONFLICT, "teacher %s: source_id '%s' "
	    "already used by another teacher", t->id, t->source_id);
}

/* Replace a teacher's subjects and grades. */
static enum store_status
sr_teacher_children(struct store *st, const ProtobufCMessage *m, char *err,
    size_t errlen)
{
	static const char *const del[] = {
		"DELETE FROM teacher_subjects WHERE teacher = ?1",
		"DELETE FROM teacher_grades WHERE teacher = ?1",
	};
	const Coachd__V1__Teacher	*t = (const Coachd__V1__Teacher *)m;
	enum store_status		 ret;

	if ((ret = sr_delete_children(st, del, sizeof del / sizeof del[0],
	    t->id, err, errlen)) != STORE_OK ||
	    (ret = store_strv_insert(st, "INSERT INTO teacher_subjects "
	    "(teacher, subject) VALUES (?1, ?2)", t->id, t->subjects,
	    t->n_subjects, err, errlen)) != STORE_OK)
		return ret;
	return store_strv_insert(st, "INSERT INTO teacher_grades (teacher, "
	    "grade) VALUES (?1, ?2)", t->id, t->grades, t->n_grades, err,
	    errlen);
}

static const struct sr_writer sr_teacher_writer = {
	"teacher", "SELECT 1 FROM teachers WHERE id = ?1",
	"INSERT INTO teachers (id, name, email, school, active, source_id, "
	"new_teacher) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6)",
	"UPDATE teachers SET name = ?2, email = ?3, school = ?4, "
	"source_id = ?5, new_teacher = ?6 WHERE id = ?1",
	sr_teacher_check, sr_teacher_bind, sr_teacher_conflict,
	sr_teacher_children
};

enum store_status
store_teacher_add(struct store *st, const Coachd__V1__Teacher *t, char *err,
    size_t errlen)
{
	return sr_write(st, &sr_teacher_writer, (const ProtobufCMessage *)t,
	    t != NULL ? t->id : NULL, 1, err, errlen);
}

enum store_status
store_teacher_update(struct store *st, const Coachd__V1__Teacher *t,
    char *err, size_t errlen)
{
	return sr_write(st, &sr_teacher_writer, (const ProtobufCMessage *)t,
	    t != NULL ? t->id : NULL, 0, err, errlen);
}

/* Load a teacher's subjects and grades. */
static enum store_status
sr_teacher_lists(struct store *st, ProtobufCMessage *m, char *err,
    size_t errlen)
{
	Coachd__V1__Teacher	*t = (Coachd__V1__Teacher *)m;
	enum store_status	 ret;

	if ((ret = store_strv_load(st, "SELECT subject FROM teacher_subjects "
	    "WHERE teacher = ?1 ORDER BY subject", t->id, &t->subjects,
	    &t->n_subjects, err, errlen)) != STORE_OK)
		return ret;
	return store_strv_load(st, "SELECT grade FROM teacher_grades WHERE "
	    "teacher = ?1 ORDER BY grade", t->id, &t->grades, &t->n_grades,
	    err, errlen);
}


/* ---- reads, lists and deactivation, one routine for every kind ---------- */

/* What reads need to know of a kind. */
struct sr_kind {
	const char			*what;	/* "school", in messages */
	const ProtobufCMessageDescriptor *desc;		/* the record */
	const ProtobufCMessageDescriptor *list_desc;	/* one repeated field */
	const char			*get_sql;	/* see sr_row_fill */
	const char			*list_sql;	/* see sr_list_ids */
	const char			*deactivate_sql;	/* ?1 = id */
	/* Load what the row does not hold, or NULL. */
	enum store_status		(*lists)(struct store *,
					    ProtobufCMessage *, char *, size_t);
};

/*
 * Copy a row into m: every column is named as the field it fills (text
 * into strings, integers into bools and uint32s).  Fields are reached
 * through the message's descriptor, as protobuf-c's own code does.
 */
static void
sr_row_fill(sqlite3_stmt *s, ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor	*f;
	protobuf_c_boolean		 b;
	uint32_t			 u;
	char				*str;
	int				 i;

	for (i = 0; i < sqlite3_column_count(s); i++) {
		f = protobuf_c_message_descriptor_get_field_by_name(
		    m->descriptor, sqlite3_column_name(s, i));
		if (f == NULL)
			fatalx("sr_row_fill: no field %s in %s",
			    sqlite3_column_name(s, i), m->descriptor->name);
		switch (f->type) {
		case PROTOBUF_C_TYPE_STRING:
			str = store_column_strdup(s, i);
			memcpy((char *)m + f->offset, &str, sizeof str);
			break;
		case PROTOBUF_C_TYPE_BOOL:
			b = sqlite3_column_int(s, i) != 0;
			memcpy((char *)m + f->offset, &b, sizeof b);
			break;
		case PROTOBUF_C_TYPE_UINT32:
			u = (uint32_t)sqlite3_column_int(s, i);
			memcpy((char *)m + f->offset, &u, sizeof u);
			break;
		default:
			fatalx("sr_row_fill: field %s of %s has no column type",
			    f->name, m->descriptor->name);
		}
	}
}

/* One record by id. */
static enum store_status
sr_get(struct store *st, const struct sr_kind *k, const char *id,
    ProtobufCMessage **out, char *err, size_t errlen)
{
	ProtobufCMessage	*m;
	sqlite3_stmt		*s;
	enum store_status	 ret;

	*out = NULL;
	if ((ret = sr_get_row(st, k->get_sql, k->what, id, &s, err, errlen)) !=
	    STORE_OK)
		return ret;
	m = xcalloc(1, k->desc->sizeof_message);
	protobuf_c_message_init(k->desc, m);
	sr_row_fill(s, m);
	sqlite3_reset(s);
	if (k->lists != NULL && (ret = k->lists(st, m, err, errlen)) !=
	    STORE_OK) {
		protobuf_c_message_free_unpacked(m, NULL);
		return ret;
	}
	*out = m;
	return STORE_OK;
}

/* Every record a list request selects, as the kind's list message. */
static enum store_status
sr_list(struct store *st, const struct sr_kind *k,
    const Coachd__V1__ListRequest *lr, ProtobufCMessage **out, char *err,
    size_t errlen)
{
	const ProtobufCFieldDescriptor	*f = &k->list_desc->fields[0];
	ProtobufCMessage		*l, **v;
	struct sr_ids			 ids = { NULL, 0 };
	enum store_status		 ret;
	size_t				 n = 0;

	*out = NULL;
	if ((ret = sr_list_ids(st, k->list_sql, lr, &ids, err, errlen)) !=
	    STORE_OK)
		goto out;
	l = xcalloc(1, k->list_desc->sizeof_message);
	protobuf_c_message_init(k->list_desc, l);
	v = xcalloc(ids.n, sizeof *v);
	memcpy((char *)l + f->offset, &v, sizeof v);
	while (n < ids.n && (ret = sr_get(st, k, ids.v[n], &v[n], err,
	    errlen)) == STORE_OK)
		n++;
	memcpy((char *)l + f->quantifier_offset, &n, sizeof n);
	if (ret != STORE_OK) {
		protobuf_c_message_free_unpacked(l, NULL);
		goto out;
	}
	*out = l;
out:
	sr_free_ids(&ids);
	return ret;
}

/* Deactivate one record. */
static enum store_status
sr_deactivate(struct store *st, const struct sr_kind *k, const char *id,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, k->deactivate_sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	return store_update_one(st, s, k->what, id, err, errlen);
}

/*
 * One row per kind: its sr_kind, and store_<kind>_get, _list and
 * _deactivate (store.h) over sr_get, sr_list and sr_deactivate.
 */
#define SR_KIND(kind, Rec, List, lists, get_sql, list_sql, deactivate_sql)\
static const struct sr_kind sr_##kind = { #kind,			\
    &coachd__v1__##kind##__descriptor,					\
    &coachd__v1__##kind##_list__descriptor, get_sql, list_sql,		\
    deactivate_sql, lists };						\
enum store_status							\
store_##kind##_get(struct store *st, const char *id, Rec **out,		\
    char *err, size_t errlen)						\
{									\
	ProtobufCMessage	*m;					\
	enum store_status	 ret;					\
									\
	ret = sr_get(st, &sr_##kind, id, &m, err, errlen);		\
	*out = (Rec *)m;						\
	return ret;							\
}									\
enum store_status							\
store_##kind##_list(struct store *st, const Coachd__V1__ListRequest *lr,\
    List **out, char *err, size_t errlen)				\
{									\
	ProtobufCMessage	*m;					\
	enum store_status	 ret;					\
									\
	ret = sr_list(st, &sr_##kind, lr, &m, err, errlen);		\
	*out = (List *)m;						\
	return ret;							\
}									\
enum store_status							\
store_##kind##_deactivate(struct store *st, const char *id, char *err,	\
    size_t errlen)							\
{									\
	return sr_deactivate(st, &sr_##kind, id, err, errlen);		\
}

SR_KIND(school, Coachd__V1__School, Coachd__V1__SchoolList, NULL,
    "SELECT id, name, kind, active, source_id FROM schools WHERE id = ?1",
    "SELECT id FROM schools WHERE (?1 OR active) AND (?2 = '' OR id = ?2) "
    "ORDER BY id",
    "UPDATE schools SET active = 0 WHERE id = ?1")
SR_KIND(coach, Coachd__V1__Coach, Coachd__V1__CoachList, sr_coach_lists,
    "SELECT id, name, email, caseload_cap, active FROM coaches "
    "WHERE id = ?1",
    "SELECT id FROM coaches c WHERE (?1 OR active) AND (?2 = '' OR EXISTS "
    "(SELECT 1 FROM coach_schools cs WHERE cs.coach = c.id AND "
    "cs.school = ?2)) ORDER BY id",
    "UPDATE coaches SET active = 0 WHERE id = ?1")
SR_KIND(teacher, Coachd__V1__Teacher, Coachd__V1__TeacherList,
    sr_teacher_lists,
    "SELECT id, name, email, school, active, source_id, new_teacher "
    "FROM teachers WHERE id = ?1",
    "SELECT id FROM teachers WHERE (?1 OR active) AND (?2 = '' OR "
    "school = ?2) ORDER BY id",
    "UPDATE teachers SET active = 0 WHERE id = ?1")
