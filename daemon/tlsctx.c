/*
 * tlsctx: server-side OpenSSL configuration.  Client certificates are
 * requested but not required: a client may instead log in with a bearer
 * token, so the handshake must not fail without one.
 *
 * Cipher policy: TLS 1.3 whenever the client has it (OpenSSL always
 * picks the highest version both sides speak); for TLS 1.2 only AEAD
 * suites with forward secrecy (ECDHE with AES-GCM or ChaCha20-Poly1305),
 * chosen by the server's order.  No CBC suite (LUCKY13 and its kin), no
 * static RSA key exchange, no SHA-1 MAC.  The feed listener serves with
 * the same context, so both ports offer exactly this.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "config.h"
#include "tlsctx.h"

/* Append OpenSSL's most recent error to a message. */
static void
ssl_error(char *err, size_t errlen, const char *what, const char *path)
{
	char	buf[256];

	ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
	snprintf(err, errlen, "%s%s%s: %s", what, path ? " " : "",
	    path ? path : "", buf);
	ERR_clear_error();
}

/* TLS 1.2 suites, in the server's order of preference. */
#define TLSCTX_CIPHERS_12	"ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL"

/*
 * [tls] crl: every client certificate is checked against the CRLs in the
 * file (the leaf only: the client CA issues leaves directly).  A revoked
 * certificate fails verification and so the handshake.
 */
static int
load_crl(SSL_CTX *ctx, const char *path, char *err, size_t errlen)
{
	X509_STORE	*store = SSL_CTX_get_cert_store(ctx);
	X509_LOOKUP	*lookup;

	if ((lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file())) ==
	    NULL || X509_load_crl_file(lookup, path, X509_FILETYPE_PEM) <= 0) {
		ssl_error(err, errlen, "cannot load CRL", path);
		return -1;
	}
	X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
	return 0;
}

SSL_CTX *
tlsctx_new(const struct coachd_config *c, char *err, size_t errlen)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		ssl_error(err, errlen, "cannot create TLS context", NULL);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, c->tls_min_version == 13 ?
	    TLS1_3_VERSION : TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_set_cipher_list(ctx, TLSCTX_CIPHERS_12) != 1) {
		ssl_error(err, errlen, "cannot set the TLS 1.2 cipher list",
		    NULL);
		goto fail;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, c->tls_cert) != 1) {
		ssl_error(err, errlen, "cannot load certificate", c->tls_cert);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->tls_key, SSL_FILETYPE_PEM)
	    != 1) {
		ssl_error(err, errlen, "cannot load key", c->tls_key);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		ssl_error(err, errlen, "key does not match certificate",
		    c->tls_key);
		goto fail;
	}
	if (c->tls_client_ca[0] != '\0') {
		if (SSL_CTX_load_verify_locations(ctx, c->tls_client_ca,
		    NULL) != 1) {
			ssl_error(err, errlen, "cannot load client CA",
			    c->tls_client_ca);
			goto fail;
		}
		SSL_CTX_set_client_CA_list(ctx,
		    SSL_load_client_CA_file(c->tls_client_ca));
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	if (c->tls_crl[0] != '\0') {
		if (c->tls_client_ca[0] == '\0') {
			snprintf(err, errlen, "[tls] crl is set but client_ca "
			    "is not: a CRL needs client certificates");
			goto fail;
		}
		if (load_crl(ctx, c->tls_crl, err, errlen) == -1)
			goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

int
tlsctx_peer_cn(SSL *ssl, char *cn, size_t cnlen)
{
	X509	*peer;
	int	 n, rc = -1;

	if ((peer = SSL_get1_peer_certificate(ssl)) == NULL)
		return -1;
	if (SSL_get_verify_result(ssl) != X509_V_OK)
		goto out;
	n = X509_NAME_get_text_by_NID(X509_get_subject_name(peer),
	    NID_commonName, cn, (int)cnlen);
	if (n > 0 && (size_t)n < cnlen && strlen(cn) == (size_t)n)
		rc = 0;
out:
	X509_free(peer);
	return rc;
}
