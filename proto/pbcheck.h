/*
 * pbcheck: checks over any unpacked protobuf-c message, driven by its
 * descriptor so that a new request type or field needs no code here.
 */
#ifndef PBCHECK_H
#define PBCHECK_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

/* Whether s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF). */
int	pbcheck_utf8(const char *s, size_t len);

/*
 * Whether every string field of m, its nested messages and repeated
 * strings included, is valid UTF-8.  0 when all are; -1 with the first
 * offending field's path ("topic", "slots[2].room") in path.
 */
int	pbcheck_strings(const ProtobufCMessage *m, char *path, size_t pathlen);

#endif
