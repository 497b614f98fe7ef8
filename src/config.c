/* The effective configuration of a scan: SPEC §2's defaults, overlaid with
 * the config file (dscan.json in ROOT, or the one named by the options),
 * overlaid with what the caller set in struct dscan_options.
 *
 * Every key of the config file is checked, even one the options override, so
 * a bad file is reported the same way whatever the command line says.
 * Relative paths — in the file and in the options alike — are relative to
 * ROOT (as Vite's are to its root), except `config_path` itself, which is
 * relative to the working directory like any command-line file name. Paths
 * are normalised lexically here; only ROOT and the config file are realpath'd
 * (the rest may not exist yet: entries are checked by the scan).
 *
 * It does not read tsconfig.json (tsconfig.c does) or any source file. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "json.h"
#include "pool.h"
#include "path.h"
#include "readfile.h"

/* SPEC §2: "The values shown are the defaults." */
static const char *const default_worker_conditions[] = {
    "workerd", "worker", "react-server", "module", "node", "browser", "development|production"};
static const char *const default_worker_main_fields[] = {"module", "jsnext:main", "jsnext"};
static const char *const default_client_conditions[] = {"browser", "module"};
static const char *const default_client_main_fields[] = {"browser", "module", "jsnext:main",
                                                         "jsnext"};
static const char *const default_extensions[] = {".mjs", ".js",  ".mts", ".ts",
                                                 ".jsx", ".tsx", ".json"};
static const char *const default_external[] = {"cloudflare:workers"};
static const char *const default_entries[] = {"src/worker.tsx", "src/worker.ts", "src/worker.jsx",
                                              "src/worker.js"};

/* Threads: the default stops at 8, past which reading and lexing no longer
 * get faster; an explicit count is honoured up to the pool's own bound. */
#define DEFAULT_MAX_THREADS 8

/* What the config file said, validated and copied into the config's arena.
 * A `has_` flag is false when the file did not set the key. */
struct file_values {
    bool has_precise, precise;
    bool has_entries, has_src_dir, has_mode, has_prescan, has_extensions, has_alias, has_external,
        has_tsconfig;
    bool has_conditions[DSCAN_N_ENVS], has_main_fields[DSCAN_N_ENVS];
    struct ds_strlist entries, extensions, external;
    struct ds_strlist conditions[DSCAN_N_ENVS], main_fields[DSCAN_N_ENVS];
    struct ds_str src_dir, tsconfig;
    const char *src_dir_kind, *src_dir_file, *tsconfig_kind, *tsconfig_file; /* for messages */
    bool production, prescan;
    struct ds_alias_rule *alias;
    size_t n_alias;
};

struct loader {
    struct ds_config *cfg;
    const char *kind; /* "config", or "options" for dscan_options.options_json */
    const char *file; /* the config file (or the options' name), for messages */
    struct dscan_error *err;
};

static const char *const env_names[DSCAN_N_ENVS] = {"worker", "client"};

static enum ds_status invalid(struct loader *ld, const char *key, const char *expected)
{
    return ds_error_set(ld->err, DS_ECONFIG, 0, "invalid %s '%s': \"%s\" must be %s", ld->kind,
                        ld->file, key, expected);
}

static enum ds_status copy_str(struct ds_config *cfg, struct ds_str s, struct ds_str *out)
{
    return ds_arena_strdup(&cfg->arena, s, out);
}

static enum ds_status list_from_cstrs(struct loader *ld, const char *const *items, size_t n,
                                      struct ds_strlist *out)
{
    struct ds_config *cfg = ld->cfg;

    if (n && !items)
        return ds_error_set(ld->err, DS_EINVAL, 0, "invalid options: a list of strings is NULL");
    out->n = 0;
    out->items = n ? ds_arena_alloc(&cfg->arena, n * sizeof(*out->items)) : NULL;
    if (n && !out->items)
        return DS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!items[i])
            return ds_error_set(ld->err, DS_EINVAL, 0,
                                "invalid options: a list of strings holds NULL");
        if (copy_str(cfg, ds_str_cstr(items[i]), &out->items[i]) != DS_OK)
            return DS_ENOMEM;
    }
    out->n = n;
    return DS_OK;
}

