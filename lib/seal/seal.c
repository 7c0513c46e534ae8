/*
 * seal.c: AES-256-GCM through OpenSSL's EVP interface; see seal.h for
 * the format.  A fresh random 96-bit nonce per value: with at most a few
 * million notes per key the chance of a repeat stays far below the 2^-32
 * that NIST SP 800-38D allows for random nonces.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "errmsg.h"
#include "seal.h"
#include "xmalloc.h"

#define SEAL_MAGIC	'S'
#define SEAL_ID_LABEL	"coachd seal key id v1"

/* The key id: SHA-256 of a label and the key, first SEAL_ID_LEN bytes. */
static int
seal_key_derive_id(struct seal_key *k, char *err, size_t errlen)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0;
	EVP_MD_CTX	*c;
	int		 ok;

	if ((c = EVP_MD_CTX_new()) == NULL)
		return errmsg(err, errlen, "note key: out of memory");
	ok = EVP_DigestInit_ex(c, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(c, SEAL_ID_LABEL, sizeof(SEAL_ID_LABEL)) == 1 &&
	    EVP_DigestUpdate(c, k->key, SEAL_KEY_LEN) == 1 &&
	    EVP_DigestFinal_ex(c, md, &mdlen) == 1 && mdlen >= SEAL_ID_LEN;
	EVP_MD_CTX_free(c);
	if (!ok)
		return errmsg(err, errlen, "note key: SHA-256 failed");
	memcpy(k->id, md, SEAL_ID_LEN);
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 64 hex digits then only whitespace: 0 with key filled, else -1. */
static int
seal_key_from_hex(struct seal_key *k, const unsigned char *b, size_t len)
{
	size_t	i;
	int	hi, lo;

	if (len < 2 * SEAL_KEY_LEN)
		return -1;
	for (i = 2 * SEAL_KEY_LEN; i < len; i++) {
		if (!isspace(b[i]))
			return -1;
	}
	for (i = 0; i < SEAL_KEY_LEN; i++) {
		if ((hi = hexval(b[2 * i])) < 0 ||
		    (lo = hexval(b[2 * i + 1])) < 0)
			return -1;
		k->key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int
seal_key_parse(struct seal_key *k, const void *buf, size_t len, char *err,
    size_t errlen)
{
	memset(k, 0, sizeof(*k));
	if (len == SEAL_KEY_LEN)
		memcpy(k->key, buf, SEAL_KEY_LEN);
	else if (seal_key_from_hex(k, buf, len) == -1) {
		seal_key_clear(k);
		return errmsg(err, errlen, "not a note key: want 32 raw bytes "
		    "or 64 hex digits (e.g. from `openssl rand -hex 32`), "
		    "found %zu bytes", len);
	}
	return seal_key_derive_id(k, err, errlen);
}

int
seal_key_generate(struct seal_key *k, char hex[2 * SEAL_KEY_LEN + 1],
    char *err, size_t errlen)
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	memset(k, 0, sizeof(*k));
	if (RAND_bytes(k->key, SEAL_KEY_LEN) != 1)
		return errmsg(err, errlen, "note key: no random bytes");
	for (i = 0; i < SEAL_KEY_LEN; i++) {
		hex[2 * i] = digits[k->key[i] >> 4];
		hex[2 * i + 1] = digits[k->key[i] & 0xf];
	}
	hex[2 * SEAL_KEY_LEN] = '\0';
	return seal_key_derive_id(k, err, errlen);
}

void
seal_key_id_hex(const struct seal_key *k, char out[SEAL_ID_HEX])
{
	static const char	digits[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < SEAL_ID_LEN; i++) {
		out[2 * i] = digits[k->id[i] >> 4];
		out[2 * i + 1] = digits[k->id[i] & 0xf];
	}
	out[2 * SEAL_ID_LEN] = '\0';
}

void
seal_key_clear(struct seal_key *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

/* One GCM pass: enc 1 seals in -> out and writes tag, 0 checks tag. */
static int
seal_gcm(int enc, const struct seal_key *k, const unsigned char *nonce,
    const void *aad, size_t aadlen, const unsigned char *in, size_t len,
    unsigned char *out, unsigned char *tag)
{
	EVP_CIPHER_CTX	*c;
	int		 n, ok = 0;

	if (len > (size_t)INT32_MAX || aadlen > (size_t)INT32_MAX)
		return 0;
	if ((c = EVP_CIPHER_CTX_new()) == NULL)
		return 0;
	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL,
	    enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, SEAL_NONCE_LEN,
	    NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, k->key, nonce, enc) != 1)
		goto out;
	if (aadlen > 0 && EVP_CipherUpdate(c, NULL, &n, aad,
	    (int)aadlen) != 1)
		goto out;
	if (len > 0 && EVP_CipherUpdate(c, out, &n, in, (int)len) != 1)
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN,
	    tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(c, out + len, &n) != 1)
		goto out;
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN,
	    tag) != 1)
		goto out;
	ok = 1;
