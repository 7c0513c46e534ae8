/*
 * solve_json.c: the pull lexer of solve_json.h.  It accepts exactly
 * RFC 8259 (UTF-8 checked, no trailing commas, no NaN, integers that fit
 * 64 bits), like jansson did before it, at the speed of one pass over
 * the bytes with no allocation for plain strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "solve_json.h"
#include "xmalloc.h"

/* Nesting allowed inside values we skip (jansson's limit). */
#define JL_MAX_DEPTH	2048

void
jl_init(struct jl *l, const char *buf, size_t len, char *err, size_t errlen)
{
	memset(l, 0, sizeof(*l));
	l->b = buf;
	l->len = len;
	l->err = err;
	l->errlen = errlen;
}

void
jl_free(struct jl *l)
{
	free(l->scratch);
	l->scratch = NULL;
	l->scap = 0;
}

int
jl_fail(struct jl *l, size_t at, const char *fmt, ...)
{
	char		 why[256];
	va_list		 ap;
	size_t		 i, line = 1, col = 1;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* Positions are only needed on failure: count them then. */
	for (i = 0; i < at && i < l->len; i++) {
		if (l->b[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)l->b[i] & 0xc0) != 0x80)
			col++;
	}
	errmsg(l->err, l->errlen, "malformed JSON at line %zu column %zu "
	    "(byte %zu): %s", line, col, at, why);
	return JL_ERR;
}

static size_t
skip_ws(const struct jl *l, size_t i)
{
	while (i < l->len && (l->b[i] == ' ' || l->b[i] == '\n' ||
	    l->b[i] == '\r' || l->b[i] == '\t'))
		i++;
	return i;
}

