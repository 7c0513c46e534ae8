/*
 * csv.c: RFC 4180 CSV reader used by the roster import.
 *
 * Strict where a lenient reader would silently change data (a stray quote
 * inside an unquoted field, an unterminated quote, a short row, bytes that
 * are not UTF-8), lenient where spreadsheets differ harmlessly (CRLF vs LF,
 * a BOM, a missing final newline, blank lines).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"

/*
 * Parse state.  Field text is copied into one arena allocated up front at
 * its largest possible size (every byte of input plus a NUL per field), so
 * it never moves and cells can point straight into it: one allocation for
 * all the text instead of one per field, which is what keeps a
 * million-row enrolment file affordable.
 */
struct csv_state {
	char	*arena;
	size_t	 pos;		/* next free byte of the arena */
	char	**rec;		/* fields of the record being read */
	size_t	 nrec;
	size_t	 reccap;
	size_t	 cellcap;	/* capacity of t->cells, in cells */
	size_t	 rowcap;	/* capacity of t->rows */
};

static void	csv_err(char *, size_t, const char *, size_t, const char *, ...)
		    __attribute__((format(printf, 5, 6)));

/* Format "file:line: reason" into err. */
static void
csv_err(char *err, size_t errlen, const char *file, size_t line,
    const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s:%zu: %s", file, line, msg);
}

/* End the field being written at st->pos and add it to the record. */
static int
csv_field_end(struct csv_state *st, size_t start)
{
	char	**nr;
	size_t	  ncap;

	st->arena[st->pos++] = '\0';
	if (st->nrec == st->reccap) {
		ncap = st->reccap ? st->reccap * 2 : 16;
		if ((nr = realloc(st->rec, ncap * sizeof *nr)) == NULL)
			return -1;
		st->rec = nr;
		st->reccap = ncap;
	}
	st->rec[st->nrec++] = st->arena + start;
	return 0;
}

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if it is
 * not valid.  Overlong forms and surrogates are rejected so that the store
 * and the calendar feeds only ever see well-formed text.
 */
static size_t
csv_utf8_len(const unsigned char *s, size_t n)
{
	size_t		need, i;
	uint32_t	cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/*
 * Check the whole text is UTF-8 without NUL bytes; report the bad line
 * (the text's first line is line).
 */
static int
csv_check_text(const char *text, size_t len, size_t line, const char *file,
    char *err, size_t errlen)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 i = 0, n;

	while (i < len) {
		if (s[i] == '\0') {
			csv_err(err, errlen, file, line, "NUL byte in text");
			return -1;
		}
		if (s[i] == '\n' || (s[i] == '\r' &&
		    (i + 1 == len || s[i + 1] != '\n')))
			line++;
		if ((n = csv_utf8_len(s + i, len - i)) == 0) {
			csv_err(err, errlen, file, line,
			    "invalid UTF-8 byte 0x%02x", s[i]);
			return -1;
		}
		i += n;
	}
	return 0;
}

/* Trim ASCII blanks around a header name in place. */
static void
csv_trim(char *s)
{
	size_t	a = 0, b = strlen(s);

	while (s[a] == ' ' || s[a] == '\t')
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	memmove(s, s + a, b - a);
	s[b - a] = '\0';
}

/* Free the table and reset it. */
void
csv_free(struct csv_table *t)
{
	if (t == NULL)
		return;
	free(t->arena);
	free(t->cells);
	free(t->rows);
	free(t->header);
	free(t->file);
	memset(t, 0, sizeof *t);
}

/* Check the header record and take it as the table's column names. */
static int
csv_take_header(struct csv_table *t, struct csv_state *st, size_t line,
    char *err, size_t errlen)
{
	size_t	i, j;

	for (i = 0; i < st->nrec; i++) {
		csv_trim(st->rec[i]);
		if (st->rec[i][0] == '\0') {
			csv_err(err, errlen, t->file, line,
			    "header column %zu has no name", i + 1);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (strcasecmp(st->rec[i], st->rec[j]) == 0) {
				csv_err(err, errlen, t->file, line,
				    "duplicate header column '%s'", st->rec[i]);
				return -1;
			}
		}
	}
	t->header = st->rec;
	t->ncols = st->nrec;
	st->rec = NULL;
	st->nrec = st->reccap = 0;
	return 0;
}

