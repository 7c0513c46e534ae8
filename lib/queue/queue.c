/*
 * queue: pure engine for inquiry-question queues.
 *
 * The daemon stores questions and transitions; this file only decides:
 * which moves are legal, which topics fit a text, in what order a queue
 * is served, where a teacher's question stands and what the admin
 * statistics are.  See docs/queues.md for the formulas.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "queue.h"
#include "xmalloc.h"

#define DAY	86400
#define WEEK	(7 * DAY)

static const char *state_names[QUEUE_NSTATES] = {
	"submitted", "queued", "assigned", "in-cycle", "closed", "withdrawn"
};

static const char *role_names[QUEUE_NROLES] = {
	"teacher", "coach", "admin", "system"
};

const char *
queue_state_name(enum queue_state s)
{
	if ((unsigned)s >= QUEUE_NSTATES)
		return "unknown";
	return state_names[s];
}

int
queue_state_parse(const char *s, enum queue_state *out)
{
	int	i;

	if (s == NULL)
		return -1;
	if (strcasecmp(s, "in_cycle") == 0) {
		*out = QUEUE_IN_CYCLE;
		return 0;
	}
	for (i = 0; i < QUEUE_NSTATES; i++) {
		if (strcasecmp(s, state_names[i]) == 0) {
			*out = (enum queue_state)i;
			return 0;
		}
	}
	return -1;
}

const char *
queue_role_name(enum queue_role r)
{
	if ((unsigned)r >= QUEUE_NROLES)
		return "unknown";
	return role_names[r];
}

int
queue_role_parse(const char *s, enum queue_role *out)
{
	int	i;

	if (s == NULL)
		return -1;
	for (i = 0; i < QUEUE_NROLES; i++) {
		if (strcasecmp(s, role_names[i]) == 0) {
			*out = (enum queue_role)i;
			return 0;
		}
	}
	return -1;
}

/* Whether the state machine has an edge from -> to at all. */
static int
edge_exists(enum queue_state from, enum queue_state to)
{
	switch (from) {
	case QUEUE_SUBMITTED:
		return to == QUEUE_QUEUED || to == QUEUE_WITHDRAWN;
	case QUEUE_QUEUED:
		return to == QUEUE_ASSIGNED || to == QUEUE_WITHDRAWN;
	case QUEUE_ASSIGNED:
		return to == QUEUE_IN_CYCLE || to == QUEUE_ASSIGNED ||
		    to == QUEUE_QUEUED || to == QUEUE_WITHDRAWN;
	case QUEUE_IN_CYCLE:
		return to == QUEUE_CLOSED;
	default:
		return 0;
	}
}

/*
 * Who may take the existing edge from -> to, for a role other than admin
 * (admins only meet the rules for closing).
 */
static int
role_allows(enum queue_state from, enum queue_state to, enum queue_role role,
    const struct queue_transition_ctx *ctx, char *err, size_t errlen)
{
	const char	*f = queue_state_name(from), *t = queue_state_name(to);
	const char	*r = queue_role_name(role);

	switch (to) {
	case QUEUE_QUEUED:
		if (from == QUEUE_ASSIGNED) {
			snprintf(err, errlen, "only an admin may put an "
			    "assigned question back in its queue");
			return -1;
		}
		if (role == QUEUE_ROLE_TEACHER && !ctx->is_owner) {
			snprintf(err, errlen, "a teacher may only confirm the "
			    "topic of their own question");
			return -1;
		}
		return 0;
	case QUEUE_WITHDRAWN:
		if (role == QUEUE_ROLE_TEACHER && ctx->is_owner)
			return 0;
		snprintf(err, errlen, "only the question's own teacher or an "
		    "admin may withdraw it (%s is %s)", r,
		    role == QUEUE_ROLE_TEACHER ? "not its owner" : "not allowed");
		return -1;
	case QUEUE_ASSIGNED:
		if (from == QUEUE_ASSIGNED) {
			snprintf(err, errlen, "only an admin may reassign a "
			    "question");
			return -1;
		}
		if (role == QUEUE_ROLE_TEACHER) {
			snprintf(err, errlen, "a teacher cannot assign a "
			    "question; a coach claims it or an admin assigns "
			    "it");
			return -1;
		}
		return 0;
	case QUEUE_IN_CYCLE:
		if (role == QUEUE_ROLE_SYSTEM ||
		    (role == QUEUE_ROLE_COACH && ctx->is_assigned_coach))
			return 0;
		snprintf(err, errlen, "only the assigned coach or an admin "
		    "may start the coaching cycle of a question");
		return -1;
	case QUEUE_CLOSED:
		if (role != QUEUE_ROLE_ADMIN && !(role == QUEUE_ROLE_COACH &&
		    ctx->is_assigned_coach)) {
			snprintf(err, errlen, "only the assigned coach or an "
			    "admin may close a question");
			return -1;
		}
		if (!ctx->has_outcome_note) {
			snprintf(err, errlen, "closing a question needs an "
			    "outcome note");
			return -1;
		}
		return 0;
	default:
		snprintf(err, errlen, "cannot move question from %s to %s",
		    f, t);
		return -1;
	}
}