/* `key` must be an array of strings; copies it into the config's arena. */
static enum ds_status list_from_json(struct loader *ld, const struct ds_json *v, const char *key,
                                     struct ds_strlist *out)
{
    if (v->type != DS_JSON_ARRAY)
        return invalid(ld, key, "an array of strings");
    out->n = 0;
    out->items = v->n ? ds_arena_alloc(&ld->cfg->arena, v->n * sizeof(*out->items)) : NULL;
    if (v->n && !out->items)
        return DS_ENOMEM;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->u.items[i].type != DS_JSON_STRING)
            return invalid(ld, key, "an array of strings");
        if (copy_str(ld->cfg, v->u.items[i].u.str, &out->items[i]) != DS_OK)
            return DS_ENOMEM;
    }
    out->n = v->n;
    return DS_OK;
}

static enum ds_status string_from_json(struct loader *ld, const struct ds_json *v, const char *key,
                                       struct ds_str *out)
{
    if (v->type != DS_JSON_STRING || v->u.str.len == 0)
        return invalid(ld, key, "a non-empty string");
    return copy_str(ld->cfg, v->u.str, out);
}

static enum ds_status check_extensions(struct loader *ld, const struct ds_strlist *l,
                                       const char *key)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].len < 2 || l->items[i].ptr[0] != '.' ||
            ds_str_find(l->items[i], '/') != l->items[i].len)
            return invalid(ld, key, "an array of extensions starting with '.'");
    return DS_OK;
}

static enum ds_status add_alias(struct loader *ld, struct file_values *fv, size_t i,
                                struct ds_str find, struct ds_str repl)
{
    if (find.len == 0)
        return invalid(ld, "alias", "a list of non-empty \"find\" strings");
    if (copy_str(ld->cfg, find, &fv->alias[i].find) != DS_OK ||
        copy_str(ld->cfg, repl, &fv->alias[i].replacement) != DS_OK)
        return DS_ENOMEM;
    return DS_OK;
}

/* Vite accepts an array of {find, replacement} or an object {find:
 * replacement}; both are kept in their written order (Vite tries aliases in
 * order, first match wins). A `find` RegExp cannot be written in JSON. */
static enum ds_status alias_from_json(struct loader *ld, const struct ds_json *v,
                                      struct file_values *fv)
{
    static const char shape[] =
        "an array of {\"find\": string, \"replacement\": string} or an object of strings";
    enum ds_status st;

    if (v->type != DS_JSON_ARRAY && v->type != DS_JSON_OBJECT)
        return invalid(ld, "alias", shape);
    fv->n_alias = 0;
    fv->alias = v->n ? ds_arena_zalloc(&ld->cfg->arena, v->n * sizeof(*fv->alias)) : NULL;
    if (v->n && !fv->alias)
        return DS_ENOMEM;
    for (uint32_t i = 0; i < v->n; i++) {
        if (v->type == DS_JSON_OBJECT) {
            const struct ds_json_member *m = &v->u.members[i];
            if (m->value.type != DS_JSON_STRING)
                return invalid(ld, "alias", shape);
            st = add_alias(ld, fv, i, m->key, m->value.u.str);
        } else {
            const struct ds_json *o = &v->u.items[i];
            if (o->type != DS_JSON_OBJECT)
                return invalid(ld, "alias", shape);
            for (uint32_t k = 0; k < o->n; k++)
                if (!ds_str_eq(o->u.members[k].key, DS_STR("find")) &&
                    !ds_str_eq(o->u.members[k].key, DS_STR("replacement")))
                    return ds_error_set(ld->err, DS_ECONFIG, 0,
                                        "invalid %s '%s': unknown key \"alias[].%.*s\"", ld->kind,
                                        ld->file, DS_STR_FMT(o->u.members[k].key));
            const struct ds_json *find = ds_json_get(o, DS_STR("find"));
            const struct ds_json *repl = ds_json_get(o, DS_STR("replacement"));
            if (!find || !repl || find->type != DS_JSON_STRING || repl->type != DS_JSON_STRING)
                return invalid(ld, "alias", shape);
            st = add_alias(ld, fv, i, find->u.str, repl->u.str);
        }
        if (st != DS_OK)
            return st;
        fv->n_alias++;
    }
    return DS_OK;
}

