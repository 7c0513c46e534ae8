/*
 * out: everything coachctl prints.  A generic protobuf-c message to JSON
 * converter driven by the message descriptors (one function serves every
 * read command's --json), and generic table and key/value views built on
 * the same descriptors and the aligned text tables of out_table.c (which
 * also replaces control characters in text that came from the server).
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coachctl.h"
#include "xmalloc.h"

/* ---- descriptor walking ---------------------------------------------- */

/* Is this field present in the message (oneof case, optional has_)? */
static int
field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
	const char	*base = (const char *)m;

	if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		return *(const uint32_t *)(const void *)(base +
		    fd->quantifier_offset) == fd->id;
	if (fd->label == PROTOBUF_C_LABEL_OPTIONAL &&
	    fd->type != PROTOBUF_C_TYPE_MESSAGE &&
	    fd->type != PROTOBUF_C_TYPE_STRING)
		return *(const protobuf_c_boolean *)(const void *)(base +
		    fd->quantifier_offset);
	if (fd->type == PROTOBUF_C_TYPE_MESSAGE)
		return *(void *const *)(const void *)(base + fd->offset) !=
		    NULL;
	return 1;
}

/* Element i of a repeated field, or the field itself (n == 1). */
static const void *
field_elem(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd,
    size_t *n)
{
	const char	*base = (const char *)m;

	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		*n = *(const size_t *)(const void *)(base +
		    fd->quantifier_offset);
		return *(void *const *)(const void *)(base + fd->offset);
	}
	*n = 1;
	return base + fd->offset;
}

static size_t
type_size(ProtobufCType t)
{
	switch (t) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		return 8;
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_DOUBLE:
		return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
	default:
		return sizeof(void *);
	}
}

/* Lowercase name of an enum value, "" if unknown; buf holds the result. */
static const char *
enum_name(const ProtobufCEnumDescriptor *ed, int v, char *buf, size_t len)
{
	const ProtobufCEnumValue	*ev;
	size_t				 i;

	if ((ev = protobuf_c_enum_descriptor_get_value(ed, v)) == NULL) {
		snprintf(buf, len, "%d", v);
		return buf;
	}
	for (i = 0; ev->name[i] != '\0' && i + 1 < len; i++)
		buf[i] = (char)tolower((unsigned char)ev->name[i]);
	buf[i] = '\0';
	return buf;
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *
base64(const ProtobufCBinaryData *b)
{
	static const char	 tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	json_t			*j;
	char			*s;
	size_t			 i, o = 0;
	uint32_t		 v;

	s = xmalloc((b->len + 2) / 3 * 4 + 1);
	for (i = 0; i < b->len; i += 3) {
		v = (uint32_t)b->data[i] << 16;
		if (i + 1 < b->len)
			v |= (uint32_t)b->data[i + 1] << 8;
		if (i + 2 < b->len)
			v |= b->data[i + 2];
		s[o++] = tab[v >> 18 & 63];
		s[o++] = tab[v >> 12 & 63];
		s[o++] = i + 1 < b->len ? tab[v >> 6 & 63] : '=';
		s[o++] = i + 2 < b->len ? tab[v & 63] : '=';
	}
	s[o] = '\0';
	j = json_string(s);
	free(s);
	return j;
}

/* Invalid UTF-8 cannot be JSON: show such bytes as '?' rather than fail. */
static json_t *
string_json(const char *s)
{
	const unsigned char	*p;
	json_t			*j;
	char			*copy;
	size_t			 i, n;
	uint32_t		 c;

	if (s == NULL)
		return json_string("");
	if ((j = json_string(s)) != NULL)
		return j;
	copy = xstrdup(s);
	for (i = 0; copy[i] != '\0'; i += n) {
		p = (const unsigned char *)copy + i;
		n = out_utf8_decode(p, &c);
		if (c == 0xfffd && n == 1 && *p >= 0x80)
			copy[i] = '?';
	}
	j = json_string(copy);
	free(copy);
	return j;
}

/* JSON for one value of type fd->type stored at p. */
static json_t *
value_json(const ProtobufCFieldDescriptor *fd, const void *p)
{
	char		buf[128];
	uint64_t	u;

	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		return json_integer(*(const int32_t *)p);
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return json_integer(*(const uint32_t *)p);
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return json_integer(*(const int64_t *)p);
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		u = *(const uint64_t *)p;
		/* JSON integers stop at int64; keep larger ones exact. */
		if (u > INT64_MAX) {
			snprintf(buf, sizeof(buf), "%" PRIu64, u);
			return json_string(buf);
		}
		return json_integer((json_int_t)u);
	case PROTOBUF_C_TYPE_FLOAT:
		return json_real(*(const float *)p);
	case PROTOBUF_C_TYPE_DOUBLE:
		return json_real(*(const double *)p);
	case PROTOBUF_C_TYPE_BOOL:
		return json_boolean(*(const protobuf_c_boolean *)p);
	case PROTOBUF_C_TYPE_ENUM:
		return json_string(enum_name(fd->descriptor,
		    *(const int *)p, buf, sizeof(buf)));
	case PROTOBUF_C_TYPE_STRING: {
		const char *s = *(const char *const *)p;

		return string_json(s);
	}
	case PROTOBUF_C_TYPE_BYTES:
		return base64(p);
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *m = *(const ProtobufCMessage *const *)p;

		return m != NULL ? out_msg_json(m) : json_null();
	}
	default:
		return json_null();
	}
}

