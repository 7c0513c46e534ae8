/*
 * notify.h: tell the service manager how start-up, reloads and shutdown
 * are going (systemd's sd_notify protocol: READY=1, RELOADING=1,
 * STOPPING=1, STATUS=, WATCHDOG=1).
 *
 * Outside systemd (no NOTIFY_SOCKET) every call does nothing, and a
 * build without libsystemd links notify_none.c, whose calls do nothing
 * either, so callers never need to know which one they have.  The calls
 * return 1 when a message was sent, 0 when there is no service manager
 * to tell, -1 when sending failed; coachd carries on in every case.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <stdint.h>

/* READY=1 with a one-line STATUS (start-up done, or a reload finished). */
int		notify_ready(const char *status);
/* RELOADING=1 with MONOTONIC_USEC=now: a SIGHUP reload begins. */
int		notify_reloading(void);
/* STOPPING=1 with a one-line STATUS. */
int		notify_stopping(const char *status);
/* STATUS= alone. */
int		notify_status(const char *status);
/* The watchdog period the manager asked for (WatchdogSec=), 0 for none. */
uint64_t	notify_watchdog_usec(void);
/* WATCHDOG=1 (the event loop is alive) with a fresh one-line STATUS. */
int		notify_watchdog(const char *status);

#endif
