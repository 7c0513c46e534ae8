/*
 * srv: coachctl's side of the wire.  With the connection settings
 * (merged by srv_conf.c), opens a blocking TLS connection with OpenSSL,
 * authenticates with hello, and exchanges frames (proto/frame.h).
 *
 * Blocking I/O with socket timeouts is enough here: the client does one
 * thing at a time, and pipelining only needs a bounded window of
 * requests in flight.
 */
#define _POSIX_C_SOURCE 200809L

#include <sys/socket.h>
#include <sys/time.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "coachctl.h"
#include "frame.h"
#include "xmalloc.h"

/* Responses may carry long lists; requests may carry a roster upload. */
#define SRV_MAX_RESPONSE	(64u * 1024 * 1024)
#define SRV_MAX_REQUEST		(64u * 1024 * 1024)
/* Pipelined requests in flight; bounds what either side must buffer. */
#define SRV_WINDOW		32

struct srv {
	struct srv_settings	 s;
	SSL_CTX			*ctx;
	SSL			*ssl;
	int			 fd;
	int			 broken;	/* transport failed: give up */
	uint64_t		 next_id;
	Coachd__V1__Response	*hello;		/* kept for srv_hello() */
};

/* ---- connection ------------------------------------------------------ */

struct srv *
srv_new(struct srv_settings *s)
{
	struct srv	*srv;

	srv = xcalloc(1, sizeof(*srv));
	srv->s = *s;
	memset(s, 0, sizeof(*s));
	srv->fd = -1;
	return srv;
}

static void
srv_close(struct srv *srv)
{
	if (srv->ssl != NULL) {
		if (!srv->broken)
			SSL_shutdown(srv->ssl);
		SSL_free(srv->ssl);
		srv->ssl = NULL;
	}
	if (srv->fd != -1) {
		close(srv->fd);
		srv->fd = -1;
	}
	SSL_CTX_free(srv->ctx);
	srv->ctx = NULL;
}

void
srv_free(struct srv *srv)
{
	if (srv == NULL)
		return;
	srv_close(srv);
	srv_response_free(srv->hello);
	srv_settings_free(&srv->s);
	free(srv);
}

void
srv_response_free(Coachd__V1__Response *resp)
{
	if (resp != NULL)
		coachd__v1__response__free_unpacked(resp, NULL);
}

const Coachd__V1__HelloResult *
srv_hello(const struct srv *srv)
{
	if (srv->hello == NULL)
		return NULL;
	return srv->hello->hello;
}

/* Split "host:port", "[v6]:port" or "host" into parts. */
static int
split_hostport(const char *v, char *host, size_t hostlen, char *port,
    size_t portlen, char *err, size_t errlen)
{
	const char	*p, *colon;
	size_t		 hl;

	if (v[0] == '[') {
		if ((p = strchr(v, ']')) == NULL)
			goto bad;
		hl = (size_t)(p - v - 1);
		if (hl == 0 || hl >= hostlen)
			goto bad;
		memcpy(host, v + 1, hl);
		host[hl] = '\0';
		p++;
		if (*p == '\0')
			colon = NULL;
		else if (*p == ':')
			colon = p;
		else
			goto bad;
	} else {
		colon = strrchr(v, ':');
		if (colon != NULL && strchr(v, ':') != colon)
			goto bad;	/* bare IPv6 needs brackets */
		hl = colon != NULL ? (size_t)(colon - v) : strlen(v);
		if (hl == 0 || hl >= hostlen)
			goto bad;
		memcpy(host, v, hl);
		host[hl] = '\0';
	}
	if (colon == NULL)
		snprintf(port, portlen, "%s", SRV_DEFAULT_PORT);
	else {
		if (colon[1] == '\0' || strlen(colon + 1) >= portlen ||
		    strspn(colon + 1, "0123456789") != strlen(colon + 1))
			goto bad;
		snprintf(port, portlen, "%s", colon + 1);
	}
	return 0;
bad:
	snprintf(err, errlen, "server '%s': expected HOST:PORT or"
	    " [IPV6]:PORT", v);
	return -1;
}

