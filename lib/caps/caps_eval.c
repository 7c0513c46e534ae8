/*
 * caps_eval: where a coach's time goes against the caps, whether one more
 * entry would pass a cap, and the time-use reports.
 *
 * All inputs are arrays of caps_entry built by the daemon from scheduled
 * sessions and log entries; nothing here reads a clock or a database.
 * Formulas: docs/caps.md.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "fmt.h"

static long
share_bp(long part, long whole)
{
	if (whole <= 0)
		return 0;
	return part * 10000 / whole;
}

/* ok below warn_bp of the limit, warning from there up to the limit,
   over past it.  A 0 limit is "never": any use is over. */
static enum caps_status
status_of(long used, long limit, int warn_bp)
{
	if (limit < 0)
		return CAPS_OK;
	if (used > limit)
		return CAPS_OVER;
	if (used > 0 && used * 10000 >= limit * (long)warn_bp)
		return CAPS_WARNING;
	return CAPS_OK;
}

static int
term_active(const struct caps_window *w)
{
	return w->term_start <= w->term_end;
}

void
caps_eval_free(struct caps_eval *e)
{
	if (e == NULL)
		return;
	free(e->v);
	memset(e, 0, sizeof *e);
}

/* Per-category usage for one coach in window w. */
int
caps_evaluate(const struct caps_policy *p, const struct caps_who *who,
    const struct caps_entry *entries, size_t n, const struct caps_window *w,
    struct caps_eval *out, char *err, size_t errlen)
{
	struct caps_usage	*u;
	long			 wm;
	size_t			 i;
	int			 k;

