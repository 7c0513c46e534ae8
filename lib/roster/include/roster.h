/*
 * roster.h: district roster import (OneRoster 1.1 CSV plus coachd's own
 * coaches, timetable, bell schedule and questions CSVs) into plain structs.
 *
 * The parsers are pure: text in, struct roster out, every bad row reported
 * as "file:line: column: reason".  The store writes the result in one
 * transaction keyed on sourcedId; nothing here touches SQLite.  File
 * formats and the timetable rules are documented in docs/roster.md.
 *
 * Parse order matters because rows are checked against what came before:
 *   roster_init, orgs, [academicSessions], [courses], [bell schedule],
 *   users, classes, enrollments, [timetable], [coaches], [questions],
 *   roster_finish.  roster_load_dir() does exactly this for a folder.
 * On any error the roster is still safe to pass to roster_free(), but its
 * contents are unspecified: callers must discard it (all-or-nothing).
 */
#ifndef COACHD_ROSTER_H
#define COACHD_ROSTER_H

#include <stdatomic.h>
#include <stddef.h>

/* Limits, documented in docs/roster.md. */
#define ROSTER_ID_MAX		255	/* bytes of a sourcedId */
#define ROSTER_TOKEN_MAX	64	/* ids of periods, days, areas, topics */
#define ROSTER_QUESTION_MAX	2000	/* bytes of inquiry question text */
#define ROSTER_CAP_MAX		1000	/* largest accepted caseload_cap */

/* A list of owned strings. */
struct roster_strv {
	char	**v;
	size_t	  n;
};

/* An org of type school (orgs.csv). */
struct roster_school {
	char	*id;		/* sourcedId */
	char	*name;
	char	*identifier;	/* may be "" */
	char	*parent_id;	/* parentSourcedId, may be "" */
	size_t	 line;
};

/* A user with role teacher (users.csv), completed from their classes. */
struct roster_teacher {
	char			*id;		/* sourcedId */
	char			*given_name;
	char			*family_name;
	char			*email;		/* may be "" */
	char			*username;	/* may be "" */
	struct roster_strv	 schools;	/* org ids of type school; [0] home */
	struct roster_strv	 grades;	/* users.csv grades + class grades */
	struct roster_strv	 subjects;	/* derived from their classes */
	int			 active;	/* enabledUser and not tobedeleted */
	size_t			 line;
};

/* A class (classes.csv) with its teachers from enrollments.csv. */
struct roster_class {
	char			*id;		/* sourcedId */
	char			*title;
	char			*course_id;
	char			*class_code;	/* may be "" */
	char			*class_type;	/* "homeroom" or "scheduled" */
	char			*room;		/* location, may be "" */
	char			*school_id;
	struct roster_strv	 terms;		/* termSourcedIds */
	struct roster_strv	 subjects;	/* class subjects, else course's */
	struct roster_strv	 grades;	/* class grades, else course's */
	struct roster_strv	 periods;	/* period names, e.g. "1", "3" */
	char			*teacher_id;	/* primary teacher or NULL */
	struct roster_strv	 teacher_ids;	/* every teacher enrolment */
	size_t			 nstudents;	/* student enrolments (count only) */
	size_t			 line;
};

/* A course (courses.csv, optional). */
struct roster_course {
	char			*id;
	char			*title;
	char			*code;		/* may be "" */
	char			*org_id;	/* may be "" */
	struct roster_strv	 subjects;
	struct roster_strv	 grades;
	size_t			 line;
};

/* An academic session (academicSessions.csv, optional). */
struct roster_session {
	char	*id;
	char	*title;
	char	*type;		/* schoolYear, semester, term, gradingPeriod... */
	char	*start_date;	/* YYYY-MM-DD */
	char	*end_date;	/* YYYY-MM-DD */
	char	*parent_id;	/* may be "" */
	size_t	 line;
};

/* One expertise area of a coach, level 1 (working) .. 3 (expert). */
struct roster_expertise {
	char	*area;
	int	 level;
};

/* A coach (coaches.csv, coachd's format). */
struct roster_coach {
	char			*id;
	char			*name;
	char			*email;		/* may be "" */
	struct roster_strv	 schools;	/* school ids served */
	struct roster_expertise	*expertise;
	size_t			 nexpertise;
	struct roster_strv	 interests;	/* topic ids */
	int			 caseload_cap;
	int			 active;
	size_t			 line;
};

