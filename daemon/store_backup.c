/*
 * store_backup.c: `coachd --backup FILE`, a consistent copy of the
 * database taken while coachd runs.
 *
 * SQLite's online backup copies the pages inside one read transaction, so
 * the copy is a snapshot of some committed state even while the daemon
 * keeps writing (in WAL mode readers never block the writer).  Copying
 * the file with cp instead can catch it between a write to the main file
 * and a checkpoint of the -wal file and produce a torn database.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"

/* How long to wait for the daemon's writer before giving up, in ms. */
#define BACKUP_BUSY_MS	10000

enum store_status
store_backup(const char *path, const char *dest, char *err, size_t errlen)
{
	sqlite3			*src = NULL, *dst = NULL;
	sqlite3_backup		*b;
	enum store_status	 ret = STORE_ERROR;
	int			 fd, rc;

	/*
	 * Never overwrite: an old backup may be the only good copy.  Mode
	 * 0600 from the start, as the file holds confidential notes.
	 */
	if ((fd = open(dest, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return store_errf(err, errlen, errno == EEXIST ?
		    STORE_CONFLICT : STORE_ERROR, "%s: %s", dest,
		    strerror(errno));
	close(fd);
	/* Read-write without create: a missing database is an error, and
	 * WAL needs to map the -shm file even to read. */
	if ((rc = sqlite3_open_v2(path, &src, SQLITE_OPEN_READWRITE,
	    NULL)) != SQLITE_OK) {
		store_errf(err, errlen, STORE_ERROR, "%s: %s", path,
		    src != NULL ? sqlite3_errmsg(src) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(src, BACKUP_BUSY_MS);
	if ((rc = sqlite3_open_v2(dest, &dst, SQLITE_OPEN_READWRITE,
	    NULL)) != SQLITE_OK) {
		store_errf(err, errlen, STORE_ERROR, "%s: %s", dest,
		    dst != NULL ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		store_errf(err, errlen, STORE_ERROR, "%s: %s", dest,
		    sqlite3_errmsg(dst));
		goto out;
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		store_errf(err, errlen, STORE_ERROR, "%s: %s", path,
		    sqlite3_errstr(rc));
		goto out;
	}
	ret = STORE_OK;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	if (ret != STORE_OK)
		unlink(dest);
	return ret;
}
