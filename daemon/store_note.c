/*
 * store_note.c: the confidential coaching notes of a cycle (cycle_notes).
 * The only code that reads the table.  Callers check that the principal
 * is the coach or the teacher of the cycle before calling; nothing here
 * logs the text.
 */
#include <stdlib.h>
#include <string.h>

#include "store_sched.h"

enum store_status
store_note_add(struct store *st, int64_t cycle, const char *author,
    const char *body, int64_t now, Coachd__V1__SchedNote **out, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (body == NULL || *body == '\0' || strlen(body) > 8000)
		return store_errf(err, errlen, STORE_INVALID,
		    "note: text must be 1..8000 bytes");
	s = store_prepare(st, "INSERT INTO cycle_notes (cycle, author, at, "
	    "body) VALUES (?1, ?2, ?3, ?4) RETURNING id, cycle, author, at, "
	    "body AS text", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, cycle);
	sqlite3_bind_text(s, 2, author, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_text(s, 4, body, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*out = store_row_message(s, &coachd__v1__sched_note__descriptor);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

enum store_status
store_note_list(struct store *st, int64_t cycle,
    Coachd__V1__SchedNoteList **out, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "SELECT id, cycle, author, at, body AS text FROM "
	    "cycle_notes WHERE cycle = ?1 ORDER BY id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_int64(s, 1, cycle);
	return store_collect_list(st, s,
	    &coachd__v1__sched_note_list__descriptor, "notes", out, err,
	    errlen);
}
