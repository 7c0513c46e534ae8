/*
 * caps: the pure engine behind activity categories, time caps and
 * time-use reports.
 *
 * Categories and district caps come from conf/categories.conf (parsed from
 * text by caps_policy_parse); runtime overrides are applied with
 * caps_policy_set.  Evaluation, "would this booking pass a cap?" and the
 * reports take plain arrays of time entries and return plain structs: no
 * I/O, no clock ("today" is a parameter).  Days are day numbers: days
 * since 1970-01-01 (UTC calendar date).  Formulas: docs/caps.md.
 */
#ifndef CAPS_H
#define CAPS_H

#include <stddef.h>
#include <stdint.h>

#define CAPS_ID_MAX	48
#define CAPS_NAME_MAX	96
#define CAPS_TERMS_MAX	8	/* terms in a school year */

/* The ten coaching roles a category maps to (CAPS_ROLE_NONE: duties). */
enum caps_role {
	CAPS_ROLE_RESOURCE_PROVIDER = 0,
	CAPS_ROLE_DATA_COACH,
	CAPS_ROLE_CURRICULUM_SPECIALIST,
	CAPS_ROLE_INSTRUCTIONAL_SPECIALIST,
	CAPS_ROLE_CLASSROOM_SUPPORTER,
	CAPS_ROLE_LEARNING_FACILITATOR,
	CAPS_ROLE_MENTOR,
	CAPS_ROLE_SCHOOL_LEADER,
	CAPS_ROLE_CATALYST,
	CAPS_ROLE_LEARNER,
	CAPS_ROLE_NONE,		/* only for non-coaching duties */
	CAPS_NROLES
};

/* District marking of a category. */
enum caps_mark {
	CAPS_MARK_WILL = 0,	/* "will do" */
	CAPS_MARK_MAY,		/* "may do" */
	CAPS_MARK_WILL_NOT	/* "will not do": needs an admin override */
};

enum caps_period { CAPS_WEEK = 0, CAPS_TERM };
enum caps_unit { CAPS_MINUTES = 0, CAPS_SHARE, CAPS_NOCAP };
enum caps_scope { CAPS_SCOPE_DISTRICT = 0, CAPS_SCOPE_SCHOOL,
	CAPS_SCOPE_COACH };
enum caps_status { CAPS_OK = 0, CAPS_WARNING, CAPS_OVER };

/* "resource-provider", ..., "catalyst-for-change", "learner", "none". */
const char	*caps_role_name(enum caps_role r);
int		 caps_role_parse(const char *s, enum caps_role *out);
/* "will", "may", "will-not". */
const char	*caps_mark_name(enum caps_mark m);
int		 caps_mark_parse(const char *s, enum caps_mark *out);
/* "district", "school", "coach". */
const char	*caps_scope_name(enum caps_scope s);
/* "ok", "warning", "over". */
const char	*caps_status_name(enum caps_status s);

/* A cap: "4h/week", "90m/week", "1h30m/week", "15%/week", "40h/term". */
struct caps_spec {
	enum caps_unit	 unit;
	enum caps_period period;
	long		 value;	/* minutes, or share in basis points
				   (1500 = 15%); 0 for CAPS_NOCAP */
};

/*
 * Parse a cap spec.  "none" lifts every cap of the category at that scope
 * (CAPS_NOCAP).  Errors say what is wrong, e.g. "bad cap '4x/week':
 * unit must be h, m or %".
 */
int	caps_parse_spec(const char *s, struct caps_spec *out, char *err,
	    size_t errlen);
/* Canonical text of a spec ("4h/week", "90m/week", "15%/term", "none"). */
int	caps_format_spec(const struct caps_spec *spec, char *buf, size_t len);

/* One activity category. */
struct caps_category {
	char		id[CAPS_ID_MAX];
	char		name[CAPS_NAME_MAX];
	enum caps_role	role;
	int		coaching;	/* 1 coaching, 0 non-coaching */
	enum caps_mark	mark;
};

/* One cap rule: at scope (scope_id: school or coach id), for category. */
struct caps_rule {
	enum caps_scope	 scope;
	char		 scope_id[CAPS_ID_MAX];	/* "" for the district */
	char		 category[CAPS_ID_MAX];
	struct caps_spec spec;
};

/* A school term: days [start, end], inclusive (day numbers). */
struct caps_term {
	int32_t	start;
	int32_t	end;
};

/* Everything conf/categories.conf says, plus runtime overrides. */
struct caps_policy {
	struct caps_category	*cats;		/* file order */
	size_t			 ncats;
	struct caps_rule	*rules;
	size_t			 nrules;
	int			 warn_bp;	/* warn at this share of a cap
						   (8000 = 80%) */
	int			 protected_bp;	/* minimum coaching share */
	long			 working_minutes_week;	/* default 2400 */
	int			 term_weeks;	/* weeks in a term, for term
						   shares (default 12) */
	struct caps_term	 terms[CAPS_TERMS_MAX];	/* [settings] terms,
						   ascending, disjoint */
	size_t			 nterms;
};