/* Decide whether role may take the edge from -> to (which exists). */
int
queue_transition_check(enum queue_state from, enum queue_state to,
    enum queue_role role, const struct queue_transition_ctx *ctx, char *err,
    size_t errlen)
{
	static const struct queue_transition_ctx none;
	const char	*f = queue_state_name(from), *t = queue_state_name(to);

	if (ctx == NULL)
		ctx = &none;
	if ((unsigned)from >= QUEUE_NSTATES || (unsigned)to >= QUEUE_NSTATES ||
	    (unsigned)role >= QUEUE_NROLES) {
		snprintf(err, errlen, "unknown state or role");
		return -1;
	}
	if (from == to && from != QUEUE_ASSIGNED) {
		snprintf(err, errlen, "question is already %s", f);
		return -1;
	}
	if (!edge_exists(from, to)) {
		snprintf(err, errlen, "cannot move question from %s to %s",
		    f, t);
		return -1;
	}
	if (role == QUEUE_ROLE_ADMIN && to != QUEUE_CLOSED)
		return 0;
	return role_allows(from, to, role, ctx, err, errlen);
}

/* Empty or over-long question text is refused. */
int
queue_text_check(const char *text, char *err, size_t errlen)
{
	size_t	len;
	const char *p;

	if (text == NULL) {
		snprintf(err, errlen, "question text is empty");
		return -1;
	}
	for (p = text; *p != '\0' && isspace((unsigned char)*p); p++)
		;
	if (*p == '\0') {
		snprintf(err, errlen, "question text is empty");
		return -1;
	}
	len = strlen(text);
	if (len > QUEUE_TEXT_MAX) {
		snprintf(err, errlen, "question text is %zu bytes, the limit "
		    "is %d", len, QUEUE_TEXT_MAX);
		return -1;
	}
	return 0;
}

/* --- ordering ----------------------------------------------------------- */

void
queue_params_default(struct queue_params *p)
{
	static const struct queue_params defaults = {
		.aging_hours = 24,
		.aging_cap = 14,
		.new_teacher_bonus = 2,
		.admin_boost_bonus = 5,
		.rate_window_weeks = 4,
		.fallback_rate = 1.0,
	};

	*p = defaults;
}

void
queue_priority(const struct queue_item *it, int64_t now,
    const struct queue_params *p, int *base, int *aging, int *total)
{
	int64_t	waited = now - it->submitted_at, a;
	int64_t	h = p->aging_hours > 0 ? p->aging_hours : 24;

	*base = it->topic_priority;
	if (it->flags & QUEUE_FLAG_NEW_TEACHER)
		*base += p->new_teacher_bonus;
	if (it->flags & QUEUE_FLAG_ADMIN_BOOST)
		*base += p->admin_boost_bonus;
	a = waited > 0 ? waited / (h * 3600) : 0;
	if (a > p->aging_cap)
		a = p->aging_cap;
	*aging = (int)a;
	*total = *base + *aging;
}

/* Sort record for questions of one teacher. */
struct split_rec {
	const struct queue_item	*it;
	size_t			 index;
	int			 klass;	/* 0 with a coach, 1 waiting, 2 done */
};

static int
klass_of(enum queue_state s)
{
	if (s == QUEUE_ASSIGNED || s == QUEUE_IN_CYCLE)
		return 0;
	if (s == QUEUE_SUBMITTED || s == QUEUE_QUEUED)
		return 1;
	return 2;
}

