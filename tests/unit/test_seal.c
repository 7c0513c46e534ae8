/*
 * test_seal: lib/seal.  Round trips, key files in both spellings, and
 * every way a sealed value must refuse to open: another key, other
 * associated data (a value moved between rows), any altered byte, a
 * truncated value.
 */
#define _GNU_SOURCE

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "errmsg.h"
#include "seal.h"

static const char	TEXT[] = "Ms Ortiz is anxious about period 3";
static const char	AAD1[] = "cycle_notes:1:7";
static const char	AAD2[] = "cycle_notes:2:7";

static void
key_from(struct seal_key *k, unsigned char fill)
{
	unsigned char	raw[SEAL_KEY_LEN];
	char		err[ERRMSG_LEN];

	memset(raw, fill, sizeof(raw));
	assert_int_equal(seal_key_parse(k, raw, sizeof(raw), err,
	    sizeof(err)), 0);
}

static void
seal_text(const struct seal_key *k, const char *aad, unsigned char **ct,
    size_t *len)
{
	char	err[ERRMSG_LEN];

	assert_int_equal(seal_encrypt(k, aad, strlen(aad), TEXT, strlen(TEXT),
	    ct, len, err, sizeof(err)), 0);
	assert_int_equal(*len, strlen(TEXT) + SEAL_OVERHEAD);
}

static void
test_round_trip(void **state)
{
	struct seal_key	 k;
	unsigned char	*a, *b;
	size_t		 alen, blen, n;
	char		*pt, err[ERRMSG_LEN];

	(void)state;
	key_from(&k, 0x11);
	seal_text(&k, AAD1, &a, &alen);
	seal_text(&k, AAD1, &b, &blen);
	/* random nonces: the same text seals differently every time */
	assert_memory_not_equal(a, b, alen);
	assert_null(memmem(a, alen, "Ortiz", 5));
	assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), a, alen, &pt,
	    &n, err, sizeof(err)), 0);
	assert_int_equal(n, strlen(TEXT));
	assert_string_equal(pt, TEXT);
	free(pt);
	free(a);
	free(b);
}

static void
test_wrong_key_and_aad(void **state)
{
	struct seal_key	 k, other;
	unsigned char	*ct, id[SEAL_ID_LEN];
	size_t		 len, n;
	char		*pt, err[ERRMSG_LEN];

	(void)state;
	key_from(&k, 0x11);
	key_from(&other, 0x22);
	seal_text(&k, AAD1, &ct, &len);
	assert_int_equal(seal_value_key_id(ct, len, id), 0);
	assert_memory_equal(id, k.id, SEAL_ID_LEN);
	assert_int_equal(seal_decrypt(&other, AAD1, strlen(AAD1), ct, len,
	    &pt, &n, err, sizeof(err)), -1);
	assert_null(pt);
	assert_non_null(strstr(err, "another key"));
	/* the right key, but the value moved to another row */
	assert_int_equal(seal_decrypt(&k, AAD2, strlen(AAD2), ct, len, &pt,
	    &n, err, sizeof(err)), -1);
	assert_null(pt);
	assert_non_null(strstr(err, "authentication"));
	assert_int_equal(seal_decrypt(&k, NULL, 0, ct, len, &pt, &n, err,
	    sizeof(err)), -1);
	free(ct);
}

static void
test_tamper(void **state)
{
	struct seal_key	 k;
	unsigned char	*ct;
	size_t		 len, i, n;
	char		*pt, err[ERRMSG_LEN];

	(void)state;
	key_from(&k, 0x33);
	seal_text(&k, AAD1, &ct, &len);
	/* any flipped bit after the key id: nonce, ciphertext or tag */
	for (i = 1 + SEAL_ID_LEN; i < len; i++) {
		ct[i] ^= 0x01;
		assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), ct, len,
		    &pt, &n, err, sizeof(err)), -1);
		assert_null(pt);
		ct[i] ^= 0x01;
	}
	/* truncated, or not a sealed value at all */
	assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), ct, len - 1,
	    &pt, &n, err, sizeof(err)), -1);
	assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), ct,
	    SEAL_OVERHEAD - 1, &pt, &n, err, sizeof(err)), -1);
	assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), TEXT,
	    strlen(TEXT), &pt, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a sealed value"));
	assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), ct, len, &pt,
	    &n, err, sizeof(err)), 0);
	free(pt);
	free(ct);
}

static void
test_empty_text(void **state)
{
	struct seal_key	 k;
	unsigned char	*ct;
	size_t		 len, n;
	char		*pt, err[ERRMSG_LEN];

	(void)state;
	key_from(&k, 0x44);
	assert_int_equal(seal_encrypt(&k, AAD1, strlen(AAD1), "", 0, &ct,
	    &len, err, sizeof(err)), 0);
	assert_int_equal(len, SEAL_OVERHEAD);
	assert_int_equal(seal_decrypt(&k, AAD1, strlen(AAD1), ct, len, &pt,
	    &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_string_equal(pt, "");
	free(pt);
	free(ct);
}

static void
test_key_files(void **state)
{
	struct seal_key	 raw, hex, gen, again;
	unsigned char	 bytes[SEAL_KEY_LEN];
	char		 text[2 * SEAL_KEY_LEN + 2], genhex[2 * SEAL_KEY_LEN + 1];
	char		 id1[SEAL_ID_HEX], id2[SEAL_ID_HEX], err[ERRMSG_LEN];
	size_t		 i;

	(void)state;
	for (i = 0; i < SEAL_KEY_LEN; i++)
		bytes[i] = (unsigned char)(i * 7 + 1);
	assert_int_equal(seal_key_parse(&raw, bytes, sizeof(bytes), err,
	    sizeof(err)), 0);
	for (i = 0; i < SEAL_KEY_LEN; i++)
		snprintf(text + 2 * i, 3, "%02X", bytes[i]);
	strcat(text, "\n");
	assert_int_equal(seal_key_parse(&hex, text, strlen(text), err,
	    sizeof(err)), 0);
	assert_memory_equal(raw.key, hex.key, SEAL_KEY_LEN);
	assert_memory_equal(raw.id, hex.id, SEAL_ID_LEN);
	/* the id names the key but is not the key */
	assert_memory_not_equal(raw.id, raw.key, SEAL_ID_LEN);
	seal_key_id_hex(&raw, id1);
	assert_int_equal(strlen(id1), 16);
	/* a short, long or non-hex file is refused, naming what it wants */
	assert_int_equal(seal_key_parse(&hex, text, 40, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "64 hex digits"));
	text[5] = 'g';
	assert_int_equal(seal_key_parse(&hex, text, strlen(text), err,
	    sizeof(err)), -1);
	assert_int_equal(seal_key_parse(&hex, "", 0, err, sizeof(err)), -1);
	/* a generated key reads back from its hex */
	assert_int_equal(seal_key_generate(&gen, genhex, err, sizeof(err)), 0);
	assert_int_equal(strlen(genhex), 64);
	assert_int_equal(seal_key_parse(&again, genhex, strlen(genhex), err,
	    sizeof(err)), 0);
	assert_memory_equal(gen.key, again.key, SEAL_KEY_LEN);
	seal_key_id_hex(&gen, id2);
	assert_string_not_equal(id1, id2);
	seal_key_clear(&gen);
	for (i = 0; i < SEAL_KEY_LEN; i++)
		assert_int_equal(gen.key[i], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wrong_key_and_aad),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_key_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
