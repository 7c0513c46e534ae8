/*
 * notekey.c: the note key's sources (see notekey.h) and rotation.
 *
 * A key file that group or others may read is refused: the whole point
 * of sealing is that a copy of the state folder or of a backup reveals
 * nothing, which fails if the key is as readable as the database.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "config.h"
#include "errmsg.h"
#include "notekey.h"
#include "store.h"
#include "store_sched.h"

#define NOTEKEY_FILE		"note.key"
#define NOTEKEY_READ_MAX	256	/* a hex key and some whitespace */

int
notekey_read(const char *path, struct seal_key *k, char *err, size_t errlen)
{
	unsigned char	buf[NOTEKEY_READ_MAX];
	struct stat	sb;
	ssize_t		n;
	int		fd, rc = -1;

	if ((fd = open(path, O_RDONLY | O_NOCTTY)) == -1)
		return errmsg(err, errlen, "note key %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) == -1) {
		errmsg(err, errlen, "note key %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		errmsg(err, errlen, "note key %s: not a regular file", path);
		goto out;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		errmsg(err, errlen, "note key %s: group or others may read it "
		    "(mode %04o); chmod 600 it", path,
		    (unsigned)(sb.st_mode & 07777));
		goto out;
	}
	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		errmsg(err, errlen, "note key %s: %s", path, strerror(errno));
		goto out;
	}
	if (seal_key_parse(k, buf, (size_t)n, err, errlen) == -1) {
		char	why[ERRMSG_LEN];

		snprintf(why, sizeof(why), "%s", err);
		errmsg(err, errlen, "note key %s: %s", path, why);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return rc;
}

/* note.key in the folder of the database. */
static int
notekey_default_path(const struct coachd_config *c, char *out, size_t len)
{
	const char	*slash = strrchr(c->db_path, '/');
	int		 n;

	if (slash == NULL)
		n = snprintf(out, len, "%s", NOTEKEY_FILE);
	else
		n = snprintf(out, len, "%.*s/%s", (int)(slash - c->db_path),
		    c->db_path, NOTEKEY_FILE);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* $CREDENTIALS_DIRECTORY/name, the file systemd's LoadCredential= made. */
static int
notekey_credential_path(const char *name, char *out, size_t len, char *err,
    size_t errlen)
{
	const char	*dir = getenv("CREDENTIALS_DIRECTORY");
	int		 n;

	if (strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return errmsg(err, errlen, "[store] note_key_credential: "
		    "'%s' is not a credential name", name);
	if (dir == NULL || dir[0] == '\0')
		return errmsg(err, errlen, "[store] note_key_credential = %s, "
		    "but $CREDENTIALS_DIRECTORY is not set (run coachd with "
		    "LoadCredential=%s:FILE in its systemd unit)", name, name);
	n = snprintf(out, len, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len)
		return errmsg(err, errlen, "$CREDENTIALS_DIRECTORY/%s: path "
		    "too long", name);
	return 0;
}

/* Create path (0600, never overwriting) holding a new random key. */
static int
notekey_generate(const char *path, struct seal_key *k, char *err,
    size_t errlen)
{
	char	hex[2 * SEAL_KEY_LEN + 2];
	size_t	len;
	int	fd, rc = -1;

	if (seal_key_generate(k, hex, err, errlen) == -1)
		return -1;
	strcat(hex, "\n");
	len = strlen(hex);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY,
	    0600)) == -1) {
		errmsg(err, errlen, "note key %s: cannot create: %s", path,
		    strerror(errno));
		goto out;
	}
	if (write(fd, hex, len) != (ssize_t)len || fsync(fd) == -1) {
		errmsg(err, errlen, "note key %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		goto out;
	}
	close(fd);
	rc = 0;
out:
	OPENSSL_cleanse(hex, sizeof(hex));
	return rc;
}

/*
 * The key with no source configured: note.key beside the database, made
 * now if the database was never sealed.  A sealed database without the
 * file is an error: a new key would open none of its notes.
 */
static int
notekey_default(const struct coachd_config *c, struct store *st,
    struct seal_key *k, struct notekey_info *info, char *err, size_t errlen)
{
	char	have[SEAL_ID_HEX];
	int	recorded;

	if (notekey_default_path(c, info->source, sizeof(info->source)) == -1)
		return errmsg(err, errlen, "%s: path too long", c->db_path);
	if (access(info->source, F_OK) == 0)
		return notekey_read(info->source, k, err, errlen);
	if ((recorded = store_note_key_recorded(st, have, sizeof(have), err,
	    errlen)) == -1)
		return -1;
	if (recorded)
		return errmsg(err, errlen, "this database's notes are sealed "
		    "(key id %s) but no note key is configured ([store] "
		    "note_key or note_key_credential) and %s does not exist",
		    have, info->source);
	info->generated = 1;
	return notekey_generate(info->source, k, err, errlen);
}

/* The configured key into *k; info->source names where it came from. */
static int
notekey_load(const struct coachd_config *c, struct store *st,
    struct seal_key *k, struct notekey_info *info, char *err, size_t errlen)
{
	if (c->note_key[0] != '\0' && c->note_key_credential[0] != '\0')
		return errmsg(err, errlen, "[store] note_key and "
		    "note_key_credential are both set; use one");
	if (c->note_key[0] != '\0') {
		snprintf(info->source, sizeof(info->source), "%s",
		    c->note_key);
		return notekey_read(c->note_key, k, err, errlen);
	}
	if (c->note_key_credential[0] != '\0') {
		if (notekey_credential_path(c->note_key_credential,
		    info->source, sizeof(info->source), err, errlen) == -1)
			return -1;
		return notekey_read(info->source, k, err, errlen);
	}
	return notekey_default(c, st, k, info, err, errlen);
}

int
notekey_check(const struct coachd_config *c, char *err, size_t errlen)
{
	struct seal_key	k;
	char		path[1100];
	int		rc;

	if (c->note_key[0] != '\0' && c->note_key_credential[0] != '\0')
		return errmsg(err, errlen, "[store] note_key and "
		    "note_key_credential are both set; use one");
	if (c->note_key[0] != '\0')
		snprintf(path, sizeof(path), "%s", c->note_key);
	else if (c->note_key_credential[0] == '\0')
		return 0;	/* note.key beside the database, made if needed */
	else if (notekey_credential_path(c->note_key_credential, path,
	    sizeof(path), err, errlen) == -1)
		return -1;
	rc = notekey_read(path, &k, err, errlen);
	seal_key_clear(&k);
	return rc;
}

int
notekey_open(const struct coachd_config *c, struct store *st,
    struct seal_key *k, struct notekey_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof(*info));
	if (notekey_load(c, st, k, info, err, errlen) == -1)
		return -1;
	seal_key_id_hex(k, info->id);
	if (store_note_key_attach(st, k, (int64_t)time(NULL), &info->nsealed,
	    err, errlen) != STORE_OK) {
		seal_key_clear(k);
		return -1;
	}
	return 0;
}