json_t *
out_msg_json(const ProtobufCMessage *m)
{
	const ProtobufCMessageDescriptor	*d = m->descriptor;
	const ProtobufCFieldDescriptor		*fd;
	json_t					*obj, *v, *arr;
	const char				*elems;
	size_t					 i, j, n;

	if ((obj = json_object()) == NULL)
		return NULL;
	for (i = 0; i < d->n_fields; i++) {
		fd = &d->fields[i];
		if (!field_present(m, fd))
			continue;
		elems = field_elem(m, fd, &n);
		if (fd->label != PROTOBUF_C_LABEL_REPEATED)
			v = value_json(fd, elems);
		else {
			if ((v = arr = json_array()) == NULL)
				goto fail;
			for (j = 0; j < n; j++)
				if (json_array_append_new(arr, value_json(fd,
				    elems + j * type_size(fd->type))) == -1)
					goto fail_v;
		}
		if (v == NULL || json_object_set_new(obj, fd->name, v) == -1)
			goto fail;
	}
	return obj;
fail_v:
	json_decref(v);
fail:
	json_decref(obj);
	return NULL;
}

int
out_json(FILE *f, const ProtobufCMessage *m)
{
	json_t	*j;
	int	 rc;

	if ((j = out_msg_json(m)) == NULL)
		return -1;
	rc = json_dumpf(j, f, JSON_INDENT(2));
	json_decref(j);
	if (rc == 0)
		fputc('\n', f);
	return rc == 0 && !ferror(f) ? 0 : -1;
}

/* ---- text rendering ----------------------------------------------------- */

/* A growable string. */
struct sbuf {
	char	*s;
	size_t	 len, cap;
};

