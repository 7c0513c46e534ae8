/*
 * store.c: the SQLite database underneath coachd.
 *
 * Opens the file with WAL and synchronous=FULL (a COMMIT that returned is on
 * disk), foreign keys on, and a busy timeout for the odd external reader.
 * Each module (roster, questions, ...) owns a list of numbered schema steps;
 * the table schema_migrations remembers which steps ran.  A step runs in a
 * transaction of its own, so a crash between steps leaves a database that
 * the next start simply continues.  A database written by a newer coachd
 * (a module version we do not know) is refused rather than guessed at.
 *
 * Prepared statements are cached by SQL text; savepoints nest under the
 * batch transaction that conn.c opens.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errmsg.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_CACHE_BUCKETS	256
#define STORE_BUSY_MS		5000

/* One cached prepared statement. */
struct store_stmt {
	char			*sql;
	sqlite3_stmt		*stmt;
	struct store_stmt	*next;
};

struct store {
	sqlite3				 *db;
	struct store_stmt		 *cache[STORE_CACHE_BUCKETS];
	int				  depth;	/* open savepoints */
	int				  tx;		/* BEGIN done, no COMMIT yet */
	int				  fault;	/* disk-level failure in tx */
	const struct store_schema *const *schemas;
	size_t				  nschemas;
	const struct seal_key		 *note_key;	/* store_note.c */
};

/* FNV-1a over the SQL text, for the statement cache. */
static size_t
store_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)(h % STORE_CACHE_BUCKETS);
}

/* A failure of the disk or memory under the database, not of the request. */
static int
store_disk_fault(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_NOMEM:
	case SQLITE_CORRUPT:
		return 1;
	default:
		return 0;
	}
}

