/*
 * sched_reason: the words a coach reads.  Checks whether a published
 * placement still holds (and says what broke if not), and for a cycle
 * that cannot be placed finds the rule that blocks it by relaxing one
 * rule family at a time.
 */
#include <stdio.h>
#include <string.h>

#include "sched.h"
#include "sched_int.h"

static const char *
coach_name(const struct sched_st *st, const struct sched_cycle *cy)
{
	const char	*n = st->p->coaches[cy->coach].name;

	return n ? n : "the coach";
}

static const char *
teacher_name(const struct sched_st *st, const struct sched_cycle *cy)
{
	const char	*n = st->p->teachers[cy->teacher].name;

	return n ? n : "the teacher";
}

/* "is at Lincoln ES" when the teacher's place is known, else "is
 * available". */
static void
place_words(const struct sched_st *st, const struct sched_cycle *cy,
    char *buf, size_t len)
{
	const char	*at = st->p->teachers[cy->teacher].place;

	if (at != NULL && *at != '\0')
		snprintf(buf, len, "is at %s", at);
	else
		snprintf(buf, len, "is available");
}

/* Static rule for one session of kind k at slot s; reason if broken. */
static int
slot_allowed(struct sched_st *st, const struct sched_cycle *cy, int k, int s,
    char *why, size_t len)
{
	const struct sched_coach	*co = &st->p->coaches[cy->coach];
	const struct sched_teacher	*te = &st->p->teachers[cy->teacher];
	int				 d = s / st->P;
	uint64_t			 bit = 1ULL << (s % st->P);
	char				 w[96];

	sched_slot_words(st, s, w, sizeof(w));
	if (!(co->available[d] & bit)) {
		snprintf(why, len, "%s is no longer available in %s",
		    coach_name(st, cy), w);
		return 0;
	}
	if (k == SCHED_OBSERVATION && !(te->teaching[d] & bit)) {
		snprintf(why, len, "%s no longer teaches in %s",
		    teacher_name(st, cy), w);
		return 0;
	}
	if (k == SCHED_OBSERVATION && cy->observe_in &&
	    !(cy->observe_in[d] & bit)) {
		snprintf(why, len, "the class %s teaches in %s is no longer "
		    "the one to observe", teacher_name(st, cy), w);
		return 0;
	}
	if (k != SCHED_OBSERVATION && !(te->free[d] & bit)) {
		snprintf(why, len, "%s is no longer free in %s",
		    teacher_name(st, cy), w);
		return 0;
	}
	if (st->cbusy[(size_t)cy->coach * st->D + d] & bit) {
		snprintf(why, len, "%s is now booked elsewhere in %s",
		    coach_name(st, cy), w);
		return 0;
	}
	if (st->tbusy[(size_t)cy->teacher * st->D + d] & bit) {
		snprintf(why, len, "%s is now booked elsewhere in %s",
		    teacher_name(st, cy), w);
		return 0;
	}
	return 1;
}

/* Which coach limit the sessions s[] break, in words. */
static void
caps_words(struct sched_st *st, size_t ci, const int16_t *s, char *why,
    size_t len)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	const struct sched_coach	*co = &st->p->coaches[cy->coach];
	uint8_t				 wok[SCHED_MAX_DAYS];
	char				 wk[96];
	int				 k, j, d, w, n, has;

	sched_week_ok(st, ci, 0, wok);
	for (k = 0; k < SCHED_NKINDS; k++) {
		if (s[k] < 0)
			continue;
		d = s[k] / st->P;
		w = d / SCHED_DAYS_PER_WEEK;
		if (!wok[w]) {
			n = sched_week_teachers(st, cy->coach, w, cy->teacher,
			    &has);
			sched_week_words(st, w, wk, sizeof(wk));
			snprintf(why, len, "%s already sees %d distinct "
			    "teachers in %s (limit %d)", coach_name(st, cy),
			    n, wk, co->max_teachers_per_week);
			return;
		}
		for (n = 0, j = 0; j < SCHED_NKINDS; j++)
			n += s[j] >= 0 && s[j] / st->P == d;
		if (co->max_per_day > 0 &&
		    st->cday[(size_t)cy->coach * st->D + d] + n >
		    co->max_per_day) {
			sched_day_words(st, d, wk, sizeof(wk));
			snprintf(why, len, "%s would have %d sessions on "
			    "%s (limit %d a day)", coach_name(st, cy),
			    st->cday[(size_t)cy->coach * st->D + d] + n, wk,
			    co->max_per_day);
			return;
		}
	}
	for (w = 0, k = 0; k < SCHED_NKINDS; k++) {
		if (s[k] < 0)
			continue;
		w = s[k] / st->P / SCHED_DAYS_PER_WEEK;
		for (n = 0, j = 0; j < SCHED_NKINDS; j++)
			n += s[j] >= 0 && s[j] / st->P / SCHED_DAYS_PER_WEEK == w;
		if (co->max_per_week > 0 &&
		    st->cweek[(size_t)cy->coach * st->W + w] + n >
		    co->max_per_week)
			break;
	}
	sched_week_words(st, w, wk, sizeof(wk));
	snprintf(why, len, "%s already has %d sessions in %s "
	    "(admin cap %d a week)", coach_name(st, cy),
	    st->cweek[(size_t)cy->coach * st->W + w], wk, co->max_per_week);
}

