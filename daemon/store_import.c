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
#include "store_import_int.h"
#include "xmalloc.h"

static const char *const imp_kind_names[IMP_NKINDS] = {
	"schools", "teachers", "classes", "coaches", "bells", "timetable"
};

/* Report "file:line: reason" (ret STORE_INVALID / CONFLICT / ERROR). */
enum store_status
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
enum store_status
imp_bad_id(struct imp *im, const char *file, size_t line, const char *id)
{
	return imp_fail(im, file, line, STORE_INVALID, "sourcedId '%s' is not "
	    "usable as an id (1-%d of A-Z a-z 0-9 . _ -)", id, STORE_ID_MAX);
}

/* Record one outcome. */
void
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

	u = xcalloc(v->n, sizeof *u);
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
enum store_status
imp_school_id(struct imp *im, const char *sourced, char *out, size_t outlen)
{
	return imp_map_id(im, "SELECT id FROM schools WHERE source_id = ?1",
	    sourced, out, outlen);
}

/* Our id of an imported teacher. */
enum store_status
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

/*
 * A record kind written through its store_* functions (teachers,
 * coaches), seen through the common base message.  IMP_REC adapts the
 * typed functions rather than casting them: calling through a
 * mismatched function type is undefined.
 */
struct imp_rec {
	enum imp_kind	 kind;
	const char	*active_sql;	/* UPDATE ... active = ?2 WHERE id = ?1 */
	enum store_status (*get)(struct store *, const char *,
			    ProtobufCMessage **, char *, size_t);
	enum store_status (*put)(struct store *, const ProtobufCMessage *,
			    int add, char *, size_t);
	int		(*active)(const ProtobufCMessage *);
	int		(*same)(const ProtobufCMessage *stored,
			    const ProtobufCMessage *import);
	/* Copy what coachd owns (not the roster) from stored, or NULL. */
	void		(*keep)(ProtobufCMessage *import,
			    const ProtobufCMessage *stored);
};

#define IMP_REC(kind, Rec)						static enum store_status						imp_##kind##_get(struct store *st, const char *id,			    ProtobufCMessage **out, char *msg, size_t msglen)			{										Rec			*r;						enum store_status	 ret;															ret = store_##kind##_get(st, id, &r, msg, msglen);			*out = r != NULL ? &r->base : NULL;					return ret;							}									static enum store_status						imp_##kind##_put(struct store *st, const ProtobufCMessage *m, int add,	    char *msg, size_t msglen)						{										if (add)									return store_##kind##_add(st, (const Rec *)m, msg, msglen);\
	return store_##kind##_update(st, (const Rec *)m, msg, msglen);	}									static int								imp_##kind##_active(const ProtobufCMessage *m)				{										return ((const Rec *)m)->active;				}

/*
 * Add, update or leave one record (our id id, active as the roster
 * says) and follow the roster's status; store messages go to msg.
 */
