/*
 * rpc_sched_tt.c: the school timetable in memory for the scheduling
 * handlers: which dates are school days (configured weekdays minus
 * configured and stored closures) and which bell periods a school has on
 * a date (rows for every day, the weekday, or the A/B rotation letter).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "config.h"
#include "errmsg.h"
#include "file.h"
#include "log.h"
#include "rpc_sched_int.h"
#include "store_sched.h"
#include "xmalloc.h"

static void
add_closure(struct tt *t, int day)
{
	xgrow((void **)&t->closures, &t->cap_closures, t->n_closures + 1,
	    sizeof(*t->closures));
	t->closures[t->n_closures++] = day;
}

static int
closure_row(void *arg, int n, const char *const *c)
{
	int	day;

	if (n >= 1 && calendar_parse_date(c[0], &day) == 0)
		add_closure(arg, day);
	return 0;
}

static int
school_closure_row(void *arg, int n, const char *const *c)
{
	struct tt	*t = arg;
	int		 day;

	if (n < 2 || calendar_parse_date(c[0], &day) == -1)
		return 0;
	xgrow((void **)&t->sclos, &t->cap_sclos, t->n_sclos + 1,
	    sizeof(*t->sclos));
	t->sclos[t->n_sclos].day = day;
	t->sclos[t->n_sclos++].school = xstrdup(c[1]);
	return 0;
}

static int
bell_row(void *arg, int n, const char *const *c)
{
	struct tt	*t = arg;
	struct tt_bell	*b;

	if (n < 5)
		return -1;
	xgrow((void **)&t->b, &t->cap, t->n + 1, sizeof(*t->b));
	b = &t->b[t->n++];
	b->school = xstrdup(c[0]);
	b->day_type = xstrdup(c[1]);
	b->period = xstrdup(c[2]);
	b->start = atoi(c[3]);
	b->end = atoi(c[4]);
	return 0;
}

static int
cmp_int(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Closures from the comma-separated config list. */
static void
conf_closures(struct tt *t, const char *v)
{
	char	buf[16];
	size_t	len;
	int	day;

	while (*v != '\0') {
		while (*v == ',' || *v == ' ')
			v++;
		len = strcspn(v, ", ");
		if (len == 0)
			break;
		if (len < sizeof(buf)) {
			memcpy(buf, v, len);
			buf[len] = '\0';
			if (calendar_parse_date(buf, &day) == 0)
				add_closure(t, day);
		}
		v += len;
	}
}

/* An iCalendar file of closures, named by its key in messages. */
static char *
read_closures(const char *path, char *err, size_t errlen)
{
	char	 e[ERRMSG_LEN];
	char	*text;

	if ((text = file_read(path, 16 * 1024 * 1024, NULL, e, sizeof e)) ==
	    NULL)
		errmsg(err, errlen, "closures_ics %s", e);
	return text;
}

static int
ical_day(struct icaltimetype t)
{
	char	buf[CALENDAR_DATE_LEN];
	int	day;

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", t.year, t.month, t.day);
	return calendar_parse_date(buf, &day) == 0 ? day : -1;
}

/*
 * Closures from an iCalendar file: every VEVENT closes the days from its
 * DTSTART up to (not including) its DTEND, or DTSTART alone without one.
 */
