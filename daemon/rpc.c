/*
 * rpc: one dispatch from request type to handler.  The table is generated
 * from rpc_ops.h, which lists every request type exactly once with the
 * roles that may call it; a request whose role is not listed is refused
 * before any handler runs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "errmsg.h"
#include "frame.h"
#include "log.h"
#include "pbcheck.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

struct rpc_op {
	Coachd__V1__Request__OpCase	 op;
	const char			*name;
	unsigned			 roles;	/* AUTH_* bits */
	enum rpc_access			 access;
	rpc_handler			 fn;
};

static const struct rpc_op ops[] = {
#define RPC_OP(tag, name, roles, access)				\
	{ COACHD__V1__REQUEST__OP_##tag, #name, roles, access, rpc_##name },
#include "rpc_ops.h"
};

static const struct rpc_op *
find_op(Coachd__V1__Request__OpCase op)
{
	size_t	i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return &ops[i];
	return NULL;
}

const char *
rpc_op_name(const Coachd__V1__Request *req)
{
	const struct rpc_op	*op;

	if (req->op_case == COACHD__V1__REQUEST__OP_HELLO)
		return "hello";
	if ((op = find_op(req->op_case)) == NULL)
		return "unknown";
	return op->name;
}

int
rpc_op_preauth(Coachd__V1__Request__OpCase op_case)
{
	const struct rpc_op	*op;

	if ((op = find_op(op_case)) == NULL)
		return 0;
	return (op->roles & AUTH_PREAUTH) != 0;
}

int
rpc_op_writes(Coachd__V1__Request__OpCase op_case)
{
	const struct rpc_op	*op;

	if ((op = find_op(op_case)) == NULL)
		return 0;
	return op->access == RPC_WRITES;
}

char *
rpc_strdup(const char *s)
{
	return xstrdup(s != NULL ? s : "");
}

/*
 * A oneof's cases are its field numbers, so the descriptor says where the
 * message of case c lives in m: the slot's address, or NULL when case c is
 * not a message field of m.
 */
static ProtobufCMessage **
rpc_oneof_slot(const ProtobufCMessage *m, unsigned c)
{
	const ProtobufCFieldDescriptor	*f;

	f = protobuf_c_message_descriptor_get_field(m->descriptor, c);
	if (f == NULL || f->type != PROTOBUF_C_TYPE_MESSAGE)
		return NULL;
	return (ProtobufCMessage **)(void *)((char *)m + f->offset);
}

/* A message of another type than case c holds is a programming error. */
int
rpc_set_result(Coachd__V1__Response *resp, Coachd__V1__Response__ResultCase c,
    ProtobufCMessage *msg)
{
	const ProtobufCFieldDescriptor	*f;
	ProtobufCMessage		**slot;

	f = protobuf_c_message_descriptor_get_field(resp->base.descriptor,
	    (unsigned)c);
	slot = rpc_oneof_slot(&resp->base, (unsigned)c);
	if (slot == NULL || f->descriptor != msg->descriptor)
		fatalx("rpc_set_result: result %d cannot hold a %s", (int)c,
		    msg->descriptor->name);
	*slot = msg;
	resp->result_case = c;
	return 0;
}

int
rpc_set_empty(Coachd__V1__Response *resp)
{
	Coachd__V1__Empty	*e;

	e = xmalloc(sizeof(*e));
	coachd__v1__empty__init(e);
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_EMPTY,
	    &e->base);
}

int
rpc_fail(Coachd__V1__Response *resp, Coachd__V1__Status st, const char *fmt,
    ...)
{
	va_list	 ap;
	char	 msg[ERRMSG_LEN];

	va_start(ap, fmt);
	verrmsg(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (resp->error != NULL && resp->error != protobuf_c_empty_string)
		free(resp->error);
	resp->status = st;
	resp->error = xstrdup(msg);
	return -1;
}

int
rpc_fail_store(Coachd__V1__Response *resp, int st, const char *err)
{
	switch ((enum store_status)st) {
	case STORE_OK:
		break;
	case STORE_NOTFOUND:
		return rpc_fail(resp, COACHD__V1__STATUS__NOT_FOUND, "%s", err);
	case STORE_CONFLICT:
		return rpc_fail(resp, COACHD__V1__STATUS__CONFLICT, "%s", err);
	case STORE_INVALID:
		return rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s",
		    err);
	case STORE_ERROR:
		break;
	}
	return rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
	    "storage error: %s", err);
}

void
rpc_dispatch(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	const struct rpc_op	*op;
	ProtobufCMessage	**slot;
	char			 path[128];

	resp->id = req->id;

	if ((op = find_op(req->op_case)) == NULL) {
		rpc_fail(resp, COACHD__V1__STATUS__UNSUPPORTED,
		    "request %llu: unknown or missing operation (field %d)",
		    (unsigned long long)req->id, (int)req->op_case);
		return;
	}
	if (!(op->roles & AUTH_ROLE_BIT(ctx->who->role))) {
		if (op->roles == AUTH_PREAUTH)
			rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "%s: only "
			    "on a new connection, before hello", op->name);
		else
			rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN,
			    "%s: not allowed for role %s", op->name,
			    frame_role_name(ctx->who->role));
		return;
	}
	if ((op->roles & AUTH_NOTES) && !ctx->who->note_rights) {
		rpc_fail(resp, COACHD__V1__STATUS__FORBIDDEN, "%s: %s carries no "
		    "right to confidential notes; redeem an enrolment code "
		    "(`coachctl enrol CODE`) for a token of your own", op->name,
		    ctx->who->by_cert ? "a certificate login" :
		    "this token was issued by an administrator and");
		return;
	}
	/* Unpacking allocates the payload; only a hand-built request lacks
	 * it, and handlers may then rely on it. */
	slot = rpc_oneof_slot(&req->base, (unsigned)req->op_case);
	if (slot != NULL && *slot == NULL) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST,
		    "%s: missing request", op->name);
		return;
	}
	/* protobuf-c does not check string bytes; handlers, the store and
	 * the calendar feeds may all rely on UTF-8 from here on. */
	if (slot != NULL && pbcheck_strings(*slot, path, sizeof(path)) == -1) {
		rpc_fail(resp, COACHD__V1__STATUS__BAD_REQUEST, "%s: field %s "
		    "is not valid UTF-8", op->name, path);
		return;
	}
	if (op->fn(ctx, req, resp) == 0)
		resp->status = COACHD__V1__STATUS__OK;
	else if (resp->status == COACHD__V1__STATUS__OK)
		rpc_fail(resp, COACHD__V1__STATUS__INTERNAL,
		    "%s failed without a reason", op->name);
}

int
rpc_ping(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	(void)ctx;
	(void)req;
	return rpc_set_empty(resp);
}

int
rpc_whoami(struct rpc_ctx *ctx, const Coachd__V1__Request *req,
    Coachd__V1__Response *resp)
{
	Coachd__V1__Principal	*p;

	(void)req;
	p = xmalloc(sizeof(*p));
	coachd__v1__principal__init(p);
	p->user = xstrdup(ctx->who->user);
	p->role = ctx->who->role;
	p->display_name = xstrdup(ctx->who->display_name);
	p->note_rights = ctx->who->note_rights != 0;
	return rpc_set_result(resp, COACHD__V1__RESPONSE__RESULT_PRINCIPAL,
	    &p->base);
}
