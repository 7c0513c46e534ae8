/*
 * Fuzz target: a byte stream as a client might send it, cut into frames
 * and decoded into Requests exactly as conn.c does.  Any crash, leak or
 * sanitizer report is a bug in the codec or in protobuf-c's use.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "frame.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Coachd__V1__Request	*req;
	uint8_t			*again;
	size_t			 plen, flen;

	while (size > 0) {
		if (frame_peek(data, size, 64 * 1024, &plen) != FRAME_OK)
			break;
		req = frame_unpack_request(data + FRAME_HEADER_LEN, plen);
		if (req != NULL) {
			/* whatever decodes must re-encode */
			again = frame_pack_request(req, SIZE_MAX, &flen);
			if (again == NULL)
				__builtin_trap();
			free(again);
			coachd__v1__request__free_unpacked(req, NULL);
		}
		data += FRAME_HEADER_LEN + plen;
		size -= FRAME_HEADER_LEN + plen;
	}
	return 0;
}
