/*
 * Fuzz target: one input fed to every roster file parser (after a small
 * valid district, so that rows can refer to known schools and teachers),
 * then roster_finish().  Bad input must end in an error message, never in
 * a crash or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "roster.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

typedef int (*parse_fn)(struct roster *, const char *, size_t, const char *,
    char *, size_t);

static const char orgs[] =
    "sourcedId,name,type,parentSourcedId\n"
    "d1,District,district,\n"
    "s1,Lincoln Elementary,school,d1\n";
static const char users[] =
    "sourcedId,enabledUser,orgSourcedIds,role,givenName,familyName,email\n"
    "t1,true,s1,teacher,Maria,Ortiz,mo@example.org\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		parse_fn	 fn;
		const char	*name;
	} parsers[] = {
		{ roster_parse_orgs, "orgs.csv" },
		{ roster_parse_sessions, "academicSessions.csv" },
		{ roster_parse_courses, "courses.csv" },
		{ roster_parse_bells, "bell_schedules.csv" },
		{ roster_parse_users, "users.csv" },
		{ roster_parse_classes, "classes.csv" },
		{ roster_parse_enrollments, "enrollments.csv" },
		{ roster_parse_timetable, "timetable.csv" },
		{ roster_parse_coaches, "coaches.csv" },
		{ roster_parse_questions, "questions.csv" },
	};
	struct roster	r;
	char		err[512];
	size_t		i;

	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++) {
		if (roster_init(&r, err, sizeof(err)) != 0)
			return 0;
		if (parsers[i].fn != roster_parse_orgs &&
		    roster_parse_orgs(&r, orgs, strlen(orgs), "orgs.csv", err,
		    sizeof(err)) == 0 &&
		    parsers[i].fn != roster_parse_users)
			(void)roster_parse_users(&r, users, strlen(users),
			    "users.csv", err, sizeof(err));
		if (parsers[i].fn(&r, (const char *)data, size,
		    parsers[i].name, err, sizeof(err)) == 0)
			(void)roster_finish(&r, err, sizeof(err));
		roster_free(&r);
	}
	return 0;
}