out:
	EVP_CIPHER_CTX_free(c);
	return ok;
}

int
seal_encrypt(const struct seal_key *k, const void *aad, size_t aadlen,
    const void *pt, size_t ptlen, unsigned char **out, size_t *outlen,
    char *err, size_t errlen)
{
	unsigned char	*b, *nonce;
	size_t		 n = ptlen + SEAL_OVERHEAD;

	*out = NULL;
	b = xmalloc(n);
	b[0] = SEAL_MAGIC;
	memcpy(b + 1, k->id, SEAL_ID_LEN);
	nonce = b + 1 + SEAL_ID_LEN;
	if (RAND_bytes(nonce, SEAL_NONCE_LEN) != 1 ||
	    !seal_gcm(1, k, nonce, aad, aadlen, pt, ptlen,
	    nonce + SEAL_NONCE_LEN, b + n - SEAL_TAG_LEN)) {
		free(b);
		return errmsg(err, errlen, "sealing failed (OpenSSL "
		    "AES-256-GCM)");
	}
	*out = b;
	*outlen = n;
	return 0;
}

int
seal_value_key_id(const void *ct, size_t ctlen,
    unsigned char id[SEAL_ID_LEN])
{
	const unsigned char	*b = ct;

	if (ct == NULL || ctlen < SEAL_OVERHEAD || b[0] != SEAL_MAGIC)
		return -1;
	memcpy(id, b + 1, SEAL_ID_LEN);
	return 0;
}

int
seal_decrypt(const struct seal_key *k, const void *aad, size_t aadlen,
    const void *ct, size_t ctlen, char **out, size_t *outlen, char *err,
    size_t errlen)
{
	const unsigned char	*b = ct, *nonce;
	unsigned char		 id[SEAL_ID_LEN], tag[SEAL_TAG_LEN];
	char			*pt;
	size_t			 n;

	*out = NULL;
	if (seal_value_key_id(ct, ctlen, id) == -1)
		return errmsg(err, errlen, "not a sealed value");
	if (CRYPTO_memcmp(id, k->id, SEAL_ID_LEN) != 0)
		return errmsg(err, errlen, "sealed with another key");
	n = ctlen - SEAL_OVERHEAD;
	nonce = b + 1 + SEAL_ID_LEN;
	memcpy(tag, b + ctlen - SEAL_TAG_LEN, SEAL_TAG_LEN);
	pt = xmalloc(n + 1);
	if (!seal_gcm(0, k, nonce, aad, aadlen, nonce + SEAL_NONCE_LEN, n,
	    (unsigned char *)pt, tag)) {
		OPENSSL_cleanse(pt, n + 1);
		free(pt);
		return errmsg(err, errlen, "sealed value fails authentication "
		    "(altered, or moved from another row)");
	}
	pt[n] = '\0';
	*out = pt;
	*outlen = n;
	return 0;
}
