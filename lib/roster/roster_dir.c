/*
 * roster_dir.c: roster_load_dir(), the one part of the roster module that
 * touches the file system: read each file of a roster folder and hand it
 * to its parser (roster.c, roster_local.c) in dependency order, then
 * roster_finish().
 *
 * The files that grow with the district (users, classes, enrollments:
 * a big city's enrollments.csv holds a million students' rows) are read
 * in parts of whole records, each parsed with the file's header in front
 * of it, so memory holds one part at a time, never the whole file.  The
 * parsers keep only what coachd needs from each row.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/stat.h>

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "roster.h"
#include "roster_int.h"

/* Largest small roster file read whole. */
#define RS_FILE_MAX	((size_t)512 * 1024 * 1024)
/* Body bytes gathered before a part of a big file is parsed. */
#define RS_PART		((size_t)4 * 1024 * 1024)
/* Largest header or single record of a big file. */
#define RS_RECORD_MAX	((size_t)16 * 1024 * 1024)

typedef int (*rs_parse_fn)(struct roster *, const char *, size_t,
    const char *, char *, size_t);

/* The files of a roster folder, in the order they must be parsed. */
static const struct {
	const char	*name;
	int		 required;
	int		 parts;		/* may be parsed in parts */
	rs_parse_fn	 parse;
} rs_files[] = {
	{ "orgs.csv", 1, 0, roster_parse_orgs },
	{ "academicSessions.csv", 0, 0, roster_parse_sessions },
	{ "courses.csv", 0, 0, roster_parse_courses },
	{ "bell_schedules.csv", 0, 0, roster_parse_bells },
	{ "users.csv", 1, 1, roster_parse_users },
	{ "classes.csv", 1, 1, roster_parse_classes },
	{ "enrollments.csv", 1, 1, roster_parse_enrollments },
	{ "timetable.csv", 0, 0, roster_parse_timetable },
	{ "coaches.csv", 0, 0, roster_parse_coaches },
	{ "questions.csv", 0, 0, roster_parse_questions },
};

/*
 * A big file being read in parts: buf holds the header record (hdr_len
 * bytes, once found) and then body bytes read but not yet parsed, of
 * which the first done are whole records ending at line break count
 * done_lines; scan is how far the bytes have been looked at.
 */
struct rs_stream {
	FILE		*f;
	const char	*name;
	char		*buf;
	size_t		 len, cap;
	size_t		 hdr_len;	/* 0 until the header is complete */
	size_t		 scan;		/* next byte to look at */
	size_t		 done;		/* end of the last whole record */
	size_t		 lines;		/* line breaks in [hdr_len, scan) */
	size_t		 done_lines;	/* line breaks in [hdr_len, done) */
	size_t		 first_line;	/* file line of buf[hdr_len] */
	int		 inq;		/* scan is inside quotes */
	int		 rec_blank;	/* nothing but a BOM since last end */
	int		 eof;
};

/* Read more of the file into s->buf; -1 with err on failure. */
static int
rs_fill(struct rs_stream *s, char *err, size_t errlen)
{
	size_t	n;
	char	*nb;

	if (s->cap - s->len < RS_PART) {
		s->cap = s->len + 2 * RS_PART;
		if ((nb = realloc(s->buf, s->cap)) == NULL) {
			snprintf(err, errlen, "%s: out of memory", s->name);
			return -1;
		}
		s->buf = nb;
	}
	n = fread(s->buf + s->len, 1, s->cap - s->len, s->f);
	s->len += n;
	if (n == 0) {
		if (ferror(s->f)) {
			snprintf(err, errlen, "%s: read error: %s", s->name,
			    strerror(errno));
			return -1;
		}
		s->eof = 1;
	}
	return 0;
}

/*
 * Look at the bytes read so far: track quotes and line breaks, note the
 * end of every record that is complete, and the end of the header.  A CR
 * as the last byte waits for the next read (it may start a CRLF).
 */
static void
rs_scan(struct rs_stream *s)
{
	size_t	i = s->scan;
	char	c;

	while (i < s->len) {
		c = s->buf[i];
		if (c == '\r' && i + 1 == s->len && !s->eof)
			break;
		i++;
		if (c == '"') {
			s->inq = !s->inq;
			s->rec_blank = 0;
			continue;
		}
		if (c == '\r' && i < s->len && s->buf[i] == '\n')
			i++;
		else if (c != '\r' && c != '\n') {
			/* the bytes of a leading BOM are not a record */
			if (!(s->first_line == 1 && i <= 3 &&
			    (unsigned char)c >= 0x80))
				s->rec_blank = 0;
			continue;
		}
		if (s->hdr_len == 0)
			s->first_line++;
		else
			s->lines++;
		if (s->inq)
			continue;
		if (s->hdr_len == 0) {
			if (!s->rec_blank)
				s->hdr_len = i;
			s->rec_blank = 1;
			continue;
		}
		s->done = i;
		s->done_lines = s->lines;
	}
	s->scan = i;
}

