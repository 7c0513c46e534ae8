/*
 * file: read a whole file into memory (file.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"
#include "xmalloc.h"

char *
file_read_stream(FILE *f, const char *name, size_t max, size_t *lenp,
    char *err, size_t errlen)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0, cap = 0, n;
	int		 c;

	/*
	 * A regular file says how big it is: one allocation of the right
	 * size instead of doublings and copies (rosters run to hundreds of
	 * megabytes).  Pipes, and a file that grows while it is read, grow
	 * the buffer as they go.
	 */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size <= max) {
		cap = (size_t)st.st_size + 1;
		buf = xmalloc(cap);
	}
	for (;;) {
		if (cap - len < 2) {
			/* Full (room for the NUL only): is there more? */
			c = EOF;
			if (cap != 0 && (c = getc(f)) == EOF)
				break;
			xgrow((void **)&buf, &cap, len + 65536 + 1, 1);
			if (c != EOF)
				buf[len++] = (char)c;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > max) {
			errmsg(err, errlen, "%s: larger than %zu bytes", name,
			    max);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		errmsg(err, errlen, "%s: read error: %s", name,
		    strerror(errno));
		goto fail;
	}
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
fail:
	free(buf);
	return NULL;
}

char *
file_read(const char *path, size_t max, size_t *lenp, char *err,
    size_t errlen)
{
	FILE	*f;
	char	*buf;

	if (strcmp(path, "-") == 0)
		return file_read_stream(stdin, "standard input", max, lenp,
		    err, errlen);
	if ((f = fopen(path, "rb")) == NULL) {
		errmsg(err, errlen, "%s: cannot open: %s", path,
		    strerror(errno));
		return NULL;
	}
	buf = file_read_stream(f, path, max, lenp, err, errlen);
	fclose(f);
	return buf;
}

int
file_read_regular(const char *path, size_t max, char **bufp, size_t *lenp,
    char *err, size_t errlen)
{
	struct stat	st;

	*bufp = NULL;
	if (stat(path, &st) == -1) {
		errmsg(err, errlen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? 1 : -1;
	}
	if (!S_ISREG(st.st_mode)) {
		errmsg(err, errlen, "%s: not a regular file", path);
		return -1;
	}
	if ((*bufp = file_read(path, max, lenp, err, errlen)) == NULL)
		return -1;
	return 0;
}
