/*
 * rpc_caps_int: what the time-caps handler files (rpc_caps.c,
 * rpc_caps_log.c, rpc_caps_admin.c, rpc_caps_report.c) share.  Not for
 * other areas: they use rpc_caps.h.  All of it lives in rpc_caps.c.
 */
#ifndef RPC_CAPS_INT_H
#define RPC_CAPS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "caps.h"
#include "errmsg.h"
#include "fmt.h"
#include "log.h"
#include "rpc.h"
#include "rpc_caps.h"
#include "store.h"
#include "store_caps.h"
#include "xmalloc.h"



/* Append to a repeated message field. */
#define RC_PUSH(arr, n, item) do {					\
	(arr) = xreallocarray((arr), (n) + 1, sizeof *(arr));		\
	(arr)[(n)++] = (item);						\
} while (0)

/*
 * Whose caps (caps_who plus the storage behind it): the school the time
 * was for when known, else every school the coach serves, so a coach
 * working in several schools gets the strictest of their caps.
 */
struct rc_who {
	struct caps_who	  who;
	char		**schools;
	size_t		  n;
};

/* The categories file alone (no runtime overrides); its base name. */
int		 rc_file_policy(const struct rpc_ctx *ctx,
		    struct caps_policy *out, char *err, size_t errlen);
const char	*rc_file_name(const struct rpc_ctx *ctx);

/* "district", "school", "coach"; *ok 0 for anything else. */
enum caps_scope	 rc_scope(const char *s, int *ok);
/* The district's local date of ctx->now, as a day number. */
int32_t		 rc_today(const struct rpc_ctx *ctx);
/* Parse a date argument ("" = today); fails resp on a bad date. */
int		 rc_date(const struct rpc_ctx *ctx, const char *s,
		    int32_t *day, Coachd__V1__Response *resp);
/* Whose time (a coach: own; an admin: named); fills coach and school. */
int		 rc_coach(struct rpc_ctx *ctx, const char *given,
		    const char *what, char *coach, size_t len, char *school,
		    size_t slen, Coachd__V1__Response *resp);
/* The policy in force (file + runtime caps); fails resp. */
int		 rc_policy(struct rpc_ctx *ctx, struct caps_policy *p,
		    Coachd__V1__Response *resp);
/* Record a runtime change or override in caps_audit; fails resp. */
int		 rc_audit(struct rpc_ctx *ctx, Coachd__V1__Response *resp,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Fill rw for coach: school when given, else all the coach's schools. */
enum store_status rc_who_load(struct store *st, const char *coach,
		    const char *school, struct rc_who *rw, char *err,
		    size_t errlen);
void		 rc_who_free(struct rc_who *rw);
/* Entries of known categories only (borrowing copy; caller frees). */
struct caps_entry *rc_known(const struct caps_policy *p,
		    const struct store_caps_entries *e, size_t *n);
/* A coach's working minutes per week: their own, else the policy's. */
long		 rc_working(struct store *st, const struct caps_policy *p,
		    const char *coach);
/* The window of day: its week, its term (if any), working time. */
void		 rc_window(const struct caps_policy *p, int32_t day,
		    long working, struct caps_window *w);
/* Entries in [from, to] plus w's whole term; or just w's week (+term). */
enum store_status rc_span_entries(struct store *st, const char *coach,
		    int32_t from, int32_t to, const struct caps_window *w,
		    int32_t today, struct store_caps_entries *out, char *err,
		    size_t errlen);
enum store_status rc_entries(struct store *st, const char *coach,
		    const struct caps_window *w, int32_t today,
		    struct store_caps_entries *out, char *err, size_t errlen);
/* Refuse future days and, for coaches, days outside the edit window. */
int		 rc_check_window(struct rpc_ctx *ctx, int32_t day,
		    int32_t today, const char *what,
		    Coachd__V1__Response *resp);

#endif
