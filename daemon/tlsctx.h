/*
 * tlsctx: the server's SSL_CTX, built from [tls].  A new context is made on
 * SIGHUP so renewed certificates take effect for new connections while
 * existing ones keep the context they started with (OpenSSL refcounts it).
 */
#ifndef TLSCTX_H
#define TLSCTX_H

#include <stddef.h>

#include <openssl/ssl.h>

struct coachd_config;

/* New context (caller owns, SSL_CTX_free), or NULL with err filled. */
SSL_CTX	*tlsctx_new(const struct coachd_config *, char *err, size_t errlen);
/*
 * CN of the peer's certificate if one was presented and verified against
 * [tls] client_ca; 0 with cn filled, -1 otherwise.
 */
int	 tlsctx_peer_cn(SSL *, char *cn, size_t cnlen);

#endif
