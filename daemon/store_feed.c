/*
 * store_feed: SQL of the iCalendar feeds: the feed_tokens table
 * (hashes of feed URL secrets) and the read-only session query the feeds
 * are rendered from.  No statement here touches cycle_notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_feed.h"

static const struct store_migration feed_steps[] = {
	{ 1,
	/*
	 * One row per issued feed URL.  Only the SHA-256 of the secret is
	 * kept; a rotated or revoked token keeps its row (revoked_at set) so
	 * that the feed server can answer 410 Gone for it after a restart.
	 */
	"CREATE TABLE feed_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('teacher','coach','school')),"
	"  subject TEXT NOT NULL,"
	"  hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),"
	"  created_at INTEGER NOT NULL,"
	"  revoked_at INTEGER"
	");"
	"CREATE INDEX feed_tokens_subject ON feed_tokens(kind, subject);"
	},
	{ 2,
	/*
	 * A deactivated coach's or teacher's feed URLs stop serving (410):
	 * whatever deactivates them (the rpc, an import), the store revokes
	 * their tokens in the same transaction, and the commit hook's token
	 * sync then retires them from the feed server.  Reactivation does
	 * not bring them back; `coachctl feed url` issues a new one.
	 */
	"CREATE TRIGGER feed_off_teacher AFTER UPDATE OF active ON teachers"
	" WHEN OLD.active = 1 AND NEW.active = 0 BEGIN"
	" UPDATE feed_tokens SET revoked_at = CAST(strftime('%s','now') AS"
	" INTEGER) WHERE kind = 'teacher' AND subject = NEW.id AND"
	" revoked_at IS NULL; END;"
	"CREATE TRIGGER feed_off_coach AFTER UPDATE OF active ON coaches"
	" WHEN OLD.active = 1 AND NEW.active = 0 BEGIN"
	" UPDATE feed_tokens SET revoked_at = CAST(strftime('%s','now') AS"
	" INTEGER) WHERE kind = 'coach' AND subject = NEW.id AND"
	" revoked_at IS NULL; END;"
	},
};

const struct store_schema store_feed_schema = {
	"feed", feed_steps, sizeof(feed_steps) / sizeof(feed_steps[0])
};

static const char *const kind_names[] = { "teacher", "coach", "school" };

const char *
store_feed_kind_name(enum store_feed_kind k)
{
	if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "?";
	return kind_names[k];
}

int
store_feed_kind_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

enum store_status
store_feed_token_add(struct store *st, enum store_feed_kind kind,
    const char *subject, const unsigned char *hash, int64_t now, int64_t *id,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "INSERT INTO feed_tokens (kind, subject, hash, "
	    "created_at) VALUES (?1, ?2, ?3, ?4)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, store_feed_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 3, hash, STORE_FEED_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	return store_step_insert(st, s, id, err, errlen);
}

/*
 * Fill a token from a row of (id, kind, subject, hash, created_at,
 * revoked); a store_collect_into() fill function.
 */
static void
token_from_row(sqlite3_stmt *s, void *elem)
{
	struct store_feed_token	*t = elem;
	const void		*h;
	const char		*subj;
	int			 k;

	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(s, 0);
	k = store_feed_kind_parse((const char *)sqlite3_column_text(s, 1));
	t->kind = k < 0 ? STORE_FEED_TEACHER : (enum store_feed_kind)k;
	subj = (const char *)sqlite3_column_text(s, 2);
	snprintf(t->subject, sizeof t->subject, "%s", subj ? subj : "");
	h = sqlite3_column_blob(s, 3);
	if (h != NULL && sqlite3_column_bytes(s, 3) == STORE_FEED_HASH_LEN)
		memcpy(t->hash, h, STORE_FEED_HASH_LEN);
	t->created_at = sqlite3_column_int64(s, 4);
	t->revoked = sqlite3_column_int(s, 5);
}

enum store_status
store_feed_token_live(struct store *st, enum store_feed_kind kind,
    const char *subject, struct store_feed_token *out, char *err,
    size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	s = store_prepare(st, "SELECT id, kind, subject, hash, created_at, 0 "
	    "FROM feed_tokens WHERE kind = ?1 AND subject = ?2 AND "
	    "revoked_at IS NULL ORDER BY id DESC LIMIT 1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, store_feed_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC);
	ret = store_step_row(st, s, "feed", subject, err, errlen);
	if (ret == STORE_NOTFOUND)
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "no feed for %s '%s'", store_feed_kind_name(kind), subject);
	if (ret != STORE_OK)
		return ret;
	token_from_row(s, out);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_status
store_feed_token_revoke(struct store *st, enum store_feed_kind kind,
    const char *subject, int64_t now, int *n, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 rc;

	s = store_prepare(st, "UPDATE feed_tokens SET revoked_at = ?3 "
	    "WHERE kind = ?1 AND subject = ?2 AND revoked_at IS NULL",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, store_feed_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = store_step_done(st, s, err, errlen)) != STORE_OK)
		return rc;
	*n = sqlite3_changes(store_db(st));
	return STORE_OK;
}

