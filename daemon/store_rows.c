/*
 * store_rows.c: from SQLite rows to the records callers get back.
 *
 * Every list query of the store_*.c modules ends in the one row loop here
 * (store_collect*), so stepping, growing the array, resetting the
 * statement and mapping a failure are written once.  Rows that are
 * protocol messages need no code of their own at all: the columns' SQL
 * names say which field each fills, read through the message's
 * protobuf-c descriptor.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "xmalloc.h"

/* Heap copy of a text column; "" for a NULL column. */
char *
store_column_strdup(sqlite3_stmt *s, int col)
{
	const unsigned char	*t;

	t = sqlite3_column_text(s, col);
	return xstrdup(t != NULL ? (const char *)t : "");
}

/* Column 0 as a new string, a row function for store_collect(). */
void *
store_column0(sqlite3_stmt *s)
{
	return store_column_strdup(s, 0);
}

/*
 * Protocol messages from rows: the field of a message each result column
 * fills, found once per statement by the column's name (its SQL alias).
 */
struct store_msg_map {
	const ProtobufCMessageDescriptor	*d;
	const ProtobufCFieldDescriptor		**fields;
	int					  ncols;
};

/* Resolve every column of s to a field of d; a stray name is a bug. */
static void
store_msg_map_init(struct store_msg_map *m, sqlite3_stmt *s,
    const ProtobufCMessageDescriptor *d)
{
	const char	*name;
	int		 i;

	m->d = d;
	m->ncols = sqlite3_column_count(s);
	m->fields = xcalloc((size_t)m->ncols + 1, sizeof *m->fields);
	for (i = 0; i < m->ncols; i++) {
		name = sqlite3_column_name(s, i);
		m->fields[i] = name != NULL ?
		    protobuf_c_message_descriptor_get_field_by_name(d, name) :
		    NULL;
		if (m->fields[i] == NULL ||
		    m->fields[i]->label == PROTOBUF_C_LABEL_REPEATED)
			fatalx("store: column '%s' is no field of %s",
			    name != NULL ? name : "?", d->name);
	}
}

/* Column i into the field at p, by the field's type. */
static void
store_msg_set(sqlite3_stmt *s, int i, const ProtobufCFieldDescriptor *f,
    char *p)
{
	int64_t		 v64;
	int32_t		 v32;
	char		*str;

	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING:
		str = store_column_strdup(s, i);
		memcpy(p, &str, sizeof str);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		v64 = sqlite3_column_int64(s, i);
		memcpy(p, &v64, sizeof v64);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		v32 = sqlite3_column_int(s, i) != 0;
		memcpy(p, &v32, sizeof v32);
		break;
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		v32 = sqlite3_column_int(s, i);
		memcpy(p, &v32, sizeof v32);
		break;
	default:
		fatalx("store: field %s has a type rows cannot fill", f->name);
	}
}

/*
 * The current row as a new message.  String fields no column names get
 * a heap "" too: callers replace some of them, and free_unpacked frees
 * them all.
 */
static void *
store_msg_fill(sqlite3_stmt *s, const struct store_msg_map *m)
{
	const ProtobufCFieldDescriptor	*f;
	char				*base, *str;
	unsigned			 k;
	int				 i;

	base = xcalloc(1, m->d->sizeof_message);
	m->d->message_init((ProtobufCMessage *)(void *)base);
	for (i = 0; i < m->ncols; i++)
		store_msg_set(s, i, m->fields[i], base + m->fields[i]->offset);
	for (k = 0; k < m->d->n_fields; k++) {
		f = &m->d->fields[k];
		if (f->type != PROTOBUF_C_TYPE_STRING ||
		    f->label == PROTOBUF_C_LABEL_REPEATED)
			continue;
		memcpy(&str, base + f->offset, sizeof str);
		if (str != NULL && str != protobuf_c_empty_string)
			continue;
		str = xstrdup("");
		memcpy(base + f->offset, &str, sizeof str);
	}
	return base;
}

/* How store_collect_rows() turns a row into an element. */
struct store_put {
	store_row_fn		 row;	/* element = row(s), a pointer */
	store_fill_fn		 fill;	/* fill(s, element) */
	struct store_msg_map	*map;	/* element = a new message */
};

/*
 * The one row loop: step s to its end, putting each row into a new
 * element of the array *vp.  cap starts at *n because the array may have
 * been sized exactly by someone else; xgrow doubles from there.  Elements
 * are zeroed before they are filled.
 */
static enum store_status
store_collect_rows(struct store *st, sqlite3_stmt *s, void *vp, size_t *n,
    size_t size, const struct store_put *put, char *err, size_t errlen)
{
	void	*v, *e, *p;
	size_t	 cap = *n;
	int	 rc;

	memcpy(&v, vp, sizeof v);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		xgrow(&v, &cap, *n + 1, size);
		e = (char *)v + *n * size;
		memset(e, 0, size);
		if (put->fill != NULL)
			put->fill(s, e);
		else {
			p = put->row != NULL ? put->row(s) :
			    store_msg_fill(s, put->map);
			memcpy(e, &p, sizeof p);
		}
		(*n)++;
	}
	memcpy(vp, &v, sizeof v);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc, err, errlen);
	return STORE_OK;
}

