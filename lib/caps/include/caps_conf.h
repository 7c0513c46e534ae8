/*
 * caps_conf: internals shared by caps.c and caps_conf.c (not for callers;
 * use caps.h).
 */
#ifndef CAPS_CONF_H
#define CAPS_CONF_H

#include "caps.h"

/*
 * Add a rule; with replace, an existing rule for the same scope, id,
 * category and period (or a conflicting "none") is dropped first,
 * without, such a rule is an error.
 */
int	caps_rule_put(struct caps_policy *p, enum caps_scope scope,
	    const char *scope_id, const char *category,
	    const struct caps_spec *spec, int replace, char *err,
	    size_t errlen);

#endif
