/*
 * store_match.c: SQL behind `admin assign` (see store_match.h).  Three
 * reads, each in a stable order (questions by id, coaches by id), so that
 * the problem handed to the engine -- and therefore the plan, which is a
 * deterministic function of its input -- is the same for a dry run and
 * the apply that follows.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_match.h"
#include "xmalloc.h"

/* Questions retained with their coach (see store_match.h); ?1 = full. */
#define SM_RETAINED(p) \
	"(" p ".state = 'in-cycle' OR (?1 = 0 AND " p ".state = 'assigned'))"

/*
 * Candidate questions; ?1 = full re-plan.  A queued question is a
 * candidate only while it is its teacher's active one (docs/queues.md,
 * "One active question per teacher"; the same rule as
 * store_question_list_queued): held questions are in no queue yet.
 */
#define SM_CANDIDATE \
	" t.active = 1 AND q.area IS NOT NULL AND q.area <> ''" \
	" AND ((q.state = 'queued' AND NOT EXISTS (SELECT 1 FROM questions o" \
	"  WHERE o.teacher = q.teacher AND o.id <> q.id AND" \
	"  (o.state IN ('assigned', 'in-cycle') OR" \
	"   (o.state IN ('submitted', 'queued') AND" \
	"    (o.submitted_at < q.submitted_at OR" \
	"     (o.submitted_at = q.submitted_at AND o.id < q.id))))))" \
	" OR (?1 <> 0 AND q.state = 'assigned' AND q.coach IS NOT NULL))"

static const char sm_sql_coaches[] =
	"SELECT c.id, c.caseload_cap, c.active,"
	" (SELECT COUNT(DISTINCT q.teacher) FROM questions q"
	"  WHERE q.coach = c.id AND " SM_RETAINED("q") ")"
	" FROM coaches c ORDER BY c.id";

static const char sm_sql_questions[] =
	"SELECT q.id, q.teacher, q.area, COALESCE(q.topic, ''),"
	" COALESCE(q.coach, ''), q.state = 'assigned', q.submitted_at,"
	" q.boosted_by IS NOT NULL, t.new_teacher"
	" FROM questions q JOIN teachers t ON t.id = q.teacher"
	" WHERE" SM_CANDIDATE " ORDER BY q.id";

/*
 * Continuity: the coach has another question of this teacher that is
 * assigned, in a cycle or closed -- a relationship exists or existed.
 * on_caseload: that other question is retained, so the teacher already
 * counts in the coach's load.
 */
static const char sm_sql_pairs[] =
	"SELECT q.id, c.id, COALESCE(e.level, 0), i.topic IS NOT NULL,"
	" EXISTS (SELECT 1 FROM questions p WHERE p.teacher = q.teacher"
	"  AND p.coach = c.id AND p.id <> q.id"
	"  AND p.state IN ('assigned', 'in-cycle', 'closed')),"
	" EXISTS (SELECT 1 FROM questions p WHERE p.teacher = q.teacher"
	"  AND p.coach = c.id AND p.id <> q.id AND " SM_RETAINED("p") ")"
	" FROM questions q JOIN teachers t ON t.id = q.teacher"
	" JOIN coach_schools cs ON cs.school = t.school"
	" JOIN coaches c ON c.id = cs.coach AND c.active = 1"
	" LEFT JOIN coach_expertise e ON e.coach = c.id AND e.area = q.area"
	" LEFT JOIN coach_interests i ON i.coach = c.id AND i.topic = q.topic"
	" WHERE" SM_CANDIDATE
	" AND (e.level IS NOT NULL OR i.topic IS NOT NULL)"
	" ORDER BY q.id, c.id";

static const char sm_sql_counts[] =
	"SELECT"
	" (SELECT COUNT(*) FROM questions WHERE state = 'queued'"
	"  AND (area IS NULL OR area = '')),"
	" (SELECT COUNT(*) FROM questions WHERE state = 'assigned' AND ?1 = 0)";

/* Index of coach id in the sorted array, or -1. */
static long
sm_coach_index(const struct store_match_data *d, const char *id)
{
	size_t	lo = 0, hi = d->n_coaches, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(d->coaches[mid].id, id)) == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Index of question id in the sorted array, or -1. */
