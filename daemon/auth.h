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

/*
 * Who a connection is, and how it proved it: the presented credential is
 * kept (a token's hash, a certificate's CN) so that auth_recheck can ask
 * the store again once the auth epoch moves.
 */
struct principal {
	char			user[128];
	Coachd__V1__Role	role;
	char			display_name[256];
	int			note_rights;	/* may read confidential notes */
	int			by_cert;	/* 1: cn, 0: token_hash */
	unsigned char		token_hash[32];
	char			cn[256];
	int64_t			epoch;		/* auth epoch at last check */
};

#define AUTH_TOKEN_BYTES	32	/* 256 bits of randomness */
#define AUTH_TOKEN_ID_BYTES	8
#define AUTH_ENROL_BYTES	18	/* 144 bits: 24 characters to type */

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
/*
 * Before a request on an authenticated connection: when the store's auth
 * epoch moved since *who was checked (a token was revoked, a user
 * deactivated), resolve the credential again.  0 when it still names the
 * same user in the same role (note rights refreshed), -1 with err saying
 * why the connection must end.
 */
int	auth_recheck(struct store *, struct principal *who, char *err,
	    size_t errlen);
/*
 * A new one-time enrolment code ("en1_" + base64url) and its public id
 * ("en_..."); hash receives SHA-256 of the code.  0 or -1 with err.
 */
int	auth_enrol_code_new(char *code, size_t codelen, char *id, size_t idlen,
	    unsigned char hash[32], char *err, size_t errlen);
/* Role bit for the rpc table. */
#define AUTH_ROLE_BIT(r)	(1u << (r))
#define AUTH_ADMIN	AUTH_ROLE_BIT(COACHD__V1__ROLE__ADMIN)
#define AUTH_COACH	AUTH_ROLE_BIT(COACHD__V1__ROLE__COACH)
#define AUTH_TEACHER	AUTH_ROLE_BIT(COACHD__V1__ROLE__TEACHER)
#define AUTH_ANY	(AUTH_ADMIN | AUTH_COACH | AUTH_TEACHER)
/* Before hello, on a connection nobody has authenticated yet. */
#define AUTH_PREAUTH	AUTH_ROLE_BIT(COACHD__V1__ROLE__ROLE_UNSPECIFIED)
/*
 * Not a role: the operation touches confidential notes, so the caller's
 * credential must carry note rights (redeemed by its holder, never issued
 * by an administrator).
 */
#define AUTH_NOTES	(1u << 16)

/* Data-dependent checks used by handlers. */
int	auth_is_admin(const struct principal *);
/* True when the caller is that teacher, a coach, or an admin. */
int	auth_may_act_for_teacher(const struct principal *, const char *teacher);

#endif