static const char *
teacher_of(const struct queue_item *it)
{
	return it->teacher_id != NULL ? it->teacher_id : "";
}

static int
split_cmp(const void *a, const void *b)
{
	const struct split_rec	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(teacher_of(x->it), teacher_of(y->it))) != 0)
		return c;
	if (x->klass != y->klass)
		return x->klass - y->klass;
	if (x->klass == 1 && x->it->submitted_at != y->it->submitted_at)
		return x->it->submitted_at < y->it->submitted_at ? -1 : 1;
	return x->it->id < y->it->id ? -1 : x->it->id > y->it->id;
}

/* Apply the one-active-question-per-teacher rule. */
int
queue_teacher_split(const struct queue_item *items, size_t n,
    enum queue_activity *activity, int *held_pos, char *err, size_t errlen)
{
	struct split_rec	*r;
	size_t			 i, start;
	int			 pos;

	(void)err;
	(void)errlen;
	if (n == 0)
		return 0;
	r = xcalloc(n, sizeof *r);
	for (i = 0; i < n; i++) {
		r[i].it = &items[i];
		r[i].index = i;
		r[i].klass = klass_of(items[i].state);
	}
	qsort(r, n, sizeof *r, split_cmp);
	for (start = 0; start < n; start = i) {
		const char	*t0 = teacher_of(r[start].it);
		int		 with_coach = r[start].klass == 0;

		pos = 0;
		for (i = start; i < n && strcmp(teacher_of(r[i].it), t0) == 0;
		    i++) {
			enum queue_activity act;

			if (r[i].klass == 2)
				act = QUEUE_DONE;
			else if (r[i].klass == 0)
				act = QUEUE_ACTIVE;
			else if (!with_coach && i == start)
				act = QUEUE_ACTIVE;
			else
				act = QUEUE_HELD;
			if (activity != NULL)
				activity[r[i].index] = act;
			if (held_pos != NULL)
				held_pos[r[i].index] = act == QUEUE_HELD ?
				    ++pos : 0;
		}
	}
	free(r);
	return 0;
}

/* Sort record for the queue order. */
struct order_rec {
	struct queue_rank	 r;
	const char		*area;
	int64_t			 submitted_at;
	int64_t			 id;
};

static int
order_cmp(const void *a, const void *b)
{
	const struct order_rec	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->area, y->area)) != 0)
		return c;
	if (x->r.total != y->r.total)
		return x->r.total > y->r.total ? -1 : 1;
	if (x->submitted_at != y->submitted_at)
		return x->submitted_at < y->submitted_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Rank the questions waiting in area's queue (all queues if area NULL). */
int
queue_order(const struct queue_item *items, size_t n, const char *area,
    int64_t now, const struct queue_params *p, struct queue_rank *out,
    size_t *nout, char *err, size_t errlen)
{
	enum queue_activity	*act;
	struct order_rec	*rec;
	size_t			 i, m = 0;
	int			 pos = 0;

	*nout = 0;
	if (n == 0)
		return 0;
	act = xcalloc(n, sizeof *act);
	rec = xcalloc(n, sizeof *rec);
	(void)queue_teacher_split(items, n, act, NULL, err, errlen);
	for (i = 0; i < n; i++) {
		const struct queue_item *it = &items[i];

		if (it->state != QUEUE_QUEUED || act[i] != QUEUE_ACTIVE ||
		    it->area == NULL)
			continue;
		if (area != NULL && strcmp(area, it->area) != 0)
			continue;
		rec[m].r.index = i;
		queue_priority(it, now, p, &rec[m].r.base, &rec[m].r.aging,
		    &rec[m].r.total);
		rec[m].r.waited = now > it->submitted_at ?
		    now - it->submitted_at : 0;
		rec[m].area = it->area;
		rec[m].submitted_at = it->submitted_at;
		rec[m].id = it->id;
		m++;
	}
	if (m > 0)
		qsort(rec, m, sizeof *rec, order_cmp);
	for (i = 0; i < m; i++) {
		if (i == 0 || strcmp(rec[i].area, rec[i - 1].area) != 0)
			pos = 0;
		rec[i].r.position = ++pos;
		out[i] = rec[i].r;
	}
	*nout = m;
	free(act);
	free(rec);
	return 0;
}

