/*
 * feed_token: the secret in a feed URL.  A token is 256 random bits as
 * unpadded base64url; only its SHA-256 is ever stored (by coachd, in
 * SQLite) or kept in memory (by the feed server, as the lookup key), so
 * the daemon and the server must hash with this one function.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "errmsg.h"
#include "feed.h"
#include "feed_int.h"

int
feed_sha256(const void *data, size_t len, unsigned char out[FEED_HASH_LEN])
{
	unsigned int	n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 ||
	    n != FEED_HASH_LEN)
		return -1;
	return 0;
}

int
feed_token_hash(const char *tok, size_t len, unsigned char h[FEED_HASH_LEN])
{
	return feed_sha256(tok, len, h);
}

int
feed_token_valid(const char *tok, size_t len)
{
	size_t	i;

	if (len < FEED_TOKEN_MIN || len > FEED_TOKEN_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)tok[i]) && tok[i] != '-' &&
		    tok[i] != '_')
			return 0;
	}
	return 1;
}

int
feed_token_new(char *tok, size_t toklen, unsigned char h[FEED_HASH_LEN],
    char *err, size_t errlen)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "abcdefghijklmnopqrstuvwxyz0123456789-_";
	unsigned char		 raw[FEED_TOKEN_BYTES];
	uint32_t		 v;
	size_t			 i, o = 0, bits = 0;

	if (toklen < FEED_TOKEN_BUFSZ)
		return errmsg(err, errlen, "token buffer too small");
	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return errmsg(err, errlen, "RAND_bytes failed");
	/* Unpadded base64url, 6 bits at a time. */
	for (i = 0, v = 0; i < sizeof(raw); i++) {
		v = (v << 8) | raw[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			tok[o++] = b64[(v >> bits) & 0x3f];
		}
	}
	if (bits > 0)
		tok[o++] = b64[(v << (6 - bits)) & 0x3f];
	tok[o] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	if (feed_token_hash(tok, o, h) != 0)
		return errmsg(err, errlen, "SHA-256 failed");
	return 0;
}
