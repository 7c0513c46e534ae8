/*
 * store_sched.c: scheduling tables and the SQL of `admin schedule` and the
 * session commands.  Writes happen inside the caller's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "store_sched.h"

static const struct store_migration sched_steps[] = {
	{ 1,
	/* District-wide (school NULL) or one school's closures. */
	"CREATE TABLE sched_closures ("
	"  date TEXT NOT NULL,"
	"  school TEXT REFERENCES schools(id),"
	"  reason TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE UNIQUE INDEX sched_closures_key ON sched_closures(date,"
	"  COALESCE(school, ''));"
	/* When a coach works where; no rows = every period at their schools. */
	"CREATE TABLE coach_availability ("
	"  coach TEXT NOT NULL REFERENCES coaches(id) ON DELETE CASCADE,"
	"  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),"
	"  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),"
	"  end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),"
	"  school TEXT NOT NULL REFERENCES schools(id),"
	"  CHECK (end_min > start_min)"
	");"
	"CREATE INDEX coach_availability_coach ON coach_availability(coach);"
	/* Blocked time and non-coaching duties (lunch duty, PD, ...). */
	"CREATE TABLE coach_blocks ("
	"  id INTEGER PRIMARY KEY,"
	"  coach TEXT NOT NULL REFERENCES coaches(id) ON DELETE CASCADE,"
	"  date TEXT NOT NULL,"
	"  start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),"
	"  end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),"
	"  category TEXT NOT NULL DEFAULT 'duty',"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  CHECK (end_min > start_min)"
	");"
	"CREATE INDEX coach_blocks_coach ON coach_blocks(coach, date);"
	},
};

const struct store_schema store_sched_schema = {
	"sched", sched_steps, sizeof(sched_steps) / sizeof(sched_steps[0])
};

static const char *const queries[] = {
	[SS_Q_ASSIGNED_NO_CYCLE] =
	"SELECT q.id, q.coach, q.teacher FROM questions q "
	"WHERE q.state = 'assigned' AND q.coach IS NOT NULL AND NOT EXISTS "
	"(SELECT 1 FROM cycles c WHERE c.question = q.id AND c.state NOT IN "
	"('done','cancelled')) ORDER BY q.assigned_at, q.id",
	[SS_Q_CYCLES_OPEN] =
	"SELECT c.id, c.coach, c.teacher, COALESCE(q.class, ''), t.school, "
	"c.state, COALESCE(c.question, 0), t.name, co.name, c.model FROM "
	"cycles c "
	"JOIN teachers t ON t.id = c.teacher JOIN coaches co ON co.id = "
	"c.coach LEFT JOIN questions q ON q.id = c.question WHERE c.state IN "
	"('planned','unplaceable','scheduled') ORDER BY c.id",
	[SS_Q_SESSIONS_FROM] =
	"SELECT id, COALESCE(cycle, 0), kind, coach, teacher, school, date, "
	"COALESCE(period, ''), status, uid FROM sessions WHERE date >= ?1 AND "
	"status NOT IN ('cancelled','declined') ORDER BY id",
	[SS_Q_BELLS] =
	"SELECT school, day_type, period, start_min, end_min FROM "
	"bell_periods ORDER BY school, start_min, period",
	[SS_Q_BELLS_SCHOOL] =
	"SELECT school, day_type, period, start_min, end_min FROM "
	"bell_periods WHERE school = ?1 ORDER BY start_min, period",
	[SS_Q_TEACHER_SLOTS] =
	"SELECT day_type, period, kind, COALESCE(class, ''), room FROM "
	"class_periods WHERE teacher = ?1",
	[SS_Q_COACH_SCHOOLS] =
	"SELECT school FROM coach_schools WHERE coach = ?1 ORDER BY school",
	[SS_Q_COACH_AVAIL] =
	"SELECT weekday, start_min, end_min, school FROM coach_availability "
	"WHERE coach = ?1",
	[SS_Q_COACH_BLOCKS] =
	"SELECT date, start_min, end_min FROM coach_blocks WHERE coach = ?1",
	[SS_Q_CLOSURES] =
	"SELECT date FROM sched_closures WHERE school IS NULL ORDER BY date",
	[SS_Q_SCHOOL_CLOSURES] =
	"SELECT date, school FROM sched_closures WHERE school IS NOT NULL",
	[SS_Q_TEACHER_SCHOOL] =
	"SELECT t.school, t.name, COALESCE(s.name, t.school) FROM teachers t "
	"LEFT JOIN schools s ON s.id = t.school WHERE t.id = ?1 AND "
	"t.active = 1",
	[SS_Q_COACH_EXISTS] =
	"SELECT id FROM coaches WHERE id = ?1 AND active = 1",
	[SS_Q_OPEN_CYCLE] =
	"SELECT id FROM cycles WHERE coach = ?1 AND teacher = ?2 AND state "
	"IN ('planned','scheduled','unplaceable') ORDER BY id DESC LIMIT 1",
	/* The caseload as the cap counts it (assigned or in-cycle questions),
	 * and a cycle still open with the teacher. */
	[SS_Q_ON_CASELOAD] =
	"SELECT 1 WHERE EXISTS (SELECT 1 FROM questions WHERE coach = ?1 AND "
	"teacher = ?2 AND state IN ('assigned','in-cycle')) OR EXISTS (SELECT "
	"1 FROM cycles WHERE coach = ?1 AND teacher = ?2 AND state IN "
	"('planned','scheduled','unplaceable'))",
};

