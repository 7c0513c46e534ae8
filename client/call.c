/*
 * call: send one request and print what comes back, the three ways the
 * verb handlers need it.  srv_call() has already printed any error, so
 * a handler only decides how a successful reply reads.
 */
#include <stdarg.h>
#include <stdio.h>

#include "coachctl.h"

int
call_reply(struct ctl *ctl, Coachd__V1__Request *req, int want,
    Coachd__V1__Response **resp)
{
	int	rc;

	*resp = NULL;
	if ((rc = srv_call(ctl->srv, req, resp)) != CTL_EX_OK)
		return rc;
	if (!ctl->json && (want == 0 || (int)(*resp)->result_case == want))
		return CTL_EX_OK;
	rc = out_result(ctl, *resp, NULL);
	srv_response_free(*resp);
	*resp = NULL;
	return rc;
}

int
call_result(struct ctl *ctl, Coachd__V1__Request *req,
    const char *const *cols)
{
	Coachd__V1__Response	*resp;
	int			 rc;

	if ((rc = srv_call(ctl->srv, req, &resp)) != CTL_EX_OK)
		return rc;
	rc = out_result(ctl, resp, cols);
	srv_response_free(resp);
	return rc;
}

int
call_done(struct ctl *ctl, Coachd__V1__Request *req, const char *fmt, ...)
{
	Coachd__V1__Response	*resp;
	va_list			 ap;
	int			 rc;

	if ((rc = srv_call(ctl->srv, req, &resp)) != CTL_EX_OK)
		return rc;
	if (ctl->json)
		rc = out_result(ctl, resp, NULL);
	else {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	srv_response_free(resp);
	return rc;
}

int
call_by_id(struct ctl *ctl, struct ctl_args *a, unsigned op,
    const char *done)
{
	Coachd__V1__Request	req = COACHD__V1__REQUEST__INIT;
	Coachd__V1__IdRequest	ir = COACHD__V1__ID_REQUEST__INIT;

	ir.id = (char *)ctl_pos(a, 0);
	srv_request_set(&req, op, &ir);
	if (done == NULL)
		return call_result(ctl, &req, NULL);
	return call_done(ctl, &req, "%s %s", done, ir.id);
}