static enum ds_status environments_from_json(struct loader *ld, const struct ds_json *v,
                                             struct file_values *fv)
{
    static const char *const keys[DSCAN_N_ENVS][2] = {
        {"environments.worker.conditions", "environments.worker.mainFields"},
        {"environments.client.conditions", "environments.client.mainFields"},
    };
    enum ds_status st;

    if (v->type != DS_JSON_OBJECT)
        return invalid(ld, "environments", "an object with \"worker\" and \"client\"");
    for (uint32_t i = 0; i < v->n; i++) {
        const struct ds_json_member *m = &v->u.members[i];
        int e = ds_str_eq(m->key, DS_STR("worker"))   ? DSCAN_ENV_WORKER
                : ds_str_eq(m->key, DS_STR("client")) ? DSCAN_ENV_CLIENT
                                                      : -1;
        if (e < 0)
            return ds_error_set(ld->err, DS_ECONFIG, 0,
                                "invalid %s '%s': unknown environment \"%.*s\" (expected "
                                "\"worker\" or \"client\")",
                                ld->kind, ld->file, DS_STR_FMT(m->key));
        if (m->value.type != DS_JSON_OBJECT)
            return ds_error_set(ld->err, DS_ECONFIG, 0,
                                "invalid %s '%s': \"environments.%s\" must be an object", ld->kind,
                                ld->file, env_names[e]);
        for (uint32_t k = 0; k < m->value.n; k++) {
            const struct ds_json_member *f = &m->value.u.members[k];
            if (ds_str_eq(f->key, DS_STR("conditions"))) {
                st = list_from_json(ld, &f->value, keys[e][0], &fv->conditions[e]);
                fv->has_conditions[e] = true;
            } else if (ds_str_eq(f->key, DS_STR("mainFields"))) {
                st = list_from_json(ld, &f->value, keys[e][1], &fv->main_fields[e]);
                fv->has_main_fields[e] = true;
            } else {
                st = ds_error_set(ld->err, DS_ECONFIG, 0,
                                  "invalid %s '%s': unknown key \"environments.%s.%.*s\"", ld->kind,
                                  ld->file, env_names[e], DS_STR_FMT(f->key));
            }
            if (st != DS_OK)
                return st;
        }
    }
    return DS_OK;
}

/* Checks every key of the file's top-level object. An unknown key is an
 * error, unlike Vite, which ignores them: a misspelt "entires" silently
 * falling back to the default entry would scan the wrong graph with no hint
 * why, and the file is small and ours. "$schema" is allowed for editors. */
static enum ds_status values_from_json(struct loader *ld, const struct ds_json *root,
                                       struct file_values *fv)
{
    enum ds_status st = DS_OK;

