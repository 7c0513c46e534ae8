/*
 * test_roster.c: unit tests for the roster parsers (roster.c): a small
 * good district checked field by field, then one broken file at a time,
 * each error checked for its exact "file:line: column: reason".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "roster.h"

/* The files of one test district; NULL means the file is absent. */
struct fx {
	const char	*orgs, *sessions, *courses, *bells, *users;
	const char	*classes, *enroll, *timetable, *coaches, *questions;
};

static const struct fx good = {
	.orgs =
	    "sourcedId,status,dateLastModified,name,type,identifier,"
	    "parentSourcedId\n"
	    "d1,,,Test District,district,TD,\n"
	    "s1,,,North High,school,NH,d1\n"
	    "s2,active,,South Elementary,school,SE,d1\n"
	    "gone,tobedeleted,,Closed School,school,,d1\n",
	.sessions =
	    "sourcedId,title,type,startDate,endDate,parentSourcedId,extra\n"
	    "y1,2026-27,schoolYear,2026-08-17,2027-06-04,,x\n",
	.courses =
	    "sourcedId,title,courseCode,grades,orgSourcedId,subjects\n"
	    "alg,Algebra I,ALG1,\"09,10\",s1,Mathematics\n"
	    "lit,Reading,,KG,s2,English Language Arts\n",
	.bells =
	    "school_id,day_type,period,start,end\n"
	    "s1,A,1,07:45,09:15\n"
	    "s1,A,2,9:25,10:55\n"
	    "s1,B,3,07:45,09:15\n"
	    "s1,B,4,09:25,10:55\n"
	    "s2,*,LIT,08:20,09:50\n"
	    "s2,*,SPEC,10:00,10:45\n",
	.users =
	    "\xef\xbb\xbfsourcedId,status,enabledUser,orgSourcedIds,role,"
	    "username,givenName,familyName,email,grades,password\n"
	    "t1,,true,s1,teacher,mortiz,Maria,Ortiz,maria@x.org,\" 09 , 10\",\n"
	    "t2,,TRUE,\"s1,d1\",teacher,jlee,James,Lee,,,\n"
	    "t3,,false,s2,teacher,,Zoë,\"O'Brien, Jr\",,KG,\n"
	    "st1,,true,s1,student,,A,B,,09,secret\n"
	    "st2,,true,s2,student,,C,D,,KG,\n"
	    "p1,,true,d1,parent,,E,F,,,\n",
	.classes =
	    "sourcedId,title,grades,courseSourcedId,classCode,classType,"
	    "location,schoolSourcedId,termSourcedIds,subjects,periods\n"
	    "c1,Algebra I (P1),,alg,A1,scheduled,Room 201,s1,y1,,1\n"
	    "c2,Geometry,10,alg,,scheduled,Room 202,s1,y1,Geometry,\"3, 4\"\n"
	    "c3,Reading K,,lit,,homeroom,Room 5,s2,y1,,LIT\n",
	.enroll =
	    "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role,"
	    "primary\n"
	    "e1,c1,s1,t1,teacher,true\n"
	    "e2,c1,s1,st1,student,false\n"
	    "e3,c2,s1,t2,teacher,false\n"
	    "e4,c2,s1,t1,teacher,true\n"
	    "e5,c3,s2,t3,teacher,\n"
	    "e6,c3,s2,st2,student,\n",
	.timetable =
	    "teacher_id,day,period,kind,class_id,subject,room\n"
	    "t2,A,1,free,,,\n"
	    "t2,Monday,3,teach,c2,,\n"
	    "t2,B,4,teach,,Duty,Cafeteria\n",
	.coaches =
	    "id,name,email,schools,expertise,interests,caseload_cap,active\n"
	    "k1,Dana W,dana@x.org,s1;s2,literacy:3; assessment:1,"
	    "writing;small-group-reading,12,\n"
	    "k2,Chidi A,,s1,math:2,,0,false\n",
	.questions =
	    "teacher_id,text,topic\n"
	    "t1,\"How can I get more students talking, not just me?\","
	    "math-discourse\n"
	    "t3,How do I keep centers calm?,\n",
};

