/*
 * store_check.c: validation of the values records carry (ids, names,
 * emails, labels), with messages "<what> <id>: <field> ..." that go back
 * to the client as they are.
 */
#include <string.h>

#include "store.h"

/* Ids: 1..64 characters of [A-Za-z0-9._-]. */
int
store_id_valid(const char *s)
{
	size_t	n;

	if (s == NULL || *s == '\0')
		return 0;
	for (n = 0; s[n] != '\0'; n++) {
		if (n >= STORE_ID_MAX)
			return 0;
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[n]) == NULL)
			return 0;
	}
	return 1;
}

/* Check a free-text field: length and no control characters. */
enum store_status
store_check_text(const char *what, const char *id, const char *field,
    const char *v, int required, char *err, size_t errlen)
{
	const unsigned char	*p;

	if (v == NULL || *v == '\0') {
		if (required)
			return store_errf(err, errlen, STORE_INVALID,
			    "%s %s: %s is required", what, id, field);
		return STORE_OK;
	}
	if (strlen(v) > STORE_TEXT_MAX)
		return store_errf(err, errlen, STORE_INVALID, "%s %s: %s longer "
		    "than %d bytes", what, id, field, STORE_TEXT_MAX);
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return store_errf(err, errlen, STORE_INVALID, "%s %s: %s "
			    "contains a control character", what, id, field);
	}
	return STORE_OK;
}

/* Email: optional, but if given it must look like one. */
enum store_status
store_check_email(const char *what, const char *id, const char *v, char *err,
    size_t errlen)
{
	const char	*at;

	if (store_check_text(what, id, "email", v, 0, err, errlen) != STORE_OK)
		return STORE_INVALID;
	if (v == NULL || *v == '\0')
		return STORE_OK;
	at = strchr(v, '@');
	if (at == NULL || at == v || at[1] == '\0' || strchr(v, ' ') != NULL)
		return store_errf(err, errlen, STORE_INVALID,
		    "%s %s: email '%s' is not an address", what, id, v);
	return STORE_OK;
}

/* v[i] must not repeat one of v[0..i-1]. */
static enum store_status
store_check_once(const char *what, const char *id, const char *field,
    char *const *v, size_t i, char *err, size_t errlen)
{
	size_t	j;

	for (j = 0; j < i; j++) {
		if (strcmp(v[i], v[j]) == 0)
			return store_errf(err, errlen, STORE_INVALID,
			    "%s %s: %s '%s' listed twice", what, id, field,
			    v[i]);
	}
	return STORE_OK;
}

/* A list of ids: each well-formed, none repeated. */
enum store_status
store_check_ids(const char *what, const char *id, const char *field,
    char *const *v, size_t n, char *err, size_t errlen)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (!store_id_valid(v[i]))
			return store_errf(err, errlen, STORE_INVALID, "%s %s: %s "
			    "'%s' is not a valid id (1-%d of A-Z a-z 0-9 . _ -)",
			    what, id, field, v[i], STORE_ID_MAX);
		if (store_check_once(what, id, field, v, i, err, errlen) !=
		    STORE_OK)
			return STORE_INVALID;
	}
	return STORE_OK;
}

/*
 * A list of labels (subjects, grades): OneRoster spells these as free
 * text ("Career and Technical Education - Agriculture, ..."), so only
 * length, control characters and repeats are checked.
 */
enum store_status
store_check_labels(const char *what, const char *id, const char *field,
    char *const *v, size_t n, char *err, size_t errlen)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (store_check_text(what, id, field, v[i], 1, err, errlen) !=
		    STORE_OK)
			return STORE_INVALID;
		if (store_check_once(what, id, field, v, i, err, errlen) !=
		    STORE_OK)
			return STORE_INVALID;
	}
	return STORE_OK;
}

/* The record's own id. */
enum store_status
store_check_id(const char *what, const char *id, char *err, size_t errlen)
{
	if (!store_id_valid(id))
		return store_errf(err, errlen, STORE_INVALID, "%s id '%s' is not "
		    "valid (1-%d of A-Z a-z 0-9 . _ -)", what,
		    id != NULL ? id : "", STORE_ID_MAX);
	return STORE_OK;
}
