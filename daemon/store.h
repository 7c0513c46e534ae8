/*
 * store: coachd's SQLite database.  store.c opens the file (WAL, full
 * synchronous commits), applies each module's versioned migrations and
 * provides transactions and statements; store_rows.c turns rows into
 * records and store_check.c validates values; the store_<area>.c files
 * hold the SQL of one area each.  Only store_*.c files touch sqlite3
 * directly.
 *
 * Conventions for every store_* function:
 *  - returns an enum store_status and, unless STORE_OK, fills err;
 *  - records are the protocol's own message structs (coachd.pb-c.h): the
 *    wire messages are the data model, so there is no parallel set of
 *    structs to keep in step.  Returned messages are heap-allocated, owned
 *    by the caller and freed with protobuf_c_message_free_unpacked(m, NULL).
 *  - writes are made inside the caller's transaction (conn.c opens one per
 *    batch of requests and a savepoint per request).
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "coachd.pb-c.h"

struct store;

enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND,		/* unknown id */
	STORE_CONFLICT,		/* already exists / state does not allow it */
	STORE_INVALID,		/* bad value (named in err) */
	STORE_ERROR,		/* SQLite or I/O failure */
};

/* One versioned step of a module's schema. */
struct store_migration {
	int		 version;	/* 1, 2, 3 ... within the module */
	const char	*sql;
};

/* A module's schema history; store.c applies the steps it has not seen. */
struct store_schema {
	const char			*module;
	const struct store_migration	*steps;
	size_t				 nsteps;
};

/* Open (creating if needed) and migrate.  *out owned by caller. */
enum store_status store_open(const char *path, struct store **out,
		    char *err, size_t errlen);
void		store_close(struct store *);
/* The connection, for store_*.c modules only. */
sqlite3		*store_db(struct store *);
/* The key that seals coaching notes (caller keeps it alive; see
 * store_note_key_attach() in store_sched.h, which sets it). */
struct seal_key;
void		store_set_note_key(struct store *, const struct seal_key *);
const struct seal_key *store_note_key(struct store *);

/* Transactions: one per batch; savepoints nest inside. */
enum store_status store_begin(struct store *, char *err, size_t errlen);
/* A batch that only reads: does not wait for a writer on another connection. */
enum store_status store_begin_read(struct store *, char *err, size_t errlen);
/* Lock wait of this connection in ms; -1: the default (5 s). */
void		store_busy_wait(struct store *, int ms);
/*
 * COMMIT; fails (and rolls back) when store_tx_broken().  After a failed
 * store_begin nothing may run: without BEGIN every statement would commit
 * on its own.
 */
enum store_status store_commit(struct store *, char *err, size_t errlen);
/* The open transaction cannot commit: SQLite left it, or a write failed
 * on disk (FULL, IOERR, NOMEM, CORRUPT) since store_begin. */
int		store_tx_broken(const struct store *);
void		store_rollback(struct store *);
enum store_status store_savepoint(struct store *, char *err, size_t errlen);
void		store_savepoint_release(struct store *);
void		store_savepoint_rollback(struct store *);
/* Version reached by a module's migrations (0 if none applied). */
int		store_schema_version(struct store *, const char *module);

/* ---- roster (store_roster.c; schema in store_roster_schema.c) ---- */

extern const struct store_schema store_roster_schema;
/* questions, cycles, sessions, notes (store_coaching.c) */
extern const struct store_schema store_coaching_schema;

enum store_status store_school_add(struct store *, const Coachd__V1__School *,
		    char *err, size_t errlen);
enum store_status store_school_update(struct store *,
		    const Coachd__V1__School *, char *err, size_t errlen);
enum store_status store_school_get(struct store *, const char *id,
		    Coachd__V1__School **out, char *err, size_t errlen);
enum store_status store_school_list(struct store *,
		    const Coachd__V1__ListRequest *, Coachd__V1__SchoolList **out,
		    char *err, size_t errlen);
enum store_status store_school_deactivate(struct store *, const char *id,
		    char *err, size_t errlen);

enum store_status store_coach_add(struct store *, const Coachd__V1__Coach *,
		    char *err, size_t errlen);
