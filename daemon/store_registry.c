/*
 * store_registry.c: the schema modules coachd applies when it opens its
 * database.  Kept apart from store.c so that unit tests link the store with
 * only the modules they exercise (store_open_schemas()).
 */
#include "store.h"
#include "store_feed.h"
#include "store_sched.h"
#include "store_caps.h"

/*
 * Every module's schema.  Feature areas append their own here; the order
 * is the order of application, so a module may reference tables of the
 * modules listed before it.
 */
static const struct store_schema *const store_registry[] = {
	&store_roster_schema,
	&store_coaching_schema,
	&store_feed_schema,
	&store_trust_schema,	/* store.h: note rights, enrolment, epoch */
	&store_caps_schema,	/* store_caps.h */
	&store_sched_schema,	/* store_sched.h */
};

/* Open (creating if needed) and migrate every registered module. */
enum store_status
store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	return store_open_schemas(path, store_registry,
	    sizeof store_registry / sizeof store_registry[0], out, err, errlen);
}
