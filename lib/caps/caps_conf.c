/*
 * caps_conf: conf/categories.conf text -> struct caps_policy.
 *
 * Sections: [settings] (warn_threshold, protected_coaching, working_week,
 * term_weeks), [category ID] (name, role, kind, mark, cap) and
 * [caps school:ID] / [caps coach:ID] whose keys are category ids and whose
 * values are comma lists of cap specs.  Every problem is reported as
 * "file:line: what is wrong".
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caps.h"
#include "caps_conf.h"
#include "taxonomy.h"

enum sect { S_NONE, S_SETTINGS, S_CATEGORY, S_CAPS };

#define K_NAME	0x01
#define K_ROLE	0x02
#define K_KIND	0x04
#define K_MARK	0x08
#define K_CAP	0x10

/* Parser state. */
struct conf_parse {
	struct caps_policy	*p;
	enum sect		 sect;
	unsigned		 seen;		/* K_* in this category */
	unsigned		 settings_seen;
	int			 sect_line;
	enum caps_scope		 scope;		/* [caps ...] sections */
	char			 scope_id[CAPS_ID_MAX];
	int			*rule_lines;	/* line of each rule */
	size_t			 nrule_lines;
};

/* Remember where the rule just added came from, for later messages. */
static int
note_rule_line(struct conf_parse *cp, int line, char *err, size_t errlen)
{
	int	*nv;

	nv = realloc(cp->rule_lines, cp->p->nrules * sizeof *nv);
	if (nv == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	cp->rule_lines = nv;
	while (cp->nrule_lines < cp->p->nrules)
		nv[cp->nrule_lines++] = line;
	return 0;
}

/* Add the comma list of specs in value as rules of the current scope. */
static int
add_specs(struct conf_parse *cp, enum caps_scope scope, const char *sid,
    const char *category, const char *value, int line, char *err,
    size_t errlen)
{
	struct caps_spec	 spec;
	char			**v;
	size_t			 n, i;
	int			 rc = -1;

	if (taxonomy_split_list(value, &v, &n) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (n == 0) {
		snprintf(err, errlen, "no cap given for %s", category);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (caps_parse_spec(v[i], &spec, err, errlen) != 0)
			goto out;
		if (caps_rule_put(cp->p, scope, sid, category, &spec, 0, err,
		    errlen) != 0)
			goto out;
		if (note_rule_line(cp, line, err, errlen) != 0)
			goto out;
	}
	rc = 0;
out:
	taxonomy_free_list(v, n);
	return rc;
}

/* A share such as "80%" or "80" into basis points. */
static int
parse_share(const char *key, const char *value, int *bp, char *err,
    size_t errlen)
{
	struct caps_spec	spec;
	char			buf[64];

	snprintf(buf, sizeof buf, "%s%s/week", value,
	    strchr(value, '%') != NULL ? "" : "%");
	if (caps_parse_spec(buf, &spec, err, errlen) != 0 ||
	    spec.unit != CAPS_SHARE) {
		snprintf(err, errlen, "%s must be a share like 80%%, not '%s'",
		    key, value);
		return -1;
	}
	*bp = (int)spec.value;
	return 0;
}

/*
 * "2026-08-17..2026-12-18, 2027-01-05..2027-05-28": terms in date order,
 * not overlapping, so a day lies in at most one term.
 */
static int
parse_terms(struct caps_policy *p, const char *value, char *err,
    size_t errlen)
{
	char		 buf[512], *item, *save = NULL, *dots, *a;
	struct caps_term t;

	snprintf(buf, sizeof buf, "%s", value);
	p->nterms = 0;
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		while (*item == ' ' || *item == '\t')
			item++;
		a = item + strlen(item);
		while (a > item && (a[-1] == ' ' || a[-1] == '\t'))
			*--a = '\0';
		if ((dots = strstr(item, "..")) == NULL)
			goto bad;
		*dots = '\0';
		if (caps_parse_date(item, &t.start, NULL, 0) != 0 ||
		    caps_parse_date(dots + 2, &t.end, NULL, 0) != 0)
			goto bad;
		if (t.end < t.start || (p->nterms > 0 &&
		    t.start <= p->terms[p->nterms - 1].end)) {
			snprintf(err, errlen, "terms must be in date order and"
			    " must not overlap ('%s..%s')", item, dots + 2);
			return -1;
		}
		if (p->nterms == CAPS_TERMS_MAX) {
			snprintf(err, errlen, "at most %d terms",
			    CAPS_TERMS_MAX);
			return -1;
		}
		p->terms[p->nterms++] = t;
	}
	if (p->nterms > 0)
		return 0;
bad:
	snprintf(err, errlen, "terms must be a comma list of FROM..TO dates"
	    " (YYYY-MM-DD..YYYY-MM-DD), not '%s'", value);
	p->nterms = 0;
	return -1;
}

static int
settings_key(struct conf_parse *cp, const char *key, const char *value,
    char *err, size_t errlen)
{
	struct caps_spec	 spec;
	char			 buf[64], *end;
	unsigned		 bit;
	long			 l;

	if (strcmp(key, "warn_threshold") == 0)
		bit = 1;
	else if (strcmp(key, "protected_coaching") == 0)
		bit = 2;
	else if (strcmp(key, "working_week") == 0)
		bit = 4;
	else if (strcmp(key, "term_weeks") == 0)
		bit = 8;
	else if (strcmp(key, "terms") == 0)
		bit = 16;
	else {
		snprintf(err, errlen, "unknown key '%s' in [settings] "
		    "(expected warn_threshold, protected_coaching, "
		    "working_week, term_weeks, terms)", key);
		return -1;
	}
	if (cp->settings_seen & bit) {
		snprintf(err, errlen, "duplicate key '%s' in [settings]", key);
		return -1;
	}
	cp->settings_seen |= bit;
	switch (bit) {
	case 1:
		if (parse_share(key, value, &cp->p->warn_bp, err, errlen) != 0)
			return -1;
		if (cp->p->warn_bp == 0) {
			snprintf(err, errlen, "warn_threshold must be above 0%%");
			return -1;
		}
		return 0;
	case 2:
		return parse_share(key, value, &cp->p->protected_bp, err,
		    errlen);
	case 4:
		snprintf(buf, sizeof buf, "%s/week", value);
		if (caps_parse_spec(buf, &spec, err, errlen) != 0 ||
		    spec.unit != CAPS_MINUTES || spec.value <= 0) {
			snprintf(err, errlen, "working_week must be a duration "
			    "like 40h or 37.5h, not '%s'", value);
			return -1;
		}
		cp->p->working_minutes_week = spec.value;
		return 0;
	case 16:
		return parse_terms(cp->p, value, err, errlen);
	default:
		l = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || l < 1 || l > 52) {
			snprintf(err, errlen, "term_weeks must be 1..52, not "
			    "'%s'", value);
			return -1;
		}
		cp->p->term_weeks = (int)l;
		return 0;
	}
}

