/*
 * notekey: where the key that seals coaching notes comes from, and the
 * offline key rotation.  The key is never in the database; the database
 * records only its id (store_note.c), so a wrong or missing key stops
 * coachd at start-up instead of losing or garbling notes.
 *
 * Sources, first match wins:
 *   [store] note_key = FILE              a key file (mode 0600 or stricter)
 *   [store] note_key_credential = NAME   $CREDENTIALS_DIRECTORY/NAME (systemd)
 *   neither: note.key in the database's folder, created (0600) on the
 *   first start of a database that has never been sealed.
 */
#ifndef NOTEKEY_H
#define NOTEKEY_H

#include <stddef.h>

#include "seal.h"

struct coachd_config;
struct store;

/* What notekey_open() did, for the start-up log line. */
struct notekey_info {
	char	source[1100];		/* the file the key came from */
	char	id[SEAL_ID_HEX];	/* its key id */
	int	generated;		/* 1: the file was created now */
	int	nsealed;		/* plaintext notes sealed now */
};

/*
 * Load the configured key into *k (kept alive by the caller while st is
 * open) and attach it to st, sealing any plaintext notes.  0, or -1 with
 * err filled; st is unchanged on failure.
 */
int	notekey_open(const struct coachd_config *, struct store *st,
	    struct seal_key *k, struct notekey_info *, char *err,
	    size_t errlen);
/*
 * coachd --rotate-note-key FILE: open the database (coachd must be
 * stopped), check the configured key, re-seal every note with the key in
 * FILE in one transaction.  0 with *n notes re-sealed, or -1 with err.
 */
int	notekey_rotate(const struct coachd_config *, const char *newpath,
	    int *n, char *newid, size_t newidlen, char *err, size_t errlen);
/*
 * --check-config: the configured key source can be read and holds a key
 * (without the database, so not whether it is the database's key).
 */
int	notekey_check(const struct coachd_config *, char *err, size_t errlen);
/* Read a key file (refused if group or others may read it). */
int	notekey_read(const char *path, struct seal_key *k, char *err,
	    size_t errlen);

#endif
