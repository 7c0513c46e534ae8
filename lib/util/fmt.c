/*
 * fmt: formatting of quantities for people (fmt.h).
 */
#include <stdio.h>

#include "fmt.h"

const char *
fmt_minutes(long m, char *buf, size_t len)
{
	if (m >= 60 && m % 60 != 0)
		snprintf(buf, len, "%ldh%02ldm", m / 60, m % 60);
	else if (m >= 60)
		snprintf(buf, len, "%ldh", m / 60);
	else
		snprintf(buf, len, "%ldm", m);
	return buf;
}
