/*
 * caps: activity categories, cap specs, the policy file and cap
 * precedence.  Evaluation and reports live in caps_eval.c.
 *
 * The policy is parsed from text so the daemon can re-read it on SIGHUP
 * and tests can feed fixtures; runtime `admin caps set` calls go through
 * caps_policy_set so the file and the runtime share one set of checks.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caps.h"
#include "caps_conf.h"
#include "taxonomy.h"

static const char *role_names[CAPS_NROLES] = {
	"resource-provider", "data-coach", "curriculum-specialist",
	"instructional-specialist", "classroom-supporter",
	"learning-facilitator", "mentor", "school-leader",
	"catalyst-for-change", "learner", "none"
};

static const char *mark_names[] = { "will", "may", "will-not" };
static const char *scope_names[] = { "district", "school", "coach" };
static const char *status_names[] = { "ok", "warning", "over" };

const char *
caps_role_name(enum caps_role r)
{
	return (unsigned)r < CAPS_NROLES ? role_names[r] : "unknown";
}

int
caps_role_parse(const char *s, enum caps_role *out)
{
	int	i;

	for (i = 0; i < CAPS_NROLES; i++) {
		if (strcasecmp(s, role_names[i]) == 0) {
			*out = (enum caps_role)i;
			return 0;
		}
	}
	return -1;
}

const char *
caps_mark_name(enum caps_mark m)
{
	return (unsigned)m <= CAPS_MARK_WILL_NOT ? mark_names[m] : "unknown";
}

int
caps_mark_parse(const char *s, enum caps_mark *out)
{
	int	i;

	for (i = 0; i <= CAPS_MARK_WILL_NOT; i++) {
		if (strcasecmp(s, mark_names[i]) == 0) {
			*out = (enum caps_mark)i;
			return 0;
		}
	}
	return -1;
}

const char *
caps_scope_name(enum caps_scope s)
{
	return (unsigned)s <= CAPS_SCOPE_COACH ? scope_names[s] : "unknown";
}

const char *
caps_status_name(enum caps_status s)
{
	return (unsigned)s <= CAPS_OVER ? status_names[s] : "unknown";
}

/*
 * Read a decimal with at most two decimals into hundredths.  Returns the
 * character after it, or NULL if there is no number.
 */
static const char *
read_hundredths(const char *p, long *out)
{
	long	v = 0;
	int	digits = 0, dec = 0;

	while (isdigit((unsigned char)*p)) {
		if (v > 100000000L)
			return NULL;
		v = v * 10 + (*p++ - '0');
		digits++;
	}
	v *= 100;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (++dec > 2)
				return NULL;
			v += (*p++ - '0') * (dec == 1 ? 10 : 1);
			digits++;
		}
	}
	if (digits == 0)
		return NULL;
	*out = v;
	return p;
}

/*
 * Parse an amount: "15%" (share, basis points) or a duration such as
 * "4h", "1.5h", "90m", "1h30m" (minutes).  Fills *what with a problem.
 */
static int
parse_amount(const char *s, enum caps_unit *unit, long *value,
    const char **what)
{
	const char	*p = s;
	long		 h, minutes = 0;
	int		 parts = 0;

	if (*p == '\0') {
		*what = "empty amount";
		return -1;
	}
	while (*p != '\0') {
		if ((p = read_hundredths(p, &h)) == NULL) {
			*what = "expected a number before the unit";
			return -1;
		}
		switch (tolower((unsigned char)*p)) {
		case '%':
			if (parts > 0 || p[1] != '\0') {
				*what = "a share is written like 15%";
				return -1;
			}
			if (h > 10000) {
				*what = "a share cannot be above 100%";
				return -1;
			}
			*unit = CAPS_SHARE;
			*value = h;
			return 0;
		case 'h':
			if ((h * 60) % 100 != 0) {
				*what = "not a whole number of minutes";
				return -1;
			}
			minutes += h * 60 / 100;
			break;
		case 'm':
			if (h % 100 != 0) {
				*what = "minutes must be a whole number";
				return -1;
			}
			minutes += h / 100;
			break;
		case '\0':
			*what = "missing unit (h, m or %)";
			return -1;
		default:
			*what = "unit must be h, m or %";
			return -1;
		}
		p++;
		parts++;
	}
	*unit = CAPS_MINUTES;
	*value = minutes;
	return 0;
}