/* Connect within the timeout; returns the fd or -1 with err filled. */
static int
tcp_connect(const char *host, const char *port, long timeout, char *err,
    size_t errlen)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	struct pollfd	 pfd;
	struct timeval	 tv;
	socklen_t	 sl;
	int		 fd = -1, e, soerr, flags;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s: %s", host, gai_strerror(e));
		return -1;
	}
	snprintf(err, errlen, "%s port %s: no address", host, port);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		soerr = 0;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			if (errno != EINPROGRESS)
				soerr = errno;
			else {
				pfd.fd = fd;
				pfd.events = POLLOUT;
				e = poll(&pfd, 1, (int)(timeout * 1000));
				sl = sizeof(soerr);
				if (e == 0)
					soerr = ETIMEDOUT;
				else if (e < 0)
					soerr = errno;
				else if (getsockopt(fd, SOL_SOCKET, SO_ERROR,
				    &soerr, &sl) == -1)
					soerr = errno;
			}
		}
		if (soerr == 0) {
			fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
			/* Every later read and write waits at most this. */
			tv.tv_sec = timeout;
			tv.tv_usec = 0;
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
			    sizeof(tv));
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
			    sizeof(tv));
			break;
		}
		snprintf(err, errlen, "%s port %s: %s", host, port,
		    strerror(soerr));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* Describe the newest OpenSSL error into err. */
static void
ssl_error(const char *what, char *err, size_t errlen)
{
	char		 buf[256];
	unsigned long	 e;

	/* A message longer than err is cut: the start says the most. */
	if ((e = ERR_peek_last_error()) == 0) {
		if (snprintf(err, errlen, "%s: TLS failure", what) < 0)
			err[0] = '\0';
	} else {
		ERR_error_string_n(e, buf, sizeof(buf));
		if (snprintf(err, errlen, "%s: %s", what, buf) < 0)
			err[0] = '\0';
	}
	ERR_clear_error();
}

