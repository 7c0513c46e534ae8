/*
 * test_feed_token: the feed URL secret helpers the daemon and the feed
 * server share (daemon/feed_token.c): shape, randomness, the hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "feed.h"

static void
test_new(void **state)
{
	char		 a[FEED_TOKEN_BUFSZ], b[FEED_TOKEN_BUFSZ], err[64];
	unsigned char	 ha[FEED_HASH_LEN], hb[FEED_HASH_LEN], h[FEED_HASH_LEN];

	(void)state;
	assert_int_equal(feed_token_new(a, sizeof(a), ha, err, sizeof(err)), 0);
	assert_int_equal(feed_token_new(b, sizeof(b), hb, err, sizeof(err)), 0);
	assert_int_equal(strlen(a), 43);	/* 256 bits, unpadded base64url */
	assert_true(feed_token_valid(a, strlen(a)));
	assert_string_not_equal(a, b);
	assert_memory_not_equal(ha, hb, FEED_HASH_LEN);
	assert_int_equal(feed_token_hash(a, strlen(a), h), 0);
	assert_memory_equal(h, ha, FEED_HASH_LEN);
	assert_int_equal(feed_token_new(a, 16, ha, err, sizeof(err)), -1);
}

static void
test_hash_vector(void **state)
{
	/* SHA-256("abc"), FIPS 180-2 appendix B.1. */
	static const unsigned char want[FEED_HASH_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad
	};
	unsigned char	h[FEED_HASH_LEN];

	(void)state;
	assert_int_equal(feed_token_hash("abc", 3, h), 0);
	assert_memory_equal(h, want, FEED_HASH_LEN);
}

static void
test_valid(void **state)
{
	char	long_tok[FEED_TOKEN_MAX + 2];

	(void)state;
	assert_true(feed_token_valid("0123456789abcdef0123456789abcdef", 32));
	assert_true(feed_token_valid("AZaz09-_AZaz09-_AZaz09", 22));
	assert_false(feed_token_valid("AZaz09-_AZaz09-_AZaz0", 21));
	assert_false(feed_token_valid("AZaz09-_AZaz09-_AZaz0.", 22));
	assert_false(feed_token_valid("AZaz09-_AZaz09-_AZaz0/", 22));
	assert_false(feed_token_valid("AZaz09-_AZaz09-_AZaz0%", 22));
	memset(long_tok, 'a', sizeof(long_tok));
	assert_true(feed_token_valid(long_tok, FEED_TOKEN_MAX));
	assert_false(feed_token_valid(long_tok, FEED_TOKEN_MAX + 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_hash_vector),
		cmocka_unit_test(test_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