static int
ics_closures(struct tt *t, const char *path, char *err, size_t errlen)
{
	icalcomponent		*root, *ev;
	struct icaltimetype	 ds, de;
	char			*text;
	int			 a, b, d;

	if ((text = read_closures(path, err, errlen)) == NULL)
		return -1;
	root = icalparser_parse_string(text);
	free(text);
	if (root == NULL)
		return errmsg(err, errlen, "closures_ics %s: not iCalendar",
		    path);

	for (ev = icalcomponent_get_first_component(root,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(root,
	    ICAL_VEVENT_COMPONENT)) {
		ds = icalcomponent_get_dtstart(ev);
		de = icalcomponent_get_dtend(ev);
		if (icaltime_is_null_time(ds) || (a = ical_day(ds)) == -1)
			continue;
		b = icaltime_is_null_time(de) ? a + 1 : ical_day(de);
		if (b <= a)
			b = a + 1;
		for (d = a; d < b && d < a + 366; d++)
			add_closure(t, d);
	}
	icalcomponent_free(root);
	return 0;
}

int
tt_load(struct rpc_ctx *ctx, struct tt *t, const char *school, char *err,
    size_t errlen)
{
	const struct coachd_config	*c = ctx->conf;

	memset(t, 0, sizeof(*t));
	t->cal.weekdays = c->sched_weekdays ? c->sched_weekdays : 0x1f;
	if (calendar_parse_date(c->sched_rotation_anchor, &t->cal.anchor) == -1)
		t->cal.anchor = 0;
	conf_closures(t, c->sched_closures);
	if (c->sched_closures_ics[0] != '\0' &&
	    ics_closures(t, c->sched_closures_ics, err, errlen) == -1)
		return -1;
	if (store_sched_query(ctx->store, SS_Q_CLOSURES, NULL, NULL,
	    closure_row, t, err, errlen) != STORE_OK)
		return -1;
	if (t->n_closures > 1)
		qsort(t->closures, t->n_closures, sizeof(*t->closures),
		    cmp_int);
	t->cal.closures = t->closures;
	t->cal.n_closures = t->n_closures;
	if (store_sched_query(ctx->store, SS_Q_SCHOOL_CLOSURES, NULL, NULL,
	    school_closure_row, t, err, errlen) != STORE_OK)
		return -1;
	if (store_sched_query(ctx->store, school != NULL ? SS_Q_BELLS_SCHOOL :
	    SS_Q_BELLS, school, NULL, bell_row, t, err, errlen) != STORE_OK)
		return -1;
	return 0;
}

void
tt_free(struct tt *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		free(t->b[i].school);
		free(t->b[i].day_type);
		free(t->b[i].period);
	}
	free(t->b);
	free(t->closures);
	for (i = 0; i < t->n_sclos; i++)
		free(t->sclos[i].school);
	free(t->sclos);
	memset(t, 0, sizeof(*t));
}

/* Number of rotation letters (A.., H) in a school's bell schedule. */
static int
n_letters(const struct tt *t, const char *school)
{
	size_t	i;
	int	n = 0;
	char	l;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->b[i].school, school) != 0)
			continue;
		l = t->b[i].day_type[0];
		if (l >= 'A' && l <= 'H' && t->b[i].day_type[1] == '\0' &&
		    l - 'A' + 1 > n)
			n = l - 'A' + 1;
	}
	return n;
}

int
tt_day_matches(const struct tt *t, const char *school, int day,
    const char *dt)
{
	int	r;

	if (strcmp(dt, "*") == 0)
		return 1;
	if (strcmp(dt, calendar_weekday_name(calendar_weekday(day))) == 0)
		return 1;
	if (dt[0] >= 'A' && dt[0] <= 'H' && dt[1] == '\0') {
		r = calendar_rotation(&t->cal, day, n_letters(t, school));
		return r == dt[0] - 'A';
	}
	return 0;
}

int
tt_school_closed(const struct tt *t, const char *school, int day)
{
	size_t	i;

	for (i = 0; i < t->n_sclos; i++)
		if (t->sclos[i].day == day &&
		    strcmp(t->sclos[i].school, school) == 0)
			return 1;
	return 0;
}

const struct tt_bell *
tt_period(const struct tt *t, const char *school, int day, const char *period)
{
	size_t	i;

	if (t->n_sclos > 0 && tt_school_closed(t, school, day))
		return NULL;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->b[i].school, school) == 0 &&
		    strcmp(t->b[i].period, period) == 0 &&
		    tt_day_matches(t, school, day, t->b[i].day_type))
			return &t->b[i];
	return NULL;
}

int
tt_today(const struct rpc_ctx *ctx)
{
	return calendar_today((long long)ctx->now, ctx->conf->timezone);
}
