/*
 * store_token.c: principals and their bearer tokens.
 *
 * Only a token's SHA-256 is stored; the secret is shown once by rpc and
 * then forgotten.  A token names a role and a user: coaches and teachers
 * are the roster's own records (so deactivating a coach shuts their tokens
 * out too), administrators live in the admins table, created with their
 * first token.  Tables are part of the roster schema (store_roster.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

/* Copy a string into a fixed buffer, truncating. */
static void
st_copy(char *dst, size_t len, const unsigned char *src)
{
	snprintf(dst, len, "%s", src != NULL ? (const char *)src : "");
}

/* Role names for messages. */
static const char *
st_role_name(Coachd__V1__Role r)
{
	switch (r) {
	case COACHD__V1__ROLE__ADMIN:
		return "admin";
	case COACHD__V1__ROLE__COACH:
		return "coach";
	case COACHD__V1__ROLE__TEACHER:
		return "teacher";
	default:
		return "unspecified";
	}
}

/*
 * Resolve user under role into *out.  NOTFOUND when there is no such
 * principal; an inactive one is returned with active = 0.
 */
static enum store_status
st_resolve(struct store *st, Coachd__V1__Role role, const char *user,
    struct store_user *out, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	const char		*sql;
	enum store_status	 ret;

	switch (role) {
	case COACHD__V1__ROLE__ADMIN:
		sql = "SELECT id, display_name, active FROM admins WHERE id = ?1";
		break;
	case COACHD__V1__ROLE__COACH:
		sql = "SELECT id, name, active FROM coaches WHERE id = ?1";
		break;
	case COACHD__V1__ROLE__TEACHER:
		sql = "SELECT id, name, active FROM teachers WHERE id = ?1";
		break;
	default:
		return store_errf(err, errlen, STORE_INVALID, "role %d unknown",
		    (int)role);
	}
	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	if ((ret = store_step_row(st, s, st_role_name(role), user, err,
	    errlen)) != STORE_OK)
		return ret;
	memset(out, 0, sizeof *out);
	st_copy(out->user, sizeof out->user, sqlite3_column_text(s, 0));
	st_copy(out->display_name, sizeof out->display_name,
	    sqlite3_column_text(s, 1));
	out->active = sqlite3_column_int(s, 2) != 0;
	out->role = role;
	sqlite3_reset(s);
	return STORE_OK;
}

/* Make sure an admin principal exists for an admin token. */
static enum store_status
st_admin_ensure(struct store *st, const char *user, int64_t created,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "INSERT INTO admins (id, display_name, active, "
	    "created) VALUES (?1, ?1, 1, ?2) ON CONFLICT (id) DO NOTHING",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, created);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_token_add(struct store *st, const char *token_id,
    const unsigned char hash[32], Coachd__V1__Role role, const char *user,
    const char *label, int64_t created, const char *created_by, char *err,
    size_t errlen)
{
	struct store_user	 u;
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if (!store_id_valid(token_id))
		return store_errf(err, errlen, STORE_INVALID,
		    "token id '%s' is not valid", token_id ? token_id : "");
	if (!store_id_valid(user))
		return store_errf(err, errlen, STORE_INVALID, "token: user '%s' is "
		    "not a valid id (1-%d of A-Z a-z 0-9 . _ -)",
		    user != NULL ? user : "", STORE_ID_MAX);
	if (store_check_text("token for", user, "label", label, 0, err,
	    errlen) != STORE_OK)
		return STORE_INVALID;
	if (role == COACHD__V1__ROLE__COACH ||
	    role == COACHD__V1__ROLE__TEACHER) {
		ret = st_resolve(st, role, user, &u, err, errlen);
		if (ret == STORE_NOTFOUND)
			return store_errf(err, errlen, STORE_INVALID,
			    "token: no %s '%s'", st_role_name(role), user);
		if (ret != STORE_OK)
			return ret;
		if (!u.active)
			return store_errf(err, errlen, STORE_INVALID, "token: %s "
			    "'%s' is inactive", st_role_name(role), user);
	} else if (role == COACHD__V1__ROLE__ADMIN) {
		if (st_admin_ensure(st, user, created, err, errlen) != STORE_OK)
			return STORE_ERROR;
	} else
		return store_errf(err, errlen, STORE_INVALID,
		    "token: role must be admin, coach or teacher");
	s = store_prepare(st, "INSERT INTO tokens (token_id, hash, role, user, "
	    "label, created, revoked, created_by) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, 0, ?7)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, token_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, (int)role);
	sqlite3_bind_text(s, 4, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, label != NULL ? label : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, created);
	sqlite3_bind_text(s, 7, created_by != NULL ? created_by : "", -1,
	    SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_token_find(struct store *st, const unsigned char hash[32],
    struct store_user *out, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	Coachd__V1__Role	 role;
	char			 user[STORE_ID_MAX + 1];
	int			 rc;

	s = store_prepare(st, "SELECT role, user FROM tokens WHERE hash = ?1 "
	    "AND revoked = 0", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, err, errlen);
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "unknown or revoked token");
	}
	role = (Coachd__V1__Role)sqlite3_column_int(s, 0);
	st_copy(user, sizeof user, sqlite3_column_text(s, 1));
	sqlite3_reset(s);
	return st_resolve(st, role, user, out, err, errlen);
}

enum store_status
store_token_revoke(struct store *st, const char *token_id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc, revoked;

	s = store_prepare(st, "SELECT revoked FROM tokens WHERE token_id = ?1",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, token_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	revoked = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "token '%s' not found", token_id);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, err, errlen);
	if (revoked)
		return store_errf(err, errlen, STORE_CONFLICT,
		    "token '%s' is already revoked", token_id);
	s = store_prepare(st, "UPDATE tokens SET revoked = 1 WHERE "
	    "token_id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, token_id, -1, SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}

enum store_status
store_token_list(struct store *st, Coachd__V1__TokenList **out, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	*out = NULL;
	s = store_prepare(st, "SELECT token_id AS id, role, user, label, "
	    "created, revoked, created_by FROM tokens ORDER BY created, "
	    "token_id", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	return store_collect_list(st, s, &coachd__v1__token_list__descriptor,
	    "tokens", out, err, errlen);
}

/*
 * Principal for a certificate CN: administrators first, then coaches, then
 * teachers (ids are the district's, so a clash would be its own mistake).
 */
enum store_status
store_user_find(struct store *st, const char *user, struct store_user *out,
    char *err, size_t errlen)
{
	static const Coachd__V1__Role order[] = { COACHD__V1__ROLE__ADMIN,
	    COACHD__V1__ROLE__COACH, COACHD__V1__ROLE__TEACHER };
	enum store_status	ret;
	size_t			i;

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		ret = st_resolve(st, order[i], user, out, err, errlen);
		if (ret != STORE_NOTFOUND)
			return ret;
	}
	return store_errf(err, errlen, STORE_NOTFOUND, "no user '%s'", user);
}

/*
 * Active administrators that hold at least one unrevoked token: when it is
 * zero, nobody can administer the district and --init-admin may run.
 */
enum store_status
store_admin_count(struct store *st, int *count, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	*count = 0;
	s = store_prepare(st, "SELECT count(*) FROM admins a WHERE a.active "
	    "AND EXISTS (SELECT 1 FROM tokens t WHERE t.role = 1 AND "
	    "t.user = a.id AND t.revoked = 0)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	if ((ret = store_step_row(st, s, "admin count", "", err, errlen)) !=
	    STORE_OK)
		return ret;
	*count = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}