	memset(out, 0, sizeof *out);
	wm = w->working_minutes_week > 0 ? w->working_minutes_week :
	    p->working_minutes_week;
	if ((out->v = calloc(p->ncats ? p->ncats : 1, sizeof *out->v)) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	out->n = p->ncats;
	out->working_minutes_week = wm;
	out->protected_bp = p->protected_bp;
	for (i = 0; i < p->ncats; i++) {
		u = &out->v[i];
		u->category = p->cats[i].id;
		u->coaching = p->cats[i].coaching;
		u->week_limit = u->term_limit = -1;
		u->week_limit = caps_resolve_limit(p, who, u->category,
		    CAPS_WEEK, wm, &u->week_scope);
		if (term_active(w))
			u->term_limit = caps_resolve_limit(p, who,
			    u->category, CAPS_TERM, wm, &u->term_scope);
	}
	for (i = 0; i < n; i++) {
		const struct caps_entry *e = &entries[i];

		if ((k = caps_find_category(p, e->category)) < 0) {
			snprintf(err, errlen, "unknown category '%s'",
			    e->category != NULL ? e->category : "");
			caps_eval_free(out);
			return -1;
		}
		if (e->state == CAPS_ENTRY_CANCELLED || e->minutes <= 0)
			continue;
		u = &out->v[k];
		if (e->day >= w->week_start && e->day < w->week_start + 7) {
			if (e->state == CAPS_ENTRY_DONE)
				u->week_actual += e->minutes;
			else
				u->week_planned += e->minutes;
		}
		if (term_active(w) && e->day >= w->term_start &&
		    e->day <= w->term_end)
			u->term_used += e->minutes;
	}
	for (i = 0; i < out->n; i++) {
		enum caps_status s;

		u = &out->v[i];
		u->week_used = u->week_actual + u->week_planned;
		u->share_bp = (int)share_bp(u->week_used, wm);
		u->status = status_of(u->week_used, u->week_limit, p->warn_bp);
		s = status_of(u->term_used, u->term_limit, p->warn_bp);
		if (s > u->status)
			u->status = s;
		if (u->status > out->worst)
			out->worst = u->status;
		out->week_used += u->week_used;
		if (u->coaching)
			out->coaching_used += u->week_used;
	}
	out->coaching_share_bp = (int)share_bp(out->coaching_used,
	    out->week_used);
	out->below_protected = out->week_used > 0 &&
	    out->coaching_share_bp < p->protected_bp;
	return 0;
}

/* Would adding entry add pass a cap? */
int
caps_check_entry(const struct caps_policy *p, const struct caps_who *who,
    const struct caps_entry *entries, size_t n, const struct caps_window *w,
    const struct caps_entry *add, struct caps_check *out, char *err,
    size_t errlen)
{
	struct caps_window	 ww = *w;
	struct caps_eval	 ev;
	struct caps_usage	*u;
	char			 a[32], b[32], c[32];
	long			 wk_after, tm_after = 0, tm_limit = -1;
	enum caps_status	 ts;
	int			 k, over_w, over_t = 0;

	memset(out, 0, sizeof *out);
	if ((k = caps_find_category(p, add->category)) < 0) {
		snprintf(err, errlen, "unknown category '%s'",
		    add->category != NULL ? add->category : "");
		return -1;
	}
	if (add->minutes <= 0) {
		snprintf(err, errlen, "minutes must be positive");
		return -1;
	}
	ww.week_start = caps_week_start(add->day);
	if (caps_evaluate(p, who, entries, n, &ww, &ev, err, errlen) != 0)
		return -1;
	u = &ev.v[k];
	wk_after = u->week_used + add->minutes;
	over_w = u->week_limit >= 0 && wk_after > u->week_limit;
	out->status = status_of(wk_after, u->week_limit, p->warn_bp);
	out->period = CAPS_WEEK;
	out->used = u->week_used;
	out->limit = u->week_limit;
	out->after = wk_after;
	if (term_active(&ww) && add->day >= ww.term_start &&
	    add->day <= ww.term_end && u->term_limit >= 0) {
		tm_after = u->term_used + add->minutes;
		tm_limit = u->term_limit;
		over_t = tm_after > tm_limit;
		ts = status_of(tm_after, tm_limit, p->warn_bp);
		if (ts > out->status || (over_t && !over_w) ||
		    (out->limit < 0 && tm_limit >= 0)) {
			out->period = CAPS_TERM;
			out->used = u->term_used;
			out->limit = tm_limit;
			out->after = tm_after;
		}
		if (ts > out->status)
			out->status = ts;
	}
	out->over_cap = over_w || over_t;
	out->needs_override = p->cats[k].mark == CAPS_MARK_WILL_NOT &&
	    !add->override;
	out->allowed = !out->over_cap && !out->needs_override;
	if (!p->cats[k].coaching)
		out->breaks_protected = share_bp(ev.coaching_used,
		    ev.week_used + add->minutes) < p->protected_bp;
	if (out->needs_override)
		snprintf(out->reason, sizeof out->reason, "%s is marked "
		    "will-not-do: an admin override is needed", add->category);
	else if (out->over_cap) {
		fmt_minutes(out->used, a, sizeof a);
		fmt_minutes(out->after, b, sizeof b);
		fmt_minutes(out->limit, c, sizeof c);
		snprintf(out->reason, sizeof out->reason, "%s: %s already "
		    "this %s, %d more minutes make %s, past the cap of %s (%s "
		    "level)", add->category, a,
		    out->period == CAPS_WEEK ? "week" : "term", add->minutes,
		    b, c, caps_scope_name(out->period == CAPS_WEEK ?
		    u->week_scope : u->term_scope));
	}
	caps_eval_free(&ev);
	return 0;
}

/* --- reports --------------------------------------------------------------- */

void
caps_report_free(struct caps_report *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	memset(r, 0, sizeof *r);
}

/* Row for category: the policy's, or one added for an unknown id. */
static struct caps_report_row *
row_for(const struct caps_policy *p, struct caps_report_row *rows,
    size_t *nrows, const char *category)
{
	size_t	i;
	int	k = caps_find_category(p, category);

	if (k >= 0)
		return &rows[k];
	for (i = p->ncats; i < *nrows; i++)
		if (strcmp(rows[i].category, category) == 0)
			return &rows[i];
	rows[*nrows].category = category;
	return &rows[(*nrows)++];
}

/* Hours per category over [from, to]. */
int
caps_report_time(const struct caps_policy *p,
    const struct caps_entry *entries, size_t n, int32_t from, int32_t to,
    struct caps_report *out, char *err, size_t errlen)
{
	struct caps_report_row	*r;
	size_t			 i;

