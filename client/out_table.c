/*
 * out_table: coachctl's aligned text tables.  Widths are measured in
 * terminal columns (a small UTF-8 decoder and a table of zero-width and
 * wide code points), so names in any script line up.
 *
 * Cells usually hold text that came from the server: they are printed with
 * control characters replaced, so a hostile name cannot drive the user's
 * terminal.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coachctl.h"
#include "xmalloc.h"

struct out_table {
	size_t		  ncols;
	int		  header;	/* print the first row as header */
	int		 *right;	/* per column: right-align */
	char		**cells;	/* rows * ncols, owned */
	size_t		  nrows;	/* including the header row */
	size_t		  cap;
};

/* ---- UTF-8 display width -------------------------------------------- */

/* Decode one UTF-8 sequence (out.c's JSON strings use it too). */
size_t
out_utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms and surrogates are not characters. */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

/* Columns taken by one code point: 0 combining, 2 wide (CJK, emoji). */
static int
cp_width(uint32_t c)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
		{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd },
		{ 0x30000, 0x3fffd },
	};
	size_t	i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

size_t
out_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 w = 0;

	while (*p != '\0') {
		p += out_utf8_decode(p, &c);
		w += (size_t)cp_width(c);
	}
	return w;
}

/* Print s with control characters shown as '?'. */
static void
put_safe(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			fputc('?', f);
		else
			fputc(ch, f);
	}
}

/* ---- tables ----------------------------------------------------------- */

struct out_table *
out_table_new(const char *const *headers)
{
	struct out_table	 *t;
	const char		**row;
	size_t			  n = 0, i;

	if (headers == NULL)
		n = 2;		/* key/value view */
	else
		while (headers[n] != NULL)
			n++;
	if (n == 0)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->ncols = n;
	t->right = xcalloc(n, sizeof(*t->right));
	if (headers == NULL)
		return t;
	t->header = 1;
	for (i = 0; i < n; i++)
		if (headers[i][0] == '>')
			t->right[i] = 1;
	row = xcalloc(n, sizeof(*row));
	for (i = 0; i < n; i++)
		row[i] = headers[i] + (headers[i][0] == '>');
	out_table_addv(t, row);
	free(row);
	return t;
}

void
out_table_addv(struct out_table *t, const char *const *cells)
{
	size_t	  i, base;

	if (t == NULL)
		return;
	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->cells = xreallocarray(t->cells, t->cap * t->ncols,
		    sizeof(*t->cells));
	}
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++)
		t->cells[base + i] = xstrdup(cells[i] != NULL ? cells[i] : "");
	t->nrows++;
}

void
out_table_add(struct out_table *t, ...)
{
	const char	**row;
	va_list		  ap;
	size_t		  i;

	if (t == NULL)
		return;
	row = xcalloc(t->ncols, sizeof(*row));
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		row[i] = va_arg(ap, const char *);
	va_end(ap);
	out_table_addv(t, row);
	free(row);
}

size_t
out_table_rows(const struct out_table *t)
{
	return t->nrows - (size_t)t->header;
}

static void
pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

int
out_table_print(const struct out_table *t, FILE *f)
{
	size_t	*w, r, c, cw, last;

	if (t == NULL)
		return -1;
	w = xcalloc(t->ncols, sizeof(*w));
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			cw = out_width(t->cells[r * t->ncols + c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < t->nrows; r++) {
		/* No trailing blanks: stop after the last non-empty cell. */
		for (last = t->ncols; last > 1; last--)
			if (t->cells[r * t->ncols + last - 1][0] != '\0')
				break;
		for (c = 0; c < last; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			cw = out_width(cell);
			if (c > 0)
				fputs("  ", f);
			if (t->right[c])
				pad(f, w[c] - cw);
			put_safe(f, cell);
			if (!t->right[c] && c + 1 < last)
				pad(f, w[c] - cw);
		}
		fputc('\n', f);
	}
	free(w);
	return ferror(f) ? -1 : 0;
}

void
out_table_free(struct out_table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t);
}
