/*
 * auth: turning a presented secret or certificate into a principal.
 * Tokens carry 256 random bits and only their SHA-256 is stored, so the
 * database is searched by hash: how long a lookup takes can tell an
 * attacker at most about hashes of secrets nobody can guess.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "auth.h"
#include "errmsg.h"
#include "store.h"

/* RFC 4648 base64url without padding. */
static void
b64url(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t		i, o = 0;
	uint32_t	v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
		out[o++] = tab[v & 63];
	}
	if (len - i == 1) {
		v = (uint32_t)in[i] << 16;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
	} else if (len - i == 2) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = tab[v >> 6 & 63];
	}
	out[o] = '\0';
}

void
auth_token_hash(const char *token, unsigned char hash[32])
{
	unsigned int	len = 32;

	EVP_Digest(token, strlen(token), hash, &len, EVP_sha256(), NULL);
}

int
auth_token_new(char *token, size_t tokenlen, char *token_id, size_t idlen,
    unsigned char hash[32], char *err, size_t errlen)
{
	unsigned char	secret[AUTH_TOKEN_BYTES], id[AUTH_TOKEN_ID_BYTES];
	char		enc[64];

	if (tokenlen < 4 + 44 || idlen < 3 + 12)
		return errmsg(err, errlen, "token buffer too small");
	if (RAND_bytes(secret, sizeof(secret)) != 1 ||
	    RAND_bytes(id, sizeof(id)) != 1)
		return errmsg(err, errlen, "no randomness available");
	b64url(secret, sizeof(secret), enc);
	snprintf(token, tokenlen, "cd1_%s", enc);
	b64url(id, sizeof(id), enc);
	snprintf(token_id, idlen, "tk_%s", enc);
	auth_token_hash(token, hash);
	OPENSSL_cleanse(secret, sizeof(secret));
	return 0;
}

/* The principal of a found user, unless the user is deactivated. */
static int
principal_set(struct principal *who, const struct store_user *u, char *err,
    size_t errlen)
{
	if (!u->active)
		return errmsg(err, errlen, "user '%s' is deactivated", u->user);
	snprintf(who->user, sizeof(who->user), "%s", u->user);
	who->role = u->role;
	snprintf(who->display_name, sizeof(who->display_name), "%s",
	    u->display_name[0] ? u->display_name : u->user);
	return 0;
}

int
auth_by_token(struct store *st, const char *token, struct principal *who,
    char *err, size_t errlen)
{
	unsigned char		hash[32];
	struct store_user	u;

	auth_token_hash(token, hash);
	if (store_token_find(st, hash, &u, err, errlen) != STORE_OK)
		return errmsg(err, errlen, "invalid or revoked token");
	return principal_set(who, &u, err, errlen);
}

int
auth_by_cert_cn(struct store *st, const char *cn, struct principal *who,
    char *err, size_t errlen)
{
	struct store_user	u;

	if (store_user_find(st, cn, &u, err, errlen) != STORE_OK)
		return errmsg(err, errlen, "certificate CN '%s' names no user",
		    cn);
	return principal_set(who, &u, err, errlen);
}

int
auth_is_admin(const struct principal *who)
{
	return who->role == COACHD__V1__ROLE__ADMIN;
}

int
auth_may_act_for_teacher(const struct principal *who, const char *teacher)
{
	if (who->role == COACHD__V1__ROLE__ADMIN ||
	    who->role == COACHD__V1__ROLE__COACH)
		return 1;
	return who->role == COACHD__V1__ROLE__TEACHER &&
	    strcmp(who->user, teacher) == 0;
}