/* Parse the header plus the whole records gathered, then drop them. */
static int
rs_part(struct roster *r, struct rs_stream *s, size_t end, size_t nlines,
    rs_parse_fn parse, char *err, size_t errlen)
{
	size_t	rest = s->len - end;

	int	rc;

	r->priv->part_hdr = s->hdr_len;
	r->priv->part_line = s->first_line;
	rc = parse(r, s->buf, end, s->name, err, errlen);
	r->priv->part_hdr = r->priv->part_line = 0;
	if (rc == -1)
		return -1;
	memmove(s->buf + s->hdr_len, s->buf + end, rest);
	s->len = s->hdr_len + rest;
	s->scan -= end - s->hdr_len;
	s->first_line += nlines;
	s->lines -= nlines;
	s->done = s->hdr_len;
	s->done_lines = 0;
	return 0;
}

/* Read and parse an open big file in parts of whole records. */
static int
rs_parse_parts(struct roster *r, FILE *f, const char *name,
    rs_parse_fn parse, atomic_int *stop, char *err, size_t errlen)
{
	struct rs_stream	s;
	int			rc = -1, parsed = 0;

	memset(&s, 0, sizeof s);
	s.f = f;
	s.name = name;
	s.first_line = 1;
	s.rec_blank = 1;
	for (;;) {
		if (stop != NULL && atomic_load(stop)) {
			snprintf(err, errlen, "%s: cancelled", name);
			goto out;
		}
		if (rs_fill(&s, err, errlen) == -1)
			goto out;
		rs_scan(&s);
		if (s.eof)
			break;
		if (s.hdr_len != 0 && s.done - s.hdr_len >= RS_PART) {
			if (rs_part(r, &s, s.done, s.done_lines, parse, err,
			    errlen) == -1)
				goto out;
			parsed = 1;
		} else if (s.len - s.done > RS_RECORD_MAX) {
			snprintf(err, errlen, "%s:%zu: record longer than %zu "
			    "bytes (an unterminated quote?)", name,
			    s.first_line + s.done_lines, RS_RECORD_MAX);
			goto out;
		}
	}
	/* The rest, a last record without a line break included. */
	if (!parsed)
		rc = parse(r, s.buf, s.len, name, err, errlen);
	else if (s.len > s.hdr_len)
		rc = rs_part(r, &s, s.len, s.lines, parse, err, errlen);
	else
		rc = 0;
out:
	r->priv->part_hdr = r->priv->part_line = 0;
	free(s.buf);
	return rc;
}

/* Read one file of the folder; 1 when absent, 0 parsed, -1 with err. */
static int
rs_load_file(struct roster *r, const char *dir, size_t k, atomic_int *stop,
    char *err, size_t errlen)
{
	char		 path[4096], *buf = NULL;
	struct stat	 st;
	size_t		 len = 0;
	FILE		*f;
	int		 rd, rc;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
	    rs_files[k].name) >= sizeof path) {
		snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (!rs_files[k].parts) {
		if ((rd = file_read_regular(path, RS_FILE_MAX, &buf, &len,
		    err, errlen)) != 0)
			return rd;
		rc = rs_files[k].parse(r, buf, len, rs_files[k].name, err,
		    errlen);
		free(buf);
		return rc;
	}
	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? 1 : -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return -1;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = rs_parse_parts(r, f, rs_files[k].name, rs_files[k].parse, stop,
	    err, errlen);
	fclose(f);
	return rc;
}

/* Read and parse a roster folder; see roster.h. */
int
roster_load_dir(const char *dir, struct roster *out, char *err,
    size_t errlen)
{
	return roster_load_dir_until(dir, NULL, out, err, errlen);
}

/* roster_load_dir, giving up once *stop is set; see roster.h. */
int
roster_load_dir_until(const char *dir, atomic_int *stop, struct roster *out,
    char *err, size_t errlen)
{
	size_t	i;
	int	rd, rc = -1;

	if (roster_init(out, err, errlen) == -1)
		return -1;
	for (i = 0; i < sizeof rs_files / sizeof rs_files[0]; i++) {
		rd = rs_load_file(out, dir, i, stop, err, errlen);
		if (rd == 1 && !rs_files[i].required)
			continue;
		if (rd != 0)
			goto out;
	}
	rc = roster_finish(out, err, errlen);
out:
	if (rc == -1)
		roster_free(out);
	return rc;
}
