/*
 * solve_schedule_json.c: `coach-solve schedule` reads its JSON instance.
 * A district instance lists 100,000 teachers with a timetable each; a
 * jansson tree of all of it would take gigabytes.  So the top level is
 * walked by a small span scanner and jansson decodes one element of the
 * big arrays at a time, which is turned into bitmaps and freed.  Every
 * refusal names what and where (docs/scheduling.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "solve_schedule.h"
const char *const sj_list_keys[] = { "available", "teaching", "free",
	"observe_in", "prefer_observe_in", NULL };

/* The spans of the top-level fields, found before any is decoded. */

/*
 * Hand out a zeroed bitmap of `days` words, as an offset into in->bits.
 * All of them are reserved up front (read_input), so pointers taken
 * into in->bits stay valid; SIZE_MAX if the reservation is exceeded.
 */
static size_t
new_bitmap(struct input *in)
{
	size_t	 off = in->nbits;

	if (in->capbits - in->nbits < (size_t)in->days)
		return SIZE_MAX;
	memset(in->bits + off, 0, (size_t)in->days * sizeof(*in->bits));
	in->nbits += (size_t)in->days;
	return off;
}

static int
period_index(const struct input *in, const char *s)
{
	int	p;

	for (p = 0; p < in->n_periods; p++)
		if (strcmp(in->period[p], s) == 0)
			return p;
	return -1;
}

/* [day, "P3"] -> day and period, or a message naming where. */
static int
slot_of(struct input *in, json_t *pair, const char *where, int *d, int *p)
{
	json_t	*jd, *jp;

	if (!json_is_array(pair) || json_array_size(pair) != 2)
		return sj_fail(in, "%s: expected [day, \"period\"]", where);
	jd = json_array_get(pair, 0);
	jp = json_array_get(pair, 1);
	if (!json_is_integer(jd) || !json_is_string(jp))
		return sj_fail(in, "%s: expected [day, \"period\"]", where);
	if (json_integer_value(jd) < 0 || json_integer_value(jd) >= in->days)
		return sj_fail(in, "%s: day %lld out of range 0..%d", where,
		    (long long)json_integer_value(jd), in->days - 1);
	*d = (int)json_integer_value(jd);
	if ((*p = period_index(in, json_string_value(jp))) < 0)
		return sj_fail(in, "%s: unknown period \"%s\"", where,
		    json_string_value(jp));
	return 0;
}

/* The "day" and "period" fields of object o as one slot. */
static int
slot_fields(struct input *in, json_t *o, const char *where, int *d, int *p)
{
	json_t	*pair;
	int	 rc;

	pair = json_pack("[OO]", json_object_get(o, "day"),
	    json_object_get(o, "period"));
	if (pair == NULL)
		return sj_fail(in, "%s: missing \"day\" or \"period\"",
		    where);
	rc = slot_of(in, pair, where, d, p);
	json_decref(pair);
	return rc;
}

/* Read a list of [day, "P"] pairs into the bitmap at offset off. */
static int
slots_json(struct input *in, json_t *arr, const char *where, size_t off)
{
	char	w[160];
	size_t	i;
	int	d, p;

	if (!json_is_array(arr))
		return sj_fail(in, "%s: expected a list of [day, \"period\"]",
		    where);
	for (i = 0; i < json_array_size(arr); i++) {
		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if (slot_of(in, json_array_get(arr, i), w, &d, &p) == -1)
			return -1;
		if (in->bits[off + (size_t)d] & (1ULL << p))
			return sj_fail(in, "%s: duplicate slot", w);
		in->bits[off + (size_t)d] |= 1ULL << p;
	}
	return 0;
}

/*
 * The common shape [[0,"P1"],...] read straight from the bytes.
 * Returns 0, -1 on a rule error (message set), or 1 when the text is
 * anything less plain (escapes, odd numbers, bad syntax): the caller
 * then lets jansson decode it, for exact messages.
 */