    if (root->type != DS_JSON_OBJECT)
        return ds_error_set(ld->err, DS_ECONFIG, 0, "invalid %s '%s': expected an object", ld->kind,
                            ld->file);
    for (uint32_t i = 0; i < root->n; i++) {
        struct ds_str key = root->u.members[i].key;
        const struct ds_json *v = &root->u.members[i].value;

        if (ds_str_eq(key, DS_STR("entries"))) {
            st = list_from_json(ld, v, "entries", &fv->entries);
            fv->has_entries = true;
        } else if (ds_str_eq(key, DS_STR("srcDir"))) {
            st = string_from_json(ld, v, "srcDir", &fv->src_dir);
            fv->has_src_dir = true;
            fv->src_dir_kind = ld->kind;
            fv->src_dir_file = ld->file;
        } else if (ds_str_eq(key, DS_STR("mode"))) {
            if (v->type != DS_JSON_STRING || (!ds_str_eq(v->u.str, DS_STR("production")) &&
                                              !ds_str_eq(v->u.str, DS_STR("development"))))
                return invalid(ld, "mode", "\"production\" or \"development\"");
            fv->production = ds_str_eq(v->u.str, DS_STR("production"));
            fv->has_mode = true;
        } else if (ds_str_eq(key, DS_STR("prescan"))) {
            if (v->type != DS_JSON_TRUE && v->type != DS_JSON_FALSE)
                return invalid(ld, "prescan", "true or false");
            fv->prescan = v->type == DS_JSON_TRUE;
            fv->has_prescan = true;
        } else if (ds_str_eq(key, DS_STR("precise"))) {
            if (v->type != DS_JSON_TRUE && v->type != DS_JSON_FALSE)
                return invalid(ld, "precise", "true or false");
            fv->precise = v->type == DS_JSON_TRUE;
            fv->has_precise = true;
        } else if (ds_str_eq(key, DS_STR("environments"))) {
            st = environments_from_json(ld, v, fv);
        } else if (ds_str_eq(key, DS_STR("extensions"))) {
            st = list_from_json(ld, v, "extensions", &fv->extensions);
            if (st == DS_OK)
                st = check_extensions(ld, &fv->extensions, "extensions");
            fv->has_extensions = true;
        } else if (ds_str_eq(key, DS_STR("alias"))) {
            st = alias_from_json(ld, v, fv);
            fv->has_alias = true;
        } else if (ds_str_eq(key, DS_STR("external"))) {
            st = list_from_json(ld, v, "external", &fv->external);
            fv->has_external = true;
        } else if (ds_str_eq(key, DS_STR("tsconfig"))) {
            st = string_from_json(ld, v, "tsconfig", &fv->tsconfig);
            fv->has_tsconfig = true;
            fv->tsconfig_kind = ld->kind;
            fv->tsconfig_file = ld->file;
        } else if (!ds_str_eq(key, DS_STR("$schema"))) {
            return ds_error_set(ld->err, DS_ECONFIG, 0, "invalid %s '%s': unknown key \"%.*s\"",
                                ld->kind, ld->file, DS_STR_FMT(key));
        }
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}

/* Reads and validates the config file into *fv. `path` is absolute. */
static enum ds_status read_config_file(struct loader *ld, const char *path, struct file_values *fv)
{
    struct ds_arena tmp;
    struct ds_str text;
    struct ds_read_error why;
    struct ds_json *root;
    struct ds_json_error jerr = {0};
    enum ds_status st;

    ds_arena_init(&tmp, ld->cfg->arena.alloc, 0);
    st = ld->cfg->sys->read_file(ld->cfg->sys->ctx, path, DS_MAX_JSON_BYTES, &tmp, &text, &why);
    if (st == DS_ENOMEM)
        goto fail;
    if (st != DS_OK) {
        st = ds_error_set(ld->err, DS_ECONFIG, why.sys_errno, "cannot read config '%s': %s", path,
                          why.reason);
        goto fail;
    }
    st = ds_json_parse(text, DS_JSON_JSONC, &tmp, &root, &jerr);
    if (st == DS_ENOMEM)
        goto fail;
    if (st != DS_OK) {
        st = ds_error_set(ld->err, DS_ECONFIG, 0, "cannot parse config '%s': %s at %u:%u", path,
                          jerr.what, jerr.line, jerr.col);
        goto fail;
    }
    st = values_from_json(ld, root, fv);
fail:
    ds_arena_release(&tmp);
    return st;
}

/* A list from the options when set, else the file's, else the default. */
/* dscan_options.options_json: the same keys as the config file, laid over
 * it key by key (and per environment, per list), so that a caller with
 * options of dscan.json's shape (npm/dscan) never parses or rewrites the
 * user's file; messages name the options, and the file's own errors still
 * name the file. */
static enum ds_status read_options_json(struct loader *ld, const char *text, struct file_values *fv)
{
    struct ds_arena tmp;
    struct ds_json *root;
    struct ds_json_error jerr = {0};
    enum ds_status st;

