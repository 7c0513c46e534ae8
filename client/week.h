/*
 * week: the terminal week grid of `coachctl week`: Monday to Friday
 * across, the periods of the sessions down, one short cell per session
 * ("obs T.Ortiz").  Unicode box drawing on a UTF-8 terminal, ASCII
 * otherwise; at most 100 columns wide.
 */
#ifndef WEEK_H
#define WEEK_H

#include <stdio.h>

#include "coachd.pb-c.h"

#define WEEK_WIDTH	100

/*
 * Draw the week starting on monday ("YYYY-MM-DD", five dates in dates[])
 * of the given sessions; coach_view names teachers in cells (else
 * coaches).  ascii forces the ASCII frame.
 */
void	week_print(FILE *, const char *const dates[5],
	    Coachd__V1__SchedSession *const *s, size_t n, int coach_view,
	    int ascii);
/* Short name "T.Ortiz" of "Tomas Ortiz" into buf. */
void	week_short_name(const char *full, char *buf, size_t len);

#endif
