/*
 * store_token.c: principals and their bearer tokens.
 *
 * Only a token's SHA-256 is stored; the secret is shown once by rpc and
 * then forgotten.  A token names a role and a user: coaches and teachers
 * are the roster's own records (so deactivating a coach shuts their tokens
 * out too), administrators live in the admins table, created with their
 * first token.  Tables are part of the roster schema (store_roster.c);
 * what came with the separation of administration and confidentiality
 * (note rights, enrolment codes, the auth epoch) is this file's own
 * "trust" module.
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

/* "an admin", "a coach": a role with its article, for messages. */
static const char *
st_role_a(Coachd__V1__Role r)
{
	return r == COACHD__V1__ROLE__ADMIN ? "an admin" :
	    r == COACHD__V1__ROLE__COACH ? "a coach" : "a teacher";
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

/*
 * Make sure an admin principal exists for an admin token.  A new admin
 * may not take the id of a coach or teacher: a certificate naming that id
 * must mean one person in one role.
 */
static enum store_status
st_admin_ensure(struct store *st, const char *user, int64_t created,
    char *err, size_t errlen)
{
	struct store_user	 u;
	sqlite3_stmt		*s;
	enum store_status	 ret;
	Coachd__V1__Role	 r;

	ret = st_resolve(st, COACHD__V1__ROLE__ADMIN, user, &u, err, errlen);
	if (ret == STORE_OK)
		return STORE_OK;
	if (ret != STORE_NOTFOUND)
		return ret;
	for (r = COACHD__V1__ROLE__COACH; r <= COACHD__V1__ROLE__TEACHER; r++) {
		ret = st_resolve(st, r, user, &u, err, errlen);
		if (ret == STORE_OK)
			return store_errf(err, errlen, STORE_INVALID, "token: "
			    "'%s' is a %s's id; an administrator needs an id "
			    "of their own", user, st_role_name(r));
		if (ret != STORE_NOTFOUND)
			return ret;
	}

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
		if ((ret = st_admin_ensure(st, user, created, err, errlen)) !=
		    STORE_OK)
			return ret;
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

/*
 * The row of the secret whose SHA-256 is hash (?1 of sql): STORE_OK with
 * the row current in *sp (the caller resets it), else NOTFOUND with
 * notfound as the message -- which names no secret -- or the failure.
 */
static enum store_status
st_by_hash(struct store *st, const char *sql, const unsigned char hash[32],
    const char *notfound, sqlite3_stmt **sp, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((*sp = s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return store_errf(err, errlen, STORE_NOTFOUND, "%s", notfound);
}

enum store_status
store_token_find(struct store *st, const unsigned char hash[32],
    struct store_user *out, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	Coachd__V1__Role	 role;
	char			 user[STORE_ID_MAX + 1];
	int			 notes;
	enum store_status	 ret;

	if ((ret = st_by_hash(st, "SELECT role, user, note_rights FROM tokens "
	    "WHERE hash = ?1 AND revoked = 0", hash, "unknown or revoked token",
	    &s, err, errlen)) != STORE_OK)
		return ret;
	role = (Coachd__V1__Role)sqlite3_column_int(s, 0);
	st_copy(user, sizeof user, sqlite3_column_text(s, 1));
	notes = sqlite3_column_int(s, 2) != 0;
	sqlite3_reset(s);
	if ((ret = st_resolve(st, role, user, out, err, errlen)) != STORE_OK)
		return ret;
	out->note_rights = notes && role != COACHD__V1__ROLE__ADMIN;
	return STORE_OK;
}

enum store_status
store_token_revoke(struct store *st, const char *token_id, char *err,
    size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	int			 revoked;

	s = store_prepare(st, "SELECT revoked FROM tokens WHERE token_id = ?1",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, token_id, -1, SQLITE_STATIC);
	if ((ret = store_step_row(st, s, "token", token_id, err, errlen)) !=
	    STORE_OK)
		return ret;
	revoked = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	if (revoked)
		return store_errf(err, errlen, STORE_CONFLICT,
		    "token '%s' is already revoked", token_id);
	return store_exec_id(st, "UPDATE tokens SET revoked = 1 WHERE "
	    "token_id = ?1", token_id, err, errlen);
}

enum store_status
store_token_list(struct store *st, Coachd__V1__TokenList **out, char *err,
    size_t errlen)
{
	return store_list_sql(st, "SELECT token_id AS id, role, user, label, "
	    "created, revoked, created_by, note_rights FROM tokens ORDER BY "
	    "created, token_id", &coachd__v1__token_list__descriptor, "tokens",
	    out, err, errlen);
}

/*
 * Principal for a certificate CN: the one user with that exact id.  An id
 * held in two roles (an admin and a coach, say) names nobody: which role
 * a certificate grants must never depend on lookup order.
 */
enum store_status
store_user_find(struct store *st, const char *user, struct store_user *out,
    char *err, size_t errlen)
{
	static const Coachd__V1__Role order[] = { COACHD__V1__ROLE__ADMIN,
	    COACHD__V1__ROLE__COACH, COACHD__V1__ROLE__TEACHER };
	struct store_user	u;
	enum store_status	ret;
	size_t			i, found = 0;
	const char		*first = "";

	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		ret = st_resolve(st, order[i], user, &u, err, errlen);
		if (ret == STORE_NOTFOUND)
			continue;
		if (ret != STORE_OK)
			return ret;
		if (found++ > 0)
			return store_errf(err, errlen, STORE_CONFLICT, "'%s' is "
			    "the id of both %s and %s; a certificate must "
			    "name one user in one role", user, first,
			    st_role_a(order[i]));
		first = st_role_a(order[i]);
		*out = u;
	}
	if (found == 0)
		return store_errf(err, errlen, STORE_NOTFOUND, "no user '%s'",
		    user);
	return STORE_OK;
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

/* ---- the trust module: note rights, enrolment codes, auth epoch --------- */

/*
 * tokens.note_rights: only a token its holder redeemed (enrolment) may
 * read notes; every token from before is one an admin issued, so 0.
 *
 * enrol_codes: one-time codes an admin issues for a coach or teacher;
 * only the SHA-256 is kept.  used is when it was redeemed (0: not yet),
 * token_id the token it became.
 *
 * auth_epoch: a counter the triggers bump whenever a credential may stop
 * meaning what it meant (token revoked, user deactivated or removed, a
 * new user whose id makes a certificate's CN ambiguous).
 * Open connections compare it with the value they saw at hello and
 * re-check their principal only when it moved (auth_recheck), so every
 * write path, an import's included, reaches them without knowing they
 * exist.
 */
static const char trust_schema_v1[] =
	"ALTER TABLE tokens ADD COLUMN note_rights INTEGER NOT NULL DEFAULT 0 "
	"CHECK (note_rights IN (0,1));"
	"CREATE TABLE enrol_codes ("
	" id TEXT PRIMARY KEY,"
	" hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),"
	" role INTEGER NOT NULL CHECK (role IN (2,3)),"
	" user TEXT NOT NULL,"
	" created INTEGER NOT NULL,"
	" expires INTEGER NOT NULL,"
	" created_by TEXT NOT NULL,"
	" used INTEGER NOT NULL DEFAULT 0,"
	" token_id TEXT NOT NULL DEFAULT '',"
	" revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0,1)));"
	"CREATE TABLE auth_epoch ("
	" id INTEGER PRIMARY KEY CHECK (id = 1),"
	" gen INTEGER NOT NULL);"
	"INSERT INTO auth_epoch (id, gen) VALUES (1, 0);"
	"CREATE TRIGGER auth_epoch_token AFTER UPDATE OF revoked, role, user, "
	" note_rights ON tokens BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_token_del AFTER DELETE ON tokens BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_admin AFTER UPDATE OF active ON admins"
	" WHEN OLD.active <> NEW.active BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_admin_del AFTER DELETE ON admins BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_coach AFTER UPDATE OF active ON coaches"
	" WHEN OLD.active <> NEW.active BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_coach_del AFTER DELETE ON coaches BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_teacher AFTER UPDATE OF active ON teachers"
	" WHEN OLD.active <> NEW.active BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_teacher_del AFTER DELETE ON teachers BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	/* a new row may make a certificate's CN ambiguous (two roles) */
	"CREATE TRIGGER auth_epoch_admin_new AFTER INSERT ON admins BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_coach_new AFTER INSERT ON coaches BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;"
	"CREATE TRIGGER auth_epoch_teacher_new AFTER INSERT ON teachers BEGIN"
	" UPDATE auth_epoch SET gen = gen + 1; END;";

static const struct store_migration trust_steps[] = {
	{ 1, trust_schema_v1 },
};

const struct store_schema store_trust_schema = {
	"trust", trust_steps, sizeof trust_steps / sizeof trust_steps[0]
};

enum store_status
store_auth_epoch(struct store *st, int64_t *gen, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	*gen = 0;
	s = store_prepare(st, "SELECT gen FROM auth_epoch WHERE id = 1", err,
	    errlen);
	if (s == NULL)
		return STORE_ERROR;
	if ((ret = store_step_row(st, s, "auth epoch", "", err, errlen)) !=
	    STORE_OK)
		return ret;
	*gen = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_status
store_token_grant_notes(struct store *st, const char *token_id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "UPDATE tokens SET note_rights = 1 WHERE "
	    "token_id = ?1 AND role IN (2,3)", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, token_id, -1, SQLITE_STATIC);
	return store_update_one(st, s, "coach or teacher token", token_id, err,
	    errlen);
}

/*
 * The role of a coach or teacher id: the given one when set (checked),
 * else whichever table holds it; an id held by both needs the role said.
 */
static enum store_status
st_enrol_role(struct store *st, Coachd__V1__Role *role, const char *user,
    char *err, size_t errlen)
{
	struct store_user	u;
	enum store_status	rc, rt;

	if (*role == COACHD__V1__ROLE__ADMIN)
		return store_errf(err, errlen, STORE_INVALID, "enrolment is for "
		    "coaches and teachers; administrators get tokens from "
		    "`coachctl admin token create --role admin`");
	if (*role != COACHD__V1__ROLE__ROLE_UNSPECIFIED) {
		rc = st_resolve(st, *role, user, &u, err, errlen);
		if (rc == STORE_NOTFOUND)
			return store_errf(err, errlen, STORE_NOTFOUND,
			    "enrolment: no %s '%s'", st_role_name(*role), user);
		if (rc != STORE_OK)
			return rc;
	} else {
		rc = st_resolve(st, COACHD__V1__ROLE__COACH, user, &u, err,
		    errlen);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			return rc;
		rt = st_resolve(st, COACHD__V1__ROLE__TEACHER, user, &u, err,
		    errlen);
		if (rt != STORE_OK && rt != STORE_NOTFOUND)
			return rt;
		if (rc == STORE_OK && rt == STORE_OK)
			return store_errf(err, errlen, STORE_INVALID, "enrolment: "
			    "'%s' is both a coach and a teacher; say which "
			    "(--role)", user);
		if (rc == STORE_NOTFOUND && rt == STORE_NOTFOUND)
			return store_errf(err, errlen, STORE_NOTFOUND,
			    "enrolment: no coach or teacher '%s'", user);
		*role = rc == STORE_OK ? COACHD__V1__ROLE__COACH :
		    COACHD__V1__ROLE__TEACHER;
		rc = st_resolve(st, *role, user, &u, err, errlen);
		if (rc != STORE_OK)
			return rc;
	}
	if (!u.active)
		return store_errf(err, errlen, STORE_INVALID, "enrolment: %s "
		    "'%s' is inactive", st_role_name(*role), user);
	return STORE_OK;
}

enum store_status
store_enrol_add(struct store *st, const char *id,
    const unsigned char hash[32], Coachd__V1__Role *role, const char *user,
    int64_t created, int64_t expires, const char *created_by, char *err,
    size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;

	if (!store_id_valid(user))
		return store_errf(err, errlen, STORE_INVALID, "enrolment: user "
		    "'%s' is not a valid id (1-%d of A-Z a-z 0-9 . _ -)",
		    user != NULL ? user : "", STORE_ID_MAX);
	if ((ret = st_enrol_role(st, role, user, err, errlen)) != STORE_OK)
		return ret;
	s = store_prepare(st, "INSERT INTO enrol_codes (id, hash, role, user, "
	    "created, expires, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	    err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, (int)*role);
	sqlite3_bind_text(s, 4, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, created);
	sqlite3_bind_int64(s, 6, expires);
	sqlite3_bind_text(s, 7, created_by, -1, SQLITE_STATIC);
	return store_step_done(st, s, err, errlen);
}

/*
 * The code with this hash, if it may still be redeemed at now: its id and
 * its (active) user.  The messages say why not, and name nobody.
 */
enum store_status
store_enrol_find(struct store *st, const unsigned char hash[32], int64_t now,
    char *id, size_t idlen, struct store_user *out, char *err, size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	Coachd__V1__Role	 role;
	char			 user[STORE_ID_MAX + 1];
	int64_t			 expires, used;
	int			 revoked;

	if ((ret = st_by_hash(st, "SELECT id, role, user, expires, used, "
	    "revoked FROM enrol_codes WHERE hash = ?1", hash,
	    "unknown enrolment code", &s, err, errlen)) != STORE_OK)
		return ret;
	st_copy(id, idlen, sqlite3_column_text(s, 0));
	role = (Coachd__V1__Role)sqlite3_column_int(s, 1);
	st_copy(user, sizeof user, sqlite3_column_text(s, 2));
	expires = sqlite3_column_int64(s, 3);
	used = sqlite3_column_int64(s, 4);
	revoked = sqlite3_column_int(s, 5);
	sqlite3_reset(s);
	if (used != 0)
		return store_errf(err, errlen, STORE_CONFLICT, "enrolment code "
		    "%s was already used; if that was not you, tell your "
		    "coaching lead and ask for a new one", id);
	if (revoked)
		return store_errf(err, errlen, STORE_CONFLICT, "enrolment code "
		    "%s was revoked; ask for a new one", id);
	if (now >= expires)
		return store_errf(err, errlen, STORE_CONFLICT, "enrolment code "
		    "%s has expired; ask for a new one", id);
	if ((ret = st_resolve(st, role, user, out, err, errlen)) != STORE_OK)
		return ret;
	if (!out->active)
		return store_errf(err, errlen, STORE_CONFLICT, "enrolment code "
		    "%s is for a deactivated user", id);
	return STORE_OK;
}

enum store_status
store_enrol_used(struct store *st, const char *id, const char *token_id,
    int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	s = store_prepare(st, "UPDATE enrol_codes SET used = ?2, token_id = ?3 "
	    "WHERE id = ?1 AND used = 0 AND revoked = 0", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now > 0 ? now : 1);
	sqlite3_bind_text(s, 3, token_id, -1, SQLITE_STATIC);
	return store_update_one(st, s, "unused enrolment code", id, err,
	    errlen);
}

enum store_status
store_enrol_revoke(struct store *st, const char *id, char *err,
    size_t errlen)
{
	sqlite3_stmt		*s;
	enum store_status	 ret;
	int			 rc;

	s = store_prepare(st, "SELECT used, revoked FROM enrol_codes WHERE "
	    "id = ?1", err, errlen);
	if (s == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if ((ret = store_step_row(st, s, "enrolment code", id, err, errlen)) !=
	    STORE_OK)
		return ret;
	rc = sqlite3_column_int64(s, 0) != 0 ? 1 :
	    sqlite3_column_int(s, 1) != 0 ? 2 : 0;
	sqlite3_reset(s);
	if (rc == 1)
		return store_errf(err, errlen, STORE_CONFLICT, "enrolment code "
		    "'%s' was already redeemed; revoke its token instead", id);
	if (rc == 2)
		return store_errf(err, errlen, STORE_CONFLICT, "enrolment code "
		    "'%s' is already revoked", id);
	return store_exec_id(st, "UPDATE enrol_codes SET revoked = 1 WHERE "
	    "id = ?1", id, err, errlen);
}

enum store_status
store_enrol_list(struct store *st, Coachd__V1__EnrolList **out, char *err,
    size_t errlen)
{
	return store_list_sql(st, "SELECT id, role, user, created, expires, "
	    "created_by, used, token_id, revoked FROM enrol_codes ORDER BY "
	    "created, id", &coachd__v1__enrol_list__descriptor, "codes", out,
	    err, errlen);
}
