/*
 * store_feed: the feed_tokens table and the session query the
 * feeds are rendered from.  Feed tokens are secrets: only their SHA-256
 * is stored, like the API tokens in store_token.c.
 *
 * The session query reads sessions with the names around them (school,
 * coach, teacher, class, the cycle's question topic).  It never touches
 * cycle_notes: coaching notes are confidential and stay out of feeds.
 */
#ifndef STORE_FEED_H
#define STORE_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define STORE_FEED_HASH_LEN	32

extern const struct store_schema store_feed_schema;

enum store_feed_kind {
	STORE_FEED_TEACHER = 0,
	STORE_FEED_COACH,
	STORE_FEED_SCHOOL
};

/* One feed_tokens row. */
struct store_feed_token {
	int64_t			id;
	enum store_feed_kind	kind;
	char			subject[STORE_ID_MAX + 1];
	unsigned char		hash[STORE_FEED_HASH_LEN];
	int64_t			created_at;
	int			revoked;
};

/* "teacher", "coach", "school"; and back (-1 for anything else). */
const char	*store_feed_kind_name(enum store_feed_kind);
int		 store_feed_kind_parse(const char *);

/* Insert a live token for (kind, subject); *id receives its row id. */
enum store_status store_feed_token_add(struct store *, enum store_feed_kind,
		    const char *subject, const unsigned char *hash,
		    int64_t now, int64_t *id, char *err, size_t errlen);
/* The live (unrevoked) token of (kind, subject): STORE_NOTFOUND if none. */
enum store_status store_feed_token_live(struct store *, enum store_feed_kind,
		    const char *subject, struct store_feed_token *out,
		    char *err, size_t errlen);
/* Revoke every live token of (kind, subject); *n gets how many. */
enum store_status store_feed_token_revoke(struct store *,
		    enum store_feed_kind, const char *subject, int64_t now,
		    int *n, char *err, size_t errlen);
/* Every token, live and revoked, in id order (malloc'd array). */
enum store_status store_feed_token_all(struct store *,
		    struct store_feed_token **out, size_t *n, char *err,
		    size_t errlen);
/* Whether the teacher/coach/school exists (STORE_OK or STORE_NOTFOUND). */
enum store_status store_feed_subject_exists(struct store *,
		    enum store_feed_kind, const char *subject, char *err,
		    size_t errlen);
/* All a feed shows of the subject ("name <email>"; a school: its name). */
enum store_status store_feed_subject_shown(struct store *,
		    enum store_feed_kind, const char *subject, char *buf,
		    size_t len, char *err, size_t errlen);
/*
 * The subject's name or e-mail changed: its sessions (live, and cancelled
 * ones whose retention runs from cancelled_at) count as modified now, so
 * feeds show a new LAST-MODIFIED and calendar programs take the new text.
 */
enum store_status store_feed_sessions_touched(struct store *,
		    enum store_feed_kind, const char *subject, int64_t now,
		    char *err, size_t errlen);
/* Display name of the subject ("" when unknown), for the calendar name. */
enum store_status store_feed_subject_name(struct store *,
		    enum store_feed_kind, const char *subject, char *name,
		    size_t namelen, char *err, size_t errlen);

/*
 * Every feed whose text shows the subject's roster record: fn(coach,
 * teacher, school, arg) once per distinct place of the subject's sessions
 * (strings valid during the call).  fn returns nonzero to stop early.
 */
typedef int	(*store_feed_place_fn)(const char *coach, const char *teacher,
		    const char *school, void *arg);
enum store_status store_feed_places(struct store *, enum store_feed_kind,
		    const char *subject, store_feed_place_fn fn, void *arg,
		    char *err, size_t errlen);
/*
 * The places (as store_feed_places) of the cancelled or declined sessions
 * whose retention ended in [from, to): cancelled_at (else modified_at)
 * in [from - retention, to - retention).  Those leave their feeds.
 */
enum store_status store_feed_expired(struct store *, int64_t from,
		    int64_t to, int64_t retention, store_feed_place_fn fn,
		    void *arg, char *err, size_t errlen);

/* One session as a feed shows it; strings owned by the row. */
struct store_feed_session {
	char	*uid, *kind, *status;
	int64_t	 sequence;
	char	*date;			/* YYYY-MM-DD */
	int	 start_min, end_min;
	char	*room, *period;
	int64_t	 created_at, modified_at;
	char	*school_name;
	char	*coach_id, *coach_name, *coach_email;
	char	*teacher_id, *teacher_name, *teacher_email;
	char	*class_title, *class_subject, *class_room;
	char	*topic;			/* topic id, "" if none */
};

/*
 * Sessions of one feed: requested, proposed and confirmed ones, plus
 * cancelled/declined ones whose
 * cancellation (cancelled_at, else modified_at) is newer than keep_since.
 * *out is a malloc'd array freed with store_feed_sessions_free().
 */
enum store_status store_feed_sessions(struct store *, enum store_feed_kind,
		    const char *subject, int64_t keep_since,
		    struct store_feed_session **out, size_t *n, char *err,
		    size_t errlen);
void		store_feed_sessions_free(struct store_feed_session *, size_t);

#endif