static int
slots_fast(struct input *in, size_t i, size_t end, const char *where,
    size_t off)
{
	const char	*b = in->buf, *name;
	size_t		 n = 0, nlen;
	long long	 d;
	int		 p, neg;

	i = sj_skip_ws(b, i, end);
	if (i >= end || b[i++] != '[')
		return 1;
	i = sj_skip_ws(b, i, end);
	if (i < end && b[i] == ']')
		return sj_skip_ws(b, i + 1, end) == end ? 0 : 1;
	for (;; n++) {
		i = sj_skip_ws(b, i, end);
		if (i >= end || b[i++] != '[')
			return 1;
		i = sj_skip_ws(b, i, end);
		neg = i < end && b[i] == '-';
		i += (size_t)neg;
		if (i >= end || b[i] < '0' || b[i] > '9')
			return 1;
		for (d = 0; i < end && b[i] >= '0' && b[i] <= '9'; i++) {
			if (d > 100000000)
				return 1;
			d = d * 10 + (b[i] - '0');
		}
		i = sj_skip_ws(b, i, end);
		if (i >= end || b[i++] != ',')
			return 1;
		i = sj_skip_ws(b, i, end);
		if (i >= end || b[i++] != '"')
			return 1;
		for (name = b + i; i < end && b[i] != '"'; i++)
			if (b[i] == '\\' || (unsigned char)b[i] < 0x20)
				return 1;
		if (i >= end)
			return 1;
		nlen = (size_t)(b + i - name);
		i = sj_skip_ws(b, i + 1, end);
		if (i >= end || b[i++] != ']')
			return 1;
		if (neg || d >= in->days)
			return sj_fail(in,
			    "%s[%zu]: day %s%lld out of range 0..%d",
			    where, n, neg ? "-" : "", d, in->days - 1);
		for (p = 0; p < in->n_periods; p++)
			if (strlen(in->period[p]) == nlen &&
			    memcmp(in->period[p], name, nlen) == 0)
				break;
		if (p == in->n_periods)
			return sj_fail(in, "%s[%zu]: unknown period \"%.*s\"",
			    where, n, (int)nlen, name);
		if (in->bits[off + (size_t)d] & (1ULL << p))
			return sj_fail(in, "%s[%zu]: duplicate slot", where, n);
		in->bits[off + (size_t)d] |= 1ULL << p;
		i = sj_skip_ws(b, i, end);
		if (i < end && b[i] == ',') {
			i++;
			continue;
		}
		if (i < end && b[i] == ']' && sj_skip_ws(b, i + 1, end) == end)
			return 0;
		return 1;
	}
}

/* Is the slot list `key` present in the element being read? */
static int
has_list(const struct input *in, const char *key)
{
	int	i;

	for (i = 0; i < in->nlists; i++)
		if (strcmp(in->lists[i].key, key) == 0)
			return 1;
	return 0;
}

/* Read the element's slot list `key` (if present) into bitmap off. */
static int
slots_field(struct input *in, const char *key, const char *where,
    size_t off)
{
	struct span	sp;
	json_t		*j;
	int		 i, rc;

	for (i = 0; i < in->nlists; i++)
		if (strcmp(in->lists[i].key, key) == 0)
			break;
	if (i == in->nlists)
		return 0;
	sp.start = in->lists[i].start;
	sp.end = in->lists[i].end;
	if ((rc = slots_fast(in, sp.start, sp.end, where, off)) != 1)
		return rc;
	memset(in->bits + off, 0, (size_t)in->days * sizeof(*in->bits));
	if ((j = sj_decode(in, sp, where)) == NULL)
		return -1;
	rc = slots_json(in, j, where, off);
	json_decref(j);
	return rc;
}

/* Only the listed keys may appear in an object. */
static int
known_keys(struct input *in, json_t *o, const char *where,
    const char *const *keys)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, k, v) {
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (keys[i] == NULL)
			return sj_fail(in,
			    "%s: unknown field \"%s\"", where, k);
	}
	return 0;
}

