/*
 * file: the one way to read a whole file into memory.
 */
#ifndef FILE_H
#define FILE_H

#include <stdio.h>
#include <stddef.h>

/*
 * Read path (or standard input for "-") into a NUL-terminated buffer the
 * caller frees.  A file longer than max bytes is refused rather than
 * truncated: a half-read roster or taxonomy would be silently wrong.
 * Returns NULL and fills err ("path: why") on failure; *lenp, if not
 * NULL, gets the length without the NUL.
 */
char	*file_read(const char *path, size_t max, size_t *lenp, char *err,
	    size_t errlen);
/* The same over an open stream; name is used in messages only. */
char	*file_read_stream(FILE *f, const char *name, size_t max,
	    size_t *lenp, char *err, size_t errlen);

/*
 * file_read() of a regular file that may be absent, for folders whose
 * optional members may be left out.  Returns 0 with *bufp set, 1 with
 * *bufp NULL and err "path: No such file or directory" when path does not
 * exist, -1 (err filled) when it is something other than a regular file
 * or cannot be read.
 */
int	file_read_regular(const char *path, size_t max, char **bufp,
	    size_t *lenp, char *err, size_t errlen);

#endif
