/*
 * rpc_sched_load.c: `admin schedule` reads the database into plain
 * structs: the horizon's school days, the planned cycles (creating those
 * that assigned questions lack), their sessions, and the teachers and
 * coaches they involve with timetables, schools, availability and blocks.
 * rpc_sched_build.c turns these into the engine's bitmaps.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "errmsg.h"
#include "log.h"
#include "rpc_sched_plan.h"
#include "store_sched.h"
#include "xmalloc.h"

/* ---- loading ------------------------------------------------------------ */

static int
newq_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;

	if (n < 3)
		return -1;
	xgrow((void **)&p->newq, &p->newq_cap, p->n_newq + 1,
	    sizeof(*p->newq));
	p->newq[p->n_newq] = strtoll(c[0], NULL, 10);
	p->newq_s = xreallocarray(p->newq_s, (p->n_newq + 1) * 2,
	    sizeof(*p->newq_s));
	p->newq_s[2 * p->n_newq] = rpc_strdup(c[1]);
	p->newq_s[2 * p->n_newq + 1] = rpc_strdup(c[2]);
	p->n_newq++;
	return 0;
}

/*
 * The sessions of a cycle of `model` ("" = the district default).  A
 * model since removed from the configuration falls back to the default
 * rather than leaving the cycle unschedulable.
 */
static unsigned
plan_model_kinds(const struct coachd_config *conf, const char *model)
{
	unsigned	kinds;

	if (*model != '\0' &&
	    (kinds = config_sched_model_kinds(conf, model)) != 0)
		return kinds;
	if (*model != '\0')
		log_warnx("schedule: coaching model '%s' is no longer in the "
		    "configuration; using %s", model,
		    conf->sched_default_model);
	kinds = config_sched_model_kinds(conf, conf->sched_default_model);
	return kinds != 0 ? kinds : SCHED_T_FULL;
}

static int
cycle_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;
	struct p_cycle	*y;
	int		 k;

	if (n < 10)
		return -1;
	xgrow((void **)&p->cycles, &p->cycles_cap, p->n_cycles + 1,
	    sizeof(*p->cycles));
	y = &p->cycles[p->n_cycles++];
	memset(y, 0, sizeof(*y));
	y->id = strtoll(c[0], NULL, 10);
	y->coach = rpc_strdup(c[1]);
	y->teacher = rpc_strdup(c[2]);
	y->class_id = rpc_strdup(c[3]);
	y->state = rpc_strdup(c[5]);
	y->question = strtoll(c[6], NULL, 10);
	y->tname = rpc_strdup(c[7]);
	y->cname = rpc_strdup(c[8]);
	y->kinds = plan_model_kinds(p->ctx->conf, c[9]);
	for (k = 0; k < SCHED_NKINDS; k++)
		y->prev[k].day = -1;
	return 0;
}

static int
sess_row(void *arg, int n, const char *const *c)
{
	struct plan	*p = arg;
	struct p_sess	*s;

	if (n < 10)
		return -1;
	xgrow((void **)&p->sess, &p->sess_cap, p->n_sess + 1,
	    sizeof(*p->sess));
	s = &p->sess[p->n_sess++];
	s->id = strtoll(c[0], NULL, 10);
	s->cycle = strtoll(c[1], NULL, 10);
	s->kind = rpc_strdup(c[2]);
	s->coach = rpc_strdup(c[3]);
	s->teacher = rpc_strdup(c[4]);
	s->school = rpc_strdup(c[5]);
	s->date = rpc_strdup(c[6]);
	s->period = rpc_strdup(c[7]);
	s->status = rpc_strdup(c[8]);
	if (calendar_parse_date(s->date, &s->day_num) == -1)
		s->day_num = -1;
	return 0;
}

struct slot_load {
	struct p_teacher	*t;
	size_t			 cap;
};

static int
slot_row(void *arg, int n, const char *const *c)
{
	struct slot_load	*l = arg;
	struct p_slot		*s;

	if (n < 5)
		return -1;
	xgrow((void **)&l->t->slots, &l->cap, l->t->n_slots + 1,
	    sizeof(*l->t->slots));
	s = &l->t->slots[l->t->n_slots++];
	s->day_type = rpc_strdup(c[0]);
	s->period = rpc_strdup(c[1]);
	s->teach = strcmp(c[2], "teach") == 0;
	s->class_id = rpc_strdup(c[3]);
	s->room = rpc_strdup(c[4]);
	return 0;
}

static int
teacher_school_row(void *arg, int n, const char *const *c)
{
	struct p_teacher	*t = arg;

	if (n < 3)
		return -1;
	free(t->school);
	free(t->name);
	free(t->school_name);
	t->school = rpc_strdup(c[0]);
	t->name = rpc_strdup(c[1]);
	t->school_name = rpc_strdup(c[2]);
	return 0;
}