/* Run the parsers in roster_load_dir()'s order; 0 or -1 with err. */
static int
load(const struct fx *x, struct roster *r, char *err, size_t errlen)
{
	struct {
		const char	*text, *name;
		int		(*fn)(struct roster *, const char *, size_t,
				    const char *, char *, size_t);
	} f[] = {
		{ x->orgs, "orgs.csv", roster_parse_orgs },
		{ x->sessions, "academicSessions.csv", roster_parse_sessions },
		{ x->courses, "courses.csv", roster_parse_courses },
		{ x->bells, "bell_schedules.csv", roster_parse_bells },
		{ x->users, "users.csv", roster_parse_users },
		{ x->classes, "classes.csv", roster_parse_classes },
		{ x->enroll, "enrollments.csv", roster_parse_enrollments },
		{ x->timetable, "timetable.csv", roster_parse_timetable },
		{ x->coaches, "coaches.csv", roster_parse_coaches },
		{ x->questions, "questions.csv", roster_parse_questions },
	};
	size_t	i;

	err[0] = '\0';
	if (roster_init(r, err, errlen) == -1)
		return -1;
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		if (f[i].text == NULL)
			continue;
		if (f[i].fn(r, f[i].text, strlen(f[i].text), f[i].name, err,
		    errlen) == -1)
			return -1;
	}
	return roster_finish(r, err, errlen);
}

/* Find a slot; NULL when absent. */
static const struct roster_slot *
slot(const struct roster *r, const char *t, const char *day, const char *p)
{
	size_t	i;

	for (i = 0; i < r->nslots; i++)
		if (strcmp(r->slots[i].teacher_id, t) == 0 &&
		    strcmp(r->slots[i].day, day) == 0 &&
		    strcmp(r->slots[i].period, p) == 0)
			return &r->slots[i];
	return NULL;
}

