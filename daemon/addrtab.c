/*
 * addrtab: per-address connection counts and failed-login records for the
 * protocol port (addrtab.h says what is counted and how).
 *
 * A chained hash table with a random seed, so a client cannot pick
 * addresses that all land in one chain.  A record lives while its address
 * has a connection open or a failed login not yet forgotten; records that
 * only wait to be forgotten are swept a bucket at a time, one bucket per
 * new connection, so memory follows the addresses actually seen without a
 * timer of its own.
 */

#include <sys/random.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrtab.h"
#include "xmalloc.h"

#define ADDRTAB_BUCKETS	4096		/* power of two */
#define ADDRTAB_KEYLEN	17		/* family + 16 address bytes */
#define ADDRTAB_SHIFT	30		/* doubling stops well before overflow */

struct addrtab_entry {
	struct addrtab_entry	*next;
	unsigned char		 key[ADDRTAB_KEYLEN];
	char			 name[INET6_ADDRSTRLEN + 4];
	int			 nconns;
	int			 failures;
	time_t			 blocked_until;
	time_t			 forget_at;	/* of the failures */
	time_t			 last_log;
	unsigned		 suppressed;	/* warnings since last_log */
};

struct addrtab {
	struct addrtab_entry	*buckets[ADDRTAB_BUCKETS];
	uint64_t		 seed;
	size_t			 count;
	size_t			 sweep;		/* next bucket to sweep */
};

struct addrtab *
addrtab_new(void)
{
	struct addrtab	*t = xcalloc(1, sizeof(*t));

	/* Without randomness the table still works, only less evenly. */
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(t->seed))
		t->seed = (uint64_t)(uintptr_t)t ^ 0x9e3779b97f4a7c15ULL;
	return t;
}

void
addrtab_free(struct addrtab *t)
{
	struct addrtab_entry	*e, *next;
	size_t			 i;

	if (t == NULL)
		return;
	for (i = 0; i < ADDRTAB_BUCKETS; i++)
		for (e = t->buckets[i]; e != NULL; e = next) {
			next = e->next;
			free(e);
		}
	free(t);
}

/* The key and printable name of sa's address group; -1 if not IP. */
static int
make_key(const struct sockaddr *sa, unsigned char key[ADDRTAB_KEYLEN],
    char *name, size_t namelen)
{
	const struct sockaddr_in	*in;
	const struct sockaddr_in6	*in6;
	struct in6_addr			 a6;
	char				 host[INET6_ADDRSTRLEN];

	memset(key, 0, ADDRTAB_KEYLEN);
	if (sa->sa_family == AF_INET6) {
		in6 = (const void *)sa;
		if (!IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			a6 = in6->sin6_addr;
			memset(a6.s6_addr + 8, 0, 8);	/* the /64 */
			key[0] = 6;
			memcpy(key + 1, a6.s6_addr, 16);
			inet_ntop(AF_INET6, &a6, host, sizeof(host));
			snprintf(name, namelen, "%s/64", host);
			return 0;
		}
		key[0] = 4;
		memcpy(key + 1, in6->sin6_addr.s6_addr + 12, 4);
	} else if (sa->sa_family == AF_INET) {
		in = (const void *)sa;
		key[0] = 4;
		memcpy(key + 1, &in->sin_addr, 4);
	} else
		return -1;
	inet_ntop(AF_INET, key + 1, name, (socklen_t)namelen);
	return 0;
}

/* FNV-1a over the seed and the key. */
static size_t
bucket_of(const struct addrtab *t, const unsigned char *key)
{
	uint64_t	h = 0xcbf29ce484222325ULL ^ t->seed;
	size_t		i;

	for (i = 0; i < ADDRTAB_KEYLEN; i++) {
		h ^= key[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 29;
	return (size_t)(h & (ADDRTAB_BUCKETS - 1));
}

/* Nothing left to remember about e? */
static int
idle(const struct addrtab_entry *e, time_t now)
{
	return e->nconns == 0 && (e->failures == 0 || now >= e->forget_at);
}

/* Free the idle records of one bucket. */
static void
sweep_bucket(struct addrtab *t, size_t b, time_t now)
{
	struct addrtab_entry	**pp = &t->buckets[b], *e;

	while ((e = *pp) != NULL) {
		if (idle(e, now)) {
			*pp = e->next;
			free(e);
			t->count--;
		} else
			pp = &e->next;
	}
}

int
addrtab_connect(struct addrtab *t, const struct sockaddr *sa, int cap,
    time_t now, struct addrtab_entry **out)
{
	struct addrtab_entry	*e;
	unsigned char		 key[ADDRTAB_KEYLEN];
	char			 name[sizeof(e->name)];
	size_t			 b;

	*out = NULL;
	if (make_key(sa, key, name, sizeof(name)) == -1)
		return 0;
	sweep_bucket(t, t->sweep, now);
	t->sweep = (t->sweep + 1) & (ADDRTAB_BUCKETS - 1);
	b = bucket_of(t, key);
	for (e = t->buckets[b]; e != NULL; e = e->next)
		if (memcmp(e->key, key, sizeof(key)) == 0)
			break;
	if (e == NULL) {
		e = xcalloc(1, sizeof(*e));
		memcpy(e->key, key, sizeof(key));
		memcpy(e->name, name, sizeof(name));
		e->next = t->buckets[b];
		t->buckets[b] = e;
		t->count++;
	}
	*out = e;
	if (e->nconns >= cap)
		return -1;
	e->nconns++;
	return 0;
}

void
addrtab_disconnect(struct addrtab *t, struct addrtab_entry *e, time_t now)
{
	if (e == NULL)
		return;
	if (e->nconns > 0)
		e->nconns--;
	if (idle(e, now))
		sweep_bucket(t, bucket_of(t, e->key), now);
}

long
addrtab_blocked(const struct addrtab_entry *e, time_t now)
{
	if (e == NULL || e->blocked_until <= now)
		return 0;
	return (long)(e->blocked_until - now);
}

long
addrtab_failed(struct addrtab_entry *e, const struct addrtab_policy *p,
    time_t now)
{
	long	delay;
	int	shift;

	if (e == NULL)
		return 0;
	if (e->failures > 0 && now >= e->forget_at)
		e->failures = 0;
	e->failures++;
	e->forget_at = now + p->backoff_max;
	if (p->failures <= 0 || e->failures < p->failures)
		return 0;
	shift = e->failures - p->failures;
	if (shift > ADDRTAB_SHIFT)
		shift = ADDRTAB_SHIFT;
	delay = p->backoff << shift;
	if (delay > p->backoff_max || delay <= 0)
		delay = p->backoff_max;
	e->blocked_until = now + delay;
	return delay;
}

int
addrtab_failures(const struct addrtab_entry *e)
{
	return e != NULL ? e->failures : 0;
}

int
addrtab_nconns(const struct addrtab_entry *e)
{
	return e != NULL ? e->nconns : 0;
}

const char *
addrtab_name(const struct addrtab_entry *e)
{
	return e != NULL ? e->name : "-";
}

int
addrtab_may_log(struct addrtab_entry *e, time_t now, unsigned *suppressed)
{
	*suppressed = 0;
	if (e == NULL)
		return 1;
	if (e->last_log == now) {
		e->suppressed++;
		return 0;
	}
	*suppressed = e->suppressed;
	e->suppressed = 0;
	e->last_log = now;
	return 1;
}

size_t
addrtab_count(const struct addrtab *t)
{
	return t->count;
}