static long
sm_question_index(const struct store_match_data *d, int64_t id)
{
	size_t	lo = 0, hi = d->n_questions, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->questions[mid].id == id)
			return (long)mid;
		if (d->questions[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* A coach with its retained load (a store_collect_into() fill). */
static void
sm_coach_fill(sqlite3_stmt *s, void *elem)
{
	struct store_match_coach	*c = elem;

	c->id = store_column_strdup(s, 0);
	c->cap = (uint32_t)sqlite3_column_int(s, 1);
	c->active = sqlite3_column_int(s, 2);
	c->load = (uint32_t)sqlite3_column_int(s, 3);
}

/* A candidate question (a store_collect_into() fill). */
static void
sm_question_fill(sqlite3_stmt *s, void *elem)
{
	struct store_match_question	*q = elem;

	q->id = sqlite3_column_int64(s, 0);
	q->teacher = store_column_strdup(s, 1);
	q->area = store_column_strdup(s, 2);
	q->topic = store_column_strdup(s, 3);
	q->coach = store_column_strdup(s, 4);
	q->assigned = sqlite3_column_int(s, 5);
	q->submitted_at = sqlite3_column_int64(s, 6);
	q->boosted = sqlite3_column_int(s, 7);
	q->new_teacher = sqlite3_column_int(s, 8);
}

/* Read every coach with its retained load. */
static enum store_status
sm_load_coaches(struct store *st, int full, struct store_match_data *d,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, sm_sql_coaches, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, full);
	return store_collect_into(st, s, &d->coaches, &d->n_coaches,
	    sizeof(*d->coaches), sm_coach_fill, err, errlen);
}

/* Read the candidate questions. */
static enum store_status
sm_load_questions(struct store *st, int full, struct store_match_data *d,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, sm_sql_questions, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, full);
	return store_collect_into(st, s, &d->questions, &d->n_questions,
	    sizeof(*d->questions), sm_question_fill, err, errlen);
}

/* Read the candidate pairs; both sides must already be loaded. */
static enum store_status
sm_load_pairs(struct store *st, int full, struct store_match_data *d,
    char *err, size_t errlen)
{
	struct store_match_pair	*p;
	sqlite3_stmt		*s;
	size_t			 alloc = 0;
	long			 qi, ci;
	int			 rc;

	if ((s = store_prepare(st, sm_sql_pairs, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, full);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		qi = sm_question_index(d, sqlite3_column_int64(s, 0));
		ci = sm_coach_index(d,
		    (const char *)sqlite3_column_text(s, 1));
		if (qi == -1 || ci == -1) {
			/* Same transaction, same filters: cannot happen. */
			sqlite3_reset(s);
			return store_errf(err, errlen, STORE_ERROR,
			    "assign: pair outside the candidate set");
		}
		xgrow((void **)&d->pairs, &alloc, d->n_pairs + 1,
		    sizeof(*d->pairs));
		p = &d->pairs[d->n_pairs++];
		p->question = (size_t)qi;
		p->coach = (size_t)ci;
		p->level = (uint32_t)sqlite3_column_int(s, 2);
		p->interest = sqlite3_column_int(s, 3);
		p->continuity = sqlite3_column_int(s, 4);
		p->on_caseload = sqlite3_column_int(s, 5);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

/* Counters reported beside the plan. */
static enum store_status
sm_load_counts(struct store *st, int full, struct store_match_data *d,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = store_prepare(st, sm_sql_counts, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_int(s, 1, full);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st, rc, err, errlen);
	}
	d->queued_without_area = (uint32_t)sqlite3_column_int(s, 0);
	d->retained_assigned = (uint32_t)sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_status
store_match_load(struct store *st, int full_replan,
    struct store_match_data *d, char *err, size_t errlen)
{
	enum store_status	ret;
	int			full = full_replan != 0;

	memset(d, 0, sizeof(*d));
	if ((ret = sm_load_coaches(st, full, d, err, errlen)) != STORE_OK ||
	    (ret = sm_load_questions(st, full, d, err, errlen)) != STORE_OK ||
	    (ret = sm_load_pairs(st, full, d, err, errlen)) != STORE_OK ||
	    (ret = sm_load_counts(st, full, d, err, errlen)) != STORE_OK)
		store_match_data_free(d);
	return ret;
}

void
store_match_data_free(struct store_match_data *d)
{
	size_t	i;

	for (i = 0; i < d->n_coaches; i++)
		free(d->coaches[i].id);
	for (i = 0; i < d->n_questions; i++) {
		free(d->questions[i].teacher);
		free(d->questions[i].area);
		free(d->questions[i].topic);
		free(d->questions[i].coach);
	}
	free(d->coaches);
	free(d->questions);
	free(d->pairs);
	memset(d, 0, sizeof(*d));
}