/* Build the TLS context from the settings; CTL_EX_CONFIG on failure. */
static int
tls_context(struct srv *srv, char *err, size_t errlen)
{
	const char	*key;
	char		 what[4200];

	if ((srv->ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		ssl_error("TLS context", err, errlen);
		return CTL_EX_SOFTWARE;
	}
	SSL_CTX_set_min_proto_version(srv->ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(srv->ctx, SSL_MODE_AUTO_RETRY);
	SSL_CTX_set_verify(srv->ctx, SSL_VERIFY_PEER, NULL);
	if (srv->s.ca != NULL) {
		if (SSL_CTX_load_verify_locations(srv->ctx, srv->s.ca,
		    NULL) != 1) {
			snprintf(what, sizeof(what), "ca %s: cannot load",
			    srv->s.ca);
			ssl_error(what, err, errlen);
			return CTL_EX_CONFIG;
		}
	} else if (SSL_CTX_set_default_verify_paths(srv->ctx) != 1) {
		ssl_error("system CA store", err, errlen);
		return CTL_EX_CONFIG;
	}
	if (srv->s.cert == NULL) {
		if (srv->s.key != NULL) {
			snprintf(err, errlen, "key given without cert");
			return CTL_EX_CONFIG;
		}
		return CTL_EX_OK;
	}
	/* A combined PEM file may hold both certificate and key. */
	key = srv->s.key != NULL ? srv->s.key : srv->s.cert;
	if (SSL_CTX_use_certificate_chain_file(srv->ctx, srv->s.cert) != 1) {
		snprintf(what, sizeof(what), "cert %s: cannot load",
		    srv->s.cert);
		ssl_error(what, err, errlen);
		return CTL_EX_CONFIG;
	}
	if (SSL_CTX_use_PrivateKey_file(srv->ctx, key,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(srv->ctx) != 1) {
		snprintf(what, sizeof(what), "key %s: cannot load or does not"
		    " match the certificate", key);
		ssl_error(what, err, errlen);
		return CTL_EX_CONFIG;
	}
	return CTL_EX_OK;
}

/* TCP + TLS handshake with server name checks; a CTL_EX_* code. */
static int
tls_connect(struct srv *srv, char *err, size_t errlen)
{
	unsigned char	 ipbuf[16];
	char		 host[256], port[16], e[384];
	long		 vr;
	int		 rc, isip;

	if (srv->s.server == NULL) {
		snprintf(err, errlen, "no server set (server = HOST:PORT in"
		    " ~/.config/coachctl/config, COACHCTL_SERVER or --server)");
		return CTL_EX_CONFIG;
	}
	if (split_hostport(srv->s.server, host, sizeof(host), port,
	    sizeof(port), err, errlen) == -1)
		return CTL_EX_CONFIG;
	if ((rc = tls_context(srv, err, errlen)) != CTL_EX_OK)
		return rc;
	if ((srv->fd = tcp_connect(host, port, srv->s.timeout, err,
	    errlen)) == -1)
		return CTL_EX_UNAVAILABLE;
	if ((srv->ssl = SSL_new(srv->ctx)) == NULL ||
	    SSL_set_fd(srv->ssl, srv->fd) != 1) {
		ssl_error("TLS", err, errlen);
		return CTL_EX_SOFTWARE;
	}
	isip = inet_pton(AF_INET, host, ipbuf) == 1 ||
	    inet_pton(AF_INET6, host, ipbuf) == 1;
	/* The certificate must name what we dialled: IP SAN or DNS name. */
	if (isip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(srv->ssl),
		    host) != 1) {
			ssl_error("TLS host check", err, errlen);
			return CTL_EX_SOFTWARE;
		}
	} else if (SSL_set_tlsext_host_name(srv->ssl, host) != 1 ||
	    SSL_set1_host(srv->ssl, host) != 1) {
		ssl_error("TLS host check", err, errlen);
		return CTL_EX_SOFTWARE;
	}
	if ((rc = SSL_connect(srv->ssl)) != 1) {
		vr = SSL_get_verify_result(srv->ssl);
		rc = SSL_get_error(srv->ssl, rc);
		if (rc == SSL_ERROR_WANT_READ || rc == SSL_ERROR_WANT_WRITE) {
			snprintf(err, errlen, "%s: no TLS handshake within"
			    " %ld s", srv->s.server, srv->s.timeout);
			ERR_clear_error();
		} else if (vr != X509_V_OK) {
			snprintf(err, errlen, "%s: server certificate: %s",
			    srv->s.server, X509_verify_cert_error_string(vr));
			ERR_clear_error();
		} else {
			snprintf(e, sizeof(e), "%s: TLS handshake failed",
			    srv->s.server);
			ssl_error(e, err, errlen);
		}
		srv->broken = 1;
		return CTL_EX_UNAVAILABLE;
	}
	return CTL_EX_OK;
}

/* Explain a failed SSL_read/SSL_write into err. */
static void
io_error(struct srv *srv, int ret, const char *what, char *err,
    size_t errlen)
{
	int	 e = SSL_get_error(srv->ssl, ret), en = errno;

	srv->broken = 1;
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL &&
	    ERR_peek_error() == 0 && en == 0))
		snprintf(err, errlen, "%s: server closed the connection",
		    what);
	else if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ||
	    (e == SSL_ERROR_SYSCALL && (en == EAGAIN || en == EWOULDBLOCK)))
		snprintf(err, errlen, "%s: no reply within %ld s", what,
		    srv->s.timeout);
	else if (e == SSL_ERROR_SYSCALL && en != 0)
		snprintf(err, errlen, "%s: %s", what, strerror(en));
	else
		ssl_error(what, err, errlen);
}