/* Optional non-negative integer field; def if absent. */
static int
opt_uint(struct input *in, json_t *o, const char *key, const char *where,
    long long def, long long max, long long *out)
{
	json_t	*v = json_object_get(o, key);

	*out = def;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > max)
		return sj_fail(in,
		    "%s: \"%s\" must be an integer 0..%lld", where,
		    key, max);
	*out = json_integer_value(v);
	return 0;
}

static const char *
id_of(struct input *in, json_t *o, const char *where)
{
	json_t	*v;

	if (!json_is_object(o)) {
		sj_fail(in, "%s: expected an object", where);
		return NULL;
	}
	v = json_object_get(o, "id");
	if (!json_is_string(v) || json_string_length(v) == 0) {
		sj_fail(in, "%s: missing \"id\"", where);
		return NULL;
	}
	return json_string_value(v);
}

/*
 * What every coach, teacher and cycle begins with: an object, no unknown
 * keys, and an id new to names.  Returns the stored name (NULL after
 * sj_fail).
 */
static const char *
entity_id(struct input *in, json_t *o, const char *list, size_t i,
    const char *noun, const char *const *keys, struct names *names)
{
	const char	*id;
	char		 w[128];
	size_t		 k;

	snprintf(w, sizeof(w), "%s[%zu]", list, i);
	if ((id = id_of(in, o, w)) == NULL ||
	    known_keys(in, o, w, keys) == -1)
		return NULL;
	if ((k = sj_names_add(names, id)) == SIZE_MAX) {
		sj_fail(in, "%s \"%s\": duplicate id", noun, id);
		return NULL;
	}
	return names->name[k];
}

/*
 * A new bitmap filled from the entity's slot list key (empty when the
 * list is absent), as an offset into in->bits; SIZE_MAX after sj_fail.
 */
static size_t
slot_bitmap(struct input *in, const char *noun, const char *id,
    const char *key)
{
	char	w[128];
	size_t	off;

	if ((off = new_bitmap(in)) == SIZE_MAX) {
		sj_fail(in, "out of memory");
		return SIZE_MAX;
	}
	snprintf(w, sizeof(w), "%s \"%s\" %s", noun, id, key);
	if (slots_field(in, key, w, off) == -1)
		return SIZE_MAX;
	return off;
}


static int
coach_fn(struct input *in, json_t *o, size_t i)
{
	static const char *const keys[] = { "id", "available",
	    "max_sessions_per_day", "max_teachers_per_week",
	    "max_sessions_per_week", NULL };
	struct sched_coach	*c = &in->coaches[i];
	const char		*id;
	char			 w[128];
	long long		 v;
	size_t			 off;

	if ((id = entity_id(in, o, "coaches", i, "coach", keys,
	    &in->coach_ids)) == NULL)
		return -1;
	c->name = id;
	snprintf(w, sizeof(w), "coach \"%s\"", id);
	if (!has_list(in, "available"))
		return sj_fail(in, "%s: missing \"available\"", w);
	if ((off = slot_bitmap(in, "coach", id, "available")) == SIZE_MAX)
		return -1;
	c->available = in->bits + off;
	if (opt_uint(in, o, "max_sessions_per_day", w, 0, 64, &v) == -1)
		return -1;
	c->max_per_day = (int)v;
	if (opt_uint(in, o, "max_teachers_per_week", w, 5, 1000000, &v) == -1)
		return -1;
	c->max_teachers_per_week = (int)v;
	if (opt_uint(in, o, "max_sessions_per_week", w, 0, 1000000, &v) == -1)
		return -1;
	c->max_per_week = (int)v;
	return 0;
}

static int
teacher_fn(struct input *in, json_t *o, size_t i)
{
	static const char *const keys[] = { "id", "teaching", "free", NULL };
	struct sched_teacher	*t = &in->teachers[i];
	const char		*id;
	size_t			 ot, of;
	int			 d;

	if ((id = entity_id(in, o, "teachers", i, "teacher", keys,
	    &in->teacher_ids)) == NULL)
		return -1;
	t->name = id;
	if ((ot = slot_bitmap(in, "teacher", id, "teaching")) == SIZE_MAX ||
	    (of = slot_bitmap(in, "teacher", id, "free")) == SIZE_MAX)
		return -1;
	t->teaching = in->bits + ot;
	t->free = in->bits + of;
	for (d = 0; d < in->days; d++)
		if (in->bits[ot + (size_t)d] & in->bits[of + (size_t)d])
			return sj_fail(in,
			    "teacher \"%s\": day %d has a period "
			    "both teaching and free", id, d);
	return 0;
}

