/*
 * csv.h: RFC 4180 CSV parsing into an in-memory table.
 *
 * The whole text is parsed at once into rows of strings.  Every row
 * remembers the physical line it started on, so that the caller can report
 * "file:line: reason" even when quoted fields span several lines.
 */
#ifndef COACHD_CSV_H
#define COACHD_CSV_H

#include <stddef.h>

/* One data record; field[] has exactly csv_table.ncols entries. */
struct csv_row {
	size_t		 line;		/* physical line the record starts on */
	char		**field;	/* NUL-terminated UTF-8, in the arena */
};

/*
 * A parsed file: the header record plus the data records.  All strings
 * live in one arena and all field pointers in one array, both owned by
 * the table; the strings may be modified in place but not freed.
 */
struct csv_table {
	char		*file;		/* owned copy of the name used in errors */
	size_t		 ncols;
	char		**header;	/* surrounding blanks trimmed */
	size_t		 nrows;
	struct csv_row	*rows;
	char		*arena;		/* all field text */
	char		**cells;	/* nrows * ncols field pointers */
};

/*
 * Parse text (len bytes, need not be NUL-terminated) named file in errors.
 * Accepts CRLF, LF or CR line ends, a leading UTF-8 BOM, quoted fields with
 * "" escapes, commas and newlines.  Blank lines are skipped.  The first
 * record is the header; every later record must have as many fields.
 * Returns 0 and fills *t, or -1 with "file:line: reason" in err (and *t
 * left empty, nothing to free).
 */
int		 csv_parse(const char *text, size_t len, const char *file,
		    struct csv_table *t, char *err, size_t errlen);

/*
 * Like csv_parse, for one part of a file too large to hold at once: the
 * first hdr_len bytes of text are the file's header record (line 1), the
 * rest are whole records of the file starting at line first_line, so that
 * lines in rows and errors are the file's own.  hdr_len 0: all of text
 * is the file from its line 1 (csv_parse).
 */
int		 csv_parse_part(const char *text, size_t len, size_t hdr_len,
		    size_t first_line, const char *file, struct csv_table *t,
		    char *err, size_t errlen);

/* Free everything a successful csv_parse() allocated; safe on a zeroed t. */
void		 csv_free(struct csv_table *t);

/* Index of the header column called name (ASCII case-insensitive), or -1. */
int		 csv_col(const struct csv_table *t, const char *name);

#endif /* COACHD_CSV_H */
