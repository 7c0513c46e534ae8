/*
 * pbcheck: generic walks over unpacked protobuf-c messages.  protobuf-c
 * unpacks a proto3 string field without looking at its bytes, so the
 * daemon checks them here once, before any handler sees a request.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pbcheck.h"

/* Deeper than any coachd message nests (none is recursive); only bounds
 * the recursion. */
#define PBCHECK_DEPTH	32

/* Continuation bytes after lead byte c (0: not a lead byte), the lead's
 * payload bits in *cp and the smallest code point that needs this form. */
static size_t
seq_len(unsigned char c, uint32_t *cp, uint32_t *min)
{
	if ((c & 0xe0) == 0xc0) {
		*cp = c & 0x1f;
		*min = 0x80;
		return 1;
	}
	if ((c & 0xf0) == 0xe0) {
		*cp = c & 0x0f;
		*min = 0x800;
		return 2;
	}
	if ((c & 0xf8) == 0xf0) {
		*cp = c & 0x07;
		*min = 0x10000;
		return 3;
	}
	return 0;
}

int
pbcheck_utf8(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, n, k;
	uint32_t		 cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = seq_len(s[i], &cp, &min)) == 0)
			return 0;
		if (len - i <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

static int	walk(const ProtobufCMessage *, int, char *, size_t, size_t);

/* Append ".name" or "name[i]" to path at off; the new end. */
static size_t
path_add(char *path, size_t pathlen, size_t off, const char *name, long idx)
{
	int	r;

	if (off >= pathlen)
		return off;
	if (idx < 0)
		r = snprintf(path + off, pathlen - off, "%s%s",
		    off > 0 ? "." : "", name);
	else
		r = snprintf(path + off, pathlen - off, "%s%s[%ld]",
		    off > 0 ? "." : "", name, idx);
	if (r < 0)
		return off;
	return (size_t)r >= pathlen - off ? pathlen - 1 : off + (size_t)r;
}

/* One value of field f at p; 0, or -1 with path naming it. */
static int
check_value(const ProtobufCFieldDescriptor *f, const void *p, long idx,
    int depth, char *path, size_t pathlen, size_t off)
{
	size_t	end;

	if (f->type == PROTOBUF_C_TYPE_STRING) {
		const char *s = *(char *const *)p;

		if (s == NULL || pbcheck_utf8(s, strlen(s)))
			return 0;
		path_add(path, pathlen, off, f->name, idx);
		return -1;
	}
	if (*(ProtobufCMessage *const *)p == NULL)
		return 0;
	end = path_add(path, pathlen, off, f->name, idx);
	if (walk(*(ProtobufCMessage *const *)p, depth + 1, path, pathlen,
	    end) == -1)
		return -1;
	path[off] = '\0';
	return 0;
}

static int
check_field(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
    int depth, char *path, size_t pathlen, size_t off)
{
	const char	*base = (const char *)m;
	size_t		 i, n, sz;
	const char	*arr;

	if (f->type != PROTOBUF_C_TYPE_STRING &&
	    f->type != PROTOBUF_C_TYPE_MESSAGE)
		return 0;
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
		if (*(const uint32_t *)(const void *)(base +
		    f->quantifier_offset) != f->id)
			return 0;
	}
	if (f->label != PROTOBUF_C_LABEL_REPEATED)
		return check_value(f, base + f->offset, -1, depth, path,
		    pathlen, off);
	n = *(const size_t *)(const void *)(base + f->quantifier_offset);
	arr = *(const char *const *)(const void *)(base + f->offset);
	sz = f->type == PROTOBUF_C_TYPE_STRING ? sizeof(char *) :
	    sizeof(ProtobufCMessage *);
	for (i = 0; i < n && arr != NULL; i++)
		if (check_value(f, arr + i * sz, (long)i, depth, path, pathlen,
		    off) == -1)
			return -1;
	return 0;
}

static int
walk(const ProtobufCMessage *m, int depth, char *path, size_t pathlen,
    size_t off)
{
	const ProtobufCMessageDescriptor	*d = m->descriptor;
	unsigned				 i;

	if (depth > PBCHECK_DEPTH)
		return 0;
	for (i = 0; i < d->n_fields; i++)
		if (check_field(m, &d->fields[i], depth, path, pathlen,
		    off) == -1)
			return -1;
	return 0;
}

int
pbcheck_strings(const ProtobufCMessage *m, char *path, size_t pathlen)
{
	char	local[1];

	if (pathlen == 0) {
		path = local;
		pathlen = sizeof(local);
	}
	path[0] = '\0';
	if (m == NULL)
		return 0;
	return walk(m, 0, path, pathlen, 0);
}