	memset(out, 0, sizeof *out);
	if (from > to) {
		snprintf(err, errlen, "report period ends before it starts");
		return -1;
	}
	out->rows = calloc(p->ncats + n + 1, sizeof *out->rows);
	if (out->rows == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < p->ncats; i++) {
		out->rows[i].category = p->cats[i].id;
		out->rows[i].coaching = p->cats[i].coaching;
	}
	out->nrows = p->ncats;
	for (i = 0; i < n; i++) {
		const struct caps_entry *e = &entries[i];

		if (e->day < from || e->day > to || e->minutes <= 0 ||
		    e->category == NULL)
			continue;
		r = row_for(p, out->rows, &out->nrows, e->category);
		if (e->source == CAPS_SCHEDULED) {
			r->planned += e->minutes;
			out->planned += e->minutes;
		}
		if (e->state == CAPS_ENTRY_DONE) {
			r->actual += e->minutes;
			out->actual += e->minutes;
			if (r->coaching)
				out->coaching_actual += e->minutes;
		}
	}
	for (i = 0; i < out->nrows; i++)
		out->rows[i].share_bp = (int)share_bp(out->rows[i].actual,
		    out->actual);
	out->coaching_share_bp = (int)share_bp(out->coaching_actual,
	    out->actual);
	out->protected_bp = p->protected_bp;
	out->below_protected = out->actual > 0 &&
	    out->coaching_share_bp < p->protected_bp;
	out->weeks = (caps_week_start(to) - caps_week_start(from)) / 7 + 1;
	return 0;
}

void
caps_district_free(struct caps_district *d)
{
	if (d == NULL)
		return;
	free(d->ranked);
	free(d->over);
	free(d->unseen);
	memset(d, 0, sizeof *d);
}

static int
ranked_cmp(const void *a, const void *b)
{
	const struct caps_report_row *x = a, *y = b;

	if (x->actual != y->actual)
		return x->actual > y->actual ? -1 : 1;
	return strcmp(x->category, y->category);
}

static int
over_cmp(const void *a, const void *b)
{
	const struct caps_over	*x = a, *y = b;
	long			 ox = x->used - x->limit, oy = y->used - y->limit;

	if (x->pct_bp != y->pct_bp)
		return x->pct_bp > y->pct_bp ? -1 : 1;
	if (ox != oy)
		return ox > oy ? -1 : 1;
	return strcmp(x->coach_id, y->coach_id);
}

static int
unseen_cmp(const void *a, const void *b)
{
	const struct caps_unseen *x = a, *y = b;
	int			  dx = x->days < 0 ? INT_MAX : x->days;
	int			  dy = y->days < 0 ? INT_MAX : y->days;

	if (dx != dy)
		return dx > dy ? -1 : 1;
	return strcmp(x->teacher_id, y->teacher_id);
}

/* used/limit in basis points, a 0 limit counting as far over. */
static int
over_pct(long used, long limit)
{
	if (limit <= 0)
		return 1000000;
	if (used / limit >= 100)
		return 1000000;
	return (int)(used * 10000 / limit);
}

/* The coach's worst cap, if over any; 1 if *o was filled. */
static int
coach_worst(const struct caps_eval *ev, const char *coach, struct caps_over *o)
{
	const struct caps_usage	*u;
	size_t			 i;
	int			 found = 0, pct, per;
	long			 used, limit;

	for (i = 0; i < ev->n; i++) {
		u = &ev->v[i];
		for (per = CAPS_WEEK; per <= CAPS_TERM; per++) {
			used = per == CAPS_WEEK ? u->week_used : u->term_used;
			limit = per == CAPS_WEEK ? u->week_limit :
			    u->term_limit;
			if (limit < 0 || used <= limit)
				continue;
			pct = over_pct(used, limit);
			if (found && (pct < o->pct_bp || (pct == o->pct_bp &&
			    used - limit <= o->used - o->limit)))
				continue;
			o->coach_id = coach;
			o->category = u->category;
			o->period = (enum caps_period)per;
			o->used = used;
			o->limit = limit;
			o->pct_bp = pct;
			found = 1;
		}
	}
	return found;
}

/* Category ranking summed over all coaches' reports. */
static int
district_rank(const struct caps_policy *p,
    const struct caps_coach_input *coaches, size_t ncoaches, int32_t from,
    int32_t to, struct caps_district *out, char *err, size_t errlen)
{
	struct caps_report	 r;
	size_t			 c, i, total = p->ncats + 1;

	for (c = 0; c < ncoaches; c++)
		total += coaches[c].n;
	if ((out->ranked = calloc(total, sizeof *out->ranked)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < p->ncats; i++) {
		out->ranked[i].category = p->cats[i].id;
		out->ranked[i].coaching = p->cats[i].coaching;
	}
	out->nranked = p->ncats;
	for (c = 0; c < ncoaches; c++) {
		if (caps_report_time(p, coaches[c].entries, coaches[c].n, from,
		    to, &r, err, errlen) != 0)
			return -1;
		for (i = 0; i < r.nrows; i++) {
			struct caps_report_row *d = row_for(p, out->ranked,
			    &out->nranked, r.rows[i].category);

			d->planned += r.rows[i].planned;
			d->actual += r.rows[i].actual;
		}
		out->actual += r.actual;
		caps_report_free(&r);
	}
	for (i = 0; i < out->nranked; i++)
		out->ranked[i].share_bp = (int)share_bp(out->ranked[i].actual,
		    out->actual);
	qsort(out->ranked, out->nranked, sizeof *out->ranked, ranked_cmp);
	return 0;
}

/* The district view; see caps.h. */
int
caps_report_district(const struct caps_policy *p,
    const struct caps_coach_input *coaches, size_t ncoaches, int32_t from,
    int32_t to, const struct caps_window *w,
    const struct caps_teacher_seen *teachers, size_t nteachers,
    int32_t today, int unseen_days, struct caps_district *out, char *err,
    size_t errlen)
{
	struct caps_eval	ev;
	struct caps_window	cw;
	struct caps_who		who;
	size_t			c, i;

	memset(out, 0, sizeof *out);
	if (district_rank(p, coaches, ncoaches, from, to, out, err,
	    errlen) != 0)
		goto fail;
	out->over = calloc(ncoaches + 1, sizeof *out->over);
	out->unseen = calloc(nteachers + 1, sizeof *out->unseen);
	if (out->over == NULL || out->unseen == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (c = 0; c < ncoaches; c++) {
		cw = *w;
		if (coaches[c].working_minutes_week > 0)
			cw.working_minutes_week =
			    coaches[c].working_minutes_week;
		who.coach_id = coaches[c].coach_id;
		who.school_id = coaches[c].school_id;
		who.schools = coaches[c].schools;
		who.nschools = coaches[c].nschools;
		if (caps_evaluate(p, &who, coaches[c].entries, coaches[c].n,
		    &cw, &ev, err, errlen) != 0)
			goto fail;
		if (coach_worst(&ev, coaches[c].coach_id,
		    &out->over[out->nover]))
			out->nover++;
		caps_eval_free(&ev);
	}
	qsort(out->over, out->nover, sizeof *out->over, over_cmp);
	for (i = 0; i < nteachers; i++) {
		const struct caps_teacher_seen *t = &teachers[i];
		struct caps_unseen *us = &out->unseen[out->nunseen];

		if (t->last_seen >= 0 && today - t->last_seen <= unseen_days)
			continue;
		us->teacher_id = t->teacher_id;
		us->last_seen = t->last_seen < 0 ? -1 : t->last_seen;
		us->days = t->last_seen < 0 ? -1 : today - t->last_seen;
		out->nunseen++;
	}
	qsort(out->unseen, out->nunseen, sizeof *out->unseen, unseen_cmp);
	return 0;
fail:
	caps_district_free(out);
	return -1;
}