/* Check the category that just ended. */
static int
category_finish(struct conf_parse *cp, char *err, size_t errlen)
{
	struct caps_category	*c;
	const char		*missing = NULL;

	if (cp->sect != S_CATEGORY)
		return 0;
	c = &cp->p->cats[cp->p->ncats - 1];
	if (!(cp->seen & K_NAME))
		missing = "name";
	else if (!(cp->seen & K_ROLE))
		missing = "role";
	else if (!(cp->seen & K_KIND))
		missing = "kind";
	if (missing != NULL) {
		snprintf(err, errlen, "category '%s' (line %d) has no %s",
		    c->id, cp->sect_line, missing);
		return -1;
	}
	if (c->coaching && c->role == CAPS_ROLE_NONE) {
		snprintf(err, errlen, "category '%s' (line %d): a coaching "
		    "category must map to one of the ten coaching roles",
		    c->id, cp->sect_line);
		return -1;
	}
	return 0;
}

static int
category_key(struct conf_parse *cp, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct caps_category	*c = &cp->p->cats[cp->p->ncats - 1];
	unsigned		 bit;

	if (strcmp(key, "name") == 0)
		bit = K_NAME;
	else if (strcmp(key, "role") == 0)
		bit = K_ROLE;
	else if (strcmp(key, "kind") == 0)
		bit = K_KIND;
	else if (strcmp(key, "mark") == 0)
		bit = K_MARK;
	else if (strcmp(key, "cap") == 0)
		bit = K_CAP;
	else {
		snprintf(err, errlen, "unknown key '%s' in category '%s' "
		    "(expected name, role, kind, mark, cap)", key, c->id);
		return -1;
	}
	if (cp->seen & bit) {
		snprintf(err, errlen, "duplicate key '%s' in category '%s'",
		    key, c->id);
		return -1;
	}
	cp->seen |= bit;
	switch (bit) {
	case K_NAME:
		if (*value == '\0' || strlen(value) >= sizeof c->name) {
			snprintf(err, errlen, "name of category '%s' is empty "
			    "or longer than %zu", c->id, sizeof c->name - 1);
			return -1;
		}
		snprintf(c->name, sizeof c->name, "%s", value);
		return 0;
	case K_ROLE:
		if (caps_role_parse(value, &c->role) != 0) {
			snprintf(err, errlen, "unknown role '%s' (expected one "
			    "of the ten coaching roles, e.g. data-coach, "
			    "mentor, or none)", value);
			return -1;
		}
		return 0;
	case K_KIND:
		if (strcmp(value, "coaching") == 0)
			c->coaching = 1;
		else if (strcmp(value, "non-coaching") == 0)
			c->coaching = 0;
		else {
			snprintf(err, errlen, "kind must be coaching or "
			    "non-coaching, not '%s'", value);
			return -1;
		}
		return 0;
	case K_MARK:
		if (caps_mark_parse(value, &c->mark) != 0) {
			snprintf(err, errlen, "mark must be will, may or "
			    "will-not, not '%s'", value);
			return -1;
		}
		return 0;
	default:
		return add_specs(cp, CAPS_SCOPE_DISTRICT, "", c->id, value,
		    line, err, errlen);
	}
}

