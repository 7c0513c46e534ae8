/*
 * store_caps.c: SQL of time caps: coaches' log entries, runtime
 * caps with their audit trail, and the read-only queries over sessions
 * and the roster that caps and reports need.  Log notes are selected only
 * by the log queries: reports never read the note column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_caps.h"
#include "xmalloc.h"

static const struct store_migration caps_steps[] = {
	{ 1,
	"CREATE TABLE activity_log ("
	"  id INTEGER PRIMARY KEY,"
	"  coach TEXT NOT NULL REFERENCES coaches(id),"
	"  category TEXT NOT NULL,"
	"  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),"
	"  date TEXT NOT NULL,"		/* YYYY-MM-DD, district local */
	"  note TEXT NOT NULL DEFAULT '',"	/* the coach's own text */
	"  created_at INTEGER NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  flagged INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0,1)),"
	"  override INTEGER NOT NULL DEFAULT 0 CHECK (override IN (0,1)),"
	"  deleted_at INTEGER"
	");"
	"CREATE INDEX activity_log_coach ON activity_log(coach, date);"
	"CREATE TABLE caps_overrides ("
	"  scope TEXT NOT NULL CHECK (scope IN ('district','school','coach')),"
	"  scope_id TEXT NOT NULL,"	/* '' for the district */
	"  category TEXT NOT NULL,"
	"  period TEXT NOT NULL CHECK (period IN ('week','term','all')),"
	"  spec TEXT NOT NULL,"
	"  set_by TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL,"
	"  PRIMARY KEY (scope, scope_id, category, period)"
	");"
	"CREATE TABLE caps_audit ("
	"  id INTEGER PRIMARY KEY,"
	"  who TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  what TEXT NOT NULL"
	");"
	},
	{ 2,
	/* part-time coaches: minutes per week; no row = [settings]
	   working_week */
	"CREATE TABLE caps_working_time ("
	"  coach TEXT PRIMARY KEY REFERENCES coaches(id),"
	"  minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 10080),"
	"  set_by TEXT NOT NULL,"
	"  set_at INTEGER NOT NULL"
	");"
	},
	{ 3,
	/* coaches serving several schools: the school the time was for,
	   '' when not said (then the strictest school's caps apply) */
	"ALTER TABLE activity_log ADD COLUMN school TEXT NOT NULL"
	"  DEFAULT '';"
	},
};

const struct store_schema store_caps_schema = {
	"caps", caps_steps, sizeof caps_steps / sizeof caps_steps[0]
};

/* Civil date of a day number (days since 1970-01-01). */
void
store_caps_date(int32_t day, char buf[STORE_CAPS_DATE_LEN])
{
	long	z = (long)day + 719468, era, doe, yoe, y, doy, mp, d, m;
	char	tmp[64];

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(tmp, sizeof tmp, "%04ld-%02ld-%02ld", y, m, d);
	snprintf(buf, STORE_CAPS_DATE_LEN, "%.10s", tmp);
}

/* Append an entry; it takes cat, a heap string. */
static void
entries_push(struct store_caps_entries *out, char *cat, int minutes,
    int32_t day, enum caps_source src, enum caps_entry_state state,
    int override)
{
	struct caps_entry	*e;
	size_t			 i;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 32;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
		out->cats = xreallocarray(out->cats, out->cap,
		    sizeof *out->cats);
		/* categories point into cats: re-point after the move */
		for (i = 0; i < out->n; i++)
			out->v[i].category = out->cats[i];
	}
	out->cats[out->n] = cat;
	e = &out->v[out->n];
	memset(e, 0, sizeof *e);
	e->category = out->cats[out->n];
	e->minutes = minutes;
	e->day = day;
	e->source = src;
	e->state = state;
	e->override = override;
	out->n++;
}

void
store_caps_entries_free(struct store_caps_entries *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		free(e->cats[i]);
	free(e->cats);
	free(e->v);
	memset(e, 0, sizeof *e);
}

