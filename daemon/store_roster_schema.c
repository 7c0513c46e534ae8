/*
 * store_roster_schema.c: the roster module's schema: schools, coaches,
 * teachers (store_roster.c), classes, the weekly timetable, bell
 * schedules (store_import.c), administrators and tokens (store_token.c).
 */
#include "store.h"

/*
 * Version 1 of the roster module.  Ids are the district's own (or a
 * OneRoster sourcedId); source_id is NULL for records typed in by hand so
 * that the UNIQUE constraint only binds imported ones.  Periods and day
 * types are short tokens ("3", "A", "mon", "*" for every day); times are
 * minutes after local midnight.
 */
static const char sr_schema_v1[] =
	"CREATE TABLE schools ("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL DEFAULT 'other'"
	"  CHECK (kind IN ('elementary','middle','high','other')),"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	" source_id TEXT UNIQUE);"
	"CREATE TABLE coaches ("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL DEFAULT '',"
	" caseload_cap INTEGER NOT NULL CHECK (caseload_cap BETWEEN 0 AND 1000),"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)));"
	"CREATE TABLE coach_expertise ("
	" coach TEXT NOT NULL REFERENCES coaches(id) ON DELETE CASCADE,"
	" area TEXT NOT NULL,"
	" level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),"
	" PRIMARY KEY (coach, area));"
	"CREATE TABLE coach_interests ("
	" coach TEXT NOT NULL REFERENCES coaches(id) ON DELETE CASCADE,"
	" topic TEXT NOT NULL,"
	" PRIMARY KEY (coach, topic));"
	"CREATE TABLE coach_schools ("
	" coach TEXT NOT NULL REFERENCES coaches(id) ON DELETE CASCADE,"
	" school TEXT NOT NULL REFERENCES schools(id),"
	" PRIMARY KEY (coach, school));"
	"CREATE INDEX coach_schools_school ON coach_schools(school);"
	"CREATE TABLE teachers ("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL DEFAULT '',"
	" school TEXT NOT NULL REFERENCES schools(id),"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	" source_id TEXT UNIQUE);"
	"CREATE INDEX teachers_school ON teachers(school);"
	"CREATE TABLE teacher_subjects ("
	" teacher TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,"
	" subject TEXT NOT NULL,"
	" PRIMARY KEY (teacher, subject));"
	"CREATE TABLE teacher_grades ("
	" teacher TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,"
	" grade TEXT NOT NULL,"
	" PRIMARY KEY (teacher, grade));"
	"CREATE TABLE classes ("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" subject TEXT NOT NULL DEFAULT '',"
	" room TEXT NOT NULL DEFAULT '',"
	" school TEXT NOT NULL REFERENCES schools(id),"
	" teacher TEXT REFERENCES teachers(id),"
	" source_id TEXT UNIQUE);"
	"CREATE INDEX classes_teacher ON classes(teacher);"
	"CREATE TABLE class_periods ("
	" teacher TEXT NOT NULL REFERENCES teachers(id) ON DELETE CASCADE,"
	" day_type TEXT NOT NULL,"
	" period TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('teach','free')),"
	" class TEXT REFERENCES classes(id),"
	" subject TEXT NOT NULL DEFAULT '',"
	" room TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (teacher, day_type, period));"
	"CREATE TABLE bell_periods ("
	" school TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,"
	" day_type TEXT NOT NULL,"
	" period TEXT NOT NULL,"
	" start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),"
	" end_min INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),"
	" CHECK (end_min > start_min),"
	" PRIMARY KEY (school, day_type, period));"
	"CREATE TABLE admins ("
	" id TEXT PRIMARY KEY,"
	" display_name TEXT NOT NULL,"
	" active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),"
	" created INTEGER NOT NULL);"
	"CREATE TABLE tokens ("
	" token_id TEXT PRIMARY KEY,"
	" hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),"
	" role INTEGER NOT NULL CHECK (role IN (1,2,3)),"
	" user TEXT NOT NULL,"
	" label TEXT NOT NULL DEFAULT '',"
	" created INTEGER NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0,1)));"
	"CREATE INDEX tokens_user ON tokens(user);";

/*
 * Who issued each token (an admin id; "coachd --init-admin" for the first
 * ones): issuing a token for a person lets the issuer act as them, so
 * every issuance is kept on record.  Rows from before are ''.
 */
static const char sr_schema_v2[] =
	"ALTER TABLE tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';";

/*
 * First- and second-year teachers, whose questions go first
 * (docs/queues.md).  OneRoster does not carry it: an admin sets it, and an
 * import keeps it.
 */
static const char sr_schema_v3[] =
	"ALTER TABLE teachers ADD COLUMN new_teacher INTEGER NOT NULL "
	"DEFAULT 0 CHECK (new_teacher IN (0,1));";

static const struct store_migration sr_steps[] = {
	{ 1, sr_schema_v1 },
	{ 2, sr_schema_v2 },
	{ 3, sr_schema_v3 },
};

const struct store_schema store_roster_schema = {
	"roster", sr_steps, sizeof sr_steps / sizeof sr_steps[0]
};
