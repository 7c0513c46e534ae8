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

/* Growable byte buffer for the field being read. */
struct csv_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

/* Growable list of fields for the record being read. */
struct csv_fields {
	char	**v;
	size_t	  n;
	size_t	  cap;
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

/* Append one byte; returns -1 on allocation failure. */
static int
csv_buf_put(struct csv_buf *b, char c)
{
	char	*np;
	size_t	 ncap;

	if (b->len + 1 >= b->cap) {
		ncap = b->cap ? b->cap * 2 : 64;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	b->p[b->len++] = c;
	return 0;
}

/* Move the buffer's contents into a new string, emptying the buffer. */
static char *
csv_buf_take(struct csv_buf *b)
{
	char	*s;

	if ((s = malloc(b->len + 1)) == NULL)
		return NULL;
	if (b->len > 0)
		memcpy(s, b->p, b->len);
	s[b->len] = '\0';
	b->len = 0;
	return s;
}

/* Append a field (taking ownership of s, freeing it on failure). */
static int
csv_fields_push(struct csv_fields *f, char *s)
{
	char	**nv;
	size_t	  ncap;

	if (s == NULL)
		return -1;
	if (f->n == f->cap) {
		ncap = f->cap ? f->cap * 2 : 8;
		if ((nv = realloc(f->v, ncap * sizeof *nv)) == NULL) {
			free(s);
			return -1;
		}
		f->v = nv;
		f->cap = ncap;
	}
	f->v[f->n++] = s;
	return 0;
}

/* Free the fields of a record, keeping the array for reuse. */
static void
csv_fields_clear(struct csv_fields *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	f->n = 0;
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

/* Check the whole text is UTF-8 without NUL bytes; report the bad line. */
static int
csv_check_text(const char *text, size_t len, const char *file, char *err,
    size_t errlen)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 i = 0, line = 1, n;

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

/* Free the rows parsed so far and reset t. */
void
csv_free(struct csv_table *t)
{
	size_t	i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows; i++) {
		for (j = 0; j < t->ncols; j++)
			free(t->rows[i].field[j]);
		free(t->rows[i].field);
	}
	free(t->rows);
	for (j = 0; j < t->ncols; j++)
		free(t->header[j]);
	free(t->header);
	free(t->file);
	memset(t, 0, sizeof *t);
}

/* Check the header record and take it as the table's column names. */
static int
csv_take_header(struct csv_table *t, struct csv_fields *f, size_t line,
    char *err, size_t errlen)
{
	size_t	i, j;

	for (i = 0; i < f->n; i++) {
		csv_trim(f->v[i]);
		if (f->v[i][0] == '\0') {
			csv_err(err, errlen, t->file, line,
			    "header column %zu has no name", i + 1);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (strcasecmp(f->v[i], f->v[j]) == 0) {
				csv_err(err, errlen, t->file, line,
				    "duplicate header column '%s'", f->v[i]);
				return -1;
			}
		}
	}
	t->header = f->v;
	t->ncols = f->n;
	memset(f, 0, sizeof *f);
	return 0;
}

/* Add a finished record to the table (header first, then data rows). */
static int
csv_end_record(struct csv_table *t, struct csv_fields *f, size_t line,
    size_t *rowcap, char *err, size_t errlen)
{
	struct csv_row	*nr;
	size_t		 ncap;

	/* A blank line is one empty unquoted field: skip it. */
	if (f->n == 1 && f->v[0][0] == '\0') {
		csv_fields_clear(f);
		return 0;
	}
	if (t->header == NULL)
		return csv_take_header(t, f, line, err, errlen);
	if (f->n != t->ncols) {
		csv_err(err, errlen, t->file, line,
		    "record has %zu fields, header has %zu", f->n, t->ncols);
		return -1;
	}
	if (t->nrows == *rowcap) {
		ncap = *rowcap ? *rowcap * 2 : 16;
		if ((nr = realloc(t->rows, ncap * sizeof *nr)) == NULL)
			goto nomem;
		t->rows = nr;
		*rowcap = ncap;
	}
	t->rows[t->nrows].line = line;
	t->rows[t->nrows].field = f->v;
	t->nrows++;
	/* The field array now belongs to the row; start a fresh one. */
	memset(f, 0, sizeof *f);
	return 0;
nomem:
	csv_err(err, errlen, t->file, line, "out of memory");
	return -1;
}

/* Parse text into t; see csv.h. */
int
csv_parse(const char *text, size_t len, const char *file,
    struct csv_table *t, char *err, size_t errlen)
{
	struct csv_buf		 b = { 0 };
	struct csv_fields	 f = { 0 };
	size_t			 i = 0, line = 1, recline = 1, rowcap = 0;
	size_t			 qline;
	int			 rc = -1, quoted, after_quote;
	char			 c;

	memset(t, 0, sizeof *t);
	if ((t->file = strdup(file != NULL ? file : "-")) == NULL) {
		csv_err(err, errlen, "-", 0, "out of memory");
		return -1;
	}
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (csv_check_text(text + i, len - i, t->file, err, errlen) == -1)
		goto out;

	while (i < len) {
		/* Start of a field. */
		quoted = after_quote = 0;
		qline = line;
		if (text[i] == '"') {
			quoted = 1;
			i++;
		}
		for (;;) {
			if (i == len) {
				if (quoted && !after_quote) {
					csv_err(err, errlen, t->file, qline,
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
				if (csv_buf_put(&b, c) == -1)
					goto nomem;
				i++;
				continue;
			}
			if (c == ',' || c == '\n' || c == '\r')
				break;
			if (after_quote) {
				csv_err(err, errlen, t->file, line,
				    "unexpected character after closing quote "
				    "(field %zu)", f.n + 1);
				goto out;
			}
			if (c == '"') {
				csv_err(err, errlen, t->file, line,
				    "quote inside unquoted field %zu "
				    "(quote the whole field and double it)",
				    f.n + 1);
				goto out;
			}
			if (csv_buf_put(&b, c) == -1)
				goto nomem;
			i++;
		}
		if (csv_fields_push(&f, csv_buf_take(&b)) == -1)
			goto nomem;
		if (i < len && text[i] == ',') {
			i++;
			if (i < len)
				continue;
			/* A comma at the very end still opens one empty field. */
			if (csv_fields_push(&f, csv_buf_take(&b)) == -1)
				goto nomem;
		}
		/* End of record: CRLF, LF or a lone CR, or the end of the text. */
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		if (csv_end_record(t, &f, recline, &rowcap, err, errlen) == -1)
			goto out;
		line++;
		recline = line;
	}
	if (f.n > 0 && csv_end_record(t, &f, recline, &rowcap, err,
	    errlen) == -1)
		goto out;
	if (t->header == NULL) {
		csv_err(err, errlen, t->file, 1, "empty file (no header)");
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	csv_err(err, errlen, t->file, line, "out of memory");
out:
	csv_fields_clear(&f);
	free(f.v);
	free(b.p);
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
