/*
 * store_note.c: the confidential coaching notes of a cycle (cycle_notes).
 * The only code that reads the table.  Callers check that the principal
 * is the coach or the teacher of the cycle before calling; nothing here
 * logs the text.
 *
 * Bodies are sealed (lib/seal, AES-256-GCM) with the key attached to the
 * store, under associated data naming the table, the row id and the
 * cycle: a body copied to another row, or a row moved to another cycle,
 * no longer opens.  The table note_seal records only the key's id, so a
 * wrong key is told apart from damage at start-up.  secure_delete is on,
 * so a plaintext or old ciphertext that a write replaces is zeroed in
 * the file instead of lingering in a free page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "errmsg.h"
#include "seal.h"
#include "store_sched.h"
#include "xmalloc.h"

#define NOTE_TEXT_MAX	8000
#define NOTE_AAD_MAX	96

/* The associated data of one row's body. */
static size_t
note_aad(char *buf, size_t len, int64_t id, int64_t cycle)
{
	return (size_t)snprintf(buf, len, "coachd cycle_notes id=%" PRId64
	    " cycle=%" PRId64, id, cycle);
}

/* Free a plaintext after wiping it. */
static void
note_text_free(char *t, size_t n)
{
	if (t == NULL)
		return;
	OPENSSL_cleanse(t, n);
	free(t);
}

/* Run sql (no rows) on the store's connection. */
static enum store_status
note_exec(struct store *st, const char *sql, char *err, size_t errlen)
{
	char	*msg = NULL;

	if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) == SQLITE_OK)
		return STORE_OK;
	errmsg(err, errlen, "%s", msg != NULL ? msg :
	    sqlite3_errmsg(store_db(st)));
	sqlite3_free(msg);
	return STORE_ERROR;
}

int
store_note_key_recorded(struct store *st, char *id, size_t idlen, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	const char	*v;
	int		 rc, found = 0;

	if ((s = store_prepare(st, "SELECT key_id FROM note_seal WHERE id = 1",
	    err, errlen)) == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = (const char *)sqlite3_column_text(s, 0);
		snprintf(id, idlen, "%s", v != NULL ? v : "");
		found = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, rc, err, errlen);
		return -1;
	}
	return found;
}

/*
 * The attached key, checked against note_seal: a key rotated by another
 * process while this one runs must not seal new notes with the old key.
 */
static const struct seal_key *
note_key_current(struct store *st, char *err, size_t errlen)
{
	const struct seal_key	*k = store_note_key(st);
	char			 have[SEAL_ID_HEX], want[SEAL_ID_HEX];

	if (k == NULL) {
		errmsg(err, errlen, "notes: no note key is loaded");
		return NULL;
	}
	switch (store_note_key_recorded(st, have, sizeof(have), err, errlen)) {
	case -1:
		return NULL;
	case 0:
		errmsg(err, errlen, "notes: this database records no note key");
		return NULL;
	default:
		break;
	}
	seal_key_id_hex(k, want);
	if (strcmp(have, want) != 0) {
		errmsg(err, errlen, "notes: the note key was changed (rotated "
		    "to key id %s) while coachd ran; restart coachd", have);
		return NULL;
	}
	return k;
}

/* Seal text for row (id, cycle) and write it as the row's body. */
static enum store_status
note_write(struct store *st, const struct seal_key *k, const char *sql,
    int64_t id, int64_t cycle, const char *author, int64_t at,
    const char *text, size_t len, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	unsigned char		*ct;
	char			 aad[NOTE_AAD_MAX];
	size_t			 aadlen, ctlen;
	enum store_status	 ret;

	aadlen = note_aad(aad, sizeof(aad), id, cycle);
	if (seal_encrypt(k, aad, aadlen, text, len, &ct, &ctlen, err,
	    errlen) == -1)
		return STORE_ERROR;
	if ((s = store_prepare(st, sql, err, errlen)) == NULL) {
		free(ct);
		return STORE_ERROR;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, ct, (int)ctlen, SQLITE_STATIC);
	if (author != NULL) {
		sqlite3_bind_int64(s, 3, cycle);
		sqlite3_bind_text(s, 4, author, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 5, at);
	}
	ret = store_step_done(st, s, err, errlen);
	sqlite3_clear_bindings(s);
	free(ct);
	return ret;
}