static int
section_start(struct conf_parse *cp, const char *section, int line,
    char *err, size_t errlen)
{
	struct caps_category	*nv;
	const char		*arg;

	if (category_finish(cp, err, errlen) != 0)
		return -1;
	cp->sect_line = line;
	cp->seen = 0;
	if (strcmp(section, "settings") == 0) {
		if (cp->settings_seen & 0x100) {
			snprintf(err, errlen, "duplicate [settings] section");
			return -1;
		}
		cp->settings_seen |= 0x100;
		cp->sect = S_SETTINGS;
		return 0;
	}
	if (strncmp(section, "category ", 9) == 0) {
		arg = section + 9;
		while (*arg == ' ')
			arg++;
		if (!taxonomy_valid_id(arg)) {
			snprintf(err, errlen, "bad category id '%s'", arg);
			return -1;
		}
		if (caps_find_category(cp->p, arg) >= 0) {
			snprintf(err, errlen, "duplicate category id '%s'",
			    arg);
			return -1;
		}
		nv = realloc(cp->p->cats, (cp->p->ncats + 1) * sizeof *nv);
		if (nv == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		cp->p->cats = nv;
		memset(&nv[cp->p->ncats], 0, sizeof *nv);
		snprintf(nv[cp->p->ncats].id, CAPS_ID_MAX, "%s", arg);
		nv[cp->p->ncats].mark = CAPS_MARK_MAY;
		cp->p->ncats++;
		cp->sect = S_CATEGORY;
		return 0;
	}
	if (strncmp(section, "caps ", 5) == 0) {
		arg = section + 5;
		while (*arg == ' ')
			arg++;
		if (strncmp(arg, "school:", 7) == 0)
			cp->scope = CAPS_SCOPE_SCHOOL;
		else if (strncmp(arg, "coach:", 6) == 0)
			cp->scope = CAPS_SCOPE_COACH;
		else {
			snprintf(err, errlen, "expected [caps school:ID] or "
			    "[caps coach:ID], not [%s]", section);
			return -1;
		}
		arg = strchr(arg, ':') + 1;
		if (!taxonomy_valid_id(arg)) {
			snprintf(err, errlen, "bad %s id '%s'",
			    caps_scope_name(cp->scope), arg);
			return -1;
		}
		snprintf(cp->scope_id, sizeof cp->scope_id, "%s", arg);
		cp->sect = S_CAPS;
		return 0;
	}
	snprintf(err, errlen, "unknown section [%s] (expected [settings], "
	    "[category ID], [caps school:ID] or [caps coach:ID])", section);
	return -1;
}

static int
conf_cb(void *arg, const char *section, const char *key, const char *value,
    int line, char *err, size_t errlen)
{
	struct conf_parse	*cp = arg;

	if (key == NULL)
		return section_start(cp, section, line, err, errlen);
	switch (cp->sect) {
	case S_SETTINGS:
		return settings_key(cp, key, value, err, errlen);
	case S_CATEGORY:
		return category_key(cp, key, value, line, err, errlen);
	default:
		return add_specs(cp, cp->scope, cp->scope_id, key, value, line,
		    err, errlen);
	}
}

/* Parse the whole file; see caps.h. */
int
caps_policy_parse(const char *text, const char *name,
    struct caps_policy *out, char *err, size_t errlen)
{
	struct conf_parse	cp;
	size_t			i;
	int			rc = -1;

	memset(out, 0, sizeof *out);
	memset(&cp, 0, sizeof cp);
	out->warn_bp = 8000;
	out->protected_bp = 6000;
	out->working_minutes_week = 2400;
	out->term_weeks = 12;
	cp.p = out;
	if (taxonomy_ini_parse(text, name, conf_cb, &cp, err, errlen) != 0)
		goto out;
	if (category_finish(&cp, err, errlen) != 0) {
		char msg[256];

		snprintf(msg, sizeof msg, "%s", err);
		snprintf(err, errlen, "%s:%d: %s", name, cp.sect_line, msg);
		goto out;
	}
	if (out->ncats == 0) {
		snprintf(err, errlen, "%s: no [category ID] sections", name);
		goto out;
	}
	/* Categories may follow the [caps ...] sections naming them. */
	for (i = 0; i < out->nrules; i++) {
		if (caps_find_category(out, out->rules[i].category) >= 0)
			continue;
		snprintf(err, errlen, "%s:%d: unknown category '%s'", name,
		    cp.rule_lines[i], out->rules[i].category);
		goto out;
	}
	rc = 0;
out:
	free(cp.rule_lines);
	if (rc != 0)
		caps_policy_free(out);
	return rc;
}