static int
send_request(struct srv *srv, Coachd__V1__Request *req, char *err,
    size_t errlen)
{
	uint8_t	*buf;
	size_t	 len, off = 0, n;
	int	 ret;

	if ((buf = frame_pack_request(req, SRV_MAX_REQUEST, &len)) == NULL) {
		snprintf(err, errlen, "request too large (over %u bytes)",
		    SRV_MAX_REQUEST);
		return CTL_EX_DATAERR;
	}
	while (off < len) {
		errno = 0;
		if ((ret = SSL_write_ex(srv->ssl, buf + off, len - off,
		    &n)) != 1) {
			io_error(srv, ret, "send", err, errlen);
			free(buf);
			return CTL_EX_UNAVAILABLE;
		}
		off += n;
	}
	free(buf);
	return CTL_EX_OK;
}

static int
read_full(struct srv *srv, uint8_t *buf, size_t len, char *err,
    size_t errlen)
{
	size_t	off = 0, n;
	int	ret;

	while (off < len) {
		errno = 0;
		if ((ret = SSL_read_ex(srv->ssl, buf + off, len - off,
		    &n)) != 1) {
			io_error(srv, ret, "receive", err, errlen);
			return -1;
		}
		off += n;
	}
	return 0;
}

static int
recv_response(struct srv *srv, Coachd__V1__Response **resp, char *err,
    size_t errlen)
{
	uint8_t	 hdr[FRAME_HEADER_LEN], *buf = NULL;
	size_t	 len = 0;

	*resp = NULL;
	if (read_full(srv, hdr, sizeof(hdr), err, errlen) == -1)
		return CTL_EX_UNAVAILABLE;
	if (frame_peek(hdr, sizeof(hdr), SRV_MAX_RESPONSE, &len) ==
	    FRAME_TOO_LARGE) {
		srv->broken = 1;
		snprintf(err, errlen, "response of %zu bytes is over the"
		    " client's limit", len);
		return CTL_EX_SOFTWARE;
	}
	buf = xmalloc(len > 0 ? len : 1);
	if (read_full(srv, buf, len, err, errlen) == -1) {
		free(buf);
		return CTL_EX_UNAVAILABLE;
	}
	*resp = frame_unpack_response(buf, len);
	free(buf);
	if (*resp == NULL) {
		srv->broken = 1;
		snprintf(err, errlen, "malformed response from the server");
		return CTL_EX_SOFTWARE;
	}
	return CTL_EX_OK;
}

/* Whether the progress line is on the terminal (stderr). */
static int	progress_on;

/*
 * A Progress reply to request id (long work asked for them): show it on
 * a terminal, say nothing when stderr is not one; 1 when resp was one.
 */
static int
progress_shown(const Coachd__V1__Response *resp, uint64_t id)
{
	const Coachd__V1__Progress	*p = resp->progress;

	if (resp->id != id || resp->status != COACHD__V1__STATUS__OK ||
	    resp->result_case != COACHD__V1__RESPONSE__RESULT_PROGRESS)
		return 0;
	if (p != NULL && isatty(STDERR_FILENO)) {
		fprintf(stderr, "\r\033[Kserver working: %s (%u s)",
		    p->phase, p->seconds);
		fflush(stderr);
		progress_on = 1;
	}
	return 1;
}

/* End the progress line before anything else is printed. */
static void
progress_clear(void)
{
	if (!progress_on)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	progress_on = 0;
}

/*
 * One request, one response, no status check.  When sending fails the
 * server may still have explained why (TOO_LARGE) before closing.
 * Progress replies in between are shown, not returned: each one
 * restarts the reply timeout, so long work never times out while the
 * server says it goes on.
 */
static int
exchange(struct srv *srv, Coachd__V1__Request *req,
    Coachd__V1__Response **resp, char *err, size_t errlen)
{
	char	e2[256];
	int	rc;

	*resp = NULL;
	req->id = ++srv->next_id;
	if ((rc = send_request(srv, req, err, errlen)) != CTL_EX_OK) {
		if (rc == CTL_EX_UNAVAILABLE && srv->ssl != NULL &&
		    recv_response(srv, resp, e2, sizeof(e2)) == CTL_EX_OK)
			return CTL_EX_OK;
		return rc;
	}
	while ((rc = recv_response(srv, resp, err, errlen)) == CTL_EX_OK &&
	    progress_shown(*resp, req->id))
		srv_response_free(*resp);
	progress_clear();
	if (rc != CTL_EX_OK)
		return rc;
	if ((*resp)->id != req->id && (*resp)->status ==
	    COACHD__V1__STATUS__OK) {
		srv->broken = 1;
		snprintf(err, errlen, "response id %llu does not match request"
		    " id %llu", (unsigned long long)(*resp)->id,
		    (unsigned long long)req->id);
		srv_response_free(*resp);
		*resp = NULL;
		return CTL_EX_SOFTWARE;
	}
	return CTL_EX_OK;
}

