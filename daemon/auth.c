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

/*
 * A new secret of nbytes random bits, "<sprefix>_<base64url>", its public
 * id "<iprefix>_<base64url>" and the secret's SHA-256.  The
 * buffers must hold minlen and 3 + 12 characters; what names the secret
 * in the error.
 */
_Static_assert(AUTH_ENROL_BYTES <= AUTH_TOKEN_BYTES,
    "secret_new() holds every secret in AUTH_TOKEN_BYTES");

static int
secret_new(size_t nbytes, const char *sprefix, const char *iprefix,
    const char *what, size_t minlen, char *secret_out, size_t secretlen,
    char *id_out, size_t idlen, unsigned char hash[32], char *err,
    size_t errlen)
{
	unsigned char	secret[AUTH_TOKEN_BYTES], id[AUTH_TOKEN_ID_BYTES];
	char		enc[64];

	if (secretlen < minlen || idlen < 3 + 12)
		return errmsg(err, errlen, "%s buffer too small", what);
	if (RAND_bytes(secret, (int)nbytes) != 1 ||
	    RAND_bytes(id, sizeof(id)) != 1)
		return errmsg(err, errlen, "no randomness available");
	b64url(secret, nbytes, enc);
	snprintf(secret_out, secretlen, "%s_%s", sprefix, enc);
	b64url(id, sizeof(id), enc);
	snprintf(id_out, idlen, "%s_%s", iprefix, enc);
	auth_token_hash(secret_out, hash);
	OPENSSL_cleanse(secret, sizeof(secret));
	return 0;
}

int
auth_token_new(char *token, size_t tokenlen, char *token_id, size_t idlen,
    unsigned char hash[32], char *err, size_t errlen)
{
	return secret_new(AUTH_TOKEN_BYTES, "cd1", "tk", "token", 4 + 44,
	    token, tokenlen, token_id, idlen, hash, err, errlen);
}

/* The principal of a found user, unless the user is deactivated. */
static int
principal_set(struct principal *who, const struct store_user *u, char *err,
    size_t errlen)
{
	if (!u->active)
		return errmsg(err, errlen, "user '%s' is deactivated", u->user);
	who->note_rights = u->note_rights;
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
	if (store_auth_epoch(st, &who->epoch, err, errlen) != STORE_OK)
		return -1;
	if (store_token_find(st, hash, &u, err, errlen) != STORE_OK)
		return errmsg(err, errlen, "invalid or revoked token");
	who->by_cert = 0;
	memcpy(who->token_hash, hash, sizeof(hash));
	return principal_set(who, &u, err, errlen);
}

int
auth_by_cert_cn(struct store *st, const char *cn, struct principal *who,
    char *err, size_t errlen)
{
	struct store_user	u;
	enum store_status	ret;
	char			why[ERRMSG_LEN];

	if (store_auth_epoch(st, &who->epoch, err, errlen) != STORE_OK)
		return -1;
	if ((ret = store_user_find(st, cn, &u, why, sizeof(why))) ==
	    STORE_NOTFOUND)
		return errmsg(err, errlen, "certificate CN '%s' names no user",
		    cn);
	if (ret != STORE_OK)
		return errmsg(err, errlen, "certificate CN refused: %s", why);
	/*
	 * Whoever runs the CA can mint a certificate for any CN, and that may
	 * be an administrator: a certificate never carries note rights.
	 */
	u.note_rights = 0;
	who->by_cert = 1;
	snprintf(who->cn, sizeof(who->cn), "%s", cn);
	return principal_set(who, &u, err, errlen);
}

int
auth_recheck(struct store *st, struct principal *who, char *err,
    size_t errlen)
{
	struct store_user	u;
	enum store_status	ret;
	int64_t			epoch;
	char			why[ERRMSG_LEN];

	if (store_auth_epoch(st, &epoch, err, errlen) != STORE_OK)
		return -1;
	if (epoch == who->epoch)
		return 0;
	if (who->by_cert)
		ret = store_user_find(st, who->cn, &u, why, sizeof(why));
	else
		ret = store_token_find(st, who->token_hash, &u, why,
		    sizeof(why));
	if (ret == STORE_OK && who->by_cert)
		u.note_rights = 0;
	if (ret == STORE_OK && (!u.active || u.role != who->role ||
	    strcmp(u.user, who->user) != 0))
		ret = STORE_NOTFOUND;
	if (ret == STORE_ERROR)
		return errmsg(err, errlen, "cannot check credentials: %s", why);
	if (ret != STORE_OK)
		return errmsg(err, errlen, "the %s this connection authenticated "
		    "with is no longer valid (revoked, or user '%s' "
		    "deactivated); reconnect with a valid one",
		    who->by_cert ? "certificate" : "token", who->user);
	who->note_rights = u.note_rights;
	who->epoch = epoch;
	return 0;
}

int
auth_enrol_code_new(char *code, size_t codelen, char *id, size_t idlen,
    unsigned char hash[32], char *err, size_t errlen)
{
	return secret_new(AUTH_ENROL_BYTES, "en1", "en", "enrolment code",
	    4 + 32, code, codelen, id, idlen, hash, err, errlen);
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