/* Assignments per week in area over the rate window ending at now. */
static double
assign_rate(const struct queue_item *items, size_t n, const char *area,
    int64_t now, const struct queue_params *p, int *fallback)
{
	int64_t	since;
	size_t	i;
	int	w = p->rate_window_weeks > 0 ? p->rate_window_weeks : 4, cnt = 0;

	since = now - (int64_t)w * WEEK;
	for (i = 0; i < n; i++) {
		if (items[i].area == NULL || strcmp(items[i].area, area) != 0)
			continue;
		if (items[i].assigned_at > since && items[i].assigned_at <= now)
			cnt++;
	}
	*fallback = cnt == 0;
	if (cnt == 0)
		return p->fallback_rate > 0 ? p->fallback_rate : 1.0;
	return (double)cnt / w;
}

/* Where question id stands: position, depth, expected wait. */
int
queue_standing(const struct queue_item *items, size_t n, int64_t id,
    int64_t now, const struct queue_params *p, struct queue_standing *out,
    char *err, size_t errlen)
{
	enum queue_activity	*act = NULL;
	struct queue_rank	*rank = NULL;
	int			*held = NULL;
	size_t			 i, k = n, m;
	int			 rc = -1;

	memset(out, 0, sizeof *out);
	out->expected_wait = -1;
	for (i = 0; i < n; i++)
		if (items[i].id == id)
			k = i;
	if (k == n) {
		snprintf(err, errlen, "no question %lld", (long long)id);
		return -1;
	}
	act = xcalloc(n, sizeof *act);
	held = xcalloc(n, sizeof *held);
	rank = xcalloc(n, sizeof *rank);
	(void)queue_teacher_split(items, n, act, held, err, errlen);
	out->state = items[k].state;
	out->activity = act[k];
	out->held_pos = held[k];
	if (act[k] == QUEUE_HELD) {
		/* The question it waits behind: same teacher, active. */
		for (i = 0; i < n; i++)
			if (act[i] == QUEUE_ACTIVE &&
			    strcmp(teacher_of(&items[i]),
			    teacher_of(&items[k])) == 0)
				out->held_behind = items[i].id;
	}
	if (items[k].area == NULL) {
		rc = 0;
		goto out;
	}
	out->rate_per_week = assign_rate(items, n, items[k].area, now, p,
	    &out->rate_is_fallback);
	if (queue_order(items, n, items[k].area, now, p, rank, &m, err,
	    errlen) != 0)
		goto out;
	out->depth = (int)m;
	for (i = 0; i < m; i++) {
		if (rank[i].index != k)
			continue;
		out->position = rank[i].position;
		out->expected_wait = (int64_t)(out->position /
		    out->rate_per_week * WEEK + 0.5);
	}
	rc = 0;
out:
	free(act);
	free(held);
	free(rank);
	return rc;
}

/* --- statistics ----------------------------------------------------------- */