/* Run SQL without results; STORE_OK or STORE_ERROR with the message. */
static enum store_status
store_exec(struct store *st, const char *sql, char *err, size_t errlen)
{
	char	*msg = NULL;
	int	 rc;

	rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		return STORE_OK;
	if (store_disk_fault(rc))
		st->fault = 1;
	errmsg(err, errlen, "%s", msg != NULL ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return STORE_ERROR;
}

/* Version a module has reached in this database (0 if none). */
static int
store_module_version(struct store *st, const char *module)
{
	sqlite3_stmt	*s;
	int		 v = 0;

	s = store_prepare(st, "SELECT max(version) FROM schema_migrations "
	    "WHERE module = ?1", NULL, 0);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, module, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return v;
}

/* Whether module names one of the schemas this binary knows. */
static int
store_module_known(struct store *st, const char *module)
{
	size_t	i;

	for (i = 0; i < st->nschemas; i++) {
		if (strcmp(st->schemas[i]->module, module) == 0)
			return 1;
	}
	return 0;
}

/* Refuse modules recorded by a coachd that knows more than we do. */
static enum store_status
store_check_unknown(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret = STORE_OK;
	const char		*m;

	s = store_prepare(st, "SELECT module, max(version) FROM "
	    "schema_migrations GROUP BY module ORDER BY module", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	while (sqlite3_step(s) == SQLITE_ROW) {
		m = (const char *)sqlite3_column_text(s, 0);
		if (m == NULL || store_module_known(st, m))
			continue;
		errmsg(err, errlen, "database has schema module '%s' "
		    "version %d, unknown to this coachd (written by a newer "
		    "version?)", m, sqlite3_column_int(s, 1));
		ret = STORE_ERROR;
		break;
	}
	sqlite3_reset(s);
	return ret;
}

/* Apply one step of one module in its own transaction. */
static enum store_status
store_apply_step(struct store *st, const struct store_schema *sc,
    const struct store_migration *m, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	char		 msg[512];

	if (store_exec(st, "BEGIN IMMEDIATE", err, errlen) != STORE_OK)
		return STORE_ERROR;
	if (store_exec(st, m->sql, msg, sizeof msg) != STORE_OK) {
		errmsg(err, errlen, "schema %s step %d: %s", sc->module,
		    m->version, msg);
		goto fail;
	}
	s = store_prepare(st, "INSERT INTO schema_migrations "
	    "(module, version, applied_at) VALUES (?1, ?2, ?3)", err, errlen);
	if (s == NULL)
		goto fail;
	sqlite3_bind_text(s, 1, sc->module, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, m->version);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_fail(st, sqlite3_errcode(st->db), err, errlen);
		sqlite3_reset(s);
		goto fail;
	}
	sqlite3_reset(s);
	if (store_exec(st, "COMMIT", err, errlen) != STORE_OK)
		goto fail;
	return STORE_OK;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return STORE_ERROR;
}

/* Bring every registered module up to the newest version we know. */
static enum store_status
store_migrate(struct store *st, char *err, size_t errlen)
{
	const struct store_schema	*sc;
	size_t				 i, j;
	int				 have, newest;

	if (store_exec(st, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "module TEXT NOT NULL, version INTEGER NOT NULL, "
	    "applied_at INTEGER NOT NULL, PRIMARY KEY (module, version))",
	    err, errlen) != STORE_OK)
		return STORE_ERROR;
	if (store_check_unknown(st, err, errlen) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < st->nschemas; i++) {
		sc = st->schemas[i];
		newest = sc->nsteps > 0 ? sc->steps[sc->nsteps - 1].version : 0;
		if ((have = store_module_version(st, sc->module)) < 0) {
			errmsg(err, errlen, "%s", sqlite3_errmsg(st->db));
			return STORE_ERROR;
		}
		if (have > newest) {
			errmsg(err, errlen, "database schema module '%s' is "
			    "version %d but this coachd knows only up to %d "
			    "(written by a newer version?)", sc->module, have,
			    newest);
			return STORE_ERROR;
		}
		for (j = 0; j < sc->nsteps; j++) {
			if (sc->steps[j].version <= have)
				continue;
			if (store_apply_step(st, sc, &sc->steps[j], err,
			    errlen) != STORE_OK)
				return STORE_ERROR;
		}
	}
	return STORE_OK;
}

/* Connection settings; see the comment at the top of the file. */
static enum store_status
store_pragmas(struct store *st, const char *path, char *err, size_t errlen)
{
	sqlite3_stmt	*s = NULL;
	const char	*mode;
	int		 wal = 0;

	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s,
	    NULL) != SQLITE_OK) {
		errmsg(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
		return STORE_ERROR;
	}
	if (sqlite3_step(s) == SQLITE_ROW) {
		mode = (const char *)sqlite3_column_text(s, 0);
		wal = mode != NULL && (strcmp(mode, "wal") == 0 ||
		    strcmp(mode, "memory") == 0);
	}
	sqlite3_finalize(s);
	if (!wal) {
		errmsg(err, errlen, "%s: cannot switch to WAL journal: %s",
		    path, sqlite3_errmsg(st->db));
		return STORE_ERROR;
	}
	return store_exec(st, "PRAGMA synchronous=FULL; "
	    "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF", err, errlen);
}