/* One period of a school's bell schedule (bell_schedules.csv). */
struct roster_bell {
	char	*school_id;
	char	*day_type;	/* "*", "A".."H" or "mon".."fri" */
	char	*period;
	int	 start_min;	/* minutes after midnight, local time */
	int	 end_min;
	size_t	 line;
};

enum roster_slot_kind {
	ROSTER_SLOT_TEACH,
	ROSTER_SLOT_FREE
};

/* Where a timetable slot came from. */
enum roster_slot_source {
	ROSTER_SRC_CLASSES,	/* a class's periods (OneRoster) */
	ROSTER_SRC_CSV,		/* timetable.csv */
	ROSTER_SRC_BELL		/* bell period with no class: free */
};

/* One teacher-period of the weekly timetable. */
struct roster_slot {
	char			*teacher_id;
	char			*day;		/* "*", "A".."H" or "mon".."fri" */
	char			*period;
	enum roster_slot_kind	 kind;
	char			*class_id;	/* may be NULL */
	char			*subject;	/* may be NULL */
	char			*room;		/* may be NULL */
	enum roster_slot_source	 source;
	size_t			 line;		/* 0 unless from timetable.csv */
};

/* An inquiry question (questions.csv, demo and bulk loading). */
struct roster_question {
	char	*teacher_id;
	char	*text;
	char	*topic;		/* topic id or "" (to be suggested) */
	size_t	 line;
};

struct roster_priv;

/* Everything one import produced; owned by the struct, see roster_free(). */
struct roster {
	char			*district_id;	/* first org of type district */
	char			*district_name;
	struct roster_school	*schools;
	size_t			 nschools;
	struct roster_teacher	*teachers;
	size_t			 nteachers;
	struct roster_class	*classes;
	size_t			 nclasses;
	struct roster_course	*courses;
	size_t			 ncourses;
	struct roster_session	*sessions;
	size_t			 nsessions;
	struct roster_coach	*coaches;
	size_t			 ncoaches;
	struct roster_bell	*bells;
	size_t			 nbells;
	struct roster_slot	*slots;
	size_t			 nslots;
	struct roster_question	*questions;
	size_t			 nquestions;
	size_t			 nstudents;	/* student users seen (ids not kept) */
	size_t			 nenrollments;
	struct roster_priv	*priv;		/* lookup tables, parse state */
};

/* An empty roster; returns 0 (allocation cannot fail, see xmalloc.h). */
int	roster_init(struct roster *r, char *err, size_t errlen);
void	roster_free(struct roster *r);

/*
 * Per-file parsers: text of len bytes, filename used in error messages.
 * Each returns 0, or -1 with "filename:line: reason" in err.
 */
int	roster_parse_orgs(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_sessions(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_courses(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_bells(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_users(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_classes(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_enrollments(struct roster *r, const char *text,
	    size_t len, const char *filename, char *err, size_t errlen);
int	roster_parse_timetable(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_coaches(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);
int	roster_parse_questions(struct roster *r, const char *text, size_t len,
	    const char *filename, char *err, size_t errlen);

/*
 * Cross-file checks and derivations: primary teacher of each class,
 * teachers' subjects and grades, bell periods that overlap, and the
 * expanded timetable (teach slots from classes unless timetable.csv lists
 * the teacher, then a free slot for every bell period left over).
 */
int	roster_finish(struct roster *r, char *err, size_t errlen);

/*
 * Read a folder: orgs.csv, users.csv, classes.csv and enrollments.csv are
 * required; academicSessions.csv, courses.csv, bell_schedules.csv,
 * timetable.csv, coaches.csv and questions.csv are read when present.
 * Returns 0 with *out filled (caller calls roster_free()), or -1 with err
 * set and *out freed.
 */
int	roster_load_dir(const char *dir, struct roster *out, char *err,
	    size_t errlen);
/*
 * The same, giving up with "FILE: cancelled" soon after another thread
 * set *stop (checked between parts of a big file); stop may be NULL.
 */
int	roster_load_dir_until(const char *dir, atomic_int *stop,
	    struct roster *out, char *err, size_t errlen);

/* Lookups by id (NULL when absent); valid until roster_free(). */
const struct roster_teacher	*roster_find_teacher(const struct roster *,
				    const char *);
const struct roster_class	*roster_find_class(const struct roster *,
				    const char *);
const struct roster_school	*roster_find_school(const struct roster *,
				    const char *);

#endif /* COACHD_ROSTER_H */