/* Length of the UTF-8 sequence at b[i] (lead byte >= 0x80), 0 if bad. */
static size_t
utf8_len(const unsigned char *b, size_t i, size_t len)
{
	unsigned	c = b[i], cp;
	size_t		n, k;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (len - i < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((b[i + k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (b[i + k] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void
scratch_put(struct jl *l, size_t *n, const char *p, size_t len)
{
	xgrow((void **)&l->scratch, &l->scap, *n + len + 1, 1);
	memcpy(l->scratch + *n, p, len);
	*n += len;
}

static int
hex4(const char *p, unsigned *out)
{
	unsigned	v = 0;
	int		k;

	for (k = 0; k < 4; k++) {
		char	c = p[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Decode \uXXXX (with a surrogate pair) at b[*i] (the 'u'). */
static int
unicode_escape(struct jl *l, size_t *i, size_t *n)
{
	unsigned	cp, lo;
	char		u[4];
	size_t		k = 0;

	if (l->len - *i < 5 || hex4(l->b + *i + 1, &cp) == -1)
		return jl_fail(l, *i - 1, "invalid \\u escape");
	*i += 5;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return jl_fail(l, *i - 6, "invalid Unicode \\u%04X", cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (l->len - *i < 6 || l->b[*i] != '\\' || l->b[*i + 1] !=
		    'u' || hex4(l->b + *i + 2, &lo) == -1 || lo < 0xdc00 ||
		    lo > 0xdfff)
			return jl_fail(l, *i - 6, "invalid Unicode \\u%04X",
			    cp);
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		*i += 6;
	}
	if (cp == 0)
		l->has_nul = 1;
	if (cp < 0x80)
		u[k++] = (char)cp;
	else if (cp < 0x800) {
		u[k++] = (char)(0xc0 | (cp >> 6));
		u[k++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		u[k++] = (char)(0xe0 | (cp >> 12));
		u[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[k++] = (char)(0x80 | (cp & 0x3f));
	} else {
		u[k++] = (char)(0xf0 | (cp >> 18));
		u[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[k++] = (char)(0x80 | (cp & 0x3f));
	}
	scratch_put(l, n, u, k);
	return 0;
}

/* The string whose quote is at b[l->at]; the slow path copies. */
static int
lex_string(struct jl *l)
{
	const unsigned char	*b = (const unsigned char *)l->b;
	size_t			 i = l->at + 1, start = i, n = 0, k;
	int			 copying = 0;
	static const char	 esc_from[] = "\"\\/bfnrt", esc_to[] =
	    "\"\\/\b\f\n\r\t";
	const char		*e;

	l->has_nul = 0;
	for (;;) {
		while (i < l->len && b[i] != '"' && b[i] != '\\' &&
		    b[i] >= 0x20 && b[i] < 0x80)
			i++;
		if (i >= l->len)
			return jl_fail(l, l->at, "unterminated string");
		if (b[i] == '"')
			break;
		if (b[i] < 0x20)
			return jl_fail(l, i, "control character in a string");
		if (b[i] >= 0x80) {
			if ((k = utf8_len(b, i, l->len)) == 0)
				return jl_fail(l, i, "invalid UTF-8");
			i += k;
			continue;
		}
		/* A backslash: from here on the string is decoded. */
		if (!copying) {
			copying = 1;
			n = 0;
		}
		scratch_put(l, &n, l->b + start, i - start);
		if (i + 1 >= l->len)
			return jl_fail(l, l->at, "unterminated string");
		if (b[i + 1] == 'u') {
			i++;
			if (unicode_escape(l, &i, &n) == JL_ERR)
				return JL_ERR;
		} else if (b[i + 1] != '\0' &&
		    (e = strchr(esc_from, b[i + 1])) != NULL) {
			scratch_put(l, &n, esc_to + (e - esc_from), 1);
			i += 2;
		} else
			return jl_fail(l, i, "invalid escape");
		start = i;
	}
	if (copying) {
		scratch_put(l, &n, l->b + start, i - start);
		l->s = l->scratch;
		l->slen = n;
	} else {
		l->s = l->b + start;
		l->slen = i - start;
	}
	l->pos = i + 1;
	return JL_STR;
}

/* A number at b[l->at]: JL_INT if it is a plain integer in range. */
static int
lex_number(struct jl *l)
{
	const char		*b = l->b;
	size_t			 i = l->at;
	unsigned long long	 v = 0;
	int			 neg = 0, real = 0, big = 0;

	if (b[i] == '-') {
		neg = 1;
		i++;
	}
	if (i >= l->len || b[i] < '0' || b[i] > '9')
		return jl_fail(l, l->at, "invalid number");
	if (b[i] == '0' && i + 1 < l->len && b[i + 1] >= '0' &&
	    b[i + 1] <= '9')
		return jl_fail(l, l->at, "invalid number (leading zero)");
	for (; i < l->len && b[i] >= '0' && b[i] <= '9'; i++) {
		if (v > (9223372036854775808ULL - (unsigned)(b[i] - '0')) /
		    10)
			big = 1;
		v = v * 10 + (unsigned)(b[i] - '0');
	}
	if (i < l->len && b[i] == '.') {
		real = 1;
		if (++i >= l->len || b[i] < '0' || b[i] > '9')
			return jl_fail(l, l->at, "invalid number");
		while (i < l->len && b[i] >= '0' && b[i] <= '9')
			i++;
	}
	if (i < l->len && (b[i] == 'e' || b[i] == 'E')) {
		real = 1;
		if (++i < l->len && (b[i] == '+' || b[i] == '-'))
			i++;
		if (i >= l->len || b[i] < '0' || b[i] > '9')
			return jl_fail(l, l->at, "invalid number");
		while (i < l->len && b[i] >= '0' && b[i] <= '9')
			i++;
	}
	l->pos = i;
	if (real)
		return JL_REAL;
	if (big || (!neg && v > 9223372036854775807ULL))
		return jl_fail(l, l->at, "too big integer");
	l->i = neg ? (long long)(0 - v) : (long long)v;
	return JL_INT;
}

static int
lex_word(struct jl *l, const char *w, int tok)
{
	size_t	n = strlen(w);

	if (l->len - l->at < n || memcmp(l->b + l->at, w, n) != 0)
		return jl_fail(l, l->at, "invalid token");
	l->pos = l->at + n;
	return tok;
}

int
jl_next(struct jl *l)
{
	size_t	i = skip_ws(l, l->pos);

	l->at = i;
	if (i >= l->len) {
		l->pos = i;
		return JL_END;
	}
	l->pos = i + 1;
	switch (l->b[i]) {
	case '{': return JL_OBJ;
	case '}': return JL_OBJ_END;
	case '[': return JL_ARR;
	case ']': return JL_ARR_END;
	case ':': return JL_COLON;
	case ',': return JL_COMMA;
	case '"': return lex_string(l);
	case 't': return lex_word(l, "true", JL_TRUE);
	case 'f': return lex_word(l, "false", JL_FALSE);
	case 'n': return lex_word(l, "null", JL_NULL);
	default:
		if (l->b[i] == '-' || (l->b[i] >= '0' && l->b[i] <= '9'))
			return lex_number(l);
		return jl_fail(l, i, "invalid token");
	}
}

/* Is tok the start of a value?  -1 with err filled if not. */
static int
check_value(struct jl *l, int tok)
{
	if (tok == JL_ERR)
		return -1;
	if (tok == JL_END || tok == JL_OBJ_END || tok == JL_ARR_END ||
	    tok == JL_COLON || tok == JL_COMMA) {
		jl_fail(l, l->at, tok == JL_END ? "unexpected end of input" :
		    "expected a value");
		return -1;
	}
	return 0;
}

int
jl_obj_next(struct jl *l, int *first)
{
	int	t = jl_next(l);

	if (t == JL_ERR || t == JL_OBJ_END)
		return t;
	if (!*first) {
		if (t != JL_COMMA)
			return jl_fail(l, l->at, "expected ',' or '}'");
		t = jl_next(l);
		if (t == JL_ERR)
			return t;
	}
	*first = 0;
	if (t != JL_STR)
		return jl_fail(l, l->at, "expected an object key");
	/* The key stays in s/slen: the colon is not a string. */
	{
		size_t	i = skip_ws(l, l->pos);

		if (i >= l->len || l->b[i] != ':')
			return jl_fail(l, i, "expected ':'");
		l->pos = i + 1;
	}
	return JL_STR;
}

int
jl_arr_next(struct jl *l, int *first)
{
	int	t = jl_next(l);

	if (t == JL_ERR)
		return t;
	if (t == JL_ARR_END && *first)
		return t;
	if (!*first) {
		if (t == JL_ARR_END)
			return t;
		if (t != JL_COMMA)
			return jl_fail(l, l->at, "expected ',' or ']'");
		t = jl_next(l);
		if (t == JL_ERR)
			return t;
	}
	*first = 0;
	return check_value(l, t) == -1 ? JL_ERR : t;
}

static int
skip_depth(struct jl *l, int tok, int depth)
{
	int	first = 1, t;

	if (depth > JL_MAX_DEPTH)
		return jl_fail(l, l->at, "too deeply nested");
	switch (tok) {
	case JL_STR: case JL_INT: case JL_REAL: case JL_TRUE: case JL_FALSE:
	case JL_NULL:
		return 0;
	case JL_OBJ:
		while ((t = jl_obj_next(l, &first)) == JL_STR)
			if ((t = jl_next(l)) == JL_ERR ||
			    check_value(l, t) == -1 ||
			    skip_depth(l, t, depth + 1) == -1)
				return -1;
		return t == JL_OBJ_END ? 0 : -1;
	case JL_ARR:
		while ((t = jl_arr_next(l, &first)) != JL_ERR &&
		    t != JL_ARR_END)
			if (skip_depth(l, t, depth + 1) == -1)
				return -1;
		return t == JL_ARR_END ? 0 : -1;
	case JL_ERR:
		return -1;
	default:
		return jl_fail(l, l->at, "expected a value");
	}
}

int
jl_skip(struct jl *l, int tok)
{
	if (check_value(l, tok) == -1)
		return -1;
	return skip_depth(l, tok, 1);
}

int
jl_write_str(FILE *f, const char *s, size_t len)
{
	size_t	i, start = 0;

	if (putc('"', f) == EOF)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (fwrite(s + start, 1, i - start, f) != i - start)
			return -1;
		if (c == '"' || c == '\\') {
			if (fprintf(f, "\\%c", c) < 0)
				return -1;
		} else if (fprintf(f, "\\u%04x", c) < 0)
			return -1;
		start = i + 1;
	}
	if (fwrite(s + start, 1, len - start, f) != len - start ||
	    putc('"', f) == EOF)
		return -1;
	return 0;
}
