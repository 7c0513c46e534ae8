/*
 * cmd_enrol.h: the administrator's enrolment verbs (cmd_enrol.c), listed
 * in cmd_admin[] as `admin enrol`, `admin enrolments`, `admin enrol-revoke`.
 */
#ifndef CMD_ENROL_H
#define CMD_ENROL_H

#include "coachctl.h"

extern const struct ctl_opt admin_enrol_opts[];
int	admin_enrol(struct ctl *, struct ctl_args *);
int	admin_enrol_list(struct ctl *, struct ctl_args *);
int	admin_enrol_revoke(struct ctl *, struct ctl_args *);

#endif