enum store_status store_coach_update(struct store *, const Coachd__V1__Coach *,
		    char *err, size_t errlen);
enum store_status store_coach_get(struct store *, const char *id,
		    Coachd__V1__Coach **out, char *err, size_t errlen);
enum store_status store_coach_list(struct store *,
		    const Coachd__V1__ListRequest *, Coachd__V1__CoachList **out,
		    char *err, size_t errlen);
enum store_status store_coach_deactivate(struct store *, const char *id,
		    char *err, size_t errlen);

enum store_status store_teacher_add(struct store *,
		    const Coachd__V1__Teacher *, char *err, size_t errlen);
enum store_status store_teacher_update(struct store *,
		    const Coachd__V1__Teacher *, char *err, size_t errlen);
enum store_status store_teacher_get(struct store *, const char *id,
		    Coachd__V1__Teacher **out, char *err, size_t errlen);
enum store_status store_teacher_list(struct store *,
		    const Coachd__V1__ListRequest *, Coachd__V1__TeacherList **out,
		    char *err, size_t errlen);
enum store_status store_teacher_deactivate(struct store *, const char *id,
		    char *err, size_t errlen);

/* ---- users and tokens (store_token.c) ----------------------------------- */

/* A principal as the store knows it. */
struct store_user {
	char			user[128];
	Coachd__V1__Role	role;
	char			display_name[256];
	int			active;
	int			note_rights;	/* token found: holder-redeemed */
};

/*
 * Create a token row: token_id is public, hash is SHA-256 of the secret.
 * For role coach/teacher the user must be an existing coach/teacher.
 * created_by: who issued it (an admin id), kept for the audit.
 */
enum store_status store_token_add(struct store *, const char *token_id,
		    const unsigned char hash[32], Coachd__V1__Role role,
		    const char *user, const char *label, int64_t created,
		    const char *created_by, char *err, size_t errlen);
/* Find an unrevoked token by hash (caller compares in constant time too). */
enum store_status store_token_find(struct store *, const unsigned char hash[32],
		    struct store_user *out, char *err, size_t errlen);
enum store_status store_token_revoke(struct store *, const char *token_id,
		    char *err, size_t errlen);
enum store_status store_token_list(struct store *, Coachd__V1__TokenList **out,
		    char *err, size_t errlen);
/* Look up a principal by user id (mTLS: certificate CN). */
enum store_status store_user_find(struct store *, const char *user,
		    struct store_user *out, char *err, size_t errlen);
/* Count admin tokens/users, for --init-admin's first-run check. */
enum store_status store_admin_count(struct store *, int *count,
		    char *err, size_t errlen);

/* ---- trust: note rights, enrolment, auth epoch (store_token.c) ---------- */

extern const struct store_schema store_trust_schema;
/* Bumped by triggers whenever a credential may have stopped being valid. */
enum store_status store_auth_epoch(struct store *, int64_t *gen,
		    char *err, size_t errlen);
/* Mark a coach or teacher token as redeemed by its holder (note rights). */
enum store_status store_token_grant_notes(struct store *,
		    const char *token_id, char *err, size_t errlen);
/*
 * A one-time enrolment code for a coach or teacher; *role may be
 * unspecified and is then set from the id.  Only hash is stored.
 */
enum store_status store_enrol_add(struct store *, const char *id,
		    const unsigned char hash[32], Coachd__V1__Role *role,
		    const char *user, int64_t created, int64_t expires,
		    const char *created_by, char *err, size_t errlen);
/* A code that may be redeemed at now: its id and user, else why not. */
enum store_status store_enrol_find(struct store *,
		    const unsigned char hash[32], int64_t now, char *id,
		    size_t idlen, struct store_user *out, char *err,
		    size_t errlen);
/* Mark a code used by token_id (fails if it was used meanwhile). */
enum store_status store_enrol_used(struct store *, const char *id,
		    const char *token_id, int64_t now, char *err,
		    size_t errlen);
enum store_status store_enrol_revoke(struct store *, const char *id,
		    char *err, size_t errlen);
enum store_status store_enrol_list(struct store *,
		    Coachd__V1__EnrolList **out, char *err, size_t errlen);


