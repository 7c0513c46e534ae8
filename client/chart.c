/*
 * chart: horizontal bar charts for the terminal.
 *
 * Bars are drawn in eighth-cell steps with Unicode block elements so small
 * differences (a 4h cap against 4.5h used) stay visible; plain ASCII uses
 * whole cells.  The part of a bar past its cap is drawn differently so an
 * over-cap category stands out even without colour.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "chart.h"

/* Output cursor with snprintf-like accounting. */
struct out {
	char	*buf;
	size_t	 len;
	size_t	 used;	/* bytes wanted so far */
};

static void
put(struct out *o, const char *s)
{
	size_t	n = strlen(s);

	if (o->len > 0 && o->used < o->len - 1) {
		size_t room = o->len - 1 - o->used;
		memcpy(o->buf + o->used, s, n < room ? n : room);
	}
	o->used += n;
}

/* UTF-8 left eighth blocks: index 1..7 = 1/8 .. 7/8, 8 = full. */
static const char *eighths[9] = {
	"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89", "\xe2\x96\x88"
};
#define U_MARK	"\xe2\x94\x82"	/* │ */
#define U_OVER	"\xe2\x96\x93"	/* ▓ */

/* Display width of a label: count UTF-8 lead bytes only. */
static size_t
text_width(const char *s)
{
	size_t	w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* One bar's cells. */
static void
draw_bar(struct out *o, const struct chart_bar *b, int width, double max,
    int utf8)
{
	long	units = utf8 ? 8 : 1, len, cap = -1, full;
	int	c;

	len = lround(b->value / max * width * units);
	if (len > (long)width * units)
		len = (long)width * units;
	if (b->limit >= 0) {
		cap = lround(b->limit / max * width);
		if (cap > width)
			cap = width;
	}
	full = len / units;
	for (c = 0; c < width; c++) {
		if (c < full) {
			if (cap >= 0 && c >= cap)
				put(o, utf8 ? U_OVER : "!");
			else
				put(o, utf8 ? eighths[8] : "#");
		} else if (c == full && len % units != 0)
			put(o, eighths[len % units]);
		else if (c == cap && cap >= full)
			put(o, utf8 ? U_MARK : "|");
		else
			put(o, " ");
	}
}

int
chart_bars(const struct chart_bar *bars, size_t n, int width, double max,
    int utf8, char *buf, size_t len)
{
	struct out	o = { buf, len, 0 };
	size_t		i, lw = 0, w, k;

	if (width < 1 || width > 500 || (n > 0 && bars == NULL))
		return -1;
	if (max <= 0) {
		for (i = 0; i < n; i++) {
			if (bars[i].value > max)
				max = bars[i].value;
			if (bars[i].limit > max)
				max = bars[i].limit;
		}
	}
	if (max <= 0)
		max = 1;
	for (i = 0; i < n; i++) {
		if (bars[i].value < 0 || isnan(bars[i].value))
			return -1;
		if (bars[i].label != NULL &&
		    (w = text_width(bars[i].label)) > lw)
			lw = w;
	}
	for (i = 0; i < n; i++) {
		const char *l = bars[i].label != NULL ? bars[i].label : "";

		put(&o, l);
		for (k = text_width(l); k < lw + 1; k++)
			put(&o, " ");
		draw_bar(&o, &bars[i], width, max, utf8);
		if (bars[i].note != NULL) {
			put(&o, " ");
			put(&o, bars[i].note);
		}
		put(&o, "\n");
	}
	if (len > 0)
		buf[o.used < len ? o.used : len - 1] = '\0';
	return o.used > (size_t)0x7fffffff ? -1 : (int)o.used;
}

static int
names_utf8(const char *v)
{
	const char	*dot = strchr(v, '.');

	if (dot == NULL)
		return 0;
	return strncasecmp(dot + 1, "utf-8", 5) == 0 ||
	    strncasecmp(dot + 1, "utf8", 4) == 0;
}

int
chart_want_utf8(const char *lc_all, const char *lc_ctype, const char *lang)
{
	if (lc_all != NULL && *lc_all != '\0')
		return names_utf8(lc_all);
	if (lc_ctype != NULL && *lc_ctype != '\0')
		return names_utf8(lc_ctype);
	if (lang != NULL && *lang != '\0')
		return names_utf8(lang);
	return 0;
}
