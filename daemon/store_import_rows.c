/*
 * store_import_rows.c: the parts of an import that have no store_*
 * function of their own: classes, bell periods and timetable slots are
 * compared with what is stored and upserted row by row, and a school's
 * bells or a teacher's slots that the import no longer lists are removed.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "store_import_int.h"

/* Bind one row's key and contents for both statements of imp_upsert. */
typedef void (*imp_bind_fn)(sqlite3_stmt *, const void *row);

/*
 * A kind of row that has no store_* function (classes, bells, slots):
 * cmp selects whether the stored row equals the import (no row: new),
 * ups inserts or updates it; bind binds one row for both.
 */
struct imp_rows {
	enum imp_kind	 kind;
	const char	*cmp;
	const char	*ups;
	imp_bind_fn	 bind;
};

/*
 * Upsert one row and count the outcome.  STORE_INVALID with msg filled
 * when the upsert itself fails, for the caller to name the record;
 * STORE_ERROR (im->err) for anything else.
 */
static enum store_status
imp_upsert(struct imp *im, const struct imp_rows *k, const void *row,
    char *msg, size_t msglen)
{
	sqlite3_stmt	*s;
	int		 rv, found = 0, same = 0;

	if ((s = store_prepare(im->st, k->cmp, im->err, im->errlen)) == NULL)
		return STORE_ERROR;
	k->bind(s, row);
	if ((rv = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		same = sqlite3_column_int(s, 0);
	}
	sqlite3_reset(s);
	if (rv != SQLITE_ROW && rv != SQLITE_DONE)
		return store_fail(im->st, rv, im->err, im->errlen);
	if (same) {
		imp_count(im, k->kind, IMP_UNCHANGED);
		return STORE_OK;
	}
	if ((s = store_prepare(im->st, k->ups, im->err, im->errlen)) == NULL)
		return STORE_ERROR;
	k->bind(s, row);
	if (store_step_done(im->st, s, msg, msglen) != STORE_OK)
		return STORE_INVALID;
	imp_count(im, k->kind, found ? IMP_UPDATED : IMP_ADDED);
	return STORE_OK;
}

/* ---- classes ------------------------------------------------------------- */

/* A class as bound: the roster's record and our ids for it. */
struct imp_class_row {
	const struct roster_class	*rc;
	const char			*subject;
	const char			*school;
	const char			*teacher;	/* "" for none */
};

/* Bind a class's columns as ?1..?6 (id, title, subject, room, school,
 * teacher). */
static void
imp_class_bind(sqlite3_stmt *s, const void *row)
{
	const struct imp_class_row	*c = row;

	sqlite3_bind_text(s, 1, c->rc->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, c->rc->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, c->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, c->rc->room != NULL ? c->rc->room : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 5, c->school, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, c->teacher, -1, SQLITE_STATIC);
}

static const struct imp_rows imp_class_rows = {
	IMP_CLASSES,
	"SELECT title = ?2 AND subject = ?3 AND "
	"room = ?4 AND school = ?5 AND teacher IS nullif(?6, '') AND "
	"source_id IS ?1 FROM classes WHERE id = ?1",
	"INSERT INTO classes (id, title, subject, "
	"room, school, teacher, source_id) VALUES (?1, ?2, ?3, ?4, ?5, "
	"nullif(?6, ''), ?1) ON CONFLICT (id) DO UPDATE SET "
	"title = excluded.title, subject = excluded.subject, "
	"room = excluded.room, school = excluded.school, "
	"teacher = excluded.teacher, source_id = excluded.source_id",
	imp_class_bind
};

/* Upsert one class: title, first subject, room, school, primary teacher. */
enum store_status
imp_class(struct imp *im, const struct roster_class *rc)
{
	struct imp_class_row	 row;
	enum store_status	 ret;
	char			 school[STORE_ID_MAX + 2], teacher[STORE_ID_MAX + 2];
	char			 msg[256];

	if (!store_id_valid(rc->id))
		return imp_bad_id(im, "classes.csv", rc->line, rc->id);
	if (imp_school_id(im, rc->school_id, school, sizeof school) !=
	    STORE_OK)
		return STORE_ERROR;
	*teacher = '\0';
	if (rc->teacher_id != NULL && imp_teacher_id(im, rc->teacher_id,
	    teacher, sizeof teacher) != STORE_OK)
		return STORE_ERROR;
	row.rc = rc;
	row.subject = rc->subjects.n > 0 ? rc->subjects.v[0] : "";
	row.school = school;
	row.teacher = teacher;
	ret = imp_upsert(im, &imp_class_rows, &row, msg, sizeof msg);
	if (ret == STORE_INVALID)
		return imp_fail(im, "classes.csv", rc->line, STORE_INVALID,
		    "class %s: %s", rc->id, msg);
	return ret;
}

/* ---- bells and timetable ---------------------------------------------------- */

/* A bell period or slot as bound: our id of its school or teacher and
 * the roster's record. */
struct imp_owned_row {
	const char	*owner;
	const void	*rec;
};

/* Bind a bell period's key (?1-?3) and times (?4, ?5). */
static void
imp_bell_bind(sqlite3_stmt *s, const void *row)
{
	const struct imp_owned_row	*r = row;
	const struct roster_bell	*b = r->rec;

	sqlite3_bind_text(s, 1, r->owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->day_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, b->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, b->start_min);
	sqlite3_bind_int(s, 5, b->end_min);
}

static const struct imp_rows imp_bell_rows = {
	IMP_BELLS,
	"SELECT start_min = ?4 AND end_min = ?5 "
	"FROM bell_periods WHERE school = ?1 AND day_type = ?2 AND "
	"period = ?3",
	"INSERT INTO bell_periods (school, day_type, "
	"period, start_min, end_min) VALUES (?1, ?2, ?3, ?4, ?5) "
	"ON CONFLICT (school, day_type, period) DO UPDATE SET "
	"start_min = excluded.start_min, end_min = excluded.end_min",
	imp_bell_bind
};

/* Upsert one bell period. */
enum store_status
imp_bell(struct imp *im, const struct roster_bell *b)
{
	struct imp_owned_row	row;
	enum store_status	ret;
	char			school[STORE_ID_MAX + 2], msg[256];

	if (imp_school_id(im, b->school_id, school, sizeof school) != STORE_OK)
		return STORE_ERROR;
	row.owner = school;
	row.rec = b;
	ret = imp_upsert(im, &imp_bell_rows, &row, msg, sizeof msg);
	if (ret == STORE_INVALID)
		return imp_fail(im, "bell_schedules.csv", b->line,
		    STORE_INVALID, "school %s period %s: %s", b->school_id,
		    b->period, msg);
	return ret;
}

/* Where a slot came from, for errors. */
static const char *
imp_slot_file(const struct roster_slot *sl)
{
	return sl->source == ROSTER_SRC_CSV ? "timetable.csv" : "classes.csv";
}

/* Bind a slot's key (?1-?3) and contents (?4-?7). */
static void
imp_slot_bind(sqlite3_stmt *s, const void *row)
{
	const struct imp_owned_row	*r = row;
	const struct roster_slot	*sl = r->rec;

	sqlite3_bind_text(s, 1, r->owner, -1, SQLITE_TRANSIENT);
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

static const struct imp_rows imp_slot_rows = {
	IMP_TIMETABLE,
	"SELECT kind = ?4 AND class IS nullif(?5, '') "
	"AND subject = ?6 AND room = ?7 FROM class_periods WHERE "
	"teacher = ?1 AND day_type = ?2 AND period = ?3",
	"INSERT INTO class_periods (teacher, "
	"day_type, period, kind, class, subject, room) VALUES (?1, ?2, ?3, "
	"?4, nullif(?5, ''), ?6, ?7) ON CONFLICT (teacher, day_type, "
	"period) DO UPDATE SET kind = excluded.kind, class = excluded.class, "
	"subject = excluded.subject, room = excluded.room",
	imp_slot_bind
};

/* Upsert one teacher-period of the timetable. */
enum store_status
imp_slot(struct imp *im, const struct roster_slot *sl)
{
	struct imp_owned_row	row;
	enum store_status	ret;
	char			teacher[STORE_ID_MAX + 2], msg[256];

	if (imp_teacher_id(im, sl->teacher_id, teacher, sizeof teacher) !=
	    STORE_OK)
		return STORE_ERROR;
	row.owner = teacher;
	row.rec = sl;
	ret = imp_upsert(im, &imp_slot_rows, &row, msg, sizeof msg);
	if (ret == STORE_INVALID)
		return imp_fail(im, imp_slot_file(sl), sl->line, STORE_INVALID,
		    "teacher %s day %s period %s: %s", sl->teacher_id, sl->day,
		    sl->period, msg);
	return ret;
}

/*
 * Remove what a previous import left behind: bell periods of the schools
 * and timetable slots of the teachers this import describes that it no
 * longer lists.  The keys imported are collected in a temporary table so
 * that one DELETE per kind does the comparison.
 */
enum store_status
imp_prune(struct imp *im)
{
	static const char *const sql[] = {
		/* keyed, so the DELETEs below look each row up instead of
		 * scanning the whole table for every stored row */
		"CREATE TEMP TABLE IF NOT EXISTS imp_keys (kind INTEGER, "
		"owner TEXT, day_type TEXT, period TEXT, PRIMARY KEY (kind, "
		"owner, day_type, period)) WITHOUT ROWID",
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
		s = store_prepare(im->st, "INSERT OR IGNORE INTO temp.imp_keys VALUES "
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