static void
test_good(void **state)
{
	struct roster			 r;
	const struct roster_teacher	*t;
	const struct roster_class	*c;
	const struct roster_slot	*s;
	char				 err[512];

	(void)state;
	if (load(&good, &r, err, sizeof err) == -1)
		fail_msg("%s", err);
	assert_string_equal(r.district_name, "Test District");
	assert_int_equal(r.nschools, 2);	/* tobedeleted skipped */
	assert_string_equal(r.schools[1].name, "South Elementary");
	assert_non_null(roster_find_school(&r, "s1"));
	assert_null(roster_find_school(&r, "d1"));
	assert_null(roster_find_school(&r, "gone"));
	assert_int_equal(r.nteachers, 3);
	assert_int_equal(r.nstudents, 2);
	assert_int_equal(r.nenrollments, 6);

	t = roster_find_teacher(&r, "t3");
	assert_non_null(t);
	assert_string_equal(t->given_name, "Zoë");
	assert_string_equal(t->family_name, "O'Brien, Jr");
	assert_int_equal(t->active, 0);
	assert_null(roster_find_teacher(&r, "st1"));
	t = roster_find_teacher(&r, "t2");
	assert_int_equal(t->schools.n, 1);	/* district org dropped */
	assert_string_equal(t->schools.v[0], "s1");
	assert_int_equal(t->active, 1);
	/* Subjects and grades come from the classes they teach. */
	assert_int_equal(t->subjects.n, 1);
	assert_string_equal(t->subjects.v[0], "Geometry");
	assert_int_equal(t->grades.n, 1);
	assert_string_equal(t->grades.v[0], "10");
	t = roster_find_teacher(&r, "t1");
	assert_int_equal(t->subjects.n, 2);
	assert_string_equal(t->subjects.v[0], "Mathematics");
	assert_int_equal(t->grades.n, 2);

	c = roster_find_class(&r, "c1");
	assert_string_equal(c->room, "Room 201");
	assert_string_equal(c->subjects.v[0], "Mathematics"); /* course's */
	assert_int_equal(c->grades.n, 2);
	assert_string_equal(c->teacher_id, "t1");
	assert_int_equal(c->nstudents, 1);
	c = roster_find_class(&r, "c2");
	assert_int_equal(c->periods.n, 2);
	assert_string_equal(c->periods.v[1], "4");
	assert_string_equal(c->teacher_id, "t1");	/* the primary */
	assert_int_equal(c->teacher_ids.n, 2);
	c = roster_find_class(&r, "c3");
	assert_string_equal(c->teacher_id, "t3");	/* only teacher */
	assert_string_equal(c->class_type, "homeroom");

	/* t1: classes c1 (P1) and c2 (P3, P4) every day; P2 left free. */
	s = slot(&r, "t1", "*", "1");
	assert_non_null(s);
	assert_int_equal(s->kind, ROSTER_SLOT_TEACH);
	assert_string_equal(s->class_id, "c1");
	assert_string_equal(s->room, "Room 201");
	assert_int_equal(s->source, ROSTER_SRC_CLASSES);
	assert_non_null(slot(&r, "t1", "*", "3"));
	s = slot(&r, "t1", "A", "2");
	assert_non_null(s);
	assert_int_equal(s->kind, ROSTER_SLOT_FREE);
	assert_int_equal(s->source, ROSTER_SRC_BELL);
	assert_null(slot(&r, "t1", "A", "1"));
	/* t2 is in timetable.csv: its class periods are not used. */
	assert_null(slot(&r, "t2", "*", "3"));
	s = slot(&r, "t2", "mon", "3");
	assert_non_null(s);
	assert_string_equal(s->subject, "Geometry");
	assert_string_equal(s->room, "Room 202");
	assert_int_equal(s->line, 3);
	s = slot(&r, "t2", "B", "4");
	assert_string_equal(s->subject, "Duty");
	assert_null(s->class_id);
	assert_int_equal(slot(&r, "t2", "A", "1")->source, ROSTER_SRC_CSV);
	assert_int_equal(slot(&r, "t2", "A", "2")->kind, ROSTER_SLOT_FREE);
	/* Taught on Mondays only: B-day period 3 stays a free slot; on a
	 * Monday B day the teach slot wins (docs/roster.md). */
	assert_int_equal(slot(&r, "t2", "B", "3")->kind, ROSTER_SLOT_FREE);
	/* t3 (elementary): LIT taught, SPEC free. */
	assert_int_equal(slot(&r, "t3", "*", "SPEC")->kind, ROSTER_SLOT_FREE);
	assert_int_equal(slot(&r, "t3", "*", "LIT")->kind, ROSTER_SLOT_TEACH);

	assert_int_equal(r.ncoaches, 2);
	assert_int_equal(r.coaches[0].nexpertise, 2);
	assert_string_equal(r.coaches[0].expertise[1].area, "assessment");
	assert_int_equal(r.coaches[0].expertise[1].level, 1);
	assert_int_equal(r.coaches[0].schools.n, 2);
	assert_int_equal(r.coaches[0].interests.n, 2);
	assert_int_equal(r.coaches[0].caseload_cap, 12);
	assert_int_equal(r.coaches[0].active, 1);
	assert_int_equal(r.coaches[1].caseload_cap, 0);
	assert_int_equal(r.coaches[1].active, 0);

	assert_int_equal(r.nbells, 6);
	assert_int_equal(r.nquestions, 2);
	assert_string_equal(r.questions[0].text,
	    "How can I get more students talking, not just me?");
	assert_string_equal(r.questions[1].topic, "");
	roster_free(&r);
	roster_free(&r);	/* zeroed: safe twice */
}

static void
test_minimal(void **state)
{
	struct fx	x = { 0 };
	struct roster	r;
	char		err[512];

	(void)state;
	/* Only the four required OneRoster files, no bell schedule: any
	 * period name goes and nothing is free. */
	x.orgs = good.orgs;
	x.users = good.users;
	x.classes = "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds,periods\n"
	    "c1,X,nosuchcourse,scheduled,s1,noterm,ZERO\n";
	x.enroll = "sourcedId,classSourcedId,schoolSourcedId,userSourcedId,"
	    "role\ne1,c1,s1,t1,teacher\n";
	if (load(&x, &r, err, sizeof err) == -1)
		fail_msg("%s", err);
	assert_int_equal(r.nslots, 1);
	assert_string_equal(r.slots[0].period, "ZERO");
	roster_free(&r);
}