/* Grow p (elements of sz bytes, capacity *cap) to hold need; -1 on failure. */
static int
csv_reserve(void *pp, size_t *cap, size_t need, size_t sz)
{
	void	**p = pp, *np;
	size_t	  ncap = *cap ? *cap : 16;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if ((np = realloc(*p, ncap * sz)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

/* Add a finished record to the table (header first, then data rows). */
static int
csv_end_record(struct csv_table *t, struct csv_state *st, size_t line,
    char *err, size_t errlen)
{
	/* A blank line is one empty unquoted field: skip it. */
	if (st->nrec == 1 && st->rec[0][0] == '\0') {
		st->nrec = 0;
		return 0;
	}
	if (t->header == NULL)
		return csv_take_header(t, st, line, err, errlen);
	if (st->nrec != t->ncols) {
		csv_err(err, errlen, t->file, line,
		    "record has %zu fields, header has %zu", st->nrec, t->ncols);
		return -1;
	}
	if (csv_reserve(&t->rows, &st->rowcap, t->nrows + 1,
	    sizeof *t->rows) == -1 || csv_reserve(&t->cells, &st->cellcap,
	    (t->nrows + 1) * t->ncols, sizeof *t->cells) == -1) {
		csv_err(err, errlen, t->file, line, "out of memory");
		return -1;
	}
	memcpy(t->cells + t->nrows * t->ncols, st->rec,
	    t->ncols * sizeof *t->cells);
	/* field pointers are set once cells stops moving (csv_parse). */
	t->rows[t->nrows].line = line;
	t->rows[t->nrows].field = NULL;
	t->nrows++;
	st->nrec = 0;
	return 0;
}

/*
 * Copy the field at text[*ip] into the arena, unquoted, up to its
 * separator or the end of its record; *ip then points there.  *linep
 * counts the line breaks inside quotes.  -1 with the reason in err.
 */
static int
csv_scan_field(const char *text, size_t len, size_t *ip, size_t *linep,
    struct csv_state *st, const char *file, char *err, size_t errlen)
{
	size_t	i = *ip, line = *linep, qline = line;
	int	quoted = 0, after_quote = 0, rc = -1;
	char	c;

	if (text[i] == '"') {
		quoted = 1;
		i++;
	}
	for (;;) {
		if (i == len) {
			if (quoted && !after_quote) {
				csv_err(err, errlen, file, qline,
				    "unterminated quoted field");
				goto out;
			}
			break;
		}
		c = text[i];
		if (quoted && !after_quote) {
			if (c == '"') {
				if (i + 1 < len && text[i + 1] == '"') {
					i++;
				} else {
					after_quote = 1;
					i++;
					continue;
				}
			} else if (c == '\n' || (c == '\r' &&
			    (i + 1 == len || text[i + 1] != '\n')))
				line++;
			st->arena[st->pos++] = c;
			i++;
			continue;
		}
		if (c == ',' || c == '\n' || c == '\r')
			break;
		if (after_quote) {
			csv_err(err, errlen, file, line,
			    "unexpected character after closing quote "
			    "(field %zu)", st->nrec + 1);
			goto out;
		}
		if (c == '"') {
			csv_err(err, errlen, file, line,
			    "quote inside unquoted field %zu "
			    "(quote the whole field and double it)",
			    st->nrec + 1);
			goto out;
		}
		st->arena[st->pos++] = c;
		i++;
	}
	rc = 0;
out:
	*ip = i;
	*linep = line;
	return rc;
}

/* Parse text into t; see csv.h. */
int
csv_parse(const char *text, size_t len, const char *file,
    struct csv_table *t, char *err, size_t errlen)
{
	return csv_parse_part(text, len, 0, 0, file, t, err, errlen);
}

/* Parse one part of a file into t; see csv.h. */
int
csv_parse_part(const char *text, size_t len, size_t hdr_len,
    size_t first_line, const char *file, struct csv_table *t, char *err,
    size_t errlen)
{
	struct csv_state	 st = { 0 };
	size_t			 i = 0, line = 1, recline = 1, start;
	size_t			 r;
	int			 rc = -1;

	memset(t, 0, sizeof *t);
	if ((t->file = strdup(file != NULL ? file : "-")) == NULL) {
		csv_err(err, errlen, "-", 0, "out of memory");
		return -1;
	}
	if (hdr_len > len)
		hdr_len = len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (hdr_len == 0) {
		if (csv_check_text(text + i, len - i, 1, t->file, err,
		    errlen) == -1)
			goto out;
	} else if (csv_check_text(text + i, hdr_len - i, 1, t->file, err,
	    errlen) == -1 || csv_check_text(text + hdr_len, len - hdr_len,
	    first_line, t->file, err, errlen) == -1)
		goto out;
	/*
	 * Every field is shorter than its share of the input by at least
	 * its separator, except the last one and an empty field after a
	 * final comma: len + 2 bytes always hold all the text and the NULs.
	 */
	if (len > SIZE_MAX - 16 || (st.arena = malloc(len + 16)) == NULL)
		goto nomem;

	while (i < len) {
		start = st.pos;
		if (csv_scan_field(text, len, &i, &line, &st, t->file, err,
		    errlen) == -1)
			goto out;
		if (csv_field_end(&st, start) == -1)
			goto nomem;
		if (i < len && text[i] == ',') {
			i++;
			if (i < len)
				continue;
			/* A comma at the very end still opens one empty field. */
			if (csv_field_end(&st, st.pos) == -1)
				goto nomem;
		}
		/* End of record: CRLF, LF or a lone CR, or the end of the text. */
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		if (csv_end_record(t, &st, recline, err, errlen) == -1)
			goto out;
		line++;
		/* The body of a later part goes on at its own line. */
		if (hdr_len != 0 && i == hdr_len)
			line = first_line;
		recline = line;
	}
	if (t->header == NULL) {
		csv_err(err, errlen, t->file, 1, "empty file (no header)");
		goto out;
	}
	/* The cell array has stopped growing: point the rows into it. */
	for (r = 0; r < t->nrows; r++)
		t->rows[r].field = t->cells + r * t->ncols;
	t->arena = st.arena;
	st.arena = NULL;
	rc = 0;
	goto out;
nomem:
	csv_err(err, errlen, t->file, line, "out of memory");
out:
	free(st.arena);
	free(st.rec);
	if (rc == -1)
		csv_free(t);
	return rc;
}

/* Column index by header name, or -1 when the file has no such column. */
int
csv_col(const struct csv_table *t, const char *name)
{
	size_t	i;

	for (i = 0; i < t->ncols; i++)
		if (strcasecmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}
