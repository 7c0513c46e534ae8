/*
 * fmt: how coachd and coachctl print quantities people read.
 */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>

/* Minutes as people say them: "45m", "4h", "3h30m".  Returns buf. */
const char	*fmt_minutes(long minutes, char *buf, size_t len);

#endif
