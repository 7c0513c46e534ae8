/*
 * log: one line per message on stderr, "<N>" syslog priority prefix so
 * that journald files each line under the right level when coachd runs
 * as a systemd service; plain "level:" words when stderr is a terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "log.h"

static const char	*log_prog = "coachd";
static enum log_level	 log_lvl = LOG_LVL_INFO;
static int		 log_tty;

void
log_init(const char *progname, enum log_level lvl)
{
	log_prog = progname;
	log_lvl = lvl;
	log_tty = isatty(STDERR_FILENO);
}

void
log_setlevel(enum log_level lvl)
{
	log_lvl = lvl;
}

int
log_level_parse(const char *s)
{
	if (strcasecmp(s, "warn") == 0 || strcasecmp(s, "warning") == 0)
		return LOG_LVL_WARN;
	if (strcasecmp(s, "info") == 0)
		return LOG_LVL_INFO;
	if (strcasecmp(s, "debug") == 0)
		return LOG_LVL_DEBUG;
	return -1;
}

/* syslog priority numbers: 3 err, 4 warning, 6 info, 7 debug. */
static void vlog(int, const char *, const char *, va_list, int)
    __attribute__((format(printf, 3, 0)));

static void
vlog(int prio, const char *word, const char *fmt, va_list ap, int errnum)
{
	char	msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_tty)
		fprintf(stderr, "%s: %s%s%s%s\n", log_prog, word, msg,
		    errnum ? ": " : "", errnum ? strerror(errnum) : "");
	else
		fprintf(stderr, "<%d>%s%s%s\n", prio, msg,
		    errnum ? ": " : "", errnum ? strerror(errnum) : "");
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	vlog(4, "warning: ", fmt, ap, saved);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(4, "warning: ", fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_lvl < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	vlog(6, "", fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_lvl < LOG_LVL_DEBUG)
		return;
	va_start(ap, fmt);
	vlog(7, "debug: ", fmt, ap, 0);
	va_end(ap);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(3, "fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(1);
}