/* Replace one file of the good district and expect this error. */
#define BAD(field, text, msg) do {					\
	struct fx	x_ = good;					\
	struct roster	r_;						\
	char		e_[512];					\
									\
	x_.field = (text);						\
	assert_int_equal(load(&x_, &r_, e_, sizeof e_), -1);		\
	if (strcmp(e_, (msg)) != 0)					\
		fail_msg("got '%s'\nwant '%s'", e_, (msg));		\
	roster_free(&r_);						\
} while (0)

static void
test_bad_orgs(void **state)
{
	(void)state;
	BAD(orgs, "sourcedId,name\ns1,X\n",
	    "orgs.csv:1: missing required column 'type'");
	BAD(orgs, "sourcedId,name,type\ns1,X,school\ns2,,school\n",
	    "orgs.csv:3: name: required value is empty");
	BAD(orgs, "sourcedId,name,type\ns1,X,campus\n",
	    "orgs.csv:2: type: bad value 'campus' (want school, district, "
	    "...)");
	BAD(orgs, "sourcedId,name,type\ns1,X,school\n\ns1,Y,school\n",
	    "orgs.csv:4: sourcedId: duplicate 's1'");
	BAD(orgs, "sourcedId,name,type\nd,X,district\nd,Y,school\n",
	    "orgs.csv:3: sourcedId: duplicate 'd'");
	BAD(orgs, "sourcedId,name,type,status\ns1,X,school,deleted\n",
	    "orgs.csv:2: status: bad value 'deleted' (want active or "
	    "tobedeleted)");
	BAD(orgs, "sourcedId,name,type\ns1,\"X,school\n",
	    "orgs.csv:2: unterminated quoted field");
	{
		char	buf[600];

		snprintf(buf, sizeof buf, "sourcedId,name,type\n%0*d,X,school\n",
		    ROSTER_ID_MAX + 1, 0);
		BAD(orgs, buf, "orgs.csv:2: sourcedId: longer than 255 bytes");
	}
}

static void
test_bad_sessions_courses(void **state)
{
	(void)state;
	BAD(sessions, "sourcedId,title,type,startDate,endDate\n"
	    "y1,Y,year,2026-08-17,2027-06-04\n",
	    "academicSessions.csv:2: type: bad value 'year' (want schoolYear, "
	    "semester, term, ...)");
	BAD(sessions, "sourcedId,title,type,startDate,endDate\n"
	    "y1,Y,term,2026-8-17,2027-06-04\n",
	    "academicSessions.csv:2: startDate: not a YYYY-MM-DD date");
	BAD(sessions, "sourcedId,title,type,startDate,endDate\n"
	    "y1,Y,term,2027-08-17,2027-06-04\n",
	    "academicSessions.csv:2: endDate: before startDate");
	BAD(courses, "sourcedId,title,orgSourcedId\nalg,A,s9\n",
	    "courses.csv:2: orgSourcedId: unknown org 's9'");
	BAD(courses, "sourcedId,title,orgSourcedId,grades\nalg,A,s1,9\n",
	    "courses.csv:2: grades: bad grade '9'");
}

static void
test_bad_bells(void **state)
{
	(void)state;
	BAD(bells, "school_id,day_type,period,start\ns1,A,1,07:45\n",
	    "bell_schedules.csv:1: missing required column 'end'");
	BAD(bells, "school_id,day_type,period,start,end\ns3,A,1,07:45,08:30\n",
	    "bell_schedules.csv:2: school_id: unknown school 's3'");
	BAD(bells, "school_id,day_type,period,start,end\nd1,A,1,07:45,08:30\n",
	    "bell_schedules.csv:2: school_id: unknown school 'd1'");
	BAD(bells, "school_id,day_type,period,start,end\ns1,Z,1,07:45,08:30\n",
	    "bell_schedules.csv:2: day_type: bad value 'Z' (want *, A-H or "
	    "mon-fri)");
	BAD(bells, "school_id,day_type,period,start,end\n"
	    "s1,A,period 1,07:45,08:30\n",
	    "bell_schedules.csv:2: period: bad period 'period 1'");
	BAD(bells, "school_id,day_type,period,start,end\ns1,A,1,7.45,08:30\n",
	    "bell_schedules.csv:2: start: not a HH:MM time");
	BAD(bells, "school_id,day_type,period,start,end\ns1,A,1,07:45,24:00\n",
	    "bell_schedules.csv:2: end: not a HH:MM time");
	BAD(bells, "school_id,day_type,period,start,end\ns1,A,1,09:45,08:30\n",
	    "bell_schedules.csv:2: end: not after start");
	BAD(bells, "school_id,day_type,period,start,end\n"
	    "s1,a,1,07:45,08:30\ns1,A,1,09:00,09:30\n",
	    "bell_schedules.csv:3: period: '1' listed twice for school 's1' "
	    "day 'A'");
	BAD(bells, "school_id,day_type,period,start,end\n"
	    "s1,A,2,08:00,09:00\ns1,A,1,07:30,08:30\n"
	    "s1,B,3,07:45,09:15\ns1,B,4,09:25,10:55\n"
	    "s2,*,LIT,08:20,09:50\ns2,*,SPEC,10:00,10:45\n",
	    "bell_schedules.csv:3: start: period '1' overlaps period '2' "
	    "(line 2)");
}