enum store_status
store_sched_query(struct store *st, enum store_sched_q q, const char *p1,
    const char *p2, store_sched_row_fn fn, void *arg, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	const char	*cols[16];
	int		 rc, n, i;
	enum store_status ret = STORE_OK;

	if ((s = store_prepare(st, queries[q], err, errlen)) == NULL)
		return STORE_ERROR;
	if (p1 != NULL)
		sqlite3_bind_text(s, 1, p1, -1, SQLITE_STATIC);
	if (p2 != NULL)
		sqlite3_bind_text(s, 2, p2, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n = sqlite3_column_count(s);
		if (n > 16)
			n = 16;
		for (i = 0; i < n; i++) {
			cols[i] = (const char *)sqlite3_column_text(s, i);
			if (cols[i] == NULL)
				cols[i] = "";
		}
		if (fn(arg, n, cols) == -1) {
			ret = store_errf(err, errlen, STORE_ERROR,
			    "query row rejected");
			break;
		}
	}
	if (ret == STORE_OK && rc != SQLITE_DONE)
		ret = store_fail(st, rc, err, errlen);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return ret;
}

enum store_status
store_sched_cycle_create(struct store *st, int64_t question,
    const char *coach, const char *teacher, int64_t now, int64_t *id,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	/* The question's coaching model, '' for the district default. */
	s = store_prepare(st, "INSERT INTO cycles (question, coach, teacher, "
	    "state, created_at, model) VALUES (?1, ?2, ?3, 'planned', ?4, "
	    "COALESCE((SELECT model FROM questions WHERE id = ?1), ''))", err,
	    errlen);
	if (s == NULL)
		return STORE_ERROR;
	if (question > 0)
		sqlite3_bind_int64(s, 1, question);
	else
		sqlite3_bind_null(s, 1);
	sqlite3_bind_text(s, 2, coach, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, teacher, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, now);
	if (store_step_insert(st, s, id, err, errlen) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

enum store_status
store_sched_cycle_state(struct store *st, int64_t id, const char *state,
    const char *reason, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "UPDATE cycles SET state = ?2, reason = ?3 "
	    "WHERE id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
	store_bind_opt(s, 3, reason);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_sched_question_in_cycle(struct store *st, int64_t question,
    const char *actor, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "UPDATE questions SET state = 'in-cycle' "
	    "WHERE id = ?1 AND state = 'assigned'", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, question);
	if (store_step_done(st, s, err, errlen) != STORE_OK)
		return STORE_ERROR;
	if (sqlite3_changes(store_db(st)) == 0)
		return STORE_OK;	/* already moved on */
	s = store_prepare(st, "INSERT INTO question_events (question, "
	    "from_state, to_state, actor, at, note) VALUES (?1, 'assigned', "
	    "'in-cycle', ?2, ?3, 'cycle scheduled')", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, question);
	sqlite3_bind_text(s, 2, actor, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	return store_step_done(st, s, err, errlen);
}

/* A fresh iCalendar UID: 128 random bits in hex, "@coachd". */
static int
new_uid(char *buf, size_t len)
{
	unsigned char	r[16];
	size_t		i;

	if (len < 40 || RAND_bytes(r, sizeof(r)) != 1)
		return -1;
	for (i = 0; i < sizeof(r); i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
	strcpy(buf + 32, "@coachd");
	return 0;
}

enum store_status
store_sched_session_insert(struct store *st,
    const struct store_sched_session *ss, int64_t now, int64_t *id,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	char		 uid[64];

	if (new_uid(uid, sizeof(uid)) == -1)
		return store_errf(err, errlen, STORE_ERROR,
		    "no randomness for a session uid");
	s = store_prepare(st, "INSERT INTO sessions (uid, cycle, kind, coach, "
	    "teacher, school, room, class, date, period, start_min, end_min, "
	    "status, sequence, initiated_by, published, created_at, "
	    "modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
	    "?11, ?12, ?13, 0, ?14, 1, ?15, ?15)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, uid, -1, SQLITE_TRANSIENT);
	if (ss->cycle > 0)
		sqlite3_bind_int64(s, 2, ss->cycle);
	else
		sqlite3_bind_null(s, 2);
	sqlite3_bind_text(s, 3, ss->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, ss->coach, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ss->teacher, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, ss->school, -1, SQLITE_STATIC);
	store_bind_opt(s, 7, ss->room);
	store_bind_opt(s, 8, ss->class_id);
	sqlite3_bind_text(s, 9, ss->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, ss->period, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 11, ss->start_min);
	sqlite3_bind_int(s, 12, ss->end_min);
	sqlite3_bind_text(s, 13, ss->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 14, ss->initiated_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 15, now);
	if (store_step_insert(st, s, id, err, errlen) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

enum store_status
store_sched_session_move(struct store *st, int64_t id, const char *date,
    const char *period, int start_min, int end_min, const char *room,
    const char *class_id, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	char		 what[32];

	s = store_prepare(st, "UPDATE sessions SET date = ?2, period = ?3, "
	    "start_min = ?4, end_min = ?5, room = COALESCE(?6, room), "
	    "class = COALESCE(?7, class), sequence = sequence + 1, "
	    "modified_at = ?8 WHERE id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, period, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, start_min);
	sqlite3_bind_int(s, 5, end_min);
	store_bind_opt(s, 6, room);
	store_bind_opt(s, 7, class_id);
	sqlite3_bind_int64(s, 8, now);
	snprintf(what, sizeof(what), "%lld", (long long)id);
	return store_update_one(st, s, "session", what, err, errlen);
}

enum store_status
store_sched_session_status(struct store *st, int64_t id, const char *status,
    int bump, int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	char		 what[32];

	s = store_prepare(st, "UPDATE sessions SET status = ?2, sequence = "
	    "sequence + ?3, modified_at = ?4, cancelled_at = CASE WHEN ?2 = "
	    "'cancelled' THEN ?4 ELSE cancelled_at END WHERE id = ?1", err,
	    errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, bump ? 1 : 0);
	sqlite3_bind_int64(s, 4, now);
	snprintf(what, sizeof(what), "%lld", (long long)id);
	return store_update_one(st, s, "session", what, err, errlen);
}

/* Columns of a session, named as the SchedSession fields. */
#define SESSION_COLS \
	"s.id AS id, s.uid AS uid, COALESCE(s.cycle, 0) AS cycle, " \
	"s.kind AS kind, s.coach AS coach, s.teacher AS teacher, " \
	"s.school AS school, s.room AS room, s.class AS class_id, " \
	"s.date AS date, s.period AS period, s.start_min AS start_min, " \
	"s.end_min AS end_min, s.status AS status, s.sequence AS sequence, " \
	"s.initiated_by AS initiated_by, co.name AS coach_name, " \
	"t.name AS teacher_name " \
	"FROM sessions s JOIN coaches co ON co.id = s.coach JOIN teachers t " \
	"ON t.id = s.teacher "

enum store_status
store_sched_session_get(struct store *st, int64_t id,
    Coachd__V1__SchedSession **out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "SELECT " SESSION_COLS "WHERE s.id = ?1", err,
	    errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, id);
	return store_get_message(st, s, &coachd__v1__sched_session__descriptor,
	    "session", id, out, err, errlen);
}

enum store_status
store_sched_session_list(struct store *st, const char *coach,
    const char *teacher, const char *from, const char *to,
    int include_cancelled, Coachd__V1__SchedSessionList **out, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "SELECT " SESSION_COLS "WHERE (?1 = '' OR "
	    "s.coach = ?1) AND (?2 = '' OR s.teacher = ?2) AND (?3 = '' OR "
	    "s.date >= ?3) AND (?4 = '' OR s.date <= ?4) AND (?5 OR s.status "
	    "NOT IN ('cancelled','declined')) ORDER BY s.date, s.start_min, "
	    "s.id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach != NULL ? coach : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, teacher != NULL ? teacher : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(s, 3, from != NULL ? from : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, to != NULL ? to : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, include_cancelled ? 1 : 0);
	return store_collect_list(st, s,
	    &coachd__v1__sched_session_list__descriptor, "sessions", out, err,
	    errlen);
}

enum store_status
store_sched_conflict(struct store *st, int teacher_col, const char *person,
    const char *date, int start_min, int end_min, int64_t exclude,
    int *found, struct store_sched_clash *clash, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	s = store_prepare(st, teacher_col ?
	    "SELECT id, kind, date, COALESCE(period, ''), coach, teacher "
	    "FROM sessions WHERE teacher = ?1 AND date = ?2 AND start_min < ?4 "
	    "AND end_min > ?3 AND id != ?5 AND status NOT IN ('cancelled',"
	    "'declined') LIMIT 1" :
	    "SELECT id, kind, date, COALESCE(period, ''), coach, teacher "
	    "FROM sessions WHERE coach = ?1 AND date = ?2 AND start_min < ?4 "
	    "AND end_min > ?3 AND id != ?5 AND status NOT IN ('cancelled',"
	    "'declined') LIMIT 1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, person, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, start_min);
	sqlite3_bind_int(s, 4, end_min);
	sqlite3_bind_int64(s, 5, exclude);
	rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	memset(clash, 0, sizeof(*clash));
	if (*found) {
		clash->id = sqlite3_column_int64(s, 0);
		snprintf(clash->what, sizeof(clash->what),
		    "%s %s %s (session %lld)",
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2),
		    (const char *)sqlite3_column_text(s, 3),
		    (long long)clash->id);
		snprintf(clash->coach, sizeof(clash->coach), "%s",
		    (const char *)sqlite3_column_text(s, 4));
		snprintf(clash->teacher, sizeof(clash->teacher), "%s",
		    (const char *)sqlite3_column_text(s, 5));
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

/* ---- calendar maintenance ------------------------------------------------ */

static enum store_status
check_minutes(const char *what, uint32_t a, uint32_t b, char *err,
    size_t errlen)
{
	if (a >= 1440 || b > 1440 || b <= a)
		return store_errf(err, errlen, STORE_INVALID, "%s: the end "
		    "must come after the start, within one day", what);
	return STORE_OK;
}

static enum store_status
check_exists(struct store *st, const char *sql, const char *what,
    const char *id, char *err, size_t errlen)
{
	int	r;

	if ((r = store_exists(st, sql, id, err, errlen)) == -1)
		return STORE_ERROR;
	if (r == 0)
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "%s '%s' not found", what, id);
	return STORE_OK;
}

enum store_status
store_sched_block_add(struct store *st, Coachd__V1__SchedBlock *b,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if ((ret = check_exists(st, "SELECT 1 FROM coaches WHERE id = ?1",
	    "coach", b->coach, err, errlen)) != STORE_OK ||
	    (ret = check_minutes("block", b->start_min, b->end_min, err,
	    errlen)) != STORE_OK ||
	    (ret = store_check_text("block", b->coach, "category",
	    b->category, 0, err, errlen)) != STORE_OK ||
	    (ret = store_check_text("block", b->coach, "reason", b->reason, 0,
	    err, errlen)) != STORE_OK)
		return ret;
	s = store_prepare(st, "INSERT INTO coach_blocks (coach, date, "
	    "start_min, end_min, category, reason) VALUES (?1, ?2, ?3, ?4, "
	    "COALESCE(NULLIF(?5, ''), 'duty'), ?6)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, b->coach, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, b->date, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, (int)b->start_min);
	sqlite3_bind_int(s, 4, (int)b->end_min);
	sqlite3_bind_text(s, 5, b->category, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, b->reason, -1, SQLITE_STATIC);
	if (store_step_insert(st, s, &b->id, err, errlen) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

enum store_status
store_sched_avail_set(struct store *st, const Coachd__V1__SchedAvailability *a,
    char *err, size_t errlen)
{
	const Coachd__V1__SchedAvailRow	*r;
	sqlite3_stmt			*s;
	enum store_status		 ret;
	size_t				 i;

	if ((ret = check_exists(st, "SELECT 1 FROM coaches WHERE id = ?1",
	    "coach", a->coach, err, errlen)) != STORE_OK)
		return ret;
	for (i = 0; i < a->n_rows; i++) {
		r = a->rows[i];
		if (r->weekday > 6)
			return store_errf(err, errlen, STORE_INVALID,
			    "availability: weekday %u (0 = Monday .. 6)",
			    r->weekday);
		if ((ret = check_minutes("availability", r->start_min,
		    r->end_min, err, errlen)) != STORE_OK ||
		    (ret = check_exists(st, "SELECT 1 FROM schools WHERE id "
		    "= ?1", "school", r->school, err, errlen)) != STORE_OK)
			return ret;
	}
	if ((s = store_prepare(st, "DELETE FROM coach_availability WHERE "
	    "coach = ?1", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, a->coach, -1, SQLITE_STATIC);
	if (store_step_done(st, s, err, errlen) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < a->n_rows; i++) {
		r = a->rows[i];
		s = store_prepare(st, "INSERT INTO coach_availability (coach, "
		    "weekday, start_min, end_min, school) VALUES (?1, ?2, ?3, "
		    "?4, ?5)", err, errlen);
		if (s == NULL)
			return STORE_ERROR;
		sqlite3_bind_text(s, 1, a->coach, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, (int)r->weekday);
		sqlite3_bind_int(s, 3, (int)r->start_min);
		sqlite3_bind_int(s, 4, (int)r->end_min);
		sqlite3_bind_text(s, 5, r->school, -1, SQLITE_STATIC);
		if (store_step_done(st, s, err, errlen) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

enum store_status
store_sched_closure_add(struct store *st, const Coachd__V1__SchedClosure *c,
    char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if (c->school[0] != '\0' && (ret = check_exists(st, "SELECT 1 FROM "
	    "schools WHERE id = ?1", "school", c->school, err, errlen)) !=
	    STORE_OK)
		return ret;
	if ((ret = store_check_text("closure", c->date, "reason", c->reason,
	    0, err, errlen)) != STORE_OK)
		return ret;
	s = store_prepare(st, "INSERT OR REPLACE INTO sched_closures (date, "
	    "school, reason) VALUES (?1, ?2, ?3)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, c->date, -1, SQLITE_STATIC);
	store_bind_opt(s, 2, c->school);
	sqlite3_bind_text(s, 3, c->reason, -1, SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}