int
notekey_rotate(const struct coachd_config *c, const char *newpath, int *n,
    char *newid, size_t newidlen, char *err, size_t errlen)
{
	struct seal_key		 cur, nk;
	struct notekey_info	 info;
	struct store		*st = NULL;
	char			 id[SEAL_ID_HEX];
	int			 rc = -1;

	*n = 0;
	memset(&cur, 0, sizeof(cur));
	memset(&nk, 0, sizeof(nk));
	if (notekey_read(newpath, &nk, err, errlen) == -1)
		goto out;
	if (store_open(c->db_path, &st, err, errlen) != STORE_OK)
		goto out;
	if (notekey_open(c, st, &cur, &info, err, errlen) == -1)
		goto out;
	if (memcmp(cur.id, nk.id, SEAL_ID_LEN) == 0) {
		errmsg(err, errlen, "%s is the key the notes are sealed with "
		    "already", newpath);
		goto out;
	}
	if (store_note_rekey(st, &nk, (int64_t)time(NULL), n, err, errlen) !=
	    STORE_OK)
		goto out;
	seal_key_id_hex(&nk, id);
	snprintf(newid, newidlen, "%s", id);
	rc = 0;
out:
	if (st != NULL)
		store_set_note_key(st, NULL);
	store_close(st);
	seal_key_clear(&cur);
	seal_key_clear(&nk);
	return rc;
}
