/*
 * addrtab: what the protocol port remembers per client address: how many
 * connections it has open (for the per-address cap) and its recent failed
 * logins (for the login backoff).  IPv4 addresses count one by one, IPv6
 * ones by /64, the block a single host or household usually gets; an
 * IPv4-mapped IPv6 address counts as its IPv4 address.
 *
 * Times are whole seconds of a monotonic clock, passed in by the caller,
 * so the table itself never reads a clock and tests can drive it.
 */
#ifndef ADDRTAB_H
#define ADDRTAB_H

#include <sys/socket.h>
#include <time.h>

struct addrtab;
struct addrtab_entry;

/* The login backoff: after `failures` failed logins, block for
 * `backoff` seconds, doubling with each further failure up to
 * `backoff_max`; failures are forgotten backoff_max after the last. */
struct addrtab_policy {
	int	failures;	/* 0: no backoff */
	long	backoff;
	long	backoff_max;
};

struct addrtab	*addrtab_new(void);
void		 addrtab_free(struct addrtab *);

/*
 * Count one more connection from sa's address into *out: 0, or -1 when
 * the address already has `cap` open (nothing is counted then).  Non-IP
 * addresses are not limited: 0 with *out NULL.
 */
int	addrtab_connect(struct addrtab *, const struct sockaddr *, int cap,
	    time_t now, struct addrtab_entry **out);
/* That connection closed (NULL is ignored). */
void	addrtab_disconnect(struct addrtab *, struct addrtab_entry *,
	    time_t now);
/* Seconds the address's logins are still refused for; 0: none. */
long	addrtab_blocked(const struct addrtab_entry *, time_t now);
/* Record a failed login; returns the block it starts (0: none yet). */
long	addrtab_failed(struct addrtab_entry *, const struct addrtab_policy *,
	    time_t now);
/* Failed logins remembered for the address. */
int	addrtab_failures(const struct addrtab_entry *);
/* Connections open from the address. */
int	addrtab_nconns(const struct addrtab_entry *);
/* "192.0.2.1", "2001:db8:1:2::/64": the address as counted. */
const char *addrtab_name(const struct addrtab_entry *);
/*
 * Rate limit for warnings about one address: 1 at most once a second
 * (then the number of messages suppressed since is in *suppressed).
 */
int	addrtab_may_log(struct addrtab_entry *, time_t now,
	    unsigned *suppressed);
/* Addresses remembered (tests, status). */
size_t	addrtab_count(const struct addrtab *);

#endif