/*
 * Does the published placement of ci still hold in the current
 * timetable?  Fills s[] with it; else writes what broke into why.
 */
int
sched_check_prev(struct sched_st *st, size_t ci, int16_t *s, char *why,
    size_t len)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	unsigned			 kinds = sched_kinds(cy);
	uint8_t				 wok[SCHED_MAX_DAYS];
	int				 k, last = -1, od = -1;

	for (k = 0; k < SCHED_NKINDS; k++) {
		s[k] = -1;
		if (!(kinds & SCHED_T_KIND(k)))
			continue;
		if (cy->prev[k].day < 0) {
			snprintf(why, len, "its %s was never published",
			    sched_kind_name(k));
			return 0;
		}
		s[k] = (int16_t)(cy->prev[k].day * st->P + cy->prev[k].period);
		if (s[k] <= last) {
			snprintf(why, len, "its published sessions are out "
			    "of order");
			return 0;
		}
		if (k == SCHED_OBSERVATION)
			od = cy->prev[k].day;
		if (k == SCHED_DEBRIEF && od >= 0 &&
		    cy->prev[k].day - od > cy->debrief_within_days) {
			snprintf(why, len, "the debrief is now more than %d "
			    "school days after the observation",
			    cy->debrief_within_days);
			return 0;
		}
		last = s[k];
		if (!slot_allowed(st, cy, k, s[k], why, len))
			return 0;
	}
	sched_week_ok(st, ci, 0, wok);
	if (!sched_caps_ok(st, ci, 0, wok, s)) {
		caps_words(st, ci, s, why, len);
		return 0;
	}
	return 1;
}

/* Reason when the cycle cannot be placed even in an empty timetable. */
/*
 * Every session has periods but never in the template's order and
 * window: say which chain was missing, for the sessions the cycle has
 * (coaching models may drop the meeting or the observation).
 */
static void
sequence_reason(struct sched_st *st, const struct sched_cycle *cy,
    unsigned kinds, char *buf, size_t len)
{
	int	obs = (kinds & SCHED_T_KIND(SCHED_OBSERVATION)) != 0;
	int	mtg = (kinds & SCHED_T_KIND(SCHED_MEETING)) != 0;
	int	deb = (kinds & SCHED_T_KIND(SCHED_DEBRIEF)) != 0;

	if (!obs)
		snprintf(buf, len, "no free period of %s (and %s available) "
		    "with another within %d school days after it",
		    teacher_name(st, cy), coach_name(st, cy),
		    cy->debrief_within_days);
	else if (mtg && deb)
		snprintf(buf, len, "no observation of %s with a free period "
		    "(and %s available) before it and another within %d "
		    "school days after it", teacher_name(st, cy),
		    coach_name(st, cy), cy->debrief_within_days);
	else if (deb)
		snprintf(buf, len, "no observation of %s followed by a free "
		    "period (and %s available) within %d school days",
		    teacher_name(st, cy), coach_name(st, cy),
		    cy->debrief_within_days);
	else
		snprintf(buf, len, "no observation of %s with a free period "
		    "(and %s available) before it", teacher_name(st, cy),
		    coach_name(st, cy));
}

