/*
 * store_sched_cal.c: listing and removing the calendar rows `admin
 * schedule` reads (coach_availability, coach_blocks, sched_closures;
 * tables created by store_sched.c).  Adding them is in store_sched.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sched.h"
#include "xmalloc.h"

/* Append one message pointer to a protobuf repeated field. */
#define CAL_PUSH(arr, n, item) do {					\
	(arr) = xreallocarray((arr), (n) + 1, sizeof(*(arr)));		\
	(arr)[(n)++] = (item);						\
} while (0)

/*
 * Availability groups rows by coach, so each row either extends the last
 * coach's list or starts a new one; store_collect() cannot express that.
 */
static enum store_status
list_avail(struct store *st, const char *coach, Coachd__V1__SchedCalendar *c,
    char *err, size_t errlen)
{
	Coachd__V1__SchedAvailability	*a = NULL;
	Coachd__V1__SchedAvailRow	*r;
	sqlite3_stmt			*s;
	const char			*who;
	int				 rc;

	if ((s = store_prepare(st, "SELECT coach, weekday, start_min, "
	    "end_min, school FROM coach_availability WHERE ?1 = '' OR coach "
	    "= ?1 ORDER BY coach, weekday, start_min", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((who = (const char *)sqlite3_column_text(s, 0)) == NULL)
			who = "";
		if (a == NULL || strcmp(a->coach, who) != 0) {
			a = xcalloc(1, sizeof(*a));
			coachd__v1__sched_availability__init(a);
			a->coach = store_column_strdup(s, 0);
			CAL_PUSH(c->availability, c->n_availability, a);
		}
		r = xcalloc(1, sizeof(*r));
		coachd__v1__sched_avail_row__init(r);
		r->weekday = (uint32_t)sqlite3_column_int(s, 1);
		r->start_min = (uint32_t)sqlite3_column_int(s, 2);
		r->end_min = (uint32_t)sqlite3_column_int(s, 3);
		r->school = store_column_strdup(s, 4);
		CAL_PUSH(a->rows, a->n_rows, r);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : store_fail(st, rc, err, errlen);
}

static enum store_status
list_blocks(struct store *st, const char *coach, const char *from,
    Coachd__V1__SchedCalendar *c, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "SELECT id, coach, date, start_min, "
	    "end_min, category, reason FROM coach_blocks WHERE (?1 = '' OR "
	    "coach = ?1) AND date >= ?2 ORDER BY date, start_min, id", err,
	    errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, coach, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, from, -1, SQLITE_TRANSIENT);
	return store_collect_messages(st, s,
	    &coachd__v1__sched_block__descriptor, &c->blocks, &c->n_blocks,
	    err, errlen);
}

static enum store_status
list_closures(struct store *st, const char *from,
    Coachd__V1__SchedCalendar *c, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, "SELECT date, COALESCE(school, '') AS "
	    "school, reason FROM sched_closures WHERE date >= ?1 ORDER BY date, "
	    "COALESCE(school, '')", err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, from, -1, SQLITE_TRANSIENT);
	return store_collect_messages(st, s,
	    &coachd__v1__sched_closure__descriptor, &c->closures,
	    &c->n_closures, err, errlen);
}

enum store_status
store_sched_calendar_list(struct store *st, const char *coach,
    const char *from, Coachd__V1__SchedCalendar **out, char *err,
    size_t errlen)
{
	Coachd__V1__SchedCalendar	*c;
	enum store_status		 ret;

	c = xcalloc(1, sizeof(*c));
	coachd__v1__sched_calendar__init(c);
	*out = c;
	if ((ret = list_avail(st, coach, c, err, errlen)) != STORE_OK ||
	    (ret = list_blocks(st, coach, from, c, err, errlen)) != STORE_OK)
		return ret;
	return list_closures(st, from, c, err, errlen);
}

enum store_status
store_sched_calendar_remove(struct store *st,
    const Coachd__V1__SchedCalendarRemove *r, const char *only_coach,
    unsigned *n, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	const char		*sql;

	*n = 0;
	if (strcmp(r->what, "block") == 0)
		sql = "DELETE FROM coach_blocks WHERE id = ?1 AND (?2 = '' OR "
		    "coach = ?2)";
	else if (strcmp(r->what, "availability") == 0)
		sql = "DELETE FROM coach_availability WHERE coach = ?3 AND "
		    "(?4 < 0 OR weekday = ?4) AND (?2 = '' OR coach = ?2)";
	else if (strcmp(r->what, "closure") == 0)
		sql = "DELETE FROM sched_closures WHERE date = ?5 AND "
		    "COALESCE(school, '') = ?6";
	else
		return store_errf(err, errlen, STORE_INVALID, "remove what? "
		    "'%s' (block, availability or closure)", r->what);
	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	/* every statement numbers its parameters alike; unused ones bind */
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_text(s, 2, only_coach, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_text(s, 3, r->coach, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(s) >= 4)
		sqlite3_bind_int(s, 4, r->weekday);
	if (sqlite3_bind_parameter_count(s) >= 5)
		sqlite3_bind_text(s, 5, r->date, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(s) >= 6)
		sqlite3_bind_text(s, 6, r->school, -1, SQLITE_TRANSIENT);
	if ((ret = store_step_done(st, s, err, errlen)) != STORE_OK)
		return ret;
	*n = (unsigned)sqlite3_changes(store_db(st));
	if (*n == 0)
		return store_errf(err, errlen, STORE_NOTFOUND, "no such %s%s",
		    r->what, only_coach[0] != '\0' ? " of yours" : "");
	return STORE_OK;
}
