/*
 * change: change sets and the commit hook registry (see change.h).
 */
#include <stdio.h>
#include <string.h>

#include "change.h"

void
change_init(struct change_set *cs)
{
	/* Only the counts and flags: the lists are read up to the counts. */
	cs->ntouched = cs->nroster = 0;
	cs->all = cs->tokens = cs->any = 0;
}

int
change_ref_add(struct change_ref *v, size_t *n, size_t max,
    enum store_feed_kind kind, const char *id)
{
	size_t	i;

	if (id == NULL || id[0] == '\0')
		return 0;
	for (i = 0; i < *n; i++)
		if (v[i].kind == kind && strcmp(v[i].id, id) == 0)
			return 0;
	if (*n == max || strlen(id) >= sizeof(v[0].id))
		return -1;
	v[*n].kind = kind;
	snprintf(v[*n].id, sizeof(v[0].id), "%s", id);
	(*n)++;
	return 0;
}

/* Add to one of the set's lists; one that overflows means 'everything'. */
static void
add_ref(struct change_set *cs, struct change_ref *v, size_t *n,
    enum store_feed_kind kind, const char *id)
{
	if (!cs->all && change_ref_add(v, n, CHANGE_MAX, kind, id) == -1)
		cs->all = 1;
}

void
change_touch(struct change_set *cs, const char *coach, const char *teacher,
    const char *school)
{
	cs->any = 1;
	add_ref(cs, cs->touched, &cs->ntouched, STORE_FEED_COACH, coach);
	add_ref(cs, cs->touched, &cs->ntouched, STORE_FEED_TEACHER, teacher);
	add_ref(cs, cs->touched, &cs->ntouched, STORE_FEED_SCHOOL, school);
}

void
change_touch_roster(struct change_set *cs, enum store_feed_kind kind,
    const char *id)
{
	cs->any = 1;
	add_ref(cs, cs->roster, &cs->nroster, kind, id);
}

void
change_touch_all(struct change_set *cs)
{
	cs->any = 1;
	cs->all = 1;
}

void
change_tokens(struct change_set *cs)
{
	cs->any = 1;
	cs->tokens = 1;
}

int
change_hook_add(struct change_hooks *h, change_hook fn, void *arg)
{
	if (h->n == CHANGE_HOOKS_MAX)
		return -1;
	h->v[h->n].fn = fn;
	h->v[h->n].arg = arg;
	h->n++;
	return 0;
}

void
change_hook_clear(struct change_hooks *h)
{
	h->n = 0;
}

void
change_commit(const struct change_hooks *h, struct change_set *cs)
{
	size_t	i;

	if (cs->any)
		for (i = 0; i < h->n; i++)
			h->v[i].fn(cs, h->v[i].arg);
	change_init(cs);
}
