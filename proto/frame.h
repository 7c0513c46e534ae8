/*
 * frame: the one codec shared by coachd and coachctl.  A frame is a 4-byte
 * big-endian payload length followed by one serialized protobuf message.
 * Nothing here does I/O: callers hand in bytes they already hold.
 */
#ifndef FRAME_H
#define FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "coachd.pb-c.h"

#define FRAME_HEADER_LEN	4
#define FRAME_DEFAULT_MAX	(1024 * 1024)
#define FRAME_PROTOCOL_VERSION	1

enum frame_status {
	FRAME_OK,		/* a whole frame is available */
	FRAME_INCOMPLETE,	/* need more bytes */
	FRAME_TOO_LARGE,	/* declared length exceeds the limit */
};

/*
 * Inspect the first bytes of a stream.  On FRAME_OK *payload_len holds the
 * length of the payload that follows the header; on FRAME_TOO_LARGE it holds
 * the declared length so that the caller can report it.
 */
enum frame_status frame_peek(const uint8_t *buf, size_t avail, size_t max,
		    size_t *payload_len);

/* Write the 4-byte header for a payload of len bytes. */
void		frame_put_header(uint8_t hdr[FRAME_HEADER_LEN], uint32_t len);

/*
 * Serialize a message with its header into a new buffer (caller frees).
 * Returns NULL if the message is larger than max or memory runs out.
 */
uint8_t	*frame_pack_request(const Coachd__V1__Request *, size_t max,
		    size_t *framelen);
uint8_t	*frame_pack_response(const Coachd__V1__Response *, size_t max,
		    size_t *framelen);

/* Parse a payload (without header); NULL when it is not a valid message. */
Coachd__V1__Request	*frame_unpack_request(const uint8_t *payload,
			    size_t len);
Coachd__V1__Response	*frame_unpack_response(const uint8_t *payload,
			    size_t len);

/* Names for messages and logs. */
const char	*frame_status_name(Coachd__V1__Status);
const char	*frame_role_name(Coachd__V1__Role);
/* Parse "admin", "coach", "teacher"; returns ROLE_UNSPECIFIED otherwise. */
Coachd__V1__Role frame_role_parse(const char *);

#endif
