/*
 * errmsg: how a function tells its caller what went wrong.
 *
 * Functions that can fail take (char *err, size_t errlen), return -1 (or
 * NULL) and fill err with one line naming what is wrong and where
 * ("topics.conf:12: unknown parent 'math'").  They never log and never
 * exit; the caller decides whether the message is logged, sent back to a
 * client or printed.  ERRMSG_LEN is the size every caller's buffer has.
 */
#ifndef ERRMSG_H
#define ERRMSG_H

#include <stdarg.h>
#include <stddef.h>

#define ERRMSG_LEN	1024

/* Fill err (if it is not NULL) with the formatted message; returns -1. */
int	errmsg(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	verrmsg(char *err, size_t errlen, const char *fmt, va_list ap)
	    __attribute__((format(printf, 3, 0)));

#endif