struct coach_load {
	struct p_coach	*c;
	size_t		 cap;
};

static int
coach_school_row(void *arg, int n, const char *const *c)
{
	struct coach_load	*l = arg;

	if (n < 1)
		return -1;
	xgrow((void **)&l->c->schools, &l->cap, l->c->n_schools + 1,
	    sizeof(*l->c->schools));
	l->c->schools[l->c->n_schools++] = rpc_strdup(c[0]);
	return 0;
}

static int
coach_avail_row(void *arg, int n, const char *const *c)
{
	struct coach_load	*l = arg;
	struct p_avail		*a;

	if (n < 4)
		return -1;
	xgrow((void **)&l->c->avail, &l->cap, l->c->n_avail + 1,
	    sizeof(*l->c->avail));
	a = &l->c->avail[l->c->n_avail++];
	a->weekday = atoi(c[0]);
	a->start = atoi(c[1]);
	a->end = atoi(c[2]);
	a->school = rpc_strdup(c[3]);
	return 0;
}

static int
coach_block_row(void *arg, int n, const char *const *c)
{
	struct coach_load	*l = arg;
	struct p_block		*b;
	int			 day;

	if (n < 3 || calendar_parse_date(c[0], &day) == -1)
		return 0;
	xgrow((void **)&l->c->blocks, &l->cap, l->c->n_blocks + 1,
	    sizeof(*l->c->blocks));
	b = &l->c->blocks[l->c->n_blocks++];
	b->day = day;
	b->start = atoi(c[1]);
	b->end = atoi(c[2]);
	return 0;
}

static int
add_teacher(struct plan *p, const char *id, char *err, size_t errlen)
{
	struct p_teacher	*t;
	struct slot_load	 l;
	int			 i;

	if ((i = plan_find_teacher(p, id)) != -1)
		return i;
	xgrow((void **)&p->teachers, &p->teachers_cap, p->n_teachers + 1,
	    sizeof(*p->teachers));
	t = &p->teachers[p->n_teachers];
	memset(t, 0, sizeof(*t));
	t->id = xstrdup(id);
	p->n_teachers++;
	if (store_sched_query(p->ctx->store, SS_Q_TEACHER_SCHOOL, id, NULL,
	    teacher_school_row, t, err, errlen) != STORE_OK)
		return -1;
	if (t->school == NULL) {
		t->school = xstrdup("");
		t->name = xstrdup(id);
		t->school_name = xstrdup("");
	}
	l.t = t;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_TEACHER_SLOTS, id, NULL,
	    slot_row, &l, err, errlen) != STORE_OK)
		return -1;
	return (int)(p->n_teachers - 1);
}

static int
add_coach(struct plan *p, const char *id, const char *name, char *err,
    size_t errlen)
{
	struct p_coach		*c;
	struct coach_load	 l;
	int			 i;

	if ((i = plan_find_coach(p, id)) != -1)
		return i;
	xgrow((void **)&p->coaches, &p->coaches_cap, p->n_coaches + 1,
	    sizeof(*p->coaches));
	c = &p->coaches[p->n_coaches];
	memset(c, 0, sizeof(*c));
	c->id = xstrdup(id);
	c->name = xstrdup(name);
	p->n_coaches++;
	l.c = c;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_COACH_SCHOOLS, id, NULL,
	    coach_school_row, &l, err, errlen) != STORE_OK)
		return -1;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_COACH_AVAIL, id, NULL,
	    coach_avail_row, &l, err, errlen) != STORE_OK)
		return -1;
	l.cap = 0;
	if (store_sched_query(p->ctx->store, SS_Q_COACH_BLOCKS, id, NULL,
	    coach_block_row, &l, err, errlen) != STORE_OK)
		return -1;
	return (int)(p->n_coaches - 1);
}

