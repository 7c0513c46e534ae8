/*
 * report: the bar charts of `coachctl caps` and `coachctl report`, one
 * bar per category, minutes drawn in hours with the cap marked.
 */
#ifndef COACHCTL_REPORT_H
#define COACHCTL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "chart.h"

#define REPORT_NOTE_LEN	96

/* n bars being filled, each with its own note buffer. */
struct report_bars {
	struct chart_bar	*bar;
	char			(*note)[REPORT_NOTE_LEN];
	size_t			 n;
};

void	report_bars_init(struct report_bars *, size_t n);
/*
 * Bar i: minutes drawn in hours, limit < 0 for no cap; returns the bar's
 * note buffer (REPORT_NOTE_LEN bytes) for the caller to fill.
 */
char	*report_bar(struct report_bars *, size_t i, const char *label,
	    int64_t minutes, int64_t limit);
/* Draw the bars on stdout and free them. */
void	 report_bars_print(struct report_bars *);

#endif