static void
sb_add(struct sbuf *b, const char *s)
{
	size_t	 n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void value_text(struct sbuf *, const ProtobufCFieldDescriptor *,
    const void *);

/* Sub-message as its present fields' values joined with ':'. */
static void
msg_text(struct sbuf *b, const ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor	*fd;
	const char			*elems;
	size_t				 i, j, n, k = 0;

	for (i = 0; i < m->descriptor->n_fields; i++) {
		fd = &m->descriptor->fields[i];
		if (!field_present(m, fd))
			continue;
		elems = field_elem(m, fd, &n);
		if (k++ > 0)
			sb_add(b, ":");
		for (j = 0; j < n; j++) {
			if (j > 0)
				sb_add(b, ",");
			value_text(b, fd, elems + j * type_size(fd->type));
		}
	}
}

static void
value_text(struct sbuf *b, const ProtobufCFieldDescriptor *fd, const void *p)
{
	char	buf[128];

	buf[0] = '\0';
	switch (fd->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
		snprintf(buf, sizeof(buf), "%" PRId32, *(const int32_t *)p);
		break;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		snprintf(buf, sizeof(buf), "%" PRIu32, *(const uint32_t *)p);
		break;
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		snprintf(buf, sizeof(buf), "%" PRId64, *(const int64_t *)p);
		break;
	case PROTOBUF_C_TYPE_UINT64:
	case PROTOBUF_C_TYPE_FIXED64:
		snprintf(buf, sizeof(buf), "%" PRIu64, *(const uint64_t *)p);
		break;
	case PROTOBUF_C_TYPE_FLOAT:
		snprintf(buf, sizeof(buf), "%g", (double)*(const float *)p);
		break;
	case PROTOBUF_C_TYPE_DOUBLE:
		snprintf(buf, sizeof(buf), "%g", *(const double *)p);
		break;
	case PROTOBUF_C_TYPE_BOOL:
		snprintf(buf, sizeof(buf), "%s",
		    *(const protobuf_c_boolean *)p ? "yes" : "no");
		break;
	case PROTOBUF_C_TYPE_ENUM:
		enum_name(fd->descriptor, *(const int *)p, buf, sizeof(buf));
		break;
	case PROTOBUF_C_TYPE_STRING:
		if (*(const char *const *)p != NULL)
			sb_add(b, *(const char *const *)p);
		return;
	case PROTOBUF_C_TYPE_BYTES:
		snprintf(buf, sizeof(buf), "(%zu bytes)",
		    ((const ProtobufCBinaryData *)p)->len);
		break;
	case PROTOBUF_C_TYPE_MESSAGE:
		if (*(const ProtobufCMessage *const *)p != NULL)
			msg_text(b, *(const ProtobufCMessage *const *)p);
		return;
	default:
		break;
	}
	sb_add(b, buf);
}

/* Text of field fd of m; caller frees. */
static char *
field_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
	struct sbuf	 b = { NULL, 0, 0 };
	const char	*elems;
	size_t		 j, n;

	sb_add(&b, "");
	if (field_present(m, fd)) {
		elems = field_elem(m, fd, &n);
		for (j = 0; j < n; j++) {
			if (j > 0)
				sb_add(&b, ",");
			value_text(&b, fd, elems + j * type_size(fd->type));
		}
	}
	return b.s;
}

char *
out_field_text(const ProtobufCMessage *m, const char *field)
{
	const ProtobufCFieldDescriptor	*fd;

	fd = protobuf_c_message_descriptor_get_field_by_name(m->descriptor,
	    field);
	if (fd == NULL)
		return xstrdup("");
	return field_text(m, fd);
}