/* Open the body in column col of s's row (id, cycle): *text, *len. */
static enum store_status
note_open(sqlite3_stmt *s, int col, const struct seal_key *k, int64_t id,
    int64_t cycle, char **text, size_t *len, char *err, size_t errlen)
{
	char	aad[NOTE_AAD_MAX], why[ERRMSG_LEN];
	size_t	aadlen;

	*text = NULL;
	if (sqlite3_column_type(s, col) != SQLITE_BLOB)
		return store_errf(err, errlen, STORE_ERROR, "note %" PRId64
		    " is not sealed (written outside coachd?); restart "
		    "coachd to seal it", id);
	aadlen = note_aad(aad, sizeof(aad), id, cycle);
	if (seal_decrypt(k, aad, aadlen, sqlite3_column_blob(s, col),
	    (size_t)sqlite3_column_bytes(s, col), text, len, why,
	    sizeof(why)) == -1)
		return store_errf(err, errlen, STORE_ERROR, "note %" PRId64
		    ": %s", id, why);
	return STORE_OK;
}

enum store_status
store_note_add(struct store *st, int64_t cycle, const char *author,
    const char *body, int64_t now, Coachd__V1__SchedNote **out, char *err,
    size_t errlen)
{
	const struct seal_key	*k;
	Coachd__V1__SchedNote	*n;
	sqlite3_stmt		*s;
	enum store_status	 ret;
	int64_t			 id = 0;

	*out = NULL;
	if (body == NULL || *body == '\0' || strlen(body) > NOTE_TEXT_MAX)
		return store_errf(err, errlen, STORE_INVALID,
		    "note: text must be 1..%d bytes", NOTE_TEXT_MAX);
	if ((k = note_key_current(st, err, errlen)) == NULL)
		return STORE_ERROR;
	/* The id goes into the associated data, so it is chosen before the
	 * INSERT; the batch transaction holds the write lock. */
	if ((s = store_prepare(st, "SELECT coalesce(max(id), 0) + 1 FROM "
	    "cycle_notes", err, errlen)) == NULL)
		return STORE_ERROR;
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (id <= 0)
		return store_fail(st, sqlite3_errcode(store_db(st)), err,
		    errlen);
	ret = note_write(st, k, "INSERT INTO cycle_notes (id, body, cycle, "
	    "author, at) VALUES (?1, ?2, ?3, ?4, ?5)", id, cycle, author, now,
	    body, strlen(body), err, errlen);
	if (ret != STORE_OK)
		return ret;
	n = xmalloc(sizeof(*n));
	coachd__v1__sched_note__init(n);
	n->id = id;
	n->cycle = cycle;
	n->author = xstrdup(author);
	n->at = now;
	n->text = xstrdup(body);
	*out = n;
	return STORE_OK;
}

/* One row of "SELECT id, cycle, author, at, body" as a note, or NULL. */
static Coachd__V1__SchedNote *
note_row(sqlite3_stmt *s, const struct seal_key *k, char *err, size_t errlen)
{
	Coachd__V1__SchedNote	*n;
	const char		*author;
	char			*text;
	size_t			 len;
	int64_t			 id, cycle;

	id = sqlite3_column_int64(s, 0);
	cycle = sqlite3_column_int64(s, 1);
	if (note_open(s, 4, k, id, cycle, &text, &len, err, errlen) !=
	    STORE_OK)
		return NULL;
	n = xmalloc(sizeof(*n));
	coachd__v1__sched_note__init(n);
	n->id = id;
	n->cycle = cycle;
	author = (const char *)sqlite3_column_text(s, 2);
	n->author = xstrdup(author != NULL ? author : "");
	n->at = sqlite3_column_int64(s, 3);
	n->text = text;
	return n;
}

