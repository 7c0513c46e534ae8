/*
 * auth: who is calling.  Tokens are random secrets shown once; only their
 * SHA-256 is stored.  A connection authenticates with its first request
 * (hello) by token or by a client certificate whose CN names a user.
 */
#ifndef AUTH_H
#define AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "coachd.pb-c.h"

struct store;

struct principal {
	char			user[128];
	Coachd__V1__Role	role;
	char			display_name[256];
};

#define AUTH_TOKEN_BYTES	32	/* 256 bits of randomness */
#define AUTH_TOKEN_ID_BYTES	8

/*
 * Make a new secret token (printable, "cd1_" + base64url) and its public id;
 * hash receives SHA-256 of the secret.  Returns 0 or -1 with err filled.
 */
int	auth_token_new(char *token, size_t tokenlen, char *token_id,
	    size_t idlen, unsigned char hash[32], char *err, size_t errlen);
/* SHA-256 of a token string. */
void	auth_token_hash(const char *token, unsigned char hash[32]);
/* Resolve a presented token; 0 and *who filled, or -1 with err. */
int	auth_by_token(struct store *, const char *token, struct principal *who,
	    char *err, size_t errlen);
/* Resolve a verified client certificate's CN; 0 or -1 with err. */
int	auth_by_cert_cn(struct store *, const char *cn, struct principal *who,
	    char *err, size_t errlen);
/* Role bit for the rpc table. */
#define AUTH_ROLE_BIT(r)	(1u << (r))
#define AUTH_ADMIN	AUTH_ROLE_BIT(COACHD__V1__ROLE__ADMIN)
#define AUTH_COACH	AUTH_ROLE_BIT(COACHD__V1__ROLE__COACH)
#define AUTH_TEACHER	AUTH_ROLE_BIT(COACHD__V1__ROLE__TEACHER)
#define AUTH_ANY	(AUTH_ADMIN | AUTH_COACH | AUTH_TEACHER)

/* Data-dependent checks used by handlers. */
int	auth_is_admin(const struct principal *);
/* True when the caller is that teacher, a coach, or an admin. */
int	auth_may_act_for_teacher(const struct principal *, const char *teacher);

#endif
