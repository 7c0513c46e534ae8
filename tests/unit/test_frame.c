/*
 * Unit tests for the frame codec: header encoding, partial input, the size
 * limit, round trips and garbage payloads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frame.h"

static void
test_header_big_endian(void **state)
{
	uint8_t	hdr[4];
	size_t	len = 0;

	(void)state;
	frame_put_header(hdr, 0x01020304);
	assert_int_equal(hdr[0], 1);
	assert_int_equal(hdr[3], 4);
	assert_int_equal(frame_peek(hdr, 4, UINT32_MAX, &len),
	    FRAME_INCOMPLETE);
	assert_int_equal(len, 0x01020304);
}

static void
test_partial_and_limit(void **state)
{
	uint8_t	buf[16] = { 0, 0, 0, 5, 1, 2, 3 };
	size_t	len;

	(void)state;
	assert_int_equal(frame_peek(buf, 0, 100, &len), FRAME_INCOMPLETE);
	assert_int_equal(frame_peek(buf, 3, 100, &len), FRAME_INCOMPLETE);
	assert_int_equal(frame_peek(buf, 7, 100, &len), FRAME_INCOMPLETE);
	assert_int_equal(frame_peek(buf, 9, 100, &len), FRAME_OK);
	assert_int_equal(len, 5);
	/* declared length over the limit is reported before it arrives */
	assert_int_equal(frame_peek(buf, 4, 4, &len), FRAME_TOO_LARGE);
	assert_int_equal(len, 5);
	/* exactly at the limit is fine */
	assert_int_equal(frame_peek(buf, 9, 5, &len), FRAME_OK);
}

static void
test_round_trip(void **state)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Hello	 hello = COACHD__V1__HELLO__INIT;
	Coachd__V1__Request	*back;
	uint8_t			*buf;
	size_t			 len, plen;

	(void)state;
	hello.protocol_version = 1;
	hello.token = (char *)"cd1_secret";
	req.id = 42;
	req.op_case = COACHD__V1__REQUEST__OP_HELLO;
	req.hello = &hello;
	buf = frame_pack_request(&req, FRAME_DEFAULT_MAX, &len);
	assert_non_null(buf);
	assert_int_equal(frame_peek(buf, len, FRAME_DEFAULT_MAX, &plen),
	    FRAME_OK);
	assert_int_equal(plen + FRAME_HEADER_LEN, len);
	back = frame_unpack_request(buf + FRAME_HEADER_LEN, plen);
	assert_non_null(back);
	assert_int_equal(back->id, 42);
	assert_int_equal(back->op_case, COACHD__V1__REQUEST__OP_HELLO);
	assert_string_equal(back->hello->token, "cd1_secret");
	coachd__v1__request__free_unpacked(back, NULL);
	/* a message larger than the limit is not packed */
	assert_null(frame_pack_request(&req, 3, &len));
	free(buf);
}

static void
test_garbage_rejected(void **state)
{
	/* field 1 declared as length-delimited with a length past the end */
	static const uint8_t bad1[] = { 0x0a, 0x7f, 0x01 };
	/* truncated varint */
	static const uint8_t bad2[] = { 0x08, 0xff, 0xff };

	(void)state;
	assert_null(frame_unpack_request(bad1, sizeof(bad1)));
	assert_null(frame_unpack_request(bad2, sizeof(bad2)));
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(frame_status_name(COACHD__V1__STATUS__NOT_FOUND),
	    "NOT_FOUND");
	assert_string_equal(frame_role_name(COACHD__V1__ROLE__COACH), "coach");
	assert_int_equal(frame_role_parse("Teacher"), COACHD__V1__ROLE__TEACHER);
	assert_int_equal(frame_role_parse("root"),
	    COACHD__V1__ROLE__ROLE_UNSPECIFIED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_big_endian),
		cmocka_unit_test(test_partial_and_limit),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_garbage_rejected),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