int
out_msgs_table(FILE *f, const ProtobufCMessage *const *msgs, size_t n,
    const char *const *cols)
{
	struct out_table	 *t = NULL;
	const char		**hdr = NULL;
	char			**names = NULL, **row = NULL, *eq, *h;
	size_t			  nc = 0, i, c;
	int			  rc = -1, right;

	while (cols[nc] != NULL)
		nc++;
	hdr = xcalloc(nc + 1, sizeof(*hdr));
	names = xcalloc(nc + 1, sizeof(*names));
	row = xcalloc(nc + 1, sizeof(*row));
	/*
	 * "[>]field[=HEADER]": the header defaults to the field name
	 * upper-cased; '>' (right-align) belongs to the header.  Headers
	 * are built in row[] so that names[] keeps the bare field names.
	 */
	for (c = 0; c < nc; c++) {
		right = cols[c][0] == '>';
		names[c] = xstrdup(cols[c] + right);
		if ((eq = strchr(names[c], '=')) != NULL)
			*eq++ = '\0';
		else
			eq = names[c];
		row[c] = xasprintf("%s%s", right ? ">" : "", eq);
		if (eq == names[c])
			for (h = row[c] + right; *h != '\0'; h++)
				*h = *h == '_' ? ' ' :
				    (char)toupper((unsigned char)*h);
		hdr[c] = row[c];
	}
	if ((t = out_table_new(hdr)) == NULL)
		goto out;
	for (c = 0; c < nc; c++) {
		free(row[c]);
		row[c] = NULL;
	}
	for (i = 0; i < n; i++) {
		for (c = 0; c < nc; c++)
			row[c] = out_field_text(msgs[i], names[c]);
		out_table_addv(t, (const char *const *)row);
		for (c = 0; c < nc; c++) {
			free(row[c]);
			row[c] = NULL;
		}
	}
	rc = out_table_print(t, f);
out:
	for (c = 0; c < nc; c++) {
		free(names[c]);
		free(row[c]);
	}
	free(names);
	free(row);
	free(hdr);
	out_table_free(t);
	return rc;
}

int
out_msg_detail(FILE *f, const ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor	*fd;
	struct out_table		*t;
	const char			*row[2];
	char				*v;
	size_t				 i;
	int				 rc;

	t = out_table_new(NULL);	/* key/value: never NULL */
	for (i = 0; i < m->descriptor->n_fields; i++) {
		fd = &m->descriptor->fields[i];
		if (!field_present(m, fd))
			continue;
		v = field_text(m, fd);
		row[0] = fd->name;
		row[1] = v;
		out_table_addv(t, row);
		free(v);
	}
	rc = out_table_print(t, f);
	out_table_free(t);
	return rc;
}

/* ---- responses ---------------------------------------------------------- */

const ProtobufCMessage *
out_result_msg(const Coachd__V1__Response *resp)
{
	const ProtobufCFieldDescriptor	*fd;
	const void			*p;

	if (resp->result_case == COACHD__V1__RESPONSE__RESULT__NOT_SET)
		return NULL;
	fd = protobuf_c_message_descriptor_get_field(resp->base.descriptor,
	    (unsigned)resp->result_case);
	if (fd == NULL || fd->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	p = (const char *)resp + fd->offset;
	return *(const ProtobufCMessage *const *)p;
}

/* The single repeated message field of m, if it has exactly one. */
static const ProtobufCFieldDescriptor *
list_field(const ProtobufCMessage *m)
{
	const ProtobufCFieldDescriptor	*fd, *found = NULL;
	size_t				 i;

	for (i = 0; i < m->descriptor->n_fields; i++) {
		fd = &m->descriptor->fields[i];
		if (fd->label != PROTOBUF_C_LABEL_REPEATED ||
		    fd->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (found != NULL)
			return NULL;
		found = fd;
	}
	return found;
}

int
out_result(const struct ctl *ctl, const Coachd__V1__Response *resp,
    const char *const *cols)
{
	const ProtobufCFieldDescriptor	*fd;
	const ProtobufCMessage		*m;
	const void			*elems;
	size_t				 n;
	int				 rc;

	if ((m = out_result_msg(resp)) == NULL) {
		if (ctl->json)
			printf("{}\n");
		return CTL_EX_OK;
	}
	if (ctl->json)
		rc = out_json(stdout, m);
	else if (cols != NULL && (fd = list_field(m)) != NULL) {
		elems = field_elem(m, fd, &n);
		rc = out_msgs_table(stdout,
		    (const ProtobufCMessage *const *)elems, n, cols);
	} else
		rc = out_msg_detail(stdout, m);
	if (rc == -1) {
		fprintf(stderr, "coachctl: cannot print the result\n");
		return CTL_EX_SOFTWARE;
	}
	return CTL_EX_OK;
}