enum store_status
store_note_list(struct store *st, int64_t cycle,
    Coachd__V1__SchedNoteList **out, char *err, size_t errlen)
{
	const struct seal_key		*k;
	Coachd__V1__SchedNoteList	*l;
	Coachd__V1__SchedNote		*n;
	sqlite3_stmt			*s;
	enum store_status		 ret = STORE_OK;
	size_t				 cap = 0;
	int				 rc;

	*out = NULL;
	if ((k = store_note_key(st)) == NULL)
		return store_errf(err, errlen, STORE_ERROR,
		    "notes: no note key is loaded");
	s = store_prepare(st, "SELECT id, cycle, author, at, body FROM "
	    "cycle_notes WHERE cycle = ?1 ORDER BY id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, cycle);
	l = xmalloc(sizeof(*l));
	coachd__v1__sched_note_list__init(l);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((n = note_row(s, k, err, errlen)) == NULL) {
			ret = STORE_ERROR;
			break;
		}
		xgrow((void **)&l->notes, &cap, l->n_notes + 1,
		    sizeof(*l->notes));
		l->notes[l->n_notes++] = n;
	}
	if (ret == STORE_OK && rc != SQLITE_DONE)
		ret = store_fail(st, rc, err, errlen);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (ret != STORE_OK) {
		protobuf_c_message_free_unpacked(&l->base, NULL);
		return ret;
	}
	*out = l;
	return STORE_OK;
}

/*
 * The next row after id (WHERE id > ?1 in sql, ORDER BY id LIMIT 1),
 * copied out so the statement is reset before the row is rewritten:
 * 1 with *id, *cycle and the body's bytes, 0 at the end, -1 on error.
 */
static int
note_next(struct store *st, const char *sql, int64_t *id, int64_t *cycle,
    unsigned char **body, size_t *len, int *blob, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc, n;

	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, *id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return 0;
		store_fail(st, rc, err, errlen);
		return -1;
	}
	*id = sqlite3_column_int64(s, 0);
	*cycle = sqlite3_column_int64(s, 1);
	*blob = sqlite3_column_type(s, 2) == SQLITE_BLOB;
	n = sqlite3_column_bytes(s, 2);
	*body = xmalloc((size_t)n + 1);
	memcpy(*body, *blob ? sqlite3_column_blob(s, 2) :
	    (const void *)sqlite3_column_text(s, 2), (size_t)n);
	(*body)[n] = '\0';
	*len = (size_t)n;
	sqlite3_reset(s);
	return 1;
}

/* The plaintext of a body note_next() copied out: itself if not sealed. */
static enum store_status
note_plain(const struct seal_key *k, int64_t id, int64_t cycle,
    unsigned char *body, size_t len, int blob, char **text, size_t *tlen,
    char *err, size_t errlen)
{
	char	aad[NOTE_AAD_MAX], why[ERRMSG_LEN];
	size_t	aadlen;

	*text = (char *)body;
	*tlen = len;
	if (!blob)
		return STORE_OK;
	aadlen = note_aad(aad, sizeof(aad), id, cycle);
	if (seal_decrypt(k, aad, aadlen, body, len, text, tlen, why,
	    sizeof(why)) == -1)
		return store_errf(err, errlen, STORE_ERROR, "note %" PRId64
		    ": %s; nothing was changed", id, why);
	return STORE_OK;
}

/*
 * Rewrite the body of every row that sql selects, sealed with nk: a
 * plaintext body as it is, a sealed one opened with ok (the old key)
 * first.  *n counts the rows.
 */
static enum store_status
note_reseal(struct store *st, const char *sql, const struct seal_key *ok,
    const struct seal_key *nk, int *n, char *err, size_t errlen)
{
	static const char	upd[] = "UPDATE cycle_notes SET body = ?2 "
	    "WHERE id = ?1";
	enum store_status	 ret = STORE_OK;
	unsigned char		*body;
	char			*text;
	size_t			 len, tlen;
	int64_t			 id = 0, cycle;
	int			 blob, rc;

	*n = 0;
	while ((rc = note_next(st, sql, &id, &cycle, &body, &len, &blob, err,
	    errlen)) == 1) {
		ret = note_plain(ok, id, cycle, body, len, blob, &text, &tlen,
		    err, errlen);
		if (ret == STORE_OK)
			ret = note_write(st, nk, upd, id, cycle, NULL, 0, text,
			    tlen, err, errlen);
		if (text != (char *)body)	/* opened: a copy to wipe */
			note_text_free(text, tlen);
		note_text_free((char *)body, len);
		if (ret != STORE_OK)
			return ret;
		(*n)++;
	}
	return rc == 0 ? STORE_OK : STORE_ERROR;
}

