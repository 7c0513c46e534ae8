/*
 * srv_conf: coachctl's connection settings (struct srv_settings in
 * coachctl.h): the key = value config file, COACHCTL_* environment
 * variables and single keys set from flags.  coachctl.c applies them in
 * that order, so a flag beats the environment, which beats the file;
 * srv.c connects with the result.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "coachctl.h"

/* malloc'd formatted string, NULL on failure. */
static char *
str_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- settings -------------------------------------------------------- */

void
srv_settings_free(struct srv_settings *s)
{
	free(s->server);
	free(s->ca);
	if (s->token != NULL) {
		/* Do not leave the secret lying around in freed memory. */
		OPENSSL_cleanse(s->token, strlen(s->token));
		free(s->token);
	}
	free(s->cert);
	free(s->key);
	memset(s, 0, sizeof(*s));
}

char *
srv_default_config(void)
{
	const char	*base, *home;

	base = getenv("XDG_CONFIG_HOME");
	if (base != NULL && *base == '/')
		return str_printf("%s/coachctl/config", base);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		return NULL;
	return str_printf("%s/.config/coachctl/config", home);
}

/* Replace *slot with a copy of v; a relative path is taken from basedir. */
static int
set_str(char **slot, const char *v, const char *basedir, char *err,
    size_t errlen)
{
	char	*p;

	if (basedir != NULL && v[0] != '/')
		p = str_printf("%s/%s", basedir, v);
	else
		p = strdup(v);
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(*slot);
	*slot = p;
	return 0;
}

int
srv_settings_set(struct srv_settings *s, const char *key, const char *value,
    const char *basedir, char *err, size_t errlen)
{
	char	*end;
	long	 n;

	if (*value == '\0') {
		snprintf(err, errlen, "%s: empty value", key);
		return -1;
	}
	if (strcmp(key, "server") == 0)
		return set_str(&s->server, value, NULL, err, errlen);
	if (strcmp(key, "ca") == 0)
		return set_str(&s->ca, value, basedir, err, errlen);
	if (strcmp(key, "cert") == 0)
		return set_str(&s->cert, value, basedir, err, errlen);
	if (strcmp(key, "key") == 0)
		return set_str(&s->key, value, basedir, err, errlen);
	if (strcmp(key, "token") == 0) {
		if (s->token != NULL)
			OPENSSL_cleanse(s->token, strlen(s->token));
		return set_str(&s->token, value, NULL, err, errlen);
	}
	if (strcmp(key, "timeout") == 0) {
		errno = 0;
		n = strtol(value, &end, 10);
		if (*end != '\0' || errno != 0 || n < 1 || n > 3600) {
			snprintf(err, errlen, "timeout: expected seconds from"
			    " 1 to 3600, not '%s'", value);
			return -1;
		}
		s->timeout = n;
		return 0;
	}
	snprintf(err, errlen, "unknown key '%s' (known: server, ca, token,"
	    " cert, key, timeout)", key);
	return -1;
}

static char *
trim(char *p)
{
	char	*e;

	while (isspace((unsigned char)*p))
		p++;
	e = p + strlen(p);
	while (e > p && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return p;
}

int
srv_settings_file(struct srv_settings *s, const char *path, int required,
    char *err, size_t errlen)
{
	FILE	*f;
	char	*line = NULL, *key, *val, *eq, *dir = NULL, *slash, e[256];
	size_t	 cap = 0, lineno = 0, vlen;
	int	 rc = -1;

	if ((f = fopen(path, "r")) == NULL) {
		if (!required && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Relative file names in the file are relative to its folder. */
	if ((dir = strdup(path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = NULL;
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%zu: expected key = value",
			    path, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		vlen = strlen(val);
		if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
			val[vlen - 1] = '\0';
			val++;
		}
		if (srv_settings_set(s, key, val, dir, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, e);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (line != NULL) {
		/* The buffer may have held a token. */
		OPENSSL_cleanse(line, cap);
		free(line);
	}
	free(dir);
	fclose(f);
	return rc;
}

int
srv_settings_env(struct srv_settings *s, char *err, size_t errlen)
{
	static const struct {
		const char	*env;
		const char	*key;
	} map[] = {
		{ "COACHCTL_SERVER", "server" }, { "COACHCTL_CA", "ca" },
		{ "COACHCTL_TOKEN", "token" }, { "COACHCTL_CERT", "cert" },
		{ "COACHCTL_KEY", "key" }, { "COACHCTL_TIMEOUT", "timeout" },
	};
	const char	*v;
	char		 e[256];
	size_t		 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if ((v = getenv(map[i].env)) == NULL || *v == '\0')
			continue;
		if (srv_settings_set(s, map[i].key, v, NULL, e,
		    sizeof(e)) == -1) {
			snprintf(err, errlen, "%s: %s", map[i].env, e);
			return -1;
		}
	}
	return 0;
}
