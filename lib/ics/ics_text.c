/*
 * ics_text: the byte level of a feed.  A growable output buffer, strict
 * UTF-8 checking, TEXT cleaning and escaping, and the folding pass every
 * line of every feed goes through (CRLF ends, 75-octet lines broken on
 * UTF-8 boundaries), so the bytes do not depend on libical's own folding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "ics_int.h"
#include "xmalloc.h"

/* Make room for need more bytes and a NUL; doubling keeps appends cheap. */
void
ics_buf_grow(struct ics_buf *b, size_t need)
{
	size_t	 ncap;

	if (b->len + need + 1 <= b->cap)
		return;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + need + 1)
		ncap *= 2;
	b->p = xreallocarray(b->p, ncap, 1);
	b->cap = ncap;
}

void
ics_buf_add(struct ics_buf *b, const char *s, size_t n)
{
	ics_buf_grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
ics_buf_str(struct ics_buf *b, const char *s)
{
	ics_buf_add(b, s, strlen(s));
}

/* Length of the UTF-8 sequence starting with lead byte c (1 if broken). */
static size_t
utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

/* Strict UTF-8 check: no overlongs, no surrogates, nothing past U+10FFFF. */
int
ics_utf8_valid(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, i;
	uint32_t		 cp;

	while (*p != '\0') {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = utf8_seqlen(*p);
		if (n == 1)
			return 0;
		cp = *p & (0xff >> (n + 1));
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		p += n;
	}
	return 1;
}

/*
 * Append `in` to b re-folded: existing folds (CRLF or LF followed by one
 * space or tab) are undone, every line ends in CRLF, and a line is broken
 * before a character that would take it past 75 octets.
 */
void
ics_fold_into(struct ics_buf *b, const char *in, size_t len)
{
	size_t	 i = 0, col = 0, n;

	ics_buf_grow(b, len + len / 32 + 8);
	while (i < len) {
		if (in[i] == '\r' || in[i] == '\n') {
			if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
				i++;
			i++;
			if (i < len && (in[i] == ' ' || in[i] == '\t')) {
				i++;	/* continuation of the same line */
				continue;
			}
			ics_buf_add(b, "\r\n", 2);
			col = 0;
			continue;
		}
		n = utf8_seqlen((unsigned char)in[i]);
		if (n > len - i)
			n = len - i;
		if (col + n > ICS_FOLD) {
			ics_buf_add(b, "\r\n ", 3);
			col = 1;
		}
		ics_buf_add(b, in + i, n);
		col += n;
		i += n;
	}
	if (col > 0)
		ics_buf_add(b, "\r\n", 2);
}

char *
ics_fold(const char *in, size_t len, size_t *outlen)
{
	struct ics_buf	b = { 0 };

	ics_fold_into(&b, in, len);
	if (outlen != NULL)
		*outlen = b.len;
	return b.p;
}

/*
 * Copy of a TEXT value that libical can escape safely: CRLF and lone CR
 * become LF (escaped as \n later), other control characters become spaces
 * since RFC 5545 TEXT cannot carry them.  NULL on invalid UTF-8.
 */
char *
ics_text_clean(const char *s)
{
	char	*out, *o;

	if (!ics_utf8_valid(s))
		return NULL;
	out = xmalloc(strlen(s) + 1);
	for (o = out; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\r') {
			*o++ = '\n';
			if (s[1] == '\n')
				s++;
		} else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
			*o++ = (char)c;
		else
			*o++ = ' ';
	}
	*o = '\0';
	return out;
}

char *
ics_escape_text(const char *s)
{
	char	*clean, *out, *o, *p;

	if ((clean = ics_text_clean(s)) == NULL)
		return NULL;
	out = xmalloc(strlen(clean) * 2 + 1);
	for (o = out, p = clean; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
		case ';':
		case ',':
			*o++ = '\\';
			*o++ = *p;
			break;
		case '\n':
			*o++ = '\\';
			*o++ = 'n';
			break;
		default:
			*o++ = *p;
			break;
		}
	}
	*o = '\0';
	free(clean);
	return out;
}
