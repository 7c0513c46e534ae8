/*
 * notify_none.c: notify.h for builds without libsystemd.  Every call
 * reports that there is no service manager to tell, so coachd runs the
 * same way it does outside systemd.
 */
#include <stddef.h>

#include "notify.h"

int
notify_ready(const char *status)
{
	(void)status;
	return 0;
}

int
notify_reloading(void)
{
	return 0;
}

int
notify_stopping(const char *status)
{
	(void)status;
	return 0;
}

int
notify_status(const char *status)
{
	(void)status;
	return 0;
}

uint64_t
notify_watchdog_usec(void)
{
	return 0;
}

int
notify_watchdog(const char *status)
{
	(void)status;
	return 0;
}
