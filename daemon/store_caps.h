/*
 * store_caps: the SQL of time caps.  Its own tables live in
 * store_caps_schema: activity_log (what coaches log), caps_overrides
 * (runtime caps) and caps_audit (every runtime change and will-not-do
 * override).  Scheduled sessions are read, never written, from the shared
 * sessions table (store_coaching.c).
 *
 * Dates are "YYYY-MM-DD" strings (district local) in SQL and day numbers
 * (caps.h) in the engine; store_caps_date() converts.
 */
#ifndef STORE_CAPS_H
#define STORE_CAPS_H

#include <stddef.h>
#include <stdint.h>

#include "caps.h"
#include "store.h"

extern const struct store_schema store_caps_schema;

#define STORE_CAPS_DATE_LEN	11	/* "YYYY-MM-DD" + NUL */

/* Day number to "YYYY-MM-DD". */
void	store_caps_date(int32_t day, char buf[STORE_CAPS_DATE_LEN]);

/*
 * A coach's time entries: scheduled sessions (category by kind) and log
 * entries.  Entry i's category points into cats[i]; both arrays owned,
 * freed with store_caps_entries_free().
 */
struct store_caps_entries {
	struct caps_entry	*v;
	char			**cats;
	size_t			 n;
	size_t			 cap;
};

/*
 * Append coach's entries in days [from, to]: sessions dated after today
 * are planned, others done; cancelled and declined sessions cancelled.
 */
enum store_status store_caps_entries(struct store *, const char *coach,
		    int32_t from, int32_t to, int32_t today,
		    struct store_caps_entries *out, char *err, size_t errlen);
void		store_caps_entries_free(struct store_caps_entries *);

/* ---- activity_log ---- */

/* Insert e (id ignored); *id gets the new row id. */
enum store_status store_caps_log_add(struct store *,
		    const Coachd__V1__CapsLogEntry *e, int64_t *id, char *err,
		    size_t errlen);
/* A live (not deleted) entry; NOTFOUND otherwise.  Caller frees. */
enum store_status store_caps_log_get(struct store *, int64_t id,
		    Coachd__V1__CapsLogEntry **out, char *err, size_t errlen);
/* Replace category, minutes, date, note, flagged, override of e->id. */
enum store_status store_caps_log_update(struct store *,
		    const Coachd__V1__CapsLogEntry *e, char *err,
		    size_t errlen);
enum store_status store_caps_log_delete(struct store *, int64_t id,
		    int64_t now, char *err, size_t errlen);
/* Live entries of coach in [from, to] by date, id.  Appended to out. */
enum store_status store_caps_log_list(struct store *, const char *coach,
		    const char *from, const char *to, Coachd__V1__CapsLogList *out,
		    char *err, size_t errlen);

/* ---- caps_overrides and caps_audit ---- */

/*
 * Record a runtime cap.  period is "week", "term" or "all" (a "none"
 * spec); a "none" replaces every rule of the scope and category, a period
 * rule replaces the "none" and the rule of the same period.
 */
enum store_status store_caps_override_put(struct store *, const char *scope,
		    const char *scope_id, const char *category,
		    const char *period, const char *spec, const char *by,
		    int64_t now, char *err, size_t errlen);
/* Remove runtime caps (period "" = all of them); *n gets the count. */
enum store_status store_caps_override_del(struct store *, const char *scope,
		    const char *scope_id, const char *category,
		    const char *period, int *n, char *err, size_t errlen);
/* Every runtime cap, in the order set.  Appended to out->rules. */
enum store_status store_caps_override_list(struct store *,
		    Coachd__V1__CapsRuleList *out, char *err, size_t errlen);
enum store_status store_caps_audit(struct store *, const char *who,
		    int64_t now, const char *what, char *err, size_t errlen);

/* ---- roster and sessions, read only ---- */

/* The first (by id) school the coach serves; "" if none.  NOTFOUND for
   an unknown coach. */
enum store_status store_caps_coach_school(struct store *, const char *coach,
		    char *school, size_t len, char *err, size_t errlen);
/* Active coaches (of school, or all when school is NULL), by id. */
enum store_status store_caps_coaches(struct store *, const char *school,
		    char ***ids, size_t *n, char *err, size_t errlen);
/* Active teachers with their last non-cancelled session on or before
   today ("" never).  Appended to out->unseen (days left 0). */
enum store_status store_caps_teachers_seen(struct store *, const char *today,
		    Coachd__V1__CapsDistrictReport *out, char *err,
		    size_t errlen);

/* The schools coach serves (coach_schools), by id; caller frees. */
enum store_status store_caps_coach_schools(struct store *, const char *coach,
		    char ***ids, size_t *n, char *err, size_t errlen);

/* ---- caps_working_time (part-time coaches) ---- */

/* A coach's working minutes per week; *minutes 0 when none is set (the
   policy's working_week applies). */
enum store_status store_caps_working_get(struct store *, const char *coach,
		    long *minutes, char *err, size_t errlen);
/* Set it (minutes > 0) or remove it (minutes <= 0). */
enum store_status store_caps_working_put(struct store *, const char *coach,
		    long minutes, const char *by, int64_t now, char *err,
		    size_t errlen);

#endif