int
srv_status_exit(Coachd__V1__Status st)
{
	switch (st) {
	case COACHD__V1__STATUS__OK:
		return CTL_EX_OK;
	case COACHD__V1__STATUS__BAD_REQUEST:
	case COACHD__V1__STATUS__TOO_LARGE:
	case COACHD__V1__STATUS__UNSUPPORTED:
		return CTL_EX_DATAERR;
	case COACHD__V1__STATUS__UNAUTHENTICATED:
	case COACHD__V1__STATUS__FORBIDDEN:
		return CTL_EX_NOPERM;
	case COACHD__V1__STATUS__NOT_FOUND:
		return CTL_EX_NOTFOUND;
	case COACHD__V1__STATUS__CONFLICT:
	case COACHD__V1__STATUS__FAILED_PRECONDITION:
		return CTL_EX_CONFLICT;
	case COACHD__V1__STATUS__UNAVAILABLE:
		return CTL_EX_UNAVAILABLE;
	case COACHD__V1__STATUS__INTERNAL:
	default:
		return CTL_EX_SOFTWARE;
	}
}

int
srv_report(const Coachd__V1__Response *resp)
{
	char		 name[64];
	const char	*s;
	size_t		 i;

	if (resp->status == COACHD__V1__STATUS__OK)
		return CTL_EX_OK;
	s = frame_status_name(resp->status);
	for (i = 0; s[i] != '\0' && i < sizeof(name) - 1; i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	name[i] = '\0';
	if (resp->error != NULL && resp->error[0] != '\0')
		fprintf(stderr, "coachctl: %s: %s\n", name, resp->error);
	else
		fprintf(stderr, "coachctl: %s\n", name);
	return srv_status_exit(resp->status);
}

/* Connect and authenticate unless done; CTL_EX_* with error printed. */
static int
srv_open(struct srv *srv)
{
	Coachd__V1__Request	 req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__Hello	 hello = COACHD__V1__HELLO__INIT;
	Coachd__V1__Response	*resp;
	char			 err[512];
	int			 rc;

	if (srv->ssl != NULL && !srv->broken)
		return CTL_EX_OK;
	if (srv->broken || srv->ssl != NULL) {
		fprintf(stderr, "coachctl: connection lost\n");
		return CTL_EX_UNAVAILABLE;
	}
	if ((rc = tls_connect(srv, err, sizeof(err))) != CTL_EX_OK) {
		fprintf(stderr, "coachctl: %s\n", err);
		return rc;
	}
	hello.protocol_version = FRAME_PROTOCOL_VERSION;
	hello.client = (char *)"coachctl " COACHCTL_VERSION;
	hello.token = srv->s.token != NULL ? srv->s.token : (char *)"";
	req.op_case = COACHD__V1__REQUEST__OP_HELLO;
	req.hello = &hello;
	if ((rc = exchange(srv, &req, &resp, err, sizeof(err))) !=
	    CTL_EX_OK) {
		fprintf(stderr, "coachctl: %s\n", err);
		return rc;
	}
	if (resp->status != COACHD__V1__STATUS__OK) {
		rc = srv_report(resp);
		if (resp->status == COACHD__V1__STATUS__UNAUTHENTICATED &&
		    srv->s.token == NULL && srv->s.cert == NULL)
			fprintf(stderr, "coachctl: no credentials: set token"
			    " (config file, COACHCTL_TOKEN) or cert and"
			    " key\n");
		srv_response_free(resp);
		srv->broken = 1;
		return rc;
	}
	if (resp->result_case != COACHD__V1__RESPONSE__RESULT_HELLO) {
		fprintf(stderr, "coachctl: server answered hello without a"
		    " hello result\n");
		srv_response_free(resp);
		srv->broken = 1;
		return CTL_EX_SOFTWARE;
	}
	srv->hello = resp;
	return CTL_EX_OK;
}

int
srv_call(struct srv *srv, Coachd__V1__Request *req,
    Coachd__V1__Response **resp)
{
	char	err[512];
	int	rc;

	*resp = NULL;
	if ((rc = srv_open(srv)) != CTL_EX_OK)
		return rc;
	if ((rc = exchange(srv, req, resp, err, sizeof(err))) != CTL_EX_OK) {
		fprintf(stderr, "coachctl: %s\n", err);
		return rc;
	}
	if ((*resp)->status != COACHD__V1__STATUS__OK) {
		rc = srv_report(*resp);
		srv_response_free(*resp);
		*resp = NULL;
		return rc;
	}
	return CTL_EX_OK;
}

int
srv_call_preauth(struct srv *srv, Coachd__V1__Request *req,
    Coachd__V1__Response **resp)
{
	char	err[512];
	int	rc;

	*resp = NULL;
	if (srv->ssl != NULL || srv->broken) {
		fprintf(stderr, "coachctl: a request before hello needs a new"
		    " connection\n");
		return CTL_EX_SOFTWARE;
	}
	if ((rc = tls_connect(srv, err, sizeof(err))) != CTL_EX_OK ||
	    (rc = exchange(srv, req, resp, err, sizeof(err))) != CTL_EX_OK) {
		fprintf(stderr, "coachctl: %s\n", err);
		return rc;
	}
	if ((*resp)->status != COACHD__V1__STATUS__OK) {
		rc = srv_report(*resp);
		srv_response_free(*resp);
		*resp = NULL;
		srv->broken = 1;	/* the server closes after a failure */
		return rc;
	}
	return CTL_EX_OK;
}

int
srv_call_many(struct srv *srv, Coachd__V1__Request **reqs, size_t n,
    Coachd__V1__Response **resps)
{
	char	err[512];
	size_t	sent = 0, got = 0, i;
	int	rc;

	for (i = 0; i < n; i++)
		resps[i] = NULL;
	if ((rc = srv_open(srv)) != CTL_EX_OK)
		return rc;
	while (got < n) {
		while (sent < n && sent - got < SRV_WINDOW) {
			reqs[sent]->id = ++srv->next_id;
			if ((rc = send_request(srv, reqs[sent], err,
			    sizeof(err))) != CTL_EX_OK)
				goto fail;
			sent++;
		}
		if ((rc = recv_response(srv, &resps[got], err,
		    sizeof(err))) != CTL_EX_OK)
			goto fail;
		if (resps[got]->id != reqs[got]->id) {
			srv->broken = 1;
			snprintf(err, sizeof(err), "response id %llu out of"
			    " order", (unsigned long long)resps[got]->id);
			rc = CTL_EX_SOFTWARE;
			goto fail;
		}
		got++;
	}
	return CTL_EX_OK;
fail:
	fprintf(stderr, "coachctl: %s\n", err);
	for (i = 0; i < n; i++) {
		srv_response_free(resps[i]);
		resps[i] = NULL;
	}
	return rc;
}

int
srv_request_set(Coachd__V1__Request *req, unsigned op, void *msg)
{
	const ProtobufCFieldDescriptor	*fd;

	fd = protobuf_c_message_descriptor_get_field(req->base.descriptor,
	    op);
	if (fd == NULL || fd->type != PROTOBUF_C_TYPE_MESSAGE ||
	    !(fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF))
		return -1;
	/* Every member of the op oneof shares this one pointer slot. */
	*(void **)(void *)((char *)req + fd->offset) = msg;
	req->op_case = (Coachd__V1__Request__OpCase)op;
	return 0;
}