static enum store_status
imp_write(struct imp *im, const struct imp_rec *k, ProtobufCMessage *rec,
    const char *id, int active, char *msg, size_t msglen)
{
	ProtobufCMessage	*old = NULL;
	enum store_status	 ret;
	enum imp_outcome	 o;

	ret = k->get(im->st, id, &old, msg, msglen);
	if (ret == STORE_OK && k->keep != NULL)
		k->keep(rec, old);
	if (ret == STORE_NOTFOUND) {
		o = IMP_ADDED;
		ret = k->put(im->st, rec, 1, msg, msglen);
	} else if (ret != STORE_OK)
		goto out;
	else if (k->same(old, rec)) {
		imp_count(im, k->kind, IMP_UNCHANGED);
		goto out;
	} else {
		o = IMP_UPDATED;
		ret = k->put(im->st, rec, 0, msg, msglen);
	}
	ret = imp_written(im, ret, k->kind, o, k->active_sql, id, old == NULL ?
	    -1 : k->active(old), active);
out:
	if (old != NULL)
		protobuf_c_message_free_unpacked(old, NULL);
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

IMP_REC(teacher, Coachd__V1__Teacher)

/* Whether a stored teacher already matches the import. */
static int
imp_teacher_same(const ProtobufCMessage *ma, const ProtobufCMessage *mb)
{
	const Coachd__V1__Teacher	*a = (const Coachd__V1__Teacher *)ma;
	const Coachd__V1__Teacher	*b = (const Coachd__V1__Teacher *)mb;

	return imp_streq(a->name, b->name) && imp_streq(a->email, b->email) &&
	    imp_streq(a->school, b->school) &&
	    imp_streq(a->source_id, b->source_id) &&
	    a->active == b->active &&
	    imp_set_eq(a->subjects, a->n_subjects, b->subjects,
	    b->n_subjects) &&
	    imp_set_eq(a->grades, a->n_grades, b->grades, b->n_grades);
}

/* The new-teacher flag is coachd's, not the roster's: kept. */
static void
imp_teacher_keep(ProtobufCMessage *import, const ProtobufCMessage *stored)
{
	((Coachd__V1__Teacher *)import)->new_teacher =
	    ((const Coachd__V1__Teacher *)stored)->new_teacher;
}

static const struct imp_rec imp_teacher_rec = {
	IMP_TEACHERS, "UPDATE teachers SET active = ?2 WHERE id = ?1",
	imp_teacher_get, imp_teacher_put, imp_teacher_active,
	imp_teacher_same, imp_teacher_keep
};

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
	ret = imp_write(im, &imp_teacher_rec, &t.base, t.id, t.active, msg,
	    sizeof msg);
	free(t.subjects);
	free(t.grades);
	if (ret != STORE_OK)
		return imp_fail(im, "users.csv", rt->line, ret, "%s", msg);
	return STORE_OK;
}

/* ---- coaches ------------------------------------------------------------- */

IMP_REC(coach, Coachd__V1__Coach)

/* Whether a stored coach already matches the import. */
static int
imp_coach_same(const ProtobufCMessage *ma, const ProtobufCMessage *mb)
{
	const Coachd__V1__Coach	*a = (const Coachd__V1__Coach *)ma;
	const Coachd__V1__Coach	*b = (const Coachd__V1__Coach *)mb;
	size_t			 i, j;

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

static const struct imp_rec imp_coach_rec = {
	IMP_COACHES, "UPDATE coaches SET active = ?2 WHERE id = ?1",
	imp_coach_get, imp_coach_put, imp_coach_active, imp_coach_same, NULL
};

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
		ex = xcalloc(rc->nexpertise, sizeof *ex);
		exp = xcalloc(rc->nexpertise, sizeof *exp);
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
	schools = xcalloc(rc->schools.n, sizeof *schools);
	sp = xcalloc(rc->schools.n, sizeof *sp);
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
	ret = imp_write(im, &imp_coach_rec, &c.base, c.id, c.active, msg,
	    sizeof msg);
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
	    "imp_seen (kind INTEGER, sid TEXT, PRIMARY KEY (kind, sid)) "
	    "WITHOUT ROWID; DELETE FROM temp.imp_seen",
	    NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, sqlite3_errcode(store_db(st)), err,
		    errlen);
	for (i = 0; i < r->nschools + r->nteachers; i++) {
		s = store_prepare(st, "INSERT OR IGNORE INTO temp.imp_seen VALUES "
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
static void
imp_gone_note(Coachd__V1__ImportResult *res, const char *what,
    const unsigned char *id)
{
	res->deactivated = xreallocarray(res->deactivated,
	    res->n_deactivated + 1, sizeof *res->deactivated);
	res->deactivated[res->n_deactivated++] = xasprintf("%s %s", what,
	    (const char *)id);
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
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		imp_gone_note(res, g->what, sqlite3_column_text(s, 0));
	sqlite3_reset(s);
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

	res = xcalloc(1, sizeof *res);
	coachd__v1__import_result__init(res);
	res->counts = xcalloc(IMP_NKINDS, sizeof *res->counts);
	for (k = 0; k < IMP_NKINDS; k++) {
		c = xcalloc(1, sizeof *c);
		coachd__v1__import_count__init(c);
		c->kind = xstrdup(imp_kind_names[k]);
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