enum store_status
store_feed_token_all(struct store *st, struct store_feed_token **out,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	struct store_feed_token	*v = NULL;
	size_t			 len = 0;
	enum store_status	 ret;

	*out = NULL;
	*n = 0;
	s = store_prepare(st, "SELECT id, kind, subject, hash, created_at, "
	    "revoked_at IS NOT NULL FROM feed_tokens ORDER BY id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	if ((ret = store_collect_into(st, s, &v, &len, sizeof *v,
	    token_from_row, err, errlen)) != STORE_OK) {
		free(v);
		return ret;
	}
	*out = v;
	*n = len;
	return STORE_OK;
}

static const char *const subject_sql[] = {
	"SELECT name FROM teachers WHERE id = ?1",
	"SELECT name FROM coaches WHERE id = ?1",
	"SELECT name FROM schools WHERE id = ?1",
};

/* Everything of the record that a feed shows (ATTENDEE, ORGANIZER, ...). */
static const char *const shown_sql[] = {
	"SELECT name || ' <' || email || '>' FROM teachers WHERE id = ?1",
	"SELECT name || ' <' || email || '>' FROM coaches WHERE id = ?1",
	"SELECT name FROM schools WHERE id = ?1",
};

/* One text column of the subject by a per-kind query; "" if none. */
static enum store_status
subject_text(struct store *st, const char *const *sqls,
    enum store_feed_kind kind, const char *subject, char *name,
    size_t namelen, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	const char		*v;
	enum store_status	 ret;

	if (namelen > 0)
		name[0] = '\0';
	if ((unsigned)kind > STORE_FEED_SCHOOL)
		return store_errf(err, errlen, STORE_INVALID, "bad feed kind");
	if ((s = store_prepare(st, sqls[kind], err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
	if ((ret = store_step_row(st, s, store_feed_kind_name(kind), subject,
	    err, errlen)) != STORE_OK)
		return ret;
	v = (const char *)sqlite3_column_text(s, 0);
	snprintf(name, namelen, "%s", v ? v : "");
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_status
store_feed_subject_name(struct store *st, enum store_feed_kind kind,
    const char *subject, char *name, size_t namelen, char *err,
    size_t errlen)
{
	return subject_text(st, subject_sql, kind, subject, name, namelen,
	    err, errlen);
}

enum store_status
store_feed_subject_shown(struct store *st, enum store_feed_kind kind,
    const char *subject, char *buf, size_t len, char *err, size_t errlen)
{
	return subject_text(st, shown_sql, kind, subject, buf, len, err,
	    errlen);
}

enum store_status
store_feed_sessions_touched(struct store *st, enum store_feed_kind kind,
    const char *subject, int64_t now, char *err, size_t errlen)
{
	/*
	 * Cancelled ones too while they are in feeds, but only when their
	 * retention runs from cancelled_at: a row whose retention runs from
	 * modified_at would otherwise stay in feeds longer.  LAST-MODIFIED
	 * must rise even if the clock stepped back since the last change.
	 */
#define TOUCHED_SQL(col)						\
	"UPDATE sessions SET modified_at = MAX(modified_at + 1, ?2) "	\
	"WHERE " col " = ?1 AND "					\
	"(status IN ('requested', 'proposed', 'confirmed') OR "		\
	"cancelled_at IS NOT NULL)"
	static const char *const sql[] = {
		TOUCHED_SQL("teacher"), TOUCHED_SQL("coach"),
		TOUCHED_SQL("school")
	};
#undef TOUCHED_SQL
	sqlite3_stmt	*s;

	if ((unsigned)kind > STORE_FEED_SCHOOL)
		return store_errf(err, errlen, STORE_INVALID, "bad feed kind");
	if ((s = store_prepare(st, sql[kind], err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s, err, errlen);
}


enum store_status
store_feed_subject_exists(struct store *st, enum store_feed_kind kind,
    const char *subject, char *err, size_t errlen)
{
	char	name[STORE_TEXT_MAX + 1];

	return store_feed_subject_name(st, kind, subject, name, sizeof name,
	    err, errlen);
}

/*
 * Cancelled sessions count too: a feed keeps them for the retention, and
 * the name in them must follow the roster like the rest.
 */
#define PLACES_SQL(col)							\
	"SELECT DISTINCT coach, teacher, school FROM sessions WHERE "	\
	col " = ?1"

static const char *const places_sql[] = {
	PLACES_SQL("teacher"), PLACES_SQL("coach"), PLACES_SQL("school")
};

/* Run a prepared places query, calling fn per row until it says stop. */
static enum store_status
places_run(struct store *st, sqlite3_stmt *s, store_feed_place_fn fn,
    void *arg, char *err, size_t errlen)
{
	int	rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn((const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2), arg) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

enum store_status
store_feed_places(struct store *st, enum store_feed_kind kind,
    const char *subject, store_feed_place_fn fn, void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	if ((unsigned)kind > STORE_FEED_SCHOOL)
		return store_errf(err, errlen, STORE_INVALID, "bad feed kind");
	if ((s = store_prepare(st, places_sql[kind], err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
	return places_run(st, s, fn, arg, err, errlen);
}

enum store_status
store_feed_expired(struct store *st, int64_t from, int64_t to,
    int64_t retention, store_feed_place_fn fn, void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "SELECT DISTINCT coach, teacher, school FROM "
	    "sessions WHERE status IN ('cancelled', 'declined') AND "
	    "COALESCE(cancelled_at, modified_at) >= ?1 AND "
	    "COALESCE(cancelled_at, modified_at) < ?2", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, from - retention);
	sqlite3_bind_int64(s, 2, to - retention);
	return places_run(st, s, fn, arg, err, errlen);
}

/*
 * The feed query, one per kind (the column is fixed text, never input).
 * Joins only roster and coaching tables needed for the event text.
 */
#define SESSION_SQL(col)						\
	"SELECT s.uid, s.kind, s.status, s.sequence, s.date, s.start_min, "\
	"s.end_min, COALESCE(s.room, ''), COALESCE(s.period, ''), "	\
	"s.created_at, s.modified_at, sc.name, co.id, co.name, co.email, "\
	"t.id, t.name, t.email, COALESCE(cl.title, ''), "		\
	"COALESCE(cl.subject, ''), COALESCE(cl.room, ''), "		\
	"COALESCE(q.topic, '') "					\
	"FROM sessions s "						\
	"JOIN schools sc ON sc.id = s.school "				\
	"JOIN coaches co ON co.id = s.coach "				\
	"JOIN teachers t ON t.id = s.teacher "				\
	"LEFT JOIN classes cl ON cl.id = s.class "			\
	"LEFT JOIN cycles cy ON cy.id = s.cycle "			\
	"LEFT JOIN questions q ON q.id = cy.question "			\
	"WHERE s." col " = ?1 AND (s.status IN ('requested', "		\
	"'proposed', 'confirmed') OR "					\
	"(s.status IN ('cancelled', 'declined') AND "			\
	"COALESCE(s.cancelled_at, s.modified_at) >= ?2)) "		\
	"ORDER BY s.date, s.start_min, s.uid"

static const char *const session_sql[] = {
	SESSION_SQL("teacher"), SESSION_SQL("coach"), SESSION_SQL("school")
};

/* One row of SESSION_SQL (a store_collect_into() fill function). */
static void
session_from_row(sqlite3_stmt *s, void *elem)
{
	struct store_feed_session	*r = elem;

	r->uid = store_column_strdup(s, 0);
	r->kind = store_column_strdup(s, 1);
	r->status = store_column_strdup(s, 2);
	r->sequence = sqlite3_column_int64(s, 3);
	r->date = store_column_strdup(s, 4);
	r->start_min = sqlite3_column_int(s, 5);
	r->end_min = sqlite3_column_int(s, 6);
	r->room = store_column_strdup(s, 7);
	r->period = store_column_strdup(s, 8);
	r->created_at = sqlite3_column_int64(s, 9);
	r->modified_at = sqlite3_column_int64(s, 10);
	r->school_name = store_column_strdup(s, 11);
	r->coach_id = store_column_strdup(s, 12);
	r->coach_name = store_column_strdup(s, 13);
	r->coach_email = store_column_strdup(s, 14);
	r->teacher_id = store_column_strdup(s, 15);
	r->teacher_name = store_column_strdup(s, 16);
	r->teacher_email = store_column_strdup(s, 17);
	r->class_title = store_column_strdup(s, 18);
	r->class_subject = store_column_strdup(s, 19);
	r->class_room = store_column_strdup(s, 20);
	r->topic = store_column_strdup(s, 21);
}

enum store_status
store_feed_sessions(struct store *st, enum store_feed_kind kind,
    const char *subject, int64_t keep_since, struct store_feed_session **out,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt			*s;
	struct store_feed_session	*v = NULL;
	size_t				 len = 0;
	enum store_status		 ret;

	*out = NULL;
	*n = 0;
	if ((unsigned)kind > STORE_FEED_SCHOOL)
		return store_errf(err, errlen, STORE_INVALID, "bad feed kind");
	if ((s = store_prepare(st, session_sql[kind], err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, keep_since);
	if ((ret = store_collect_into(st, s, &v, &len, sizeof *v,
	    session_from_row, err, errlen)) != STORE_OK) {
		store_feed_sessions_free(v, len);
		return ret;
	}
	*out = v;
	*n = len;
	return STORE_OK;
}

void
store_feed_sessions_free(struct store_feed_session *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].uid);
		free(v[i].kind);
		free(v[i].status);
		free(v[i].date);
		free(v[i].room);
		free(v[i].period);
		free(v[i].school_name);
		free(v[i].coach_id);
		free(v[i].coach_name);
		free(v[i].coach_email);
		free(v[i].teacher_id);
		free(v[i].teacher_name);
		free(v[i].teacher_email);
		free(v[i].class_title);
		free(v[i].class_subject);
		free(v[i].class_room);
		free(v[i].topic);
	}
	free(v);
}
