/*
 * test_addrtab: the protocol port's per-address records (daemon/addrtab.c):
 * grouping of addresses, the connection cap, the login backoff's doubling
 * and forgetting, and that idle records are freed.  Times are passed in.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addrtab.h"

static struct sockaddr_storage
addr(const char *text, int port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*in6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, text, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
	} else {
		assert_int_equal(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
	}
	return ss;
}

static struct addrtab_entry *
connect_ok(struct addrtab *t, const char *text, int cap, time_t now)
{
	struct sockaddr_storage	 ss = addr(text, 1234);
	struct addrtab_entry	*e;

	assert_int_equal(addrtab_connect(t, (struct sockaddr *)&ss, cap, now,
	    &e), 0);
	assert_non_null(e);
	return e;
}

static void
test_cap_and_groups(void **state)
{
	struct addrtab		*t = addrtab_new();
	struct addrtab_entry	*a, *b, *e;
	struct sockaddr_storage	 ss = addr("192.0.2.1", 9);

	(void)state;
	a = connect_ok(t, "192.0.2.1", 2, 100);
	assert_ptr_equal(connect_ok(t, "192.0.2.1", 2, 100), a);
	assert_int_equal(addrtab_nconns(a), 2);
	assert_string_equal(addrtab_name(a), "192.0.2.1");
	/* at the cap: refused, nothing counted */
	assert_int_equal(addrtab_connect(t, (struct sockaddr *)&ss, 2, 100,
	    &e), -1);
	assert_ptr_equal(e, a);
	assert_int_equal(addrtab_nconns(a), 2);
	/* another address is not affected */
	b = connect_ok(t, "192.0.2.2", 2, 100);
	assert_ptr_not_equal(a, b);
	/* one IPv6 /64 is one client; the mapped form of a v4 is the v4 */
	e = connect_ok(t, "2001:db8:1:2::1", 2, 100);
	assert_ptr_equal(connect_ok(t, "2001:db8:1:2:ffff::9", 2, 100), e);
	assert_string_equal(addrtab_name(e), "2001:db8:1:2::/64");
	assert_ptr_not_equal(connect_ok(t, "2001:db8:1:3::1", 2, 100), e);
	assert_int_equal(addrtab_connect(t, (struct sockaddr *)&(struct
	    sockaddr_storage){ .ss_family = AF_UNIX }, 2, 100, &e), 0);
	assert_null(e);
	ss = addr("::ffff:192.0.2.2", 1);
	assert_int_equal(addrtab_connect(t, (struct sockaddr *)&ss, 2, 100,
	    &e), 0);
	assert_ptr_equal(e, b);
	assert_int_equal(addrtab_count(t), 4);
	/* the last connection gone, a record without failures goes too */
	addrtab_disconnect(t, b, 100);
	addrtab_disconnect(t, b, 100);
	assert_int_equal(addrtab_count(t), 3);
	addrtab_free(t);
}

static void
test_backoff(void **state)
{
	struct addrtab_policy	 p = { .failures = 3, .backoff = 2,
	    .backoff_max = 60 };
	struct addrtab		*t = addrtab_new();
	struct addrtab_entry	*e = connect_ok(t, "198.51.100.7", 8, 1000);

	(void)state;
	assert_int_equal(addrtab_failed(e, &p, 1000), 0);
	assert_int_equal(addrtab_failed(e, &p, 1001), 0);
	assert_int_equal(addrtab_blocked(e, 1001), 0);
	assert_int_equal(addrtab_failed(e, &p, 1002), 2);	/* the third */
	assert_int_equal(addrtab_blocked(e, 1002), 2);
	assert_int_equal(addrtab_blocked(e, 1003), 1);
	assert_int_equal(addrtab_blocked(e, 1004), 0);
	assert_int_equal(addrtab_failed(e, &p, 1004), 4);	/* doubles */
	assert_int_equal(addrtab_failed(e, &p, 1009), 8);
	assert_int_equal(addrtab_failed(e, &p, 1020), 16);
	assert_int_equal(addrtab_failed(e, &p, 1040), 32);
	assert_int_equal(addrtab_failed(e, &p, 1080), 60);	/* the max */
	assert_int_equal(addrtab_failures(e), 8);
	/* forgotten backoff_max after the last failure */
	assert_int_equal(addrtab_failed(e, &p, 1080 + 60), 0);
	assert_int_equal(addrtab_failures(e), 1);
	/* with no connection and failures not yet forgotten, it stays ... */
	addrtab_disconnect(t, e, 1141);
	assert_int_equal(addrtab_count(t), 1);
	/* ... until a sweep after they are (one bucket per connect) */
	for (int i = 0; i < 4096; i++) {
		struct addrtab_entry *x = connect_ok(t, "203.0.113.1", 8, 1300);
		addrtab_disconnect(t, x, 1300);
	}
	assert_int_equal(addrtab_count(t), 0);
	/* failures = 0: never blocked */
	p.failures = 0;
	e = connect_ok(t, "198.51.100.8", 8, 2000);
	for (int i = 0; i < 10; i++)
		assert_int_equal(addrtab_failed(e, &p, 2000), 0);
	addrtab_free(t);
}

static void
test_log_limit(void **state)
{
	struct addrtab		*t = addrtab_new();
	struct addrtab_entry	*e = connect_ok(t, "192.0.2.9", 8, 50);
	unsigned		 n;

	(void)state;
	assert_true(addrtab_may_log(e, 50, &n));
	assert_false(addrtab_may_log(e, 50, &n));
	assert_false(addrtab_may_log(e, 50, &n));
	assert_true(addrtab_may_log(e, 51, &n));
	assert_int_equal(n, 2);
	addrtab_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cap_and_groups),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_log_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