enum store_status
store_caps_entries(struct store *st, const char *coach, int32_t from,
    int32_t to, int32_t today, struct store_caps_entries *out, char *err,
    size_t errlen)
{
	static const char *qs =
	    "SELECT CASE kind WHEN 'meeting' THEN 'cycle-meeting'"
	    " ELSE kind END, end_min - start_min, date, status"
	    " FROM sessions WHERE coach = ?1 AND date BETWEEN ?2 AND ?3"
	    " ORDER BY date, start_min, id";
	static const char *ql =
	    "SELECT category, minutes, date, override FROM activity_log"
	    " WHERE coach = ?1 AND deleted_at IS NULL"
	    " AND date BETWEEN ?2 AND ?3 ORDER BY date, id";
	sqlite3_stmt		*s;
	char			 f[STORE_CAPS_DATE_LEN], t[STORE_CAPS_DATE_LEN];
	const char		*status;
	enum caps_entry_state	 state;
	int32_t			 day;
	int			 rc, pass;

	store_caps_date(from, f);
	store_caps_date(to, t);
	for (pass = 0; pass < 2; pass++) {
		if ((s = store_prepare(st, pass == 0 ? qs : ql, err,
		    errlen)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 2, f, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, t, -1, SQLITE_TRANSIENT);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			if (caps_parse_date((const char *)
			    sqlite3_column_text(s, 2), &day, NULL, 0) == -1)
				continue;	/* not a date: cannot count */
			if (pass == 0) {
				status = (const char *)sqlite3_column_text(s,
				    3);
				if (strcmp(status, "cancelled") == 0 ||
				    strcmp(status, "declined") == 0)
					state = CAPS_ENTRY_CANCELLED;
				else if (day > today)
					state = CAPS_ENTRY_PLANNED;
				else
					state = CAPS_ENTRY_DONE;
				entries_push(out, store_column_strdup(s, 0),
				    sqlite3_column_int(s, 1), day,
				    CAPS_SCHEDULED, state, 0);
			} else
				entries_push(out, store_column_strdup(s, 0),
				    sqlite3_column_int(s, 1), day,
				    CAPS_LOGGED, CAPS_ENTRY_DONE,
				    sqlite3_column_int(s, 3));
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, err, errlen);
	}
	return STORE_OK;
}

/* ---- activity_log --------------------------------------------------------- */

enum store_status
store_caps_log_add(struct store *st, const Coachd__V1__CapsLogEntry *e,
    int64_t *id, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "INSERT INTO activity_log (coach,"
	    " category, minutes, date, note, created_at, created_by, flagged,"
	    " override, school) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10)", err,
	    errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, e->coach, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, e->category, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, (int)e->minutes);
	sqlite3_bind_text(s, 4, e->date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, e->note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, e->created_at);
	sqlite3_bind_text(s, 7, e->created_by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 8, e->flagged ? 1 : 0);
	sqlite3_bind_int(s, 9, e->override ? 1 : 0);
	sqlite3_bind_text(s, 10, e->school, -1, SQLITE_TRANSIENT);
	return store_step_insert(st, s, id, err, errlen);
}

/* Columns of activity_log, named as the CapsLogEntry fields. */
#define LOG_COLS "id, coach, category, minutes, date, note, flagged," \
	" override, created_at, created_by, school"

