/*
 * chart: horizontal bar charts for the terminal (coachctl report time,
 * coachctl caps).  Pure: renders into a caller's buffer, never prints.
 */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>

/* One bar. */
struct chart_bar {
	const char	*label;	/* left column, padded to the longest */
	double		 value;	/* length of the bar, >= 0 */
	double		 limit;	/* cap to mark on the bar; < 0: none */
	const char	*note;	/* right of the bar ("4.5h 12%"), or NULL */
};

/*
 * Render n bars, one per line, each bar `width` cells wide at most and
 * scaled so that max (or, if max <= 0, the largest value or limit) fills
 * the width.  utf8: eighth-block characters, a '│' cap mark and '▓' for
 * the part past the cap; otherwise '#', '|' and '!'.  Like snprintf:
 * returns the length the whole chart needs (excluding the NUL), writes at
 * most len bytes (always NUL-terminated when len > 0); -1 on bad input.
 */
int	chart_bars(const struct chart_bar *bars, size_t n, int width,
	    double max, int utf8, char *buf, size_t len);

/*
 * Whether to draw with UTF-8, from the locale variables the caller read:
 * the first of LC_ALL, LC_CTYPE, LANG that is set and non-empty decides;
 * UTF-8 if it names UTF-8/utf8.  All NULL or empty: ASCII.
 */
int	chart_want_utf8(const char *lc_all, const char *lc_ctype,
	    const char *lang);

#endif
