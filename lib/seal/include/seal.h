/*
 * seal: authenticated encryption of short confidential texts (coaching
 * notes) with AES-256-GCM, over plain buffers.  No files, no database:
 * the caller supplies the key bytes and the associated data that binds a
 * ciphertext to its place (e.g. table, row id, cycle), so a sealed value
 * copied into another row no longer opens.
 *
 * A sealed value is
 *     'S' | key id (8) | nonce (12, random) | ciphertext | GCM tag (16)
 * The key id is the first 8 bytes of SHA-256("coachd seal key id v1" ||
 * key): it names the key without revealing it, so a store can record
 * which key sealed it and tell a wrong key from a damaged value.
 */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>

#define SEAL_KEY_LEN	32
#define SEAL_ID_LEN	8
#define SEAL_NONCE_LEN	12
#define SEAL_TAG_LEN	16
#define SEAL_OVERHEAD	(1 + SEAL_ID_LEN + SEAL_NONCE_LEN + SEAL_TAG_LEN)
#define SEAL_ID_HEX	(2 * SEAL_ID_LEN + 1)	/* hex id with its NUL */

struct seal_key {
	unsigned char	key[SEAL_KEY_LEN];
	unsigned char	id[SEAL_ID_LEN];
};

/*
 * Key from the bytes of a key file: exactly 32 raw bytes, or 64 hex
 * digits optionally followed by whitespace.  0, or -1 with err filled.
 */
int	seal_key_parse(struct seal_key *, const void *buf, size_t len,
	    char *err, size_t errlen);
/* 32 random bytes as a new key; the 64 hex digits (and NUL) in hex. */
int	seal_key_generate(struct seal_key *, char hex[2 * SEAL_KEY_LEN + 1],
	    char *err, size_t errlen);
/* The key id as 16 lowercase hex digits. */
void	seal_key_id_hex(const struct seal_key *, char out[SEAL_ID_HEX]);
/* Wipe the key material. */
void	seal_key_clear(struct seal_key *);

/*
 * Seal pt (ptlen bytes) under key and aad: *out (caller frees) gets
 * ptlen + SEAL_OVERHEAD bytes.  0, or -1 with err filled.
 */
int	seal_encrypt(const struct seal_key *, const void *aad, size_t aadlen,
	    const void *pt, size_t ptlen, unsigned char **out, size_t *outlen,
	    char *err, size_t errlen);
/*
 * Open a sealed value: *out (caller frees) gets the plaintext plus a
 * NUL, *outlen its length.  Fails (-1, err filled, nothing allocated) on
 * a value sealed with another key, under other aad, or altered.
 */
int	seal_decrypt(const struct seal_key *, const void *aad, size_t aadlen,
	    const void *ct, size_t ctlen, char **out, size_t *outlen,
	    char *err, size_t errlen);
/* The key id a sealed value names; 0, or -1 if ct is not one. */
int	seal_value_key_id(const void *ct, size_t ctlen,
	    unsigned char id[SEAL_ID_LEN]);

#endif