/* Record k as the key of this database. */
static enum store_status
note_key_record(struct store *st, const struct seal_key *k, int64_t now,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	char		 id[SEAL_ID_HEX];

	seal_key_id_hex(k, id);
	if ((s = store_prepare(st, "INSERT INTO note_seal (id, key_id, "
	    "sealed_at) VALUES (1, ?1, ?2) ON CONFLICT (id) DO UPDATE SET "
	    "key_id = excluded.key_id, sealed_at = excluded.sealed_at", err,
	    errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s, err, errlen);
}

/*
 * End the transaction of a rewrite: commit, then truncate the WAL so the
 * pages it replaced do not linger in the -wal file; or roll back.
 */
static enum store_status
note_txn_end(struct store *st, enum store_status ret, char *err,
    size_t errlen)
{
	if (ret != STORE_OK) {
		store_rollback(st);
		return ret;
	}
	if (store_commit(st, err, errlen) != STORE_OK)
		return STORE_ERROR;
	/* Best effort: a reader holding the WAL only delays the truncation
	 * to the next checkpoint. */
	sqlite3_exec(store_db(st), "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
	    NULL, NULL);
	return STORE_OK;
}

enum store_status
store_note_key_attach(struct store *st, const struct seal_key *k,
    int64_t now, int *nsealed, char *err, size_t errlen)
{
	char			 have[SEAL_ID_HEX], want[SEAL_ID_HEX];
	enum store_status	 ret;
	int			 recorded, plain = 0;

	*nsealed = 0;
	if (note_exec(st, "PRAGMA secure_delete = ON", err, errlen) !=
	    STORE_OK)
		return STORE_ERROR;
	if ((recorded = store_note_key_recorded(st, have, sizeof(have), err,
	    errlen)) == -1)
		return STORE_ERROR;
	seal_key_id_hex(k, want);
	if (recorded && strcmp(have, want) != 0)
		return store_errf(err, errlen, STORE_CONFLICT, "note key does "
		    "not match the one this database was sealed with "
		    "(database: key id %s, configured key: key id %s)", have,
		    want);
	if (recorded && (plain = store_exists(st, "SELECT 1 FROM cycle_notes "
	    "WHERE typeof(body) != 'blob' AND ?1 IS NOT NULL LIMIT 1", "",
	    err, errlen)) <= 0) {
		if (plain == -1)
			return STORE_ERROR;
		store_set_note_key(st, k);
		return STORE_OK;
	}
	if (store_begin(st, err, errlen) != STORE_OK)
		return STORE_ERROR;
	ret = recorded ? STORE_OK : note_key_record(st, k, now, err, errlen);
	if (ret == STORE_OK)
		ret = note_reseal(st, "SELECT id, cycle, body FROM cycle_notes "
		    "WHERE id > ?1 AND typeof(body) != 'blob' ORDER BY id "
		    "LIMIT 1", k, k, nsealed, err, errlen);
	if ((ret = note_txn_end(st, ret, err, errlen)) != STORE_OK)
		return ret;
	store_set_note_key(st, k);
	return STORE_OK;
}

enum store_status
store_note_rekey(struct store *st, const struct seal_key *nk, int64_t now,
    int *n, char *err, size_t errlen)
{
	const struct seal_key	*ok;
	enum store_status	 ret;

	*n = 0;
	if ((ok = note_key_current(st, err, errlen)) == NULL)
		return STORE_ERROR;
	if (store_begin(st, err, errlen) != STORE_OK)
		return STORE_ERROR;
	ret = note_reseal(st, "SELECT id, cycle, body FROM cycle_notes WHERE "
	    "id > ?1 ORDER BY id LIMIT 1", ok, nk, n, err, errlen);
	if (ret == STORE_OK)
		ret = note_key_record(st, nk, now, err, errlen);
	if ((ret = note_txn_end(st, ret, err, errlen)) != STORE_OK)
		return ret;
	store_set_note_key(st, nk);
	return STORE_OK;
}