/* Parse "4h/week", "90m/week", "15%/week", "40h/term" or "none". */
int
caps_parse_spec(const char *s, struct caps_spec *out, char *err,
    size_t errlen)
{
	char		 buf[64], *slash, *amt, *per, *e;
	const char	*what = NULL;

	memset(out, 0, sizeof *out);
	if (s == NULL || strlen(s) >= sizeof buf) {
		snprintf(err, errlen, "bad cap: empty or too long");
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", s);
	for (amt = buf; isspace((unsigned char)*amt); amt++)
		;
	for (e = amt + strlen(amt); e > amt && isspace((unsigned char)e[-1]);)
		*--e = '\0';
	if (*amt == '\0') {
		snprintf(err, errlen, "bad cap: empty");
		return -1;
	}
	if (strcasecmp(amt, "none") == 0) {
		out->unit = CAPS_NOCAP;
		return 0;
	}
	if ((slash = strchr(amt, '/')) == NULL) {
		snprintf(err, errlen, "bad cap '%s': expected AMOUNT/week or "
		    "AMOUNT/term, e.g. 4h/week or 15%%/week", s);
		return -1;
	}
	*slash = '\0';
	per = slash + 1;
	if (strcasecmp(per, "week") == 0 || strcasecmp(per, "wk") == 0)
		out->period = CAPS_WEEK;
	else if (strcasecmp(per, "term") == 0)
		out->period = CAPS_TERM;
	else {
		snprintf(err, errlen, "bad cap '%s': period must be week or "
		    "term, not '%s'", s, per);
		return -1;
	}
	if (parse_amount(amt, &out->unit, &out->value, &what) != 0) {
		snprintf(err, errlen, "bad cap '%s': %s", s, what);
		return -1;
	}
	if (out->unit == CAPS_MINUTES && out->period == CAPS_WEEK &&
	    out->value > 7 * 24 * 60) {
		snprintf(err, errlen, "bad cap '%s': a week has only 168 "
		    "hours", s);
		return -1;
	}
	return 0;
}

/* Canonical text: whole hours as "4h", else minutes; shares as "15%". */
int
caps_format_spec(const struct caps_spec *spec, char *buf, size_t len)
{
	const char	*per = spec->period == CAPS_TERM ? "term" : "week";

	switch (spec->unit) {
	case CAPS_NOCAP:
		return snprintf(buf, len, "none");
	case CAPS_SHARE:
		if (spec->value % 100 == 0)
			return snprintf(buf, len, "%ld%%/%s",
			    spec->value / 100, per);
		return snprintf(buf, len, "%ld.%02ld%%/%s", spec->value / 100,
		    spec->value % 100, per);
	default:
		if (spec->value % 60 == 0)
			return snprintf(buf, len, "%ldh/%s", spec->value / 60,
			    per);
		return snprintf(buf, len, "%ldm/%s", spec->value, per);
	}
}

int
caps_find_category(const struct caps_policy *p, const char *id)
{
	size_t	i;

	if (id == NULL)
		return -1;
	for (i = 0; i < p->ncats; i++)
		if (strcmp(p->cats[i].id, id) == 0)
			return (int)i;
	return -1;
}

int
caps_needs_override(const struct caps_policy *p, const char *category)
{
	int	i = caps_find_category(p, category);

	return i >= 0 && p->cats[i].mark == CAPS_MARK_WILL_NOT;
}

void
caps_policy_free(struct caps_policy *p)
{
	if (p == NULL)
		return;
	free(p->cats);
	free(p->rules);
	memset(p, 0, sizeof *p);
}

int
caps_term_of(const struct caps_policy *p, int32_t day, struct caps_term *t)
{
	size_t	i;

	for (i = 0; i < p->nterms; i++) {
		if (day < p->terms[i].start || day > p->terms[i].end)
			continue;
		*t = p->terms[i];
		return 1;
	}
	return 0;
}

/* Add or replace the rule for (scope, scope_id, category, period). */
int
caps_rule_put(struct caps_policy *p, enum caps_scope scope, const char *scope_id,
    const char *category, const struct caps_spec *spec, int replace,
    char *err, size_t errlen)
{
	struct caps_rule	*r, *nv;
	size_t			 i;

	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		if (r->scope != scope || strcmp(r->scope_id, scope_id) != 0 ||
		    strcmp(r->category, category) != 0)
			continue;
		/* "none" and real caps exclude each other at one level. */
		if (r->spec.unit != CAPS_NOCAP && spec->unit != CAPS_NOCAP &&
		    r->spec.period != spec->period)
			continue;
		if (!replace) {
			snprintf(err, errlen, "%s has two %s caps here",
			    category, spec->unit == CAPS_NOCAP ||
			    r->spec.unit == CAPS_NOCAP ? "conflicting" :
			    spec->period == CAPS_WEEK ? "weekly" : "term");
			return -1;
		}
		/* Replacing: drop the old rule, append the new below. */
		memmove(r, r + 1, (p->nrules - i - 1) * sizeof *r);
		p->nrules--;
		i--;
	}
	if ((nv = realloc(p->rules, (p->nrules + 1) * sizeof *nv)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->rules = nv;
	r = &nv[p->nrules++];
	memset(r, 0, sizeof *r);
	r->scope = scope;
	snprintf(r->scope_id, sizeof r->scope_id, "%s", scope_id);
	snprintf(r->category, sizeof r->category, "%s", category);
	r->spec = *spec;
	return 0;
}

/* Runtime `admin caps set`. */
int
caps_policy_set(struct caps_policy *p, enum caps_scope scope,
    const char *scope_id, const char *category, const char *spec, char *err,
    size_t errlen)
{
	struct caps_spec	s;

	if (scope_id == NULL)
		scope_id = "";
	if (caps_find_category(p, category) < 0) {
		snprintf(err, errlen, "unknown category '%s'", category);
		return -1;
	}
	if ((scope == CAPS_SCOPE_DISTRICT) != (*scope_id == '\0') ||
	    (*scope_id != '\0' && !taxonomy_valid_id(scope_id))) {
		snprintf(err, errlen, "bad %s id '%s'",
		    caps_scope_name(scope), scope_id);
		return -1;
	}
	if (caps_parse_spec(spec, &s, err, errlen) != 0)
		return -1;
	return caps_rule_put(p, scope, scope_id, category, &s, 1, err, errlen);
}

/* Search one scope level; 1 cap found, 0 "none" found, -1 nothing. */
static int
resolve_level(const struct caps_policy *p, enum caps_scope scope,
    const char *scope_id, const char *category, enum caps_period period,
    struct caps_spec *spec)
{
	const struct caps_rule	*r;
	size_t			 i;
	int			 found = -1;

	for (i = 0; i < p->nrules; i++) {
		r = &p->rules[i];
		if (r->scope != scope || strcmp(r->scope_id, scope_id) != 0 ||
		    strcmp(r->category, category) != 0)
			continue;
		if (r->spec.unit == CAPS_NOCAP)
			return 0;
		if (r->spec.period == period) {
			*spec = r->spec;
			found = 1;
		}
	}
	return found;
}

/* Most specific wins: coach, then school, then district. */
int
caps_resolve(const struct caps_policy *p, const struct caps_who *who,
    const char *category, enum caps_period period, struct caps_spec *spec,
    enum caps_scope *scope)
{
	const char	*ids[3];
	int		 s, rc;

	ids[CAPS_SCOPE_DISTRICT] = "";
	ids[CAPS_SCOPE_SCHOOL] = who != NULL ? who->school_id : NULL;
	ids[CAPS_SCOPE_COACH] = who != NULL ? who->coach_id : NULL;
	for (s = CAPS_SCOPE_COACH; s >= CAPS_SCOPE_DISTRICT; s--) {
		if (ids[s] == NULL)
			continue;
		rc = resolve_level(p, (enum caps_scope)s, ids[s], category,
		    period, spec);
		if (rc < 0)
			continue;
		if (scope != NULL)
			*scope = (enum caps_scope)s;
		return rc;
	}
	return 0;
}

static long
resolve_one(const struct caps_policy *p, const struct caps_who *who,
    const char *category, enum caps_period period, long wm,
    enum caps_scope *scope)
{
	struct caps_spec	spec;

	if (!caps_resolve(p, who, category, period, &spec, scope))
		return -1;
	return caps_limit_minutes(&spec, wm, p->term_weeks);
}

long
caps_resolve_limit(const struct caps_policy *p, const struct caps_who *who,
    const char *category, enum caps_period period, long wm,
    enum caps_scope *scope)
{
	struct caps_who	one;
	enum caps_scope	sc;
	long		lim, best = -1;
	size_t		i;

	if (who == NULL || who->school_id != NULL || who->nschools == 0)
		return resolve_one(p, who, category, period, wm, scope);
	one = *who;
	one.schools = NULL;
	one.nschools = 0;
	for (i = 0; i < who->nschools; i++) {
		one.school_id = who->schools[i];
		lim = resolve_one(p, &one, category, period, wm, &sc);
		if (lim < 0 || (best >= 0 && lim >= best))
			continue;
		best = lim;
		if (scope != NULL)
			*scope = sc;
	}
	return best;
}

/* Shares are of working time: a week's, or term_weeks weeks' for terms. */
long
caps_limit_minutes(const struct caps_spec *spec, long working_minutes_week,
    int term_weeks)
{
	long	base = working_minutes_week;

	if (spec->unit == CAPS_NOCAP)
		return -1;
	if (spec->unit == CAPS_MINUTES)
		return spec->value;
	if (spec->period == CAPS_TERM)
		base *= term_weeks;
	return base * spec->value / 10000;
}

/* --- dates --------------------------------------------------------------- */

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Day number of y-m-d, counting whole years and months from 1970. */
int32_t
caps_day_from_ymd(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	long	days = 0;
	int	i;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)))
		return -1;
	days = 365L * (y - 1970) + ((y - 1) / 4 - (y - 1) / 100 +
	    (y - 1) / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400);
	for (i = 1; i < m; i++)
		days += mdays[i - 1] + (i == 2 && leap(y));
	return (int32_t)(days + d - 1);
}

int
caps_parse_date(const char *s, int32_t *day, char *err, size_t errlen)
{
	int	y, m, d, n = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || s[n] != '\0' ||
	    (*day = caps_day_from_ymd(y, m, d)) < 0) {
		snprintf(err, errlen, "bad date '%s': expected YYYY-MM-DD",
		    s != NULL ? s : "");
		return -1;
	}
	return 0;
}

/* 1970-01-01 (day 0) was a Thursday, so Mondays have (day + 3) % 7 == 0. */
int32_t
caps_week_start(int32_t day)
{
	int32_t	r = (day + 3) % 7;

	if (r < 0)
		r += 7;
	return day - r;
}