/* Open with an explicit list of schemas (tests use their own). */
enum store_status
store_open_schemas(const char *path, const struct store_schema *const *schemas,
    size_t nschemas, struct store **out, char *err, size_t errlen)
{
	struct store	*st;
	int		 rc;

	*out = NULL;
	st = xcalloc(1, sizeof *st);
	st->schemas = schemas;
	st->nschemas = nschemas;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		errmsg(err, errlen, "%s: %s", path, st->db != NULL ?
		    sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (store_pragmas(st, path, err, errlen) != STORE_OK)
		goto fail;
	if (store_migrate(st, err, errlen) != STORE_OK)
		goto fail;
	*out = st;
	return STORE_OK;
fail:
	store_close(st);
	return STORE_ERROR;
}

/* Finalize cached statements and close; an open transaction is rolled back. */
void
store_close(struct store *st)
{
	struct store_stmt	*c, *next;
	size_t			 i;

	if (st == NULL)
		return;
	for (i = 0; i < STORE_CACHE_BUCKETS; i++) {
		for (c = st->cache[i]; c != NULL; c = next) {
			next = c->next;
			sqlite3_finalize(c->stmt);
			free(c->sql);
			free(c);
		}
	}
	if (st->db != NULL) {
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(st->db);
	}
	free(st);
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

void
store_set_note_key(struct store *st, const struct seal_key *k)
{
	st->note_key = k;
}

const struct seal_key *
store_note_key(struct store *st)
{
	return st->note_key;
}

/* Start the batch transaction; IMMEDIATE takes the write lock up front. */
enum store_status
store_begin(struct store *st, char *err, size_t errlen)
{
	st->depth = 0;
	st->fault = 0;
	st->tx = store_exec(st, "BEGIN IMMEDIATE", err, errlen) == STORE_OK;
	return st->tx ? STORE_OK : STORE_ERROR;
}

/*
 * Start a batch that may only read: while another connection (an import
 * on a worker thread) holds the write lock, WAL still lets this one read
 * the last committed state without waiting.
 */
enum store_status
store_begin_read(struct store *st, char *err, size_t errlen)
{
	st->depth = 0;
	st->fault = 0;
	st->tx = store_exec(st, "BEGIN DEFERRED", err, errlen) == STORE_OK;
	return st->tx ? STORE_OK : STORE_ERROR;
}

/*
 * After SQLITE_FULL, IOERR, NOMEM or CORRUPT SQLite may have rolled the
 * whole transaction back on its own; it may also have kept it.  Either
 * way the batch transaction can no longer be committed as acknowledged,
 * so the caller fails it whole rather than let a later statement or
 * savepoint run (and commit) in autocommit.
 */
int
store_tx_broken(const struct store *st)
{
	return st->tx && (st->fault || sqlite3_get_autocommit(st->db));
}

/* How long a statement waits for a lock another connection holds. */
void
store_busy_wait(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms < 0 ? STORE_BUSY_MS : ms);
}

/* Commit the batch; on failure the transaction is rolled back. */
enum store_status
store_commit(struct store *st, char *err, size_t errlen)
{
	if (store_tx_broken(st)) {
		errmsg(err, errlen, "an earlier statement failed on disk; "
		    "the transaction was rolled back");
		store_rollback(st);
		return STORE_ERROR;
	}
	st->depth = 0;
	if (store_exec(st, "COMMIT", err, errlen) == STORE_OK) {
		st->tx = 0;
		return STORE_OK;
	}
	store_rollback(st);
	return STORE_ERROR;
}

void
store_rollback(struct store *st)
{
	st->depth = 0;
	st->tx = 0;
	st->fault = 0;
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Open a nested savepoint (named by depth: sp1, sp2, ...). */
enum store_status
store_savepoint(struct store *st, char *err, size_t errlen)
{
	char	sql[64];

	/* outside its transaction a SAVEPOINT would begin (and commit) one */
	if (store_tx_broken(st)) {
		errmsg(err, errlen, "an earlier statement failed on disk; "
		    "the transaction was rolled back, nothing was changed");
		return STORE_ERROR;
	}
	snprintf(sql, sizeof sql, "SAVEPOINT sp%d", st->depth + 1);
	if (store_exec(st, sql, err, errlen) != STORE_OK)
		return STORE_ERROR;
	st->depth++;
	return STORE_OK;
}

/* Keep the innermost savepoint's changes. */
void
store_savepoint_release(struct store *st)
{
	char	sql[64];

	if (st->depth <= 0)
		return;
	snprintf(sql, sizeof sql, "RELEASE sp%d", st->depth);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	st->depth--;
}

/* Undo the innermost savepoint's changes and drop it. */
void
store_savepoint_rollback(struct store *st)
{
	char	sql[96];

	if (st->depth <= 0)
		return;
	snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", st->depth,
	    st->depth);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	st->depth--;
}

int
store_schema_version(struct store *st, const char *module)
{
	int	v;

	v = store_module_version(st, module);
	return v < 0 ? 0 : v;
}

/*
 * Prepared statement for sql, from the cache when possible.  It comes back
 * reset with no bindings; callers sqlite3_reset() it when done so that it
 * holds no read lock.  Do not prepare the same SQL again while stepping it.
 */
sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char *err, size_t errlen)
{
	struct store_stmt	*c;
	size_t			 h;

	h = store_hash(sql);
	for (c = st->cache[h]; c != NULL; c = c->next) {
		if (strcmp(c->sql, sql) == 0) {
			sqlite3_reset(c->stmt);
			sqlite3_clear_bindings(c->stmt);
			return c->stmt;
		}
	}
	c = xcalloc(1, sizeof *c);
	c->sql = xstrdup(sql);
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &c->stmt, NULL) != SQLITE_OK) {
		errmsg(err, errlen, "prepare: %s", sqlite3_errmsg(st->db));
		free(c->sql);
		free(c);
		return NULL;
	}
	c->next = st->cache[h];
	st->cache[h] = c;
	return c->stmt;
}