    ds_arena_init(&tmp, ld->cfg->arena.alloc, 0);
    st = ds_json_parse(ds_str_cstr(text), DS_JSON_STRICT, &tmp, &root, &jerr);
    if (st == DS_OK)
        st = values_from_json(ld, root, fv);
    else if (st != DS_ENOMEM)
        st = ds_error_set(ld->err, DS_ECONFIG, 0, "cannot parse options '%s': %s at %u:%u",
                          ld->file, jerr.what, jerr.line, jerr.col);
    ds_arena_release(&tmp);
    return st;
}

static void overlay_values(struct file_values *fv, const struct file_values *over)
{
#define OVER(flag, field)        \
    if (over->flag) {            \
        fv->flag = true;         \
        fv->field = over->field; \
    }
    OVER(has_entries, entries)
    OVER(has_mode, production)
    OVER(has_prescan, prescan)
    OVER(has_precise, precise)
    OVER(has_extensions, extensions)
    OVER(has_external, external)
    for (int e = 0; e < DSCAN_N_ENVS; e++) {
        OVER(has_conditions[e], conditions[e])
        OVER(has_main_fields[e], main_fields[e])
    }
#undef OVER
    if (over->has_alias) {
        fv->has_alias = true;
        fv->alias = over->alias;
        fv->n_alias = over->n_alias;
    }
    if (over->has_src_dir) {
        fv->has_src_dir = true;
        fv->src_dir = over->src_dir;
        fv->src_dir_kind = over->src_dir_kind;
        fv->src_dir_file = over->src_dir_file;
    }
    if (over->has_tsconfig) {
        fv->has_tsconfig = true;
        fv->tsconfig = over->tsconfig;
        fv->tsconfig_kind = over->tsconfig_kind;
        fv->tsconfig_file = over->tsconfig_file;
    }
}

static enum ds_status pick_list(struct loader *ld, const struct dscan_strings *opt, bool has_file,
                                const struct ds_strlist *file, const char *const *def, size_t n_def,
                                struct ds_strlist *out)
{
    if (opt->set)
        return list_from_cstrs(ld, opt->items, opt->n, out);
    if (has_file) {
        *out = *file;
        return DS_OK;
    }
    return list_from_cstrs(ld, def, n_def, out);
}

/* abs_path against ROOT, with the error message for an overlong path. */
static enum ds_status make_abs(struct loader *ld, struct ds_str p, struct ds_str *out)
{
    enum ds_status st = ds_path_resolve_in(&ld->cfg->arena, ld->cfg->root, p, out);
    if (st == DS_ELIMIT)
        return ds_error_set(ld->err, DS_ECONFIG, 0, "invalid path '%.*s%s': longer than %d bytes",
                            (int)(p.len > 64 ? 64 : p.len), p.ptr, p.len > 64 ? "..." : "",
                            DS_MAX_PATH);
    return st;
}

static enum ds_status make_abs_list(struct loader *ld, struct ds_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        enum ds_status st = make_abs(ld, l->items[i], &l->items[i]);
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}

/* access(F_OK), through the backend: exists, following links. */
static bool exists(const struct ds_sys *sys, const char *path)
{
    enum ds_sys_type t;
    return sys->stat(sys->ctx, path, true, &t) == 0;
}

static bool file_exists(const struct ds_sys *sys, struct ds_str path)
{
    char buf[DS_MAX_PATH + 1];
    return ds_str_to_cstr(path, buf, sizeof(buf)) && exists(sys, buf);
}

/* A path the user set (`key` in the config file, or the same option from the
 * caller) must exist, as a directory when `dir`: else an error naming it. */
static enum ds_status must_exist(struct loader *ld, const char *key, const char *kind,
                                 const char *file, struct ds_str given, struct ds_str abs, bool dir)
{
    char buf[DS_MAX_PATH + 1];
    enum ds_sys_type t;
    const char *why;
    int e = 0;

    if (!ds_str_to_cstr(abs, buf, sizeof(buf)))
        return DS_ELIMIT;
    if ((e = ld->cfg->sys->stat(ld->cfg->sys->ctx, buf, true, &t)) != 0) {
        why = strerror(e);
    } else if (dir && t != DS_SYS_DIR) {
        why = "not a directory";
    } else if (!dir && t != DS_SYS_FILE) {
        why = "not a regular file";
    } else {
        return DS_OK;
    }
    if (file)
        return ds_error_set(ld->err, DS_ECONFIG, e, "invalid %s '%s': \"%s\" '%.*s': '%s': %s",
                            kind, file, key, DS_STR_FMT(given), buf, why);
    return ds_error_set(ld->err, DS_ENOENT, e, "%s '%.*s': '%s': %s", key, DS_STR_FMT(given), buf,
                        why);
}

static enum ds_status compose(struct loader *ld, const struct dscan_options *opts,
                              const struct file_values *fv)
{
    struct ds_config *cfg = ld->cfg;
    enum ds_status st;

    // Entries: options, else the file, else the first src/worker.* present
    // (none: left empty, the scan decides whether that is an error).
    if (opts->entries.set || fv->has_entries) {
        st = pick_list(ld, &opts->entries, fv->has_entries, &fv->entries, NULL, 0, &cfg->entries);
        if (st == DS_OK)
            st = make_abs_list(ld, &cfg->entries);
        if (st != DS_OK)
            return st;
    } else {
        for (size_t i = 0; i < DS_ARRAY_LEN(default_entries); i++) {
            struct ds_str p;
            st = make_abs(ld, ds_str_cstr(default_entries[i]), &p);
            if (st != DS_OK)
                return st;
            if (file_exists(cfg->sys, p)) {
                cfg->entries.items = ds_arena_alloc(&cfg->arena, sizeof(*cfg->entries.items));
                if (!cfg->entries.items)
                    return DS_ENOMEM;
                cfg->entries.items[0] = p;
                cfg->entries.n = 1;
                break;
            }
        }
    }

    struct ds_str src = opts->src_dir     ? ds_str_cstr(opts->src_dir)
                        : fv->has_src_dir ? fv->src_dir
                                          : DS_STR("src");
    st = make_abs(ld, src, &cfg->src_dir);
    if (st != DS_OK)
        return st;

    cfg->prescan = !opts->no_prescan && (fv->has_prescan ? fv->prescan : true);
    cfg->precise = opts->precise || (fv->has_precise && fv->precise);
    // SPEC §2: a srcDir that was set and does not exist is an error (a typo
    // would otherwise quietly give a smaller result); the default may be absent.
    if (cfg->prescan && (opts->src_dir || fv->has_src_dir)) {
        st = must_exist(ld, "srcDir", fv->src_dir_kind, opts->src_dir ? NULL : fv->src_dir_file,
                        src, cfg->src_dir, true);
        if (st != DS_OK)
            return st;
    }
    if (opts->mode != DSCAN_MODE_DEFAULT)
        cfg->production = opts->mode == DSCAN_MODE_PRODUCTION;
    else
        cfg->production = fv->has_mode ? fv->production : true;

    for (int e = 0; e < DSCAN_N_ENVS; e++) {
        bool w = e == DSCAN_ENV_WORKER;
        st = pick_list(ld, &opts->env[e].conditions, fv->has_conditions[e], &fv->conditions[e],
                       w ? default_worker_conditions : default_client_conditions,
                       w ? DS_ARRAY_LEN(default_worker_conditions)
                         : DS_ARRAY_LEN(default_client_conditions),
                       &cfg->env[e].conditions);
        if (st != DS_OK)
            return st;
        st = pick_list(ld, &opts->env[e].main_fields, fv->has_main_fields[e], &fv->main_fields[e],
                       w ? default_worker_main_fields : default_client_main_fields,
                       w ? DS_ARRAY_LEN(default_worker_main_fields)
                         : DS_ARRAY_LEN(default_client_main_fields),
                       &cfg->env[e].main_fields);
        if (st != DS_OK)
            return st;
    }

    st = pick_list(ld, &opts->extensions, fv->has_extensions, &fv->extensions, default_extensions,
                   DS_ARRAY_LEN(default_extensions), &cfg->extensions);
    if (st != DS_OK)
        return st;
    st = pick_list(ld, &opts->external, fv->has_external, &fv->external, default_external,
                   DS_ARRAY_LEN(default_external), &cfg->external);
    if (st != DS_OK)
        return st;

    if (opts->alias_set) {
        cfg->n_alias = 0;
        cfg->alias = opts->n_alias
                         ? ds_arena_zalloc(&cfg->arena, opts->n_alias * sizeof(*cfg->alias))
                         : NULL;
        if (opts->n_alias && !cfg->alias)
            return DS_ENOMEM;
        for (size_t i = 0; i < opts->n_alias; i++) {
            if (!opts->alias[i].find || !opts->alias[i].replacement || !opts->alias[i].find[0])
                return ds_error_set(ld->err, DS_EINVAL, 0,
                                    "invalid alias: \"find\" and \"replacement\" must be set");
            if (copy_str(cfg, ds_str_cstr(opts->alias[i].find), &cfg->alias[i].find) != DS_OK ||
                copy_str(cfg, ds_str_cstr(opts->alias[i].replacement),
                         &cfg->alias[i].replacement) != DS_OK)
                return DS_ENOMEM;
            cfg->n_alias++;
        }
    } else if (fv->has_alias) {
        cfg->alias = fv->alias;
        cfg->n_alias = fv->n_alias;
    }
    // SPEC §2: no alias by default. A RedwoodSDK app gets "@/…" from its
    // tsconfig `paths`, and a default "@" → "./src" would override a
    // tsconfig that maps "@/*" elsewhere.
    // Vite would hand "./src/x" on to be resolved against the importer, which
    // is never what "@" → "./src" means; config.h promises root-relative.
    for (size_t i = 0; i < cfg->n_alias; i++) {
        struct ds_str rep = cfg->alias[i].replacement;
        if (!ds_path_is_relative(rep))
            continue;
        st = make_abs(ld, rep, &cfg->alias[i].replacement);
        if (st != DS_OK)
            return st;
        // Vite substitutes text: {"@/": "./src/"} must keep its '/'.
        struct ds_str abs = cfg->alias[i].replacement;
        if (ds_str_ends_with(rep, DS_STR("/")) && !ds_str_ends_with(abs, DS_STR("/"))) {
            char *buf = ds_arena_printf(&cfg->arena, "%.*s/", DS_STR_FMT(abs));
            if (!buf)
                return DS_ENOMEM;
            cfg->alias[i].replacement = ds_str_make(buf, abs.len + 1);
        }
    }

    // SPEC §2: unset means each importer's own tsconfig, as Vite 8 finds it
    // (tsconfig_set.c; cfg->tsconfig stays empty); set means that one file
    // for every importer.
    if (opts->tsconfig || fv->has_tsconfig) {
        struct ds_str ts = opts->tsconfig ? ds_str_cstr(opts->tsconfig) : fv->tsconfig;
        st = make_abs(ld, ts, &cfg->tsconfig);
        if (st == DS_OK)
            st = must_exist(ld, "tsconfig", fv->tsconfig_kind,
                            opts->tsconfig ? NULL : fv->tsconfig_file, ts, cfg->tsconfig, false);
        if (st != DS_OK)
            return st;
    }

    unsigned threads = opts->threads;
    if (threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads =
            cpus > 0 ? (unsigned)(cpus < DEFAULT_MAX_THREADS ? cpus : DEFAULT_MAX_THREADS) : 1;
    }
    cfg->threads = threads > DS_POOL_MAX_THREADS ? DS_POOL_MAX_THREADS : threads;
    return DS_OK;
}

enum ds_status ds_config_load(struct ds_alloc *alloc, const struct dscan_options *opts,
                              struct ds_config **out, struct dscan_error *err)
{
    return ds_config_load_sys(alloc, opts, NULL, out, err);
}

enum ds_status ds_config_load_sys(struct ds_alloc *alloc, const struct dscan_options *opts,
                                  const struct ds_sys *sys, struct ds_config **out,
                                  struct dscan_error *err)
{
    struct ds_config *cfg;
    struct file_values fv;
    struct loader ld = {0};
    char root_buf[PATH_MAX], file_buf[PATH_MAX + 16];
    const char *root = opts->root ? opts->root : ".";
    enum ds_status st;

