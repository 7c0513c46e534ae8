/*
 * store_import_int.h: what store_import.c (records written through their
 * store_* functions) and store_import_rows.c (classes, bells and the
 * timetable, upserted row by row) share while one import runs.
 */
#ifndef STORE_IMPORT_INT_H
#define STORE_IMPORT_INT_H

#include "roster.h"
#include "store.h"

/* The kinds an import counts, in the order they are reported. */
enum imp_kind {
	IMP_SCHOOLS,
	IMP_TEACHERS,
	IMP_CLASSES,
	IMP_COACHES,
	IMP_BELLS,
	IMP_TIMETABLE,
	IMP_NKINDS
};

enum imp_outcome {
	IMP_ADDED,
	IMP_UPDATED,
	IMP_UNCHANGED
};

/* State of one import. */
struct imp {
	struct store		*st;
	const struct roster	*r;
	uint32_t		 count[IMP_NKINDS][3];
	char			*err;
	size_t			 errlen;
};

/* Report "file:line: reason" (ret STORE_INVALID / CONFLICT / ERROR). */
enum store_status imp_fail(struct imp *, const char *file, size_t line,
		    enum store_status, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* Report a sourcedId that cannot serve as our id. */
enum store_status imp_bad_id(struct imp *, const char *file, size_t line,
		    const char *id);
void		imp_count(struct imp *, enum imp_kind, enum imp_outcome);
/* Our id of an imported school (teacher): by source_id, else sourced. */
enum store_status imp_school_id(struct imp *, const char *sourced, char *out,
		    size_t outlen);
enum store_status imp_teacher_id(struct imp *, const char *sourced,
		    char *out, size_t outlen);

/* store_import_rows.c: upsert one row of each kind; drop what is gone. */
enum store_status imp_class(struct imp *, const struct roster_class *);
enum store_status imp_bell(struct imp *, const struct roster_bell *);
enum store_status imp_slot(struct imp *, const struct roster_slot *);
enum store_status imp_prune(struct imp *);

#endif