/*
 * Parse conf/categories.conf text: [settings], [category ID] and
 * [caps school:ID] / [caps coach:ID] sections.  Errors are
 * "name:line: what is wrong".  On error out is left empty.
 */
int	caps_policy_parse(const char *text, const char *name,
	    struct caps_policy *out, char *err, size_t errlen);
void	caps_policy_free(struct caps_policy *p);

/*
 * Set (or with "none" lift) a cap at runtime: scope_id is "" for the
 * district, else a school or coach id.  Replaces an existing rule for the
 * same scope, category and period.  -1 and err on an unknown category or
 * a bad spec; the policy is then unchanged.
 */
int	caps_policy_set(struct caps_policy *p, enum caps_scope scope,
	    const char *scope_id, const char *category, const char *spec,
	    char *err, size_t errlen);

/*
 * The term holding day: 1 and *t filled, or 0 when day falls outside
 * every configured term (then no term cap applies).
 */
int	caps_term_of(const struct caps_policy *p, int32_t day,
	    struct caps_term *t);

/* Index of category id, or -1. */
int	caps_find_category(const struct caps_policy *p, const char *id);

/* Whether entries in category need an admin override (will-not-do). */
int	caps_needs_override(const struct caps_policy *p, const char *category);

/*
 * Whose caps: the coach and the school the time belongs to.  When that
 * school is not known (school_id NULL) and the coach serves several
 * schools, schools lists them all and the strictest of their caps
 * applies (caps_resolve_limit).
 */
struct caps_who {
	const char		*coach_id;
	const char		*school_id;	/* may be NULL */
	const char *const	*schools;	/* may be NULL */
	size_t			 nschools;
};

/*
 * The cap that applies to who for category and period: the coach's rule
 * if any, else the school's, else the district's (a "none" rule at a
 * level stops the search: no cap).  Returns 1 and fills spec/scope if a
 * cap applies, 0 if none.
 */
int	caps_resolve(const struct caps_policy *p, const struct caps_who *who,
	    const char *category, enum caps_period period,
	    struct caps_spec *spec, enum caps_scope *scope);

/*
 * The limit in minutes for who, category and period at working time wm:
 * caps_resolve for who's school, or, with no school_id and a schools
 * list, the smallest limit any of those schools would give (a school
 * without a cap does not loosen another's).  -1 when no cap applies;
 * scope (may be NULL) gets the level the limit came from.
 */
long	caps_resolve_limit(const struct caps_policy *p,
	    const struct caps_who *who, const char *category,
	    enum caps_period period, long wm, enum caps_scope *scope);

/* A spec's limit in minutes for the given working time (shares scaled). */
long	caps_limit_minutes(const struct caps_spec *spec,
	    long working_minutes_week, int term_weeks);

/* --- time entries ------------------------------------------------------ */

enum caps_source { CAPS_SCHEDULED = 0, CAPS_LOGGED };
enum caps_entry_state {
	CAPS_ENTRY_DONE = 0,	/* happened (all logged entries) */
	CAPS_ENTRY_PLANNED,	/* scheduled, not yet happened */
	CAPS_ENTRY_CANCELLED	/* scheduled, then cancelled */
};

/* One block of a coach's time.  category is borrowed. */
struct caps_entry {
	const char		*category;
	int			 minutes;
	int32_t			 day;
	enum caps_source	 source;
	enum caps_entry_state	 state;
	int			 override;	/* admin override recorded */
};

/* The period evaluated. */
struct caps_window {
	int32_t	week_start;	/* a Monday (caps_week_start) */
	int32_t	term_start;	/* inclusive; term_start > term_end: */
	int32_t	term_end;	/*   no term caps are checked */
	long	working_minutes_week;	/* 0: the policy's default */
};

/* Day number of a calendar date; -1 if the date does not exist. */
int32_t	caps_day_from_ymd(int y, int m, int d);
/* Parse "YYYY-MM-DD". */
int	caps_parse_date(const char *s, int32_t *day, char *err, size_t errlen);
/* The Monday on or before day. */
int32_t	caps_week_start(int32_t day);

/* --- evaluation ---------------------------------------------------------- */

struct caps_usage {
	const char	*category;	/* borrowed from the policy */
	int		 coaching;
	long		 week_actual;	/* done this week */
	long		 week_planned;	/* still planned this week */
	long		 week_used;	/* actual + planned: what counts */
	long		 term_used;
	int		 share_bp;	/* week_used / working minutes */
	long		 week_limit;	/* minutes, -1 no cap */
	long		 term_limit;
	enum caps_scope	 week_scope;	/* where the cap came from */
	enum caps_scope	 term_scope;
	enum caps_status status;	/* worst of week and term */
};