static void
static_reason(struct sched_st *st, size_t ci, char *buf, size_t len)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	uint64_t			 cand[SCHED_NKINDS][SCHED_MAX_DAYS];
	unsigned			 kinds = sched_kinds(cy);
	uint64_t			 any[SCHED_NKINDS] = { 0, 0, 0 };
	char				 at[128];
	int				 d, k;

	sched_candidates(st, ci, SCHED_R_ALL, cand);
	for (k = 0; k < SCHED_NKINDS; k++)
		for (d = 0; d < st->D; d++)
			any[k] |= cand[k][d];
	place_words(st, cy, at, sizeof(at));
	if (((kinds & SCHED_T_KIND(SCHED_MEETING)) ||
	    (kinds & SCHED_T_KIND(SCHED_DEBRIEF))) && any[SCHED_MEETING] == 0)
		snprintf(buf, len, "no period in the next %d school days "
		    "where %s is free and %s %s", st->D,
		    teacher_name(st, cy), coach_name(st, cy), at);
	else if ((kinds & SCHED_T_KIND(SCHED_OBSERVATION)) &&
	    any[SCHED_OBSERVATION] == 0)
		snprintf(buf, len, "no period in the next %d school days "
		    "where %s teaches %s and %s %s", st->D,
		    teacher_name(st, cy), cy->observe_in ? "the class to "
		    "observe" : "a class", coach_name(st, cy), at);
	else
		sequence_reason(st, cy, kinds, buf, len);
}

/* The first session of s[] that another booking blocks, in words. */
static void
busy_words(struct sched_st *st, size_t ci, const int16_t *s, char *buf,
    size_t len)
{
	const struct sched_cycle	*cy = &st->p->cycles[ci];
	char				 w[96];
	int				 k, d;
	uint64_t			 bit;

	for (k = 0; k < SCHED_NKINDS; k++) {
		if (s[k] < 0)
			continue;
		d = s[k] / st->P;
		bit = 1ULL << (s[k] % st->P);
		sched_slot_words(st, s[k], w, sizeof(w));
		if (st->cbusy[(size_t)cy->coach * st->D + d] & bit) {
			snprintf(buf, len, "every period that would fit is "
			    "taken by other sessions (e.g. %s is booked in "
			    "%s)", coach_name(st, cy), w);
			return;
		}
		if (st->tbusy[(size_t)cy->teacher * st->D + d] & bit) {
			snprintf(buf, len, "every period that would fit is "
			    "taken by other sessions (e.g. %s is booked in "
			    "%s)", teacher_name(st, cy), w);
			return;
		}
	}
	snprintf(buf, len, "every period that would fit is taken by other "
	    "sessions of %s or %s", coach_name(st, cy), teacher_name(st, cy));
}

/*
 * Why cycle ci cannot be placed now.  The dominant reason is the first
 * single rule family whose relaxation would let it in; failing that,
 * it takes several rules together, and we say which.
 */
void
sched_diagnose(struct sched_st *st, size_t ci, char *buf, size_t len)
{
	static const unsigned	 order[] = { SCHED_R_WEEKT, SCHED_R_DAY,
				    SCHED_R_WEEKS, SCHED_R_BUSY };
	const struct sched_cycle *cy = &st->p->cycles[ci];
	int16_t			 s[SCHED_NKINDS];
	size_t			 i;

	if (!sched_find(st, ci, SCHED_R_ALL, s)) {
		static_reason(st, ci, buf, len);
		return;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!sched_find(st, ci, order[i], s))
			continue;
		if (order[i] == SCHED_R_BUSY)
			busy_words(st, ci, s, buf, len);
		else
			caps_words(st, ci, s, buf, len);
		return;
	}
	snprintf(buf, len, "no period meets all rules at once: the times "
	    "that are free for %s and %s are taken by other sessions or "
	    "fall on days or weeks where %s has reached a limit",
	    teacher_name(st, cy), coach_name(st, cy), coach_name(st, cy));
}