static void
test_bad_users(void **state)
{
	(void)state;
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName\n",
	    "users.csv:1: missing required column 'familyName'");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\nt1,true,s1,teacher,A,B\nt2,true,s1,teacher,,B\n",
	    "users.csv:3: givenName: required value is empty");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\nt1,true,s1,coach,A,B\n",
	    "users.csv:2: role: bad value 'coach' (want teacher, student, "
	    "...)");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\nt1,maybe,s1,teacher,A,B\n",
	    "users.csv:2: enabledUser: bad value 'maybe' (want true or "
	    "false)");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\nt1,true,\"s1,s7\",teacher,A,B\n",
	    "users.csv:2: orgSourcedIds: unknown org 's7'");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\nx,true,s9,student,A,B\n",
	    "users.csv:2: orgSourcedIds: unknown org 's9'");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName,grades\nt1,true,s1,teacher,A,B,\"09,13,14\"\n",
	    "users.csv:2: grades: bad grade '14'");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName,email\nt1,true,s1,teacher,A,B,not-an-email\n",
	    "users.csv:2: email: bad address 'not-an-email'");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\n\"t1\",true,s1,teacher,A,B\nt1,true,s1,student,C,D\n",
	    "users.csv:3: sourcedId: duplicate 't1'");
	BAD(users, "sourcedId,enabledUser,orgSourcedIds,role,givenName,"
	    "familyName\nt1,true,s1,teacher,\"A\nB\",C\nt1,true,s1,teacher,"
	    "C,D\n",
	    "users.csv:4: sourcedId: duplicate 't1'");
}

static void
test_bad_classes(void **state)
{
	(void)state;
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId\nc1,X,alg,scheduled,s1\n",
	    "classes.csv:1: missing required column 'termSourcedIds'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds\nc1,X,alg,lecture,s1,y1\n",
	    "classes.csv:2: classType: bad value 'lecture' (want homeroom or "
	    "scheduled)");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds\nc1,X,alg,scheduled,s9,y1\n",
	    "classes.csv:2: schoolSourcedId: unknown school 's9'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds\nc1,X,geo,scheduled,s1,y1\n",
	    "classes.csv:2: courseSourcedId: unknown course 'geo'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds\nc1,X,alg,scheduled,s1,\"y1,y2\"\n",
	    "classes.csv:2: termSourcedIds: unknown academic session 'y2'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds,periods\n"
	    "c1,X,alg,scheduled,s1,y1,\"1,9\"\n",
	    "classes.csv:2: periods: period '9' is not in the bell schedule "
	    "of school 's1'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds,periods\n"
	    "c1,X,alg,scheduled,s1,y1,1;2\n",
	    "classes.csv:2: periods: bad period '1;2'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds,grades\n"
	    "c1,X,alg,scheduled,s1,y1,grade 9\n",
	    "classes.csv:2: grades: bad grade 'grade 9'");
	BAD(classes, "sourcedId,title,courseSourcedId,classType,"
	    "schoolSourcedId,termSourcedIds\nc1,X,alg,scheduled,s1,y1\n"
	    "c1,Y,alg,scheduled,s1,y1\n",
	    "classes.csv:3: sourcedId: duplicate 'c1'");
}