struct caps_eval {
	struct caps_usage	*v;		/* one per category, policy
						   order */
	size_t			 n;
	long			 week_used;	/* all categories */
	long			 coaching_used;
	int			 coaching_share_bp; /* coaching / all used */
	int			 protected_bp;
	int			 below_protected; /* used > 0 and share <
						     protected_bp */
	enum caps_status	 worst;
	long			 working_minutes_week;
};

/*
 * A coach's standing for the window.  Cancelled entries do not count;
 * entries of unknown categories are an error (-1, err names it).
 */
int	caps_evaluate(const struct caps_policy *p, const struct caps_who *who,
	    const struct caps_entry *entries, size_t n,
	    const struct caps_window *w, struct caps_eval *out, char *err,
	    size_t errlen);
void	caps_eval_free(struct caps_eval *e);

/* What adding one more entry would do. */
struct caps_check {
	int		 allowed;	/* 0: past a hard cap, or needs an
					   override it does not have */
	int		 needs_override; /* will-not-do, no override given */
	int		 over_cap;	/* it would pass a cap */
	enum caps_status status;	/* category status after adding it */
	enum caps_period period;	/* the binding cap, if any */
	long		 used;		/* minutes before, in that period */
	long		 limit;		/* -1 no cap */
	long		 after;
	int		 breaks_protected; /* coaching share would fall below
					      the minimum this week */
	char		 reason[200];	/* sentence for the user, "" if fine */
};

/*
 * Would entry add (in the week of add->day, the term of w) pass a cap?
 * The scheduler refuses when !allowed; log entries are stored and
 * flagged.  Every cap is hard; warnings start at policy->warn_bp.
 */
int	caps_check_entry(const struct caps_policy *p,
	    const struct caps_who *who, const struct caps_entry *entries,
	    size_t n, const struct caps_window *w,
	    const struct caps_entry *add, struct caps_check *out, char *err,
	    size_t errlen);

/* --- reports --------------------------------------------------------------- */

struct caps_report_row {
	const char	*category;	/* borrowed (policy or entries) */
	int		 coaching;
	long		 planned;	/* scheduled minutes, incl. cancelled */
	long		 actual;	/* minutes that happened */
	int		 share_bp;	/* actual / all actual */
};

struct caps_report {
	struct caps_report_row	*rows;	/* policy order, then unknown ids */
	size_t			 nrows;
	long			 planned;
	long			 actual;
	long			 coaching_actual;
	int			 coaching_share_bp;
	int			 protected_bp;
	int			 below_protected;
	int			 weeks;		/* in [from, to] */
};

/* Hours per category in days [from, to] (inclusive) for one or many
   coaches' entries; entries outside are ignored. */
int	caps_report_time(const struct caps_policy *p,
	    const struct caps_entry *entries, size_t n, int32_t from,
	    int32_t to, struct caps_report *out, char *err, size_t errlen);
void	caps_report_free(struct caps_report *r);

/* One coach's entries, for the district view. */
struct caps_coach_input {
	const char		*coach_id;
	const char		*school_id;
	const struct caps_entry	*entries;
	size_t			 n;
	long			 working_minutes_week;	/* 0: default */
	const char *const	*schools;	/* as in caps_who */
	size_t			 nschools;
};

struct caps_teacher_seen {
	const char	*teacher_id;
	int32_t		 last_seen;	/* day; < 0 never seen */
};

struct caps_over {
	const char	*coach_id;
	const char	*category;
	enum caps_period period;
	long		 used;
	long		 limit;
	int		 pct_bp;	/* used / limit (12500 = 125%) */
};

struct caps_unseen {
	const char	*teacher_id;
	int32_t		 last_seen;	/* < 0 never */
	int		 days;		/* today - last_seen, -1 never */
};

struct caps_district {
	struct caps_report_row	*ranked;	/* by actual desc, then id */
	size_t			 nranked;
	long			 actual;
	struct caps_over	*over;		/* worst cap per coach over
						   any cap; furthest first */
	size_t			 nover;
	struct caps_unseen	*unseen;	/* never first, then longest */
	size_t			 nunseen;
};

/*
 * District view: categories ranked over [from, to]; coaches over any cap
 * in window w (their worst cap by used/limit); teachers whose last
 * session is more than unseen_days before today (28: "more than 4 weeks").
 */
int	caps_report_district(const struct caps_policy *p,
	    const struct caps_coach_input *coaches, size_t ncoaches,
	    int32_t from, int32_t to, const struct caps_window *w,
	    const struct caps_teacher_seen *teachers, size_t nteachers,
	    int32_t today, int unseen_days, struct caps_district *out,
	    char *err, size_t errlen);
void	caps_district_free(struct caps_district *d);

#endif