/* Map an SQLite result code to a store status, message in err. */
enum store_status
store_fail(struct store *st, int rc, char *err, size_t errlen)
{
	enum store_status	ret = STORE_ERROR;

	switch (rc) {
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_UNIQUE:
		ret = STORE_CONFLICT;
		break;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		ret = STORE_INVALID;
		break;
	default:
		break;
	}
	if (st != NULL && store_disk_fault(rc))
		st->fault = 1;
	if ((rc & 0xff) == SQLITE_BUSY) {
		/* the loop never waits for a worker's write lock (conn.c) */
		errmsg(err, errlen, "the database is busy with another write "
		    "(a roster import?); nothing was changed, retry");
		return ret;
	}
	errmsg(err, errlen, "%s", st != NULL ? sqlite3_errmsg(st->db) :
	    sqlite3_errstr(rc));
	return ret;
}

/* Step a statement that returns no rows, then reset it. */
enum store_status
store_step_done(struct store *st, sqlite3_stmt *s, char *err, size_t errlen)
{
	int			rc;
	enum store_status	ret = STORE_OK;

	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = store_fail(st, rc, err, errlen);
	sqlite3_reset(s);
	return ret;
}

/* Step an INSERT like store_step_done(); on success *id is the new rowid. */
enum store_status
store_step_insert(struct store *st, sqlite3_stmt *s, int64_t *id, char *err,
    size_t errlen)
{
	enum store_status	ret;

	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
		return ret;
	*id = (int64_t)sqlite3_last_insert_rowid(st->db);
	return STORE_OK;
}

/* ---- helpers for the store_*.c modules ---------------------------------- */

/* Fill err and return ret. */
enum store_status
store_errf(char *err, size_t errlen, enum store_status ret, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	verrmsg(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/* Bind a string, or NULL when empty (for the UNIQUE source ids). */
void
store_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL || *v == '\0')
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* 1 if the query (one text parameter) returns a row, 0 if not, -1 error. */
int
store_exists(struct store *st, const char *sql, const char *id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_fail(st, rc, err, errlen);
	return -1;
}

/* Run sql, a statement that returns no rows, with ?1 = id. */
enum store_status
store_exec_id(struct store *st, const char *sql, const char *id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}

/*
 * Step a lookup keyed on one record: STORE_OK with the row current (the
 * caller reads it, then resets s), else s is reset and the status says why.
 */
enum store_status
store_step_row(struct store *st, sqlite3_stmt *s, const char *what,
    const char *id, char *err, size_t errlen)
{
	int	rc;

	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return store_errf(err, errlen, STORE_NOTFOUND, "%s '%s' not found",
	    what, id);
}

/* Run one UPDATE keyed on id; NOTFOUND if it touched no row. */
enum store_status
store_update_one(struct store *st, sqlite3_stmt *s, const char *what,
    const char *id, char *err, size_t errlen)
{
	if (store_step_done(st, s, err, errlen) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(store_db(st)) == 0)
		return store_errf(err, errlen, STORE_NOTFOUND, "%s '%s' not found",
		    what, id);
	return STORE_OK;
}