int
plan_load(struct plan *p, int from, Coachd__V1__SchedRun *run, char *err,
    size_t errlen)
{
	char	date[CALENDAR_DATE_LEN];
	size_t	i;
	int64_t	id;
	int	horizon = p->ctx->conf->sched_horizon_days;

	if (tt_load(p->ctx, &p->tt, NULL, err, errlen) == -1)
		return -1;
	if (horizon <= 0)
		horizon = 10;
	p->days = xcalloc((size_t)horizon, sizeof(*p->days));
	p->n_days = (int)calendar_school_days(&p->tt.cal, from,
	    (size_t)horizon, p->days);
	if (p->n_days == 0) {
		return errmsg(err, errlen, "no school days within a year of "
		    "the start date");
	}
	run->school_days = (uint32_t)p->n_days;
	p->dlabel = xcalloc((size_t)p->n_days, sizeof(*p->dlabel));
	p->dnames = xcalloc((size_t)p->n_days, sizeof(*p->dnames));

	for (i = 0; i < (size_t)p->n_days; i++) {
		calendar_format_label(p->days[i], p->dlabel[i],
		    sizeof(p->dlabel[i]));
		p->dnames[i] = p->dlabel[i];
	}
	calendar_format_date(p->days[0], date, sizeof(date));
	run->from = xstrdup(date);
	calendar_format_date(p->days[p->n_days - 1], date, sizeof(date));
	run->to = xstrdup(date);
	/* Every assigned question without an open cycle gets one. */
	if (store_sched_query(p->ctx->store, SS_Q_ASSIGNED_NO_CYCLE, NULL,
	    NULL, newq_row, p, err, errlen) != STORE_OK)
		return -1;
	for (i = 0; i < p->n_newq; i++) {
		if (store_sched_cycle_create(p->ctx->store, p->newq[i],
		    p->newq_s[2 * i], p->newq_s[2 * i + 1], p->ctx->now, &id,
		    err, errlen) != STORE_OK)
			return -1;
		run->cycles_created++;
	}
	if (store_sched_query(p->ctx->store, SS_Q_CYCLES_OPEN, NULL, NULL,
	    cycle_row, p, err, errlen) != STORE_OK)
		return -1;
	calendar_format_date(p->days[0], date, sizeof(date));
	return store_sched_query(p->ctx->store, SS_Q_SESSIONS_FROM, date,
	    NULL, sess_row, p, err, errlen) == STORE_OK ? 0 : -1;
}

/* Decide which cycles are planned and gather their people. */
int
plan_people(struct plan *p, char *err, size_t errlen)
{
	struct p_cycle	*y;
	size_t		 i;

	for (i = 0; i < p->n_cycles; i++) {
		y = &p->cycles[i];
		/* scheduled: plan_mark_prev() decides once periods exist */
		y->in_problem = 1;
		if ((y->teacher_i = add_teacher(p, y->teacher, err, errlen))
		    == -1)
			return -1;
		if ((y->coach_i = add_coach(p, y->coach, y->cname, err,
		    errlen)) == -1)
			return -1;
	}
	return 0;
}

/* ---- the plan as a whole ------------------------------------------------ */

void
plan_free(struct plan *p)
{
	size_t	i, k;

	for (i = 0; i < p->n_teachers; i++) {
		for (k = 0; k < p->teachers[i].n_slots; k++) {
			free(p->teachers[i].slots[k].day_type);
			free(p->teachers[i].slots[k].period);
			free(p->teachers[i].slots[k].class_id);
			free(p->teachers[i].slots[k].room);
		}
		free(p->teachers[i].slots);
		free(p->teachers[i].id);
		free(p->teachers[i].name);
		free(p->teachers[i].school);
		free(p->teachers[i].school_name);
		free(p->teachers[i].teach);
		free(p->teachers[i].free);
	}
	free(p->teachers);
	for (i = 0; i < p->n_coaches; i++) {
		for (k = 0; k < p->coaches[i].n_schools; k++)
			free(p->coaches[i].schools[k]);
		for (k = 0; k < p->coaches[i].n_avail; k++)
			free(p->coaches[i].avail[k].school);
		free(p->coaches[i].schools);
		free(p->coaches[i].avail);
		free(p->coaches[i].blocks);
		free(p->coaches[i].avail_bits);
		free(p->coaches[i].id);
		free(p->coaches[i].name);
	}
	free(p->coaches);
	for (i = 0; i < p->n_cycles; i++) {
		free(p->cycles[i].coach);
		free(p->cycles[i].teacher);
		free(p->cycles[i].class_id);
		free(p->cycles[i].state);
		free(p->cycles[i].tname);
		free(p->cycles[i].cname);
		free(p->cycles[i].observe);
	}
	free(p->cycles);
	for (i = 0; i < p->n_sess; i++) {
		free(p->sess[i].kind);
		free(p->sess[i].coach);
		free(p->sess[i].teacher);
		free(p->sess[i].school);
		free(p->sess[i].date);
		free(p->sess[i].period);
		free(p->sess[i].status);
	}
	free(p->sess);
	for (i = 0; i < 2 * p->n_newq; i++)
		free(p->newq_s[i]);
	free(p->newq_s);
	free(p->newq);
	free(p->all);
	free(p->days);
	free(p->dlabel);
	free(p->dnames);
	tt_free(&p->tt);
}

