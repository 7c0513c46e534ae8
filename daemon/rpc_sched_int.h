/*
 * rpc_sched_int.h: what the scheduling files share (rpc_sched*.c): the
 * district calendar and the bell schedules loaded into memory
 * (rpc_sched_tt.c), and lookups of a period on a date.

 */
#ifndef RPC_SCHED_INT_H
#define RPC_SCHED_INT_H

#include <stddef.h>

#include "calendar.h"
#include "errmsg.h"
#include "rpc.h"


#define ROLE_IS(ctx, r)	((ctx)->who->role == COACHD__V1__ROLE__##r)

struct tt_bell {
	char	*school, *day_type, *period;
	int	 start, end;
};

struct tt_closure {
	int	 day;
	char	*school;
};

struct tt {
	struct calendar	 cal;
	int		*closures;
	size_t		 n_closures, cap_closures;
	struct tt_closure *sclos;	/* one school's closures */
	size_t		 n_sclos, cap_sclos;
	struct tt_bell	*b;
	size_t		 n, cap;
};

/* Calendar (config + closures table) and bells (of school, NULL = all). */
int	tt_load(struct rpc_ctx *, struct tt *, const char *school, char *err,
	    size_t errlen);
void	tt_free(struct tt *);
/* Whether a day_type ("*", "mon", "A") applies to school on day. */
int	tt_day_matches(const struct tt *, const char *school, int day,
	    const char *day_type);
/* Whether school has a closure of its own on day. */
int	tt_school_closed(const struct tt *, const char *school, int day);
/* The bell row of period at school on day (NULL if none, or the school
 * is closed that day). */
const struct tt_bell *tt_period(const struct tt *, const char *school,
	    int day, const char *period);
/* Today's date (day number) from the batch clock, in the district's
 * time zone (calendar_today). */
int	tt_today(const struct rpc_ctx *);

#endif
