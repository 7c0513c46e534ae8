/*
 * xmalloc: the one way coachd, coachctl and coach-solve allocate.
 *
 * Running out of memory is not an error a caller can do anything useful
 * with in a daemon that holds a whole district in memory: every function
 * here either returns memory or ends the process through fatalx() with
 * the size it was asked for.  Callers therefore never test the result.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
/* realloc(ptr, nmemb * size) with the multiplication checked. */
void	*xreallocarray(void *ptr, size_t nmemb, size_t size);
/* Grow *ptr (holding *cap elements) to hold at least need elements. */
void	 xgrow(void **ptr, size_t *cap, size_t need, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
char	*xasprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

#endif
