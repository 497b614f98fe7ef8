/* The effective configuration of a scan or a resolver: SPEC §2's defaults,
 * overlaid with ROOT/dscan.json (or --config), overlaid with the options the
 * caller set. Everything is copied into the config's own arena, absolute
 * paths are real paths. It does not read tsconfig.json (tsconfig.c does). */
#ifndef DS_CONFIG_H
#define DS_CONFIG_H

#include "arena.h"
#include "diag.h"
#include "sys.h"

struct ds_strlist {
    struct ds_str *items;
    size_t n;
};

struct ds_env_config {
    struct ds_strlist
        conditions; /* explicit ones, in order; import/require/default/mode are implicit */
    struct ds_strlist main_fields;
};

struct ds_alias_rule {
    struct ds_str find;        /* exact match, or prefix followed by '/' */
    struct ds_str replacement; /* relative replacements were made absolute against root */
};

struct ds_config {
    struct ds_arena arena;
    struct ds_str root;        /* absolute real path, no trailing '/' */
    struct ds_str config_path; /* file that was read, or empty */
    struct ds_strlist entries; /* absolute paths (not yet checked to exist) */
    struct ds_str src_dir;     /* absolute */
    bool prescan;
    bool precise;    /* SPEC §4.10 */
    bool production; /* mode: "production" condition, else "development" */
    struct ds_env_config env[DSCAN_N_ENVS];
    struct ds_strlist extensions; /* with the dot: ".mjs" … */
    struct ds_alias_rule *alias;
    size_t n_alias;
    struct ds_strlist external;
    struct ds_str tsconfig;   /* absolute, when set; empty: each importer's own (SPEC §2) */
    const struct ds_sys *sys; /* the file-system backend of this scan (not owned) */
    unsigned threads;         /* resolved: 1..DS_POOL_MAX_THREADS (default: CPUs, at most 8) */
};

/* Builds the config for `opts`. DS_ENOENT when the root is missing,
 * DS_ECONFIG when the config file is unreadable or invalid (the message names
 * the file, the key and what was expected). *out is freed with
 * ds_config_free. */
DS_MUST_CHECK enum ds_status ds_config_load(struct ds_alloc *alloc,
                                            const struct dscan_options *opts,
                                            struct ds_config **out, struct dscan_error *err);
/* ds_config_load on backend `sys` (NULL: ds_sys_default()), which the
 * config keeps for the scan and the resolver (cfg->sys). */
DS_MUST_CHECK enum ds_status ds_config_load_sys(struct ds_alloc *alloc,
                                                const struct dscan_options *opts,
                                                const struct ds_sys *sys, struct ds_config **out,
                                                struct dscan_error *err);
void ds_config_free(struct ds_config *cfg);

#endif
