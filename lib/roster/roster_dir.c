/*
 * roster_dir.c: roster_load_dir(), the one part of the roster module that
 * touches the file system: read each file of a roster folder into memory
 * and hand it to its parser (roster.c, roster_local.c) in dependency
 * order, then roster_finish().
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "roster.h"
#include "roster_int.h"

/* Largest roster file read. */
#define RS_FILE_MAX	((size_t)512 * 1024 * 1024)

/* The files of a roster folder, in the order they must be parsed. */
static const struct {
	const char	*name;
	int		 required;
	int		(*parse)(struct roster *, const char *, size_t,
			    const char *, char *, size_t);
} rs_files[] = {
	{ "orgs.csv", 1, roster_parse_orgs },
	{ "academicSessions.csv", 0, roster_parse_sessions },
	{ "courses.csv", 0, roster_parse_courses },
	{ "bell_schedules.csv", 0, roster_parse_bells },
	{ "users.csv", 1, roster_parse_users },
	{ "classes.csv", 1, roster_parse_classes },
	{ "enrollments.csv", 1, roster_parse_enrollments },
	{ "timetable.csv", 0, roster_parse_timetable },
	{ "coaches.csv", 0, roster_parse_coaches },
	{ "questions.csv", 0, roster_parse_questions },
};

/* Read and parse a roster folder; see roster.h. */
int
roster_load_dir(const char *dir, struct roster *out, char *err,
    size_t errlen)
{
	char	 path[4096], *buf = NULL;
	size_t	 i, len = 0;
	int	 rd, rc = -1;

	if (roster_init(out, err, errlen) == -1)
		return -1;
	for (i = 0; i < sizeof rs_files / sizeof rs_files[0]; i++) {
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir,
		    rs_files[i].name) >= sizeof path) {
			snprintf(err, errlen, "%s: path too long", dir);
			goto out;
		}
		if ((rd = file_read_regular(path, RS_FILE_MAX, &buf, &len,
		    err, errlen)) == 1 && !rs_files[i].required)
			continue;
		if (rd != 0)
			goto out;
		if (rs_files[i].parse(out, buf, len, rs_files[i].name, err,
		    errlen) == -1)
			goto out;
		free(buf);
		buf = NULL;
	}
	rc = roster_finish(out, err, errlen);
out:
	free(buf);
	if (rc == -1)
		roster_free(out);
	return rc;
}
