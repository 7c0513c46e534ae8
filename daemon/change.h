/*
 * change: what a batch of requests changed, recorded by handlers while
 * they run and handed to the commit hooks once the batch commits.  A
 * rolled-back batch's change set is discarded, so nothing derived from
 * the store (feeds) ever shows a change that did not happen.
 */
#ifndef CHANGE_H
#define CHANGE_H

#include <stddef.h>

#include "store.h"
#include "store_feed.h"

#define CHANGE_MAX	256	/* more entries: treat as 'everything' */

struct change_ref {
	enum store_feed_kind	kind;
	char			id[STORE_ID_MAX + 1];
};

struct change_set {
	struct change_ref	touched[CHANGE_MAX];	/* sessions of these */
	size_t			ntouched;
	struct change_ref	roster[CHANGE_MAX];	/* renamed records */
	size_t			nroster;
	int			all;		/* everything may differ */
	int			tokens;		/* feed tokens issued/revoked */
	int			any;		/* something was recorded */
};

/*
 * Add (kind, id) to the list v of *n entries (room for max) unless it is
 * there already; NULL or "" adds nothing.  Returns -1 when it does not fit
 * (list full, id too long): the caller then treats everything as changed.
 */
int	change_ref_add(struct change_ref *v, size_t *n, size_t max,
	    enum store_feed_kind, const char *id);

/* Called after a commit; the set is borrowed for the call only. */
typedef void (*change_hook)(const struct change_set *, void *arg);

#define CHANGE_HOOKS_MAX	8

/* The hooks run after every commit; owned by the daemon, filled at start. */
struct change_hooks {
	struct {
		change_hook	 fn;
		void		*arg;	/* borrowed from whoever registered */
	}			 v[CHANGE_HOOKS_MAX];
	size_t			 n;
};

void	change_init(struct change_set *);
/* Sessions of this coach, teacher and/or school changed (NULL = none). */
void	change_touch(struct change_set *, const char *coach,
	    const char *teacher, const char *school);
/* A roster record (name, e-mail) changed: its feeds and its sessions'. */
void	change_touch_roster(struct change_set *, enum store_feed_kind,
	    const char *id);
/* Roster records changed wholesale (an import). */
void	change_touch_all(struct change_set *);
/* Feed tokens were issued or revoked. */
void	change_tokens(struct change_set *);

/* Register a hook run after every commit that changed something. */
int	change_hook_add(struct change_hooks *, change_hook, void *arg);
/* Forget every hook (teardown, before their args are freed). */
void	change_hook_clear(struct change_hooks *);
/* Run the hooks with a committed batch's set, then reset it. */
void	change_commit(const struct change_hooks *, struct change_set *);

#endif