/* Rows as new records appended to an array of pointers. */
enum store_status
store_collect(struct store *st, sqlite3_stmt *s, void *vp, size_t *n,
    store_row_fn row, char *err, size_t errlen)
{
	const struct store_put	put = { .row = row };

	return store_collect_rows(st, s, vp, n, sizeof(void *), &put, err,
	    errlen);
}

/* Rows filled into an array of structs of size bytes. */
enum store_status
store_collect_into(struct store *st, sqlite3_stmt *s, void *vp, size_t *n,
    size_t size, store_fill_fn fill, char *err, size_t errlen)
{
	const struct store_put	put = { .fill = fill };

	return store_collect_rows(st, s, vp, n, size, &put, err, errlen);
}

/* Rows as new messages of d appended to an array of message pointers. */
enum store_status
store_collect_messages(struct store *st, sqlite3_stmt *s,
    const ProtobufCMessageDescriptor *d, void *vp, size_t *n, char *err,
    size_t errlen)
{
	struct store_msg_map	map;
	struct store_put	put = { .map = &map };
	enum store_status	ret;

	store_msg_map_init(&map, s, d);
	ret = store_collect_rows(st, s, vp, n, sizeof(void *), &put, err,
	    errlen);
	free(map.fields);
	return ret;
}

/* Rows as a new list message of d, in its repeated message field. */
enum store_status
store_collect_list(struct store *st, sqlite3_stmt *s,
    const ProtobufCMessageDescriptor *d, const char *field, void *outp,
    char *err, size_t errlen)
{
	const ProtobufCFieldDescriptor	*f;
	char				*l, *none = NULL;
	size_t				 n = 0;
	enum store_status		 ret;

	memcpy(outp, &none, sizeof none);
	f = protobuf_c_message_descriptor_get_field_by_name(d, field);
	if (f == NULL || f->label != PROTOBUF_C_LABEL_REPEATED ||
	    f->type != PROTOBUF_C_TYPE_MESSAGE)
		fatalx("store: %s has no list of messages '%s'", d->name,
		    field);
	l = xcalloc(1, d->sizeof_message);
	d->message_init((ProtobufCMessage *)(void *)l);
	ret = store_collect_messages(st, s, f->descriptor, l + f->offset, &n,
	    err, errlen);
	memcpy(l + f->quantifier_offset, &n, sizeof n);
	if (ret != STORE_OK) {
		protobuf_c_message_free_unpacked((ProtobufCMessage *)(void *)l,
		    NULL);
		return ret;
	}
	memcpy(outp, &l, sizeof l);
	return STORE_OK;
}

/* store_collect_list() over a query without parameters. */
enum store_status
store_list_sql(struct store *st, const char *sql,
    const ProtobufCMessageDescriptor *d, const char *field, void *outp,
    char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	void		*none = NULL;

	memcpy(outp, &none, sizeof none);
	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	return store_collect_list(st, s, d, field, outp, err, errlen);
}

/* The one row s finds for id as a new message of d, or NOTFOUND. */
enum store_status
store_get_message(struct store *st, sqlite3_stmt *s,
    const ProtobufCMessageDescriptor *d, const char *what, int64_t id,
    void *outp, char *err, size_t errlen)
{
	void	*m = NULL;
	int	 rc;

	memcpy(outp, &m, sizeof m);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		m = store_row_message(s, d);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return store_errf(err, errlen, STORE_NOTFOUND,
		    "%s %lld not found", what, (long long)id);
	if (rc != SQLITE_ROW)
		return store_fail(st, rc, err, errlen);
	memcpy(outp, &m, sizeof m);
	return STORE_OK;
}

/* The current row of s as a new message of d. */
void *
store_row_message(sqlite3_stmt *s, const ProtobufCMessageDescriptor *d)
{
	struct store_msg_map	 map;
	void			*m;

	store_msg_map_init(&map, s, d);
	m = store_msg_fill(s, &map);
	free(map.fields);
	return m;
}

/* Append a string to a heap array (records own their arrays). */
void
store_strv_push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s != NULL ? s : "");
}

/* Load a one-column list keyed on id into *v. */
enum store_status
store_strv_load(struct store *st, const char *sql, const char *id, char ***v,
    size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt	*s;

	if ((s = store_prepare(st, sql, err, errlen)) == NULL)
		return STORE_ERROR;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	return store_collect(st, s, v, n, store_column0, err, errlen);
}

/* Insert (owner, value) pairs with a two-parameter INSERT. */
enum store_status
store_strv_insert(struct store *st, const char *sql, const char *id,
    char *const *v, size_t n, char *err, size_t errlen)
{
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((s = store_prepare(st, sql, err, errlen)) == NULL)
			return STORE_ERROR;
		sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, v[i], -1, SQLITE_STATIC);
		if (store_step_done(st, s, err, errlen) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}
