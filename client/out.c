/*
 * out: everything coachctl prints.  Aligned text tables (widths measured
 * in terminal columns, so UTF-8 names line up), a generic protobuf-c
 * message to JSON converter driven by the message descriptors (one
 * function serves every read command's --json), and generic table and
 * key/value views built on the same descriptors.
 *
 * Text that came from the server is printed with control characters
 * replaced, so a hostile name cannot drive the user's terminal.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "coachctl.h"

struct out_table {
	size_t		  ncols;
	int		  header;	/* print the first row as header */
	int		 *right;	/* per column: right-align */
	char		**cells;	/* rows * ncols, owned */
	size_t		  nrows;	/* including the header row */
	size_t		  cap;
	int		  failed;	/* allocation failed: print nothing */
};

/* ---- UTF-8 display width -------------------------------------------- */

/*
 * Decode one UTF-8 sequence at s; returns its length (>= 1) and the code
 * point, or U+FFFD for an invalid byte (consumed alone).
 */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms and surrogates are not characters. */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xfffd;
	return 1;
}

/* Columns taken by one code point: 0 combining, 2 wide (CJK, emoji). */
static int
cp_width(uint32_t c)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
		{ 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd },
		{ 0x30000, 0x3fffd },
	};
	size_t	i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (c >= zero[i][0] && c <= zero[i][1])
			return 0;
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

size_t
out_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	uint32_t		 c;
	size_t			 w = 0;

	while (*p != '\0') {
		p += utf8_decode(p, &c);
		w += (size_t)cp_width(c);
	}
	return w;
}

/* Print s with control characters shown as '?'. */
static void
put_safe(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f)
			fputc('?', f);
		else
			fputc(ch, f);
	}
}

/* ---- tables ----------------------------------------------------------- */

struct out_table *
out_table_new(const char *const *headers)
{
	struct out_table	 *t;
	const char		**row;
	size_t			  n = 0, i;

	if (headers == NULL)
		n = 2;		/* key/value view */
	else
		while (headers[n] != NULL)
			n++;
	if (n == 0 || (t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->ncols = n;
	if ((t->right = calloc(n, sizeof(*t->right))) == NULL) {
		free(t);
		return NULL;
	}
	if (headers == NULL)
		return t;
	t->header = 1;
	for (i = 0; i < n; i++)
		if (headers[i][0] == '>')
			t->right[i] = 1;
	if ((row = calloc(n, sizeof(*row))) == NULL) {
		out_table_free(t);
		return NULL;
	}
	for (i = 0; i < n; i++)
		row[i] = headers[i] + (headers[i][0] == '>');
	out_table_addv(t, row);
	free(row);
	return t;
}

void
out_table_addv(struct out_table *t, const char *const *cells)
{
	char	**nc;
	size_t	  i, base;

	if (t == NULL || t->failed)
		return;
	if (t->nrows == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		nc = realloc(t->cells, t->cap * t->ncols * sizeof(*nc));
		if (nc == NULL) {
			t->failed = 1;
			return;
		}
		t->cells = nc;
	}
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		t->cells[base + i] = strdup(cells[i] != NULL ? cells[i] : "");
		if (t->cells[base + i] == NULL)
			t->failed = 1;
	}
	t->nrows++;
}

void
out_table_add(struct out_table *t, ...)
{
	const char	**row;
	va_list		  ap;
	size_t		  i;

	if (t == NULL || (row = calloc(t->ncols, sizeof(*row))) == NULL) {
		if (t != NULL)
			t->failed = 1;
		return;
	}
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		row[i] = va_arg(ap, const char *);
	va_end(ap);
	out_table_addv(t, row);
	free(row);
}

size_t
out_table_rows(const struct out_table *t)
{
	return t->nrows - (size_t)t->header;
}

static void
pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

int
out_table_print(const struct out_table *t, FILE *f)
{
	size_t	*w, r, c, cw, last;

	if (t == NULL || t->failed)
		return -1;
	if ((w = calloc(t->ncols, sizeof(*w))) == NULL)
		return -1;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			cw = out_width(t->cells[r * t->ncols + c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < t->nrows; r++) {
		/* No trailing blanks: stop after the last non-empty cell. */
		for (last = t->ncols; last > 1; last--)
			if (t->cells[r * t->ncols + last - 1][0] != '\0')
				break;
		for (c = 0; c < last; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			cw = out_width(cell);
			if (c > 0)
				fputs("  ", f);
			if (t->right[c])
				pad(f, w[c] - cw);
			put_safe(f, cell);
			if (!t->right[c] && c + 1 < last)
				pad(f, w[c] - cw);
		}
		fputc('\n', f);
	}
	free(w);
	return ferror(f) ? -1 : 0;
}

void
out_table_free(struct out_table *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t);
}

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

	if ((s = malloc((b->len + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
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
	if ((copy = strdup(s)) == NULL)
		return NULL;
	for (i = 0; copy[i] != '\0'; i += n) {
		p = (const unsigned char *)copy + i;
		n = utf8_decode(p, &c);
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
	int	 failed;
};

static void
sb_add(struct sbuf *b, const char *s)
{
	size_t	 n = strlen(s);
	char	*ns;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((ns = realloc(b->s, b->cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->s = ns;
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

/* Text of field fd of m; caller frees; NULL on allocation failure. */
static char *
field_text(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *fd)
{
	struct sbuf	 b = { NULL, 0, 0, 0 };
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
	if (b.failed) {
		free(b.s);
		return NULL;
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
		return strdup("");
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
	hdr = calloc(nc + 1, sizeof(*hdr));
	names = calloc(nc + 1, sizeof(*names));
	row = calloc(nc + 1, sizeof(*row));
	if (hdr == NULL || names == NULL || row == NULL)
		goto out;
	/*
	 * "[>]field[=HEADER]": the header defaults to the field name
	 * upper-cased; '>' (right-align) belongs to the header.  Headers
	 * are built in row[] so that names[] keeps the bare field names.
	 */
	for (c = 0; c < nc; c++) {
		right = cols[c][0] == '>';
		if ((names[c] = strdup(cols[c] + right)) == NULL)
			goto out;
		if ((eq = strchr(names[c], '=')) != NULL)
			*eq++ = '\0';
		else
			eq = names[c];
		if ((row[c] = malloc(strlen(eq) + 2)) == NULL)
			goto out;
		snprintf(row[c], strlen(eq) + 2, "%s%s", right ? ">" : "", eq);
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
			if ((row[c] = out_field_text(msgs[i],
			    names[c])) == NULL)
				goto out;
		out_table_addv(t, (const char *const *)row);
		for (c = 0; c < nc; c++) {
			free(row[c]);
			row[c] = NULL;
		}
	}
	rc = out_table_print(t, f);
out:
	for (c = 0; c < nc; c++) {
		if (names != NULL)
			free(names[c]);
		if (row != NULL)
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
	int				 rc = -1;

	if ((t = out_table_new(NULL)) == NULL)
		return -1;
	for (i = 0; i < m->descriptor->n_fields; i++) {
		fd = &m->descriptor->fields[i];
		if (!field_present(m, fd))
			continue;
		if ((v = field_text(m, fd)) == NULL)
			goto out;
		row[0] = fd->name;
		row[1] = v;
		out_table_addv(t, row);
		free(v);
	}
	rc = out_table_print(t, f);
out:
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