static int
i64_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least pct% of values <= it. */
int64_t
queue_percentile(int64_t *v, size_t n, int pct)
{
	size_t	rank;

	if (n == 0 || pct <= 0)
		return 0;
	if (pct > 100)
		pct = 100;
	qsort(v, n, sizeof *v, i64_cmp);
	rank = ((size_t)pct * n + 99) / 100;
	if (rank == 0)
		rank = 1;
	return v[rank - 1];
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days from 1970-01-01 to January 1st of year y. */
static int64_t
year_start(int64_t y)
{
	int64_t	a = y - 1, b = 1969;

	return 365 * (y - 1970) + (floor_div(a, 4) - floor_div(a, 100) +
	    floor_div(a, 400)) - (b / 4 - b / 100 + b / 400);
}

/* Monday 00:00 UTC of the week holding t. */
static int64_t
week_start(int64_t t)
{
	int64_t	day = floor_div(t, DAY);

	/* 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays. */
	return (day - (((day + 3) % 7) + 7) % 7) * DAY;
}

/* ISO 8601 week: the week belongs to the year of its Thursday. */
void
queue_iso_week(int64_t t, int *year, int *week)
{
	int64_t	thu = week_start(t) / DAY + 3, y;

	y = 1970 + floor_div(thu, 365);
	while (year_start(y) > thu)
		y--;
	while (year_start(y + 1) <= thu)
		y++;
	*year = (int)y;
	*week = (int)((thu - year_start(y)) / 7 + 1);
}

void
queue_stats_free(struct queue_stats *s)
{
	if (s == NULL)
		return;
	free(s->areas);
	free(s->weeks);
	memset(s, 0, sizeof *s);
}

/* Fill one area's line of the statistics. */
static void
area_stats(const struct queue_item *items, size_t n,
    const enum queue_activity *act, int64_t now, int64_t since,
    struct queue_area_stats *as, int64_t *buf)
{
	size_t	i, m = 0;

	for (i = 0; i < n; i++) {
		const struct queue_item *it = &items[i];
		int64_t w = now > it->submitted_at ? now - it->submitted_at : 0;

		if (it->area == NULL || strcmp(it->area, as->area) != 0)
			continue;
		if (it->state == QUEUE_QUEUED && act[i] == QUEUE_ACTIVE) {
			buf[m++] = w;
			if (as->oldest_id == 0 || w > as->oldest_wait ||
			    (w == as->oldest_wait && it->id < as->oldest_id)) {
				as->oldest_id = it->id;
				as->oldest_wait = w;
			}
		} else if (klass_of(it->state) == 1 && act[i] == QUEUE_HELD)
			as->held++;
	}
	as->depth = (int)m;
	as->wait_median = queue_percentile(buf, m, 50);
	as->wait_p90 = queue_percentile(buf, m, 90);
	m = 0;
	for (i = 0; i < n; i++) {
		const struct queue_item *it = &items[i];

		if (it->area == NULL || strcmp(it->area, as->area) != 0 ||
		    it->assigned_at < since || it->assigned_at > now ||
		    it->assigned_at == 0)
			continue;
		buf[m++] = it->assigned_at > it->submitted_at ?
		    it->assigned_at - it->submitted_at : 0;
	}
	as->assigned = (int)m;
	as->assign_median = queue_percentile(buf, m, 50);
	as->assign_p90 = queue_percentile(buf, m, 90);
}

/* Depth, waits, oldest and weekly flow per area. */
int
queue_stats(const struct queue_item *items, size_t n,
    const char *const *areas, size_t nareas, int64_t now, int weeks,
    const struct queue_params *p, struct queue_stats *out, char *err,
    size_t errlen)
{
	enum queue_activity	*act;
	int64_t			*buf, since, ws;
	size_t			 a, i, w;

	(void)p;
	memset(out, 0, sizeof *out);
	if (weeks < 1 || weeks > 520) {
		snprintf(err, errlen, "weeks must be 1..520, not %d", weeks);
		return -1;
	}
	since = week_start(now) - (int64_t)(weeks - 1) * WEEK;
	act = xcalloc(n, sizeof *act);
	buf = xcalloc(n, sizeof *buf);
	out->areas = xcalloc(nareas, sizeof *out->areas);
	out->weeks = xcalloc(nareas * (size_t)weeks + 1, sizeof *out->weeks);
	(void)queue_teacher_split(items, n, act, NULL, err, errlen);
	for (a = 0; a < nareas; a++) {
		out->areas[a].area = areas[a];
		area_stats(items, n, act, now, since, &out->areas[a], buf);
		for (w = 0; w < (size_t)weeks; w++) {
			struct queue_week_stats *ws_out =
			    &out->weeks[out->nweeks++];

			ws = since + (int64_t)w * WEEK;
			ws_out->area = areas[a];
			queue_iso_week(ws, &ws_out->iso_year,
			    &ws_out->iso_week);
			for (i = 0; i < n; i++) {
				const struct queue_item *it = &items[i];

				if (it->area == NULL ||
				    strcmp(it->area, areas[a]) != 0)
					continue;
				if (it->submitted_at >= ws &&
				    it->submitted_at < ws + WEEK)
					ws_out->arrivals++;
				if (it->assigned_at != 0 &&
				    it->assigned_at >= ws &&
				    it->assigned_at < ws + WEEK)
					ws_out->assignments++;
			}
		}
	}
	out->nareas = nareas;
	free(act);
	free(buf);
	return 0;
}
