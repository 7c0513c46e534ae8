/*
 * notify.c: the service-manager notifications over libsystemd's
 * sd_notify (see notify.h).  sd_notify returns 0 when NOTIFY_SOCKET is
 * unset, which is how a coachd run by hand or by the tests without a
 * socket ends up doing nothing here.
 */
#include <stdio.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "notify.h"

/* sd_notify's 0 / >0 / <0 as 0 / 1 / -1. */
static int
send_state(const char *state)
{
	int	r;

	r = sd_notify(0, state);
	return r < 0 ? -1 : r > 0;
}

/* "KEY=1\nSTATUS=status" into buf; the status is one line by contract. */
static int
send_with_status(const char *key, const char *status)
{
	char	buf[512];

	snprintf(buf, sizeof(buf), "%s\nSTATUS=%s", key, status);
	return send_state(buf);
}

int
notify_ready(const char *status)
{
	return send_with_status("READY=1", status);
}

int
notify_reloading(void)
{
	struct timespec	ts;
	char		buf[128];

	/* systemd orders the reload by this clock (sd_notify(3)). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu\n"
	    "STATUS=reloading the configuration",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000ULL);
	return send_state(buf);
}

int
notify_stopping(const char *status)
{
	return send_with_status("STOPPING=1", status);
}

int
notify_status(const char *status)
{
	char	buf[512];

	snprintf(buf, sizeof(buf), "STATUS=%s", status);
	return send_state(buf);
}

uint64_t
notify_watchdog_usec(void)
{
	uint64_t	usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec;
}

int
notify_watchdog(const char *status)
{
	return send_with_status("WATCHDOG=1", status);
}