enum store_status
store_caps_log_get(struct store *st, int64_t id,
    Coachd__V1__CapsLogEntry **out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	*out = NULL;
	if ((s = store_prepare(st, "SELECT " LOG_COLS " FROM activity_log"
	    " WHERE id = ?1 AND deleted_at IS NULL", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return store_get_message(st, s, &coachd__v1__caps_log_entry__descriptor,
	    "log entry", id, out, err, errlen);
}

enum store_status
store_caps_log_update(struct store *st, const Coachd__V1__CapsLogEntry *e,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	char			 id[32];

	if ((s = store_prepare(st, "UPDATE activity_log SET category = ?2,"
	    " minutes = ?3, date = ?4, note = ?5, flagged = ?6, override = ?7,"
	    " school = ?8 WHERE id = ?1 AND deleted_at IS NULL", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, e->id);
	sqlite3_bind_text(s, 2, e->category, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, (int)e->minutes);
	sqlite3_bind_text(s, 4, e->date, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, e->note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 6, e->flagged ? 1 : 0);
	sqlite3_bind_int(s, 7, e->override ? 1 : 0);
	sqlite3_bind_text(s, 8, e->school, -1, SQLITE_TRANSIENT);
	snprintf(id, sizeof id, "%lld", (long long)e->id);
	return store_update_one(st, s, "log entry", id, err, errlen);
}

enum store_status
store_caps_log_delete(struct store *st, int64_t id, int64_t now, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	char		 ids[32];

	if ((s = store_prepare(st, "UPDATE activity_log SET deleted_at = ?2"
	    " WHERE id = ?1 AND deleted_at IS NULL", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	return store_update_one(st, s, "log entry", ids, err, errlen);
}

enum store_status
store_caps_log_list(struct store *st, const char *coach, const char *from,
    const char *to, Coachd__V1__CapsLogList *out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "SELECT " LOG_COLS " FROM activity_log"
	    " WHERE coach = ?1 AND deleted_at IS NULL AND date BETWEEN ?2"
	    " AND ?3 ORDER BY date, id", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, to, -1, SQLITE_TRANSIENT);
	return store_collect_messages(st, s,
	    &coachd__v1__caps_log_entry__descriptor, &out->entries,
	    &out->n_entries, err, errlen);
}

/* ---- caps_overrides, caps_audit ---------------------------------------- */

/* ?1..?4 of the caps_overrides statements: the rule's key. */
static void
bind_rule_key(sqlite3_stmt *s, const char *scope, const char *scope_id,
    const char *category, const char *period)
{
	sqlite3_bind_text(s, 1, scope, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, scope_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 3, category, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, period, -1, SQLITE_TRANSIENT);
}

enum store_status
store_caps_override_put(struct store *st, const char *scope,
    const char *scope_id, const char *category, const char *period,
    const char *spec, const char *by, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	/* "none" replaces both periods; a period rule replaces "none" */
	if ((s = store_prepare(st, "DELETE FROM caps_overrides WHERE"
	    " scope = ?1 AND scope_id = ?2 AND category = ?3 AND"
	    " (?4 = 'all' OR period IN (?4, 'all'))", err, errlen)) == NULL)
		return STORE_ERROR;
	bind_rule_key(s, scope, scope_id, category, period);
	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
		return ret;
	if ((s = store_prepare(st, "INSERT INTO caps_overrides (scope,"
	    " scope_id, category, period, spec, set_by, set_at) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7)", err, errlen)) == NULL)
		return STORE_ERROR;
	bind_rule_key(s, scope, scope_id, category, period);
	sqlite3_bind_text(s, 5, spec, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 7, now);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_caps_override_del(struct store *st, const char *scope,
    const char *scope_id, const char *category, const char *period, int *n,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if ((s = store_prepare(st, "DELETE FROM caps_overrides WHERE"
	    " scope = ?1 AND scope_id = ?2 AND category = ?3 AND"
	    " (?4 = '' OR period = ?4)", err, errlen)) == NULL)
		return STORE_ERROR;
	bind_rule_key(s, scope, scope_id, category, period);
	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
		return ret;
	*n = sqlite3_changes(store_db(st));
	return STORE_OK;
}

enum store_status
store_caps_override_list(struct store *st, Coachd__V1__CapsRuleList *out,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "SELECT scope, scope_id, category, spec,"
	    " 'runtime' AS source, set_by, set_at FROM caps_overrides"
	    " ORDER BY set_at, rowid", err, errlen)) == NULL)
		return STORE_ERROR;
	return store_collect_messages(st, s, &coachd__v1__caps_rule__descriptor,
	    &out->rules, &out->n_rules, err, errlen);
}

enum store_status
store_caps_audit(struct store *st, const char *who, int64_t now,
    const char *what, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "INSERT INTO caps_audit (who, at, what)"
	    " VALUES (?1, ?2, ?3)", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, who, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_text(s, 3, what, -1, SQLITE_TRANSIENT);
	return store_step_done(st, s, err, errlen);
}

/* ---- roster and sessions, read only ------------------------------------- */

enum store_status
store_caps_coach_school(struct store *st, const char *coach, char *school,
    size_t len, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	school[0] = '\0';
	if ((s = store_prepare(st, "SELECT c.id, (SELECT min(school) FROM"
	    " coach_schools WHERE coach = c.id) FROM coaches c WHERE"
	    " c.id = ?1", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_text(s, 1) != NULL)
		snprintf(school, len, "%s", sqlite3_column_text(s, 1));
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE)
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "coach '%s' not found", coach);
	return store_fail(st, rc, err, errlen);
}

/* Ids of a one-column query with one optional text parameter. */
static enum store_status
ids_query(struct store *st, const char *sql, const char *arg, char ***ids,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	*ids = NULL;
	*n = 0;
	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	if (arg != NULL)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, 1);
	return store_collect(st, s, ids, n, store_column0, err, errlen);
}

enum store_status
store_caps_coaches(struct store *st, const char *school, char ***ids,
    size_t *n, char *err, size_t errlen)
{
	return ids_query(st, "SELECT id FROM coaches WHERE active = 1"
	    " AND (?1 IS NULL OR id IN (SELECT coach FROM coach_schools"
	    " WHERE school = ?1)) ORDER BY id", school, ids, n, err, errlen);
}

enum store_status
store_caps_coach_schools(struct store *st, const char *coach, char ***ids,
    size_t *n, char *err, size_t errlen)
{
	return ids_query(st, "SELECT school FROM coach_schools WHERE"
	    " coach = ?1 ORDER BY school", coach, ids, n, err, errlen);
}

enum store_status
store_caps_teachers_seen(struct store *st, const char *today,
    Coachd__V1__CapsDistrictReport *out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "SELECT t.id AS teacher, t.name AS name,"
	    " t.school AS school, (SELECT max(date) FROM sessions s WHERE"
	    " s.teacher = t.id AND s.status NOT IN ('cancelled', 'declined')"
	    " AND s.date <= ?1) AS last_seen FROM teachers t"
	    " WHERE t.active = 1 ORDER BY t.id", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, today, -1, SQLITE_TRANSIENT);
	return store_collect_messages(st, s,
	    &coachd__v1__caps_unseen_teacher__descriptor, &out->unseen,
	    &out->n_unseen, err, errlen);
}

/* ---- caps_working_time ---- */

enum store_status
store_caps_working_get(struct store *st, const char *coach, long *minutes,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	*minutes = 0;
	if ((s = store_prepare(st, "SELECT minutes FROM caps_working_time"
	    " WHERE coach = ?1", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*minutes = (long)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return STORE_OK;
	return store_fail(st, rc, err, errlen);
}

enum store_status
store_caps_working_put(struct store *st, const char *coach, long minutes,
    const char *by, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if (minutes <= 0) {
		if ((s = store_prepare(st, "DELETE FROM caps_working_time"
		    " WHERE coach = ?1", err, errlen)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
		return store_step_done(st, s, err, errlen);
	}
	if ((s = store_prepare(st, "INSERT OR REPLACE INTO caps_working_time"
	    " (coach, minutes, set_by, set_at) VALUES (?1, ?2, ?3, ?4)", err,
	    errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 2, minutes);
	sqlite3_bind_text(s, 3, by, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, now);
	return store_step_done(st, s, err, errlen);
}
