/*
 * log: leveled logging to stderr (systemd's journal records it with the
 * level prefix), after OpenBSD's log.c.  Only main() and the event loop's
 * top-level callbacks log; helpers return errors to their caller.
 */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void	log_init(const char *progname, enum log_level);
void	log_setlevel(enum log_level);
/* Parse "warn", "info", "debug"; returns -1 for anything else. */
int	log_level_parse(const char *);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Broken invariant or fatal start-up failure: log and exit(1). */
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2),
	    noreturn));

#endif