/* ---- statements, for the store_*.c modules (store.c) -------------------- */

#define STORE_ID_MAX	64	/* ids: 1..64 of [A-Za-z0-9._-] */
#define STORE_TEXT_MAX	256	/* names, emails, labels */

/* Open with an explicit schema list instead of the built-in registry. */
enum store_status store_open_schemas(const char *path,
		    const struct store_schema *const *schemas, size_t nschemas,
		    struct store **out, char *err, size_t errlen);
/* Prepare (cached) a statement; see store.c for the reset rule. */
sqlite3_stmt	*store_prepare(struct store *, const char *sql, char *err,
		    size_t errlen);
/* Map an SQLite result code to a status, with the message in err. */
enum store_status store_fail(struct store *, int rc, char *err, size_t errlen);
/* Fill err (if any) with a formatted message and return ret. */
enum store_status store_errf(char *err, size_t errlen, enum store_status ret,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Bind text, or NULL when v is NULL or "" (for UNIQUE optional columns). */
void		store_bind_opt(sqlite3_stmt *, int i, const char *v);
/* Step a statement that returns no rows, reset it, map failures. */
enum store_status store_step_done(struct store *, sqlite3_stmt *,
		    char *err, size_t errlen);
/* The same for an INSERT; on STORE_OK *id is the new row's rowid. */
enum store_status store_step_insert(struct store *, sqlite3_stmt *,
		    int64_t *id, char *err, size_t errlen);
/* Step a lookup: OK on a row (caller resets s), else NOTFOUND
 * "<what> '<id>' not found" or the SQLite failure, s reset. */
enum store_status store_step_row(struct store *, sqlite3_stmt *,
		    const char *what, const char *id, char *err, size_t errlen);
/* Step an UPDATE keyed on id: NOTFOUND "<what> '<id>' not found" if no row. */
enum store_status store_update_one(struct store *, sqlite3_stmt *,
		    const char *what, const char *id, char *err, size_t errlen);
/* Run sql with ?1 = id: 1 if it returns a row, 0 if not, -1 on error. */
int		store_exists(struct store *, const char *sql, const char *id,
		    char *err, size_t errlen);
/* Run sql, which returns no rows, with ?1 = id (store_step_done). */
enum store_status store_exec_id(struct store *, const char *sql,
		    const char *id, char *err, size_t errlen);

/* ---- rows to records (store_rows.c) ------------------------------------ */

/* A text column as a heap string: never NULL, "" for a NULL column. */
char		*store_column_strdup(sqlite3_stmt *, int col);
/* Column 0 the same way, as a store_collect() row function. */
void		*store_column0(sqlite3_stmt *);
/*
 * Step s to its end and reset it, appending one element per row to the
 * array *vp of *n elements (vp is the address of the array pointer, e.g.
 * &list->items; xgrow() makes room).  store_collect: the array holds
 * pointers and row() returns a new record.  store_collect_into: the array
 * holds structs of size bytes and fill() writes into the zeroed element.
 * On failure the rows read so far stay in the array for the caller to free.
 */
typedef void	*(*store_row_fn)(sqlite3_stmt *);
typedef void	 (*store_fill_fn)(sqlite3_stmt *, void *elem);
enum store_status store_collect(struct store *, sqlite3_stmt *s, void *vp,
		    size_t *n, store_row_fn row, char *err, size_t errlen);
enum store_status store_collect_into(struct store *, sqlite3_stmt *s,
		    void *vp, size_t *n, size_t size, store_fill_fn fill,
		    char *err, size_t errlen);
/*
 * Protocol messages straight from rows: each result column fills the
 * field of d that its name (the SQL alias: "t.name AS teacher_name")
 * names; NULL text reads as "", and every string field is a heap copy
 * ("" if no column names it), so protobuf_c_message_free_unpacked()
 * frees the result.  A column that names no field is a bug (fatalx).
 * store_row_message: the current row; store_collect_messages: like
 * store_collect(), one new message per row.
 */
void		*store_row_message(sqlite3_stmt *,
		    const ProtobufCMessageDescriptor *d);
enum store_status store_collect_messages(struct store *, sqlite3_stmt *s,
		    const ProtobufCMessageDescriptor *d, void *vp, size_t *n,
		    char *err, size_t errlen);
/*
 * The same into a new list message of d (e.g. TokenList): the rows go to
 * its repeated message field named field ("tokens").  outp is the
 * address of the caller's list pointer: the list, or NULL on failure.
 */
enum store_status store_collect_list(struct store *, sqlite3_stmt *s,
		    const ProtobufCMessageDescriptor *d, const char *field,
		    void *outp, char *err, size_t errlen);
/* The same for the rows of a query without parameters. */
enum store_status store_list_sql(struct store *, const char *sql,
		    const ProtobufCMessageDescriptor *d, const char *field,
		    void *outp, char *err, size_t errlen);
/* Step s for the one row of record id: the new message of d in the
 * pointer at outp, else NOTFOUND "<what> <id> not found" or the failure. */
enum store_status store_get_message(struct store *, sqlite3_stmt *s,
		    const ProtobufCMessageDescriptor *d, const char *what,
		    int64_t id, void *outp, char *err, size_t errlen);
/* String lists of records: append a copy (NULL as ""); load one column
 * for ?1 = id; insert (id, v[i]) pairs with a two-parameter INSERT. */
void		store_strv_push(char ***v, size_t *n, const char *s);
enum store_status store_strv_load(struct store *, const char *sql,
		    const char *id, char ***v, size_t *n, char *err,
		    size_t errlen);
enum store_status store_strv_insert(struct store *, const char *sql,
		    const char *id, char *const *v, size_t n, char *err,
		    size_t errlen);

/* ---- validation (store_check.c) ---------------------------------------- */

/* Whether s is a well-formed id. */
int		store_id_valid(const char *s);
/*
 * Validation, with messages "<what> <id>: <field> ...":
 * text: optional unless required, <= STORE_TEXT_MAX, no control chars;
 * email: optional, else must look like an address; ids: a list of
 * well-formed ids without repeats; labels: non-empty text like names,
 * without repeats (subjects, grades); id: the record's own id.
 */
enum store_status store_check_text(const char *what, const char *id,
		    const char *field, const char *v, int required, char *err,
		    size_t errlen);
enum store_status store_check_email(const char *what, const char *id,
		    const char *v, char *err, size_t errlen);
enum store_status store_check_ids(const char *what, const char *id,
		    const char *field, char *const *v, size_t n, char *err,
		    size_t errlen);
enum store_status store_check_labels(const char *what, const char *id,
		    const char *field, char *const *v, size_t n, char *err,
		    size_t errlen);
enum store_status store_check_id(const char *what, const char *id,
		    char *err, size_t errlen);

/* ---- backup (store_backup.c) ------------------------------------------- */

/*
 * Copy the database at path into the new file dest (mode 0600; CONFLICT
 * if it exists) with SQLite's online backup: a consistent snapshot even
 * while coachd writes.  On failure dest is removed.
 */
enum store_status store_backup(const char *path, const char *dest,
		    char *err, size_t errlen);

/* ---- roster import (store_import.c) ------------------------------------- */

struct roster;

/*
 * Write a parsed roster (roster.h) keyed on sourcedId: schools, teachers,
 * classes, coaches, bell periods and timetable slots are added or updated;
 * a teacher's (school's) timetable (bells) slots absent from the import are
 * removed.  Runs under its own savepoint inside the caller's transaction:
 * on failure nothing is changed and err reads "file:line: reason".
 * *out (caller frees) counts added/updated/unchanged per kind.
 */
enum store_status store_import(struct store *, const struct roster *,
		    Coachd__V1__ImportResult **out, char *err, size_t errlen);
/*
 * After store_import() of a bulk export (the whole roster): deactivate the
 * active schools and teachers that an earlier import made (they carry a
 * source_id) and that r no longer lists, rows marked tobedeleted included.
 * Records made by hand (no source_id) and coaches are left alone.  Adds
 * the counts and the "school ID" / "teacher ID" list to res.
 */
enum store_status store_import_deactivate_missing(struct store *,
		    const struct roster *, Coachd__V1__ImportResult *res,
		    char *err, size_t errlen);

#endif
