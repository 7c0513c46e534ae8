/*
 * ics_int.h: what the ics_*.c files share and nobody else sees.  The
 * renderer is opaque to callers; the buffer and the text helpers are the
 * byte level that the time-zone and event halves both write through.
 */
#ifndef ICS_INT_H
#define ICS_INT_H

#include <stddef.h>

#define ICS_FOLD	75	/* octets per line, RFC 5545 3.1 */

struct ics_renderer {
	char	*tzid;
	char	*vtz;		/* folded VTIMEZONE, CRLF ends */
	size_t	 vtzlen;
};

/*
 * Growable output buffer, always NUL-terminated.  failed is set when
 * libical cannot render a property; it sticks until the end.
 */
struct ics_buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

void	 ics_buf_grow(struct ics_buf *, size_t need);
void	 ics_buf_add(struct ics_buf *, const char *, size_t);
void	 ics_buf_str(struct ics_buf *, const char *);
/* Append in to the buffer re-folded, as ics_fold() does. */
void	 ics_fold_into(struct ics_buf *, const char *in, size_t len);
/* Strict UTF-8: no overlongs, no surrogates, nothing past U+10FFFF. */
int	 ics_utf8_valid(const char *);
/* A copy libical can escape safely as TEXT; NULL on invalid UTF-8. */
char	*ics_text_clean(const char *);

#endif /* ICS_INT_H */
