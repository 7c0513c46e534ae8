/*
 * frame: length-prefixed protobuf framing.  Kept free of any transport so
 * that the daemon (libevent buffers), the client (blocking TLS) and the
 * fuzz/unit tests all exercise the very same bytes-level code.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frame.h"

enum frame_status
frame_peek(const uint8_t *buf, size_t avail, size_t max, size_t *payload_len)
{
	uint32_t	len;

	if (avail < FRAME_HEADER_LEN)
		return FRAME_INCOMPLETE;
	len = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
	    (uint32_t)buf[2] << 8 | (uint32_t)buf[3];
	*payload_len = len;
	if (len > max)
		return FRAME_TOO_LARGE;
	if (avail - FRAME_HEADER_LEN < len)
		return FRAME_INCOMPLETE;
	return FRAME_OK;
}

void
frame_put_header(uint8_t hdr[FRAME_HEADER_LEN], uint32_t len)
{
	hdr[0] = (uint8_t)(len >> 24);
	hdr[1] = (uint8_t)(len >> 16);
	hdr[2] = (uint8_t)(len >> 8);
	hdr[3] = (uint8_t)len;
}

/* Shared body of the two pack functions: size check, header, payload. */
static uint8_t *
pack_message(const ProtobufCMessage *msg, size_t max, size_t *framelen)
{
	size_t		 len;
	uint8_t		*buf;

	len = protobuf_c_message_get_packed_size(msg);
	if (len > max || len > UINT32_MAX)
		return NULL;
	if ((buf = malloc(FRAME_HEADER_LEN + len)) == NULL)
		return NULL;
	frame_put_header(buf, (uint32_t)len);
	protobuf_c_message_pack(msg, buf + FRAME_HEADER_LEN);
	*framelen = FRAME_HEADER_LEN + len;
	return buf;
}

uint8_t *
frame_pack_request(const Coachd__V1__Request *req, size_t max,
    size_t *framelen)
{
	return pack_message(&req->base, max, framelen);
}

uint8_t *
frame_pack_response(const Coachd__V1__Response *resp, size_t max,
    size_t *framelen)
{
	return pack_message(&resp->base, max, framelen);
}

Coachd__V1__Request *
frame_unpack_request(const uint8_t *payload, size_t len)
{
	return coachd__v1__request__unpack(NULL, len, payload);
}

Coachd__V1__Response *
frame_unpack_response(const uint8_t *payload, size_t len)
{
	return coachd__v1__response__unpack(NULL, len, payload);
}

const char *
frame_status_name(Coachd__V1__Status st)
{
	const ProtobufCEnumValue *v;

	v = protobuf_c_enum_descriptor_get_value(
	    &coachd__v1__status__descriptor, (int)st);
	return v != NULL ? v->name : "UNKNOWN";
}

static const char *const role_names[] = { "none", "admin", "coach",
    "teacher" };

const char *
frame_role_name(Coachd__V1__Role role)
{
	if ((unsigned)role >= sizeof(role_names) / sizeof(role_names[0]))
		return "none";
	return role_names[role];
}

Coachd__V1__Role
frame_role_parse(const char *s)
{
	size_t	i;

	for (i = 1; i < sizeof(role_names) / sizeof(role_names[0]); i++)
		if (strcasecmp(s, role_names[i]) == 0)
			return (Coachd__V1__Role)i;
	return COACHD__V1__ROLE__ROLE_UNSPECIFIED;
}