static void
test_bad_enrollments(void **state)
{
	static const char hdr[] = "sourcedId,classSourcedId,schoolSourcedId,"
	    "userSourcedId,role,primary\n";
	char	buf[512];

	(void)state;
#define ENR(rows, msg) do {						\
	snprintf(buf, sizeof buf, "%s%s", hdr, rows);			\
	BAD(enroll, buf, msg);						\
} while (0)
	ENR("e1,c9,s1,t1,teacher,true\n",
	    "enrollments.csv:2: classSourcedId: unknown class 'c9'");
	ENR("e1,c1,s1,t1,teacher,true\ne2,c1,s1,t9,student,\n",
	    "enrollments.csv:3: userSourcedId: unknown user 't9'");
	ENR("e1,c1,s2,t1,teacher,true\n",
	    "enrollments.csv:2: schoolSourcedId: 's2' is not the school of "
	    "class 'c1' ('s1')");
	ENR("e1,c1,s1,st1,teacher,true\n",
	    "enrollments.csv:2: userSourcedId: 'st1' is not a teacher");
	ENR("e1,c1,s1,p1,teacher,true\n",
	    "enrollments.csv:2: userSourcedId: 'p1' is not a teacher");
	ENR("e1,c1,s1,t1,student,\n",
	    "enrollments.csv:2: userSourcedId: 't1' is not a student");
	ENR("e1,c1,s1,t1,aide,\n",
	    "enrollments.csv:2: role: bad value 'aide' (want teacher or "
	    "student, ...)");
	ENR("e1,c1,s1,t1,teacher,yes please\n",
	    "enrollments.csv:2: primary: bad value 'yes please' (want true or "
	    "false)");
	ENR("e1,c1,s1,t1,teacher,\ne1,c2,s1,t2,teacher,\n",
	    "enrollments.csv:3: sourcedId: duplicate 'e1'");
	ENR("e1,c1,s1,t1,teacher,\ne2,c1,s1,t1,teacher,\n",
	    "enrollments.csv:3: userSourcedId: teacher 't1' enrolled twice in "
	    "class 'c1'");
	ENR("e1,c1,s1,,teacher,\n",
	    "enrollments.csv:2: userSourcedId: required value is empty");
#undef ENR
}

static void
test_bad_timetable(void **state)
{
	static const char hdr[] = "teacher_id,day,period,kind,class_id\n";
	char	buf[512];

	(void)state;
#define TT(rows, msg) do {						\
	snprintf(buf, sizeof buf, "%s%s", hdr, rows);			\
	BAD(timetable, buf, msg);					\
} while (0)
	TT("st1,A,1,free,\n",
	    "timetable.csv:2: teacher_id: unknown teacher 'st1'");
	TT("t1,Sat,1,free,\n",
	    "timetable.csv:2: day: bad value 'Sat' (want *, A-H or mon-fri)");
	TT("t1,A,9,free,\n",
	    "timetable.csv:2: period: period '9' is not in the bell schedule "
	    "of school 's1'");
	TT("t1,A,1,lunch,\n",
	    "timetable.csv:2: kind: bad value 'lunch' (want teach or free)");
	TT("t1,A,1,free,c1\n",
	    "timetable.csv:2: class_id: given for a free period");
	TT("t1,A,1,teach,c7\n",
	    "timetable.csv:2: class_id: unknown class 'c7'");
	TT("t1,A,1,teach,c1\nt1,a,1,free,\n",
	    "timetable.csv:3: period: teacher 't1' has period '1' on day 'A' "
	    "twice");
	BAD(timetable, "teacher_id,day,period\nt1,A,1\n",
	    "timetable.csv:1: missing required column 'kind'");
#undef TT
}