    memset(&fv, 0, sizeof(fv));
    cfg = ds_alloc_calloc(alloc, 1, sizeof(*cfg));
    if (!cfg)
        return DS_ENOMEM;
    ds_arena_init(&cfg->arena, alloc, 4096);
    cfg->sys = sys ? sys : ds_sys_default();
    sys = cfg->sys;
    ld.cfg = cfg;
    ld.err = err;

    int e = sys->realpath(sys->ctx, root, root_buf, sizeof root_buf);
    if (e) {
        st = ds_error_set(err, e == ENOENT || e == ENOTDIR ? DS_ENOENT : DS_EIO, e,
                          "cannot scan '%s': %s", root, strerror(e));
        goto fail;
    }
    enum ds_sys_type rt;
    if (sys->stat(sys->ctx, root_buf, true, &rt) != 0 || rt != DS_SYS_DIR) {
        st = ds_error_set(err, DS_ENOENT, ENOTDIR, "cannot scan '%s': %s", root, strerror(ENOTDIR));
        goto fail;
    }
    st = copy_str(cfg, ds_str_cstr(root_buf), &cfg->root);
    if (st != DS_OK)
        goto fail;

    if (opts->config_path) {
        e = sys->realpath(sys->ctx, opts->config_path, file_buf, sizeof file_buf);
        if (e) {
            st = ds_error_set(err, DS_ECONFIG, e, "cannot read config '%s': %s", opts->config_path,
                              strerror(e));
            goto fail;
        }
    } else {
        int n = snprintf(file_buf, sizeof(file_buf), "%s/dscan.json",
                         strcmp(root_buf, "/") == 0 ? "" : root_buf);
        if (n < 0 || (size_t)n >= sizeof(file_buf) || !exists(sys, file_buf))
            file_buf[0] = '\0';
    }
    if (file_buf[0]) {
        ld.kind = "config";
        ld.file = file_buf;
        st = copy_str(cfg, ds_str_cstr(file_buf), &cfg->config_path);
        if (st == DS_OK)
            st = read_config_file(&ld, file_buf, &fv);
        if (st != DS_OK)
            goto fail;
    }
    if (opts->options_json) {
        struct file_values over;
        memset(&over, 0, sizeof(over));
        ld.kind = "options";
        ld.file = opts->options_json_name ? opts->options_json_name : "options_json";
        st = read_options_json(&ld, opts->options_json, &over);
        if (st != DS_OK)
            goto fail;
        overlay_values(&fv, &over);
    }

    st = compose(&ld, opts, &fv);
    if (st != DS_OK)
        goto fail;
    *out = cfg;
    return DS_OK;
fail:
    if (st == DS_ENOMEM)
        ds_error_set(err, DS_ENOMEM, 0, "out of memory while loading the config");
    ds_config_free(cfg);
    return st;
}

void ds_config_free(struct ds_config *cfg)
{
    if (!cfg)
        return;
    struct ds_alloc *alloc = cfg->arena.alloc;
    ds_arena_release(&cfg->arena);
    ds_alloc_free(alloc, cfg);
}