static size_t
ref(struct input *in, json_t *o, const char *key, const struct names *t,
    const char *where, int required)
{
	json_t	*v = json_object_get(o, key);
	size_t	 k;

	if (v == NULL && !required)
		return SIZE_MAX - 1;
	if (!json_is_string(v)) {
		sj_fail(in, "%s: missing \"%s\"", where, key);
		return SIZE_MAX;
	}
	if ((k = sj_names_find(t, json_string_value(v))) == SIZE_MAX)
		sj_fail(in, "%s: unknown %s \"%s\"", where, key,
		    json_string_value(v));
	return k;
}

static int
kind_index(const char *s)
{
	int	k;

	for (k = 0; k < SCHED_NKINDS; k++)
		if (strcmp(s, sched_kind_name(k)) == 0)
			return k;
	return -1;
}

static int
cycle_fn(struct input *in, json_t *o, size_t i)
{
	static const char *const keys[] = { "id", "coach", "teacher",
	    "observe_in", "prefer_observe_in", "debrief_within_days",
	    "priority", "kinds", NULL };
	struct sched_cycle	*c = &in->cycles[i];
	const char		*id;
	char			 w[128];
	json_t			*v;
	long long		 n;
	size_t			 k, off;
	int			 kind;

	if ((id = entity_id(in, o, "cycles", i, "cycle", keys,
	    &in->cycle_ids)) == NULL)
		return -1;
	c->name = id;
	snprintf(w, sizeof(w), "cycle \"%s\"", id);
	if ((k = ref(in, o, "coach", &in->coach_ids, w, 1)) == SIZE_MAX)
		return -1;
	c->coach = (int)k;
	if ((k = ref(in, o, "teacher", &in->teacher_ids, w, 1)) == SIZE_MAX)
		return -1;
	c->teacher = (int)k;
	if (has_list(in, "observe_in")) {
		if ((off = slot_bitmap(in, "cycle", id, "observe_in")) ==
		    SIZE_MAX)
			return -1;
		c->observe_in = in->bits + off;
	}
	if (has_list(in, "prefer_observe_in")) {
		if ((off = slot_bitmap(in, "cycle", id,
		    "prefer_observe_in")) == SIZE_MAX)
			return -1;
		c->prefer_in = in->bits + off;
	}
	if (opt_uint(in, o, "debrief_within_days", w, 2, SCHED_MAX_DAYS,
	    &n) == -1)
		return -1;
	c->debrief_within_days = (int)n;
	if (opt_uint(in, o, "priority", w, 0, 1000000, &n) == -1)
		return -1;
	c->priority = (int)n;
	for (kind = 0; kind < SCHED_NKINDS; kind++)
		c->prev[kind].day = c->prev[kind].period = -1;
	if ((v = json_object_get(o, "kinds")) == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return sj_fail(in, "%s: \"kinds\" must be a non-empty list", w);
	for (k = 0; k < json_array_size(v); k++) {
		json_t *s = json_array_get(v, k);

		if (!json_is_string(s) ||
		    (kind = kind_index(json_string_value(s))) < 0)
			return sj_fail(in, "%s: kinds[%zu] must be meeting, "
			    "observation or debrief", w, k);
		if (c->kinds & SCHED_T_KIND(kind))
			return sj_fail(in, "%s: kinds[%zu] repeated", w, k);
		c->kinds |= SCHED_T_KIND(kind);
	}
	return 0;
}

/* A published session: same shape as an output session. */
static int
published_fn(struct input *in, json_t *o, size_t i)
{
	static const char *const keys[] = { "cycle", "kind", "day", "period",
	    NULL };
	struct sched_cycle	*c;
	char			 w[64];
	json_t			*v;
	size_t			 k;
	int			 kind, d, p;

	snprintf(w, sizeof(w), "published[%zu]", i);
	if (!json_is_object(o))
		return sj_fail(in, "%s: expected an object", w);
	if (known_keys(in, o, w, keys) == -1)
		return -1;
	if ((k = ref(in, o, "cycle", &in->cycle_ids, w, 1)) == SIZE_MAX)
		return -1;
	c = &in->cycles[k];
	v = json_object_get(o, "kind");
	if (!json_is_string(v) || (kind = kind_index(json_string_value(v))) < 0)
		return sj_fail(in,
		    "%s: \"kind\" must be meeting, observation or "
		    "debrief", w);
	if (slot_fields(in, o, w, &d, &p) == -1)
		return -1;
	if (c->prev[kind].day >= 0)
		return sj_fail(in,
		    "%s: cycle \"%s\" has its %s published twice",
		    w, c->name, sched_kind_name(kind));
	c->has_prev = 1;
	c->prev[kind].day = d;
	c->prev[kind].period = p;
	return 0;
}

/* A fixed session (confirmed elsewhere, or a duty): never moved. */
static int
fixed_fn(struct input *in, json_t *o, size_t i)
{
	static const char *const keys[] = { "coach", "teacher", "day",
	    "period", NULL };
	struct sched_fixed	*f = &in->fixed[i];
	char			 w[64];
	size_t			 k;
	int			 d, p;

	snprintf(w, sizeof(w), "fixed[%zu]", i);
	if (!json_is_object(o))
		return sj_fail(in, "%s: expected an object", w);
	if (known_keys(in, o, w, keys) == -1)
		return -1;
	if ((k = ref(in, o, "coach", &in->coach_ids, w, 0)) == SIZE_MAX)
		return -1;
	f->coach = k == SIZE_MAX - 1 ? -1 : (int)k;
	if ((k = ref(in, o, "teacher", &in->teacher_ids, w, 0)) == SIZE_MAX)
		return -1;
	f->teacher = k == SIZE_MAX - 1 ? -1 : (int)k;
	if (f->coach < 0 && f->teacher < 0)
		return sj_fail(in, "%s: needs a \"coach\" or a \"teacher\"", w);
	if (slot_fields(in, o, w, &d, &p) == -1)
		return -1;
	f->day = d;
	f->period = p;
	return 0;
}

/* days, periods, seed, iterations: the small fields. */
static int
read_scalars(struct input *in, const struct top *top)
{
	json_t		*j;
	size_t		 i;
	int		 rc = -1;

	if (top->days.end == 0 || top->periods.end == 0)
		return sj_fail(in, "\"days\" and \"periods\" are required");
	if ((j = sj_decode(in, top->days, "days")) == NULL)
		return -1;
	if (!json_is_integer(j) || json_integer_value(j) < 1 ||
	    json_integer_value(j) > SCHED_MAX_DAYS) {
		json_decref(j);
		return sj_fail(in, "days: must be an integer 1..%d",
		    SCHED_MAX_DAYS);
	}
	in->days = (int)json_integer_value(j);
	json_decref(j);
	if ((j = sj_decode(in, top->periods, "periods")) == NULL)
		return -1;
	if (!json_is_array(j) || json_array_size(j) < 1 ||
	    json_array_size(j) > SCHED_MAX_PERIODS) {
		sj_fail(in, "periods: must be a list of 1..%d names",
		    SCHED_MAX_PERIODS);
		goto out;
	}
	for (i = 0; i < json_array_size(j); i++) {
		json_t *s = json_array_get(j, i);

		if (!json_is_string(s) || json_string_length(s) == 0) {
			sj_fail(in, "periods[%zu]: must be a name", i);
			goto out;
		}
		if (period_index(in, json_string_value(s)) >= 0) {
			sj_fail(in, "periods[%zu]: duplicate \"%s\"", i,
			    json_string_value(s));
			goto out;
		}
		if ((in->period[i] = strdup(json_string_value(s))) == NULL) {
			sj_fail(in, "out of memory");
			goto out;
		}
		in->n_periods = (int)i + 1;
	}
	rc = 0;
out:
	json_decref(j);
	return rc;
}

static int
read_u64(struct input *in, struct span sp, const char *what, uint64_t *out)
{
	json_t	*j;

	*out = 0;
	if (sp.end == 0)
		return 0;
	if ((j = sj_decode(in, sp, what)) == NULL)
		return -1;
	if (!json_is_integer(j) || json_integer_value(j) < 0) {
		json_decref(j);
		return sj_fail(in, "%s: must be a non-negative integer", what);
	}
	*out = (uint64_t)json_integer_value(j);
	json_decref(j);
	return 0;
}

/* Parse the whole instance into in and the problem p. */
int
solve_sched_read_input(struct input *in, struct sched_problem *p)
{
	struct top	top;
	long		nc, nt, ny, npub, nf;

	if (sj_scan_top(in, &top) == -1 || read_scalars(in, &top) == -1 ||
	    read_u64(in, top.seed, "seed", &in->seed) == -1 ||
	    read_u64(in, top.iterations, "iterations", &in->iterations) == -1)
		return -1;
	if ((nc = sj_each(in, top.coaches, "coaches", NULL)) < 0 ||
	    (nt = sj_each(in, top.teachers, "teachers", NULL)) < 0 ||
	    (ny = sj_each(in, top.cycles, "cycles", NULL)) < 0 ||
	    (npub = sj_each(in, top.published, "published", NULL)) < 0 ||
	    (nf = sj_each(in, top.fixed, "fixed", NULL)) < 0)
		return -1;
	/* Bitmaps never move once handed out: reserve them all now. */
	in->capbits = ((size_t)nc + 2 * (size_t)nt + 2 * (size_t)ny + 1) *
	    (size_t)in->days;
	in->bits = malloc(in->capbits * sizeof(*in->bits));
	in->coaches = calloc((size_t)nc + 1, sizeof(*in->coaches));
	in->teachers = calloc((size_t)nt + 1, sizeof(*in->teachers));
	in->cycles = calloc((size_t)ny + 1, sizeof(*in->cycles));
	in->fixed = calloc((size_t)nf + 1, sizeof(*in->fixed));
	if (in->bits == NULL || in->coaches == NULL || in->teachers == NULL ||
	    in->cycles == NULL || in->fixed == NULL ||
	    sj_names_init(&in->coach_ids, (size_t)nc) == -1 ||
	    sj_names_init(&in->teacher_ids, (size_t)nt) == -1 ||
	    sj_names_init(&in->cycle_ids, (size_t)ny) == -1)
		return sj_fail(in, "out of memory");
	in->n_fixed = (size_t)nf;
	if (sj_each(in, top.coaches, "coaches", coach_fn) < 0 ||
	    sj_each(in, top.teachers, "teachers", teacher_fn) < 0 ||
	    sj_each(in, top.cycles, "cycles", cycle_fn) < 0 ||
	    sj_each(in, top.published, "published", published_fn) < 0 ||
	    sj_each(in, top.fixed, "fixed", fixed_fn) < 0)
		return -1;
	memset(p, 0, sizeof(*p));
	p->days = in->days;
	p->n_periods = in->n_periods;
	p->period_names = (const char * const *)in->period;
	p->coaches = in->coaches;
	p->n_coaches = (size_t)nc;
	p->teachers = in->teachers;
	p->n_teachers = (size_t)nt;
	p->cycles = in->cycles;
	p->n_cycles = (size_t)ny;
	p->fixed = in->fixed;
	p->n_fixed = in->n_fixed;
	p->seed = in->seed;
	p->iterations = in->iterations;
	return 0;
}

void
solve_sched_input_free(struct input *in)
{
	int	i;

	for (i = 0; i < in->n_periods; i++)
		free(in->period[i]);
	sj_names_free(&in->coach_ids);
	sj_names_free(&in->teacher_ids);
	sj_names_free(&in->cycle_ids);
	free(in->coaches);
	free(in->teachers);
	free(in->cycles);
	free(in->fixed);
	free(in->bits);
}