static void
test_bad_coaches(void **state)
{
	static const char hdr[] = "id,name,email,schools,expertise,interests,"
	    "caseload_cap,active\n";
	char	buf[512];

	(void)state;
#define CO(rows, msg) do {						\
	snprintf(buf, sizeof buf, "%s%s", hdr, rows);			\
	BAD(coaches, buf, msg);						\
} while (0)
	CO("k1,A,,s1,literacy:4,,10,\n",
	    "coaches.csv:2: expertise: bad level '4' for 'literacy' (want "
	    "1-3)");
	CO("k1,A,,s1,literacy:0,,10,\n",
	    "coaches.csv:2: expertise: bad level '0' for 'literacy' (want "
	    "1-3)");
	CO("k1,A,,s1,literacy:,,10,\n",
	    "coaches.csv:2: expertise: bad level '' for 'literacy' (want "
	    "1-3)");
	CO("k1,A,,s1,literacy,,10,\n",
	    "coaches.csv:2: expertise: 'literacy' is not area:level");
	CO("k1,A,,s1,math:1;math:2,,10,\n",
	    "coaches.csv:2: expertise: area 'math' listed twice");
	CO("k1,A,,s1,class room:2,,10,\n",
	    "coaches.csv:2: expertise: bad area 'class room'");
	CO("k1,A,,s1,,,10,\n",
	    "coaches.csv:2: expertise: required value is empty");
	CO("k1,A,,s1;s5,math:2,,10,\n",
	    "coaches.csv:2: schools: unknown school 's5'");
	CO("k1,A,,s1,math:2,,-1,\n",
	    "coaches.csv:2: caseload_cap: '-1' is not an integer 0-1000");
	CO("k1,A,,s1,math:2,,12.5,\n",
	    "coaches.csv:2: caseload_cap: '12.5' is not an integer 0-1000");
	CO("k1,A,,s1,math:2,,1001,\n",
	    "coaches.csv:2: caseload_cap: '1001' is not an integer 0-1000");
	CO("k1,A,,s1,math:2,,,\n",
	    "coaches.csv:2: caseload_cap: required value is empty");
	CO("k1,A,,s1,math:2,,10,sometimes\n",
	    "coaches.csv:2: active: bad value 'sometimes' (want true or false)");
	CO("k1,A,,s1,math:2,bad topic,10,\n",
	    "coaches.csv:2: interests: bad topic id 'bad topic'");
	CO("k1,A,a@b,s1,math:2,,10,\nk1,B,,s1,math:2,,10,\n",
	    "coaches.csv:3: id: duplicate 'k1'");
	CO("k1,A,nobody,s1,math:2,,10,\n",
	    "coaches.csv:2: email: bad address 'nobody'");
	BAD(coaches, "id,name,expertise\nk1,A,math:2\n",
	    "coaches.csv:1: missing required column 'caseload_cap'");
#undef CO
}

static void
test_bad_questions(void **state)
{
	char	buf[ROSTER_QUESTION_MAX + 100];

	(void)state;
	BAD(questions, "teacher_id,text\nt9,Why?\n",
	    "questions.csv:2: teacher_id: unknown teacher 't9'");
	BAD(questions, "teacher_id,text\nt1,\"\"\n",
	    "questions.csv:2: text: required value is empty");
	BAD(questions, "teacher_id,text,topic\nt1,Why?,Math Talk\n",
	    "questions.csv:2: topic: bad topic id 'Math Talk'");
	snprintf(buf, sizeof buf, "teacher_id,text\nt1,%0*d\n",
	    ROSTER_QUESTION_MAX + 1, 0);
	BAD(questions, buf, "questions.csv:2: text: longer than 2000 bytes");
}

static void
test_load_dir_errors(void **state)
{
	struct roster	r;
	char		err[512];

	(void)state;
	assert_int_equal(roster_load_dir("/nonexistent-roster-dir", &r, err,
	    sizeof err), -1);
	assert_string_equal(err,
	    "/nonexistent-roster-dir/orgs.csv: No such file or directory");
	assert_null(r.teachers);
	assert_null(r.priv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_bad_orgs),
		cmocka_unit_test(test_bad_sessions_courses),
		cmocka_unit_test(test_bad_bells),
		cmocka_unit_test(test_bad_users),
		cmocka_unit_test(test_bad_classes),
		cmocka_unit_test(test_bad_enrollments),
		cmocka_unit_test(test_bad_timetable),
		cmocka_unit_test(test_bad_coaches),
		cmocka_unit_test(test_bad_questions),
		cmocka_unit_test(test_load_dir_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
