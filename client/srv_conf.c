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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "coachctl.h"
#include "xmalloc.h"

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
		return xasprintf("%s/coachctl/config", base);
	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s/.config/coachctl/config", home);
}

/* The string settings; a path is taken relative to the config's folder. */
static const struct {
	const char	*key;
	size_t		 off;
	int		 path;
} srv_strings[] = {
	{ "server", offsetof(struct srv_settings, server), 0 },
	{ "ca", offsetof(struct srv_settings, ca), 1 },
	{ "cert", offsetof(struct srv_settings, cert), 1 },
	{ "key", offsetof(struct srv_settings, key), 1 },
	{ "token", offsetof(struct srv_settings, token), 0 },
};

/* Replace *slot with a copy of v; a relative path is taken from basedir. */
static void
set_str(char **slot, const char *v, const char *basedir)
{
	char	*p;

	if (basedir != NULL && v[0] != '/')
		p = xasprintf("%s/%s", basedir, v);
	else
		p = xstrdup(v);
	/* The old value may be the token: do not leave it in freed memory. */
	if (*slot != NULL)
		OPENSSL_cleanse(*slot, strlen(*slot));
	free(*slot);
	*slot = p;
}

int
srv_settings_set(struct srv_settings *s, const char *key, const char *value,
    const char *basedir, char *err, size_t errlen)
{
	char	*end;
	long	 n;
	size_t	 i;

	if (*value == '\0') {
		snprintf(err, errlen, "%s: empty value", key);
		return -1;
	}
	for (i = 0; i < sizeof(srv_strings) / sizeof(srv_strings[0]); i++) {
		if (strcmp(key, srv_strings[i].key) != 0)
			continue;
		/* offsetof a char * member: aligned, which clang cannot see */
		set_str((char **)(void *)((char *)s + srv_strings[i].off),
		    value, srv_strings[i].path ? basedir : NULL);
		return 0;
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
	dir = xstrdup(path);
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
