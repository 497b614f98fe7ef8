/* tsconfig.json for module resolution: the `extends` graph, the effective
 * `compilerOptions.baseUrl` and `paths`, and TypeScript's `paths` matching.
 *
 * Rules followed (TypeScript 5, `getExtendsConfigPath`,
 * `tryLoadModuleUsingOptionalResolutionSettings`):
 * - `extends` is a string or an array; bases apply in array order, each with
 *   its own chain first, and the file itself last: the last one to set
 *   baseUrl or paths wins, and a child's `paths` replaces its parent's
 *   entirely (no merging of keys).
 * - A relative or absolute `extends` names a file; when it does not exist and
 *   does not end in ".json", ".json" is appended. Any other `extends` is a
 *   package looked up in node_modules up the tree: its package.json
 *   `exports` (plain string targets and require/import/node/default
 *   conditions only; no patterns), else its "tsconfig" field, else
 *   tsconfig.json; a subpath names a file (".json" appended if needed), or a
 *   directory holding tsconfig.json.
 * - baseUrl is relative to the file that declares it. `paths` substitutions
 *   are relative to the effective baseUrl when there is one, else to the
 *   directory of the file that declared `paths` (TypeScript 4.1+).
 *   "${configDir}" (TS 5.5) at the start of a value means the directory of
 *   the tsconfig being loaded.
 * - Files are followed by real path, so a symlinked base is loaded once and
 *   cycles are seen; the chain is bounded by DS_MAX_EXTENDS files in all.
 * - `include`/`exclude` entries become absolute globs (glob.c), `files`
 *   entries and the root file's `references` absolute paths, each relative
 *   to the file that declared it.
 *
 * Which importers a config covers (those lists, allowJs, Vite's extension
 * rule) is decided in tsconfig_set.c. It does not apply `rootDirs` or any
 * other compiler option. Nothing here recurses on input depth. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "diag.h"
#include "glob.h"
#include "path.h"
#include "json.h"
#include "readfile.h"
#include "tsconfig.h"

struct node {
    struct ds_str path; /* real path, in the loader's arena */
    struct ds_str dir;
    const struct ds_json *root; /* NULL when unreadable or malformed */
    const struct ds_json *extends;
    uint32_t n_ext, next_ext;
};

/* What the walk has seen so far: the last baseUrl and paths set. */
struct effective {
    struct ds_str base_url; /* in the tsconfig's arena */
    const struct ds_json *paths;
    struct ds_str paths_dir, paths_file;
    /* `include`, `files`, `exclude`: the last file of the chain to set each
     * one, whose directory its entries are relative to (TypeScript). */
    const struct ds_json *lists[3];
    struct ds_str lists_dir[3];
};

static const char *const list_keys[3] = {"include", "files", "exclude"};

struct loader {
    const struct ds_sys *sys;
    struct ds_tsconfig *tc;
    struct effective eff;
    struct ds_arena tmp; /* file texts, JSON trees, node paths */
    struct ds_diags *diags;
    struct node nodes[DS_MAX_EXTENDS];
    size_t n_nodes;
    uint32_t stack[DS_MAX_EXTENDS];
    size_t depth;
    struct ds_str config_dir; /* directory of the first file, for ${configDir} */
};

#define DIAG(ld, path, line, col, ...)                                                             \
    ((ld)->diags                                                                                   \
         ? ds_diag_add((ld)->diags, DSCAN_WARNING, "tsconfig", (path), (line), (col), __VA_ARGS__) \
         : DS_OK)

static bool is_type(const struct loader *ld, const char *path, enum ds_sys_type want)
{
    enum ds_sys_type t;
    return ld->sys->stat(ld->sys->ctx, path, true, &t) == 0 && t == want;
}

static bool is_file(const struct loader *ld, const char *path)
{
    return is_type(ld, path, DS_SYS_FILE);
}

static bool is_dir(const struct loader *ld, const char *path)
{
    return is_type(ld, path, DS_SYS_DIR);
}

static struct ds_str dir_of(struct ds_str path)
{
    size_t slash = ds_str_rfind(path, '/');
    if (slash == path.len)
        return DS_STR(".");
    return ds_str_slice(path, 0, slash ? slash : 1);
}

/* `a` + `b` (+ `c`) into buf as a C string; false when too long. */
static bool concat(char *buf, size_t size, struct ds_str a, struct ds_str b, struct ds_str c)
{
    if (a.len + b.len + c.len >= size)
        return false;
    memcpy(buf, a.ptr, a.len);
    memcpy(buf + a.len, b.ptr, b.len);
    memcpy(buf + a.len + b.len, c.ptr, c.len);
    buf[a.len + b.len + c.len] = '\0';
    return true;
}

/* When `path` is an existing regular file, its real path into *out. */
static enum ds_status real_file(struct loader *ld, const char *path, struct ds_str *out,
                                bool *found)
{
    char real[DS_MAX_PATH + 1];

    *found = false;
    if (!is_file(ld, path) || ld->sys->realpath(ld->sys->ctx, path, real, sizeof real) != 0)
        return DS_OK;
    *found = true;
    return ds_arena_strdup(&ld->tmp, ds_str_cstr(real), out);
}

/* A file path given without ".json" may name `p` or `p.json`. */
static enum ds_status file_or_json(struct loader *ld, struct ds_str p, struct ds_str *out,
                                   bool *found)
{
    char buf[DS_MAX_PATH + 8];
    enum ds_status st;

    if (!concat(buf, sizeof(buf), p, DS_STR(""), DS_STR("")))
        return DS_OK;
    st = real_file(ld, buf, out, found);
    if (st != DS_OK || *found || ds_str_ends_with(p, DS_STR(".json")))
        return st;
    if (!concat(buf, sizeof(buf), p, DS_STR(".json"), DS_STR("")))
        return DS_OK;
    return real_file(ld, buf, out, found);
}

/* Reads and parses `path`. A failure is a diagnostic, or silent with
 * `quiet` (a package.json TypeScript would ignore), and leaves *out NULL. */
static enum ds_status read_json(struct loader *ld, const char *path, bool quiet,
                                const struct ds_json **out)
{
    struct ds_str text;
    struct ds_read_error why;
    struct ds_json *root;
    struct ds_json_error jerr = {0};
    enum ds_status st;

    *out = NULL;
    st = ld->sys->read_file(ld->sys->ctx, path, DS_MAX_JSON_BYTES, &ld->tmp, &text, &why);
    if (st == DS_ENOMEM)
        return st;
    if (st != DS_OK && quiet)
        return DS_OK;
    if (st != DS_OK)
        return DIAG(ld, ds_str_cstr(path), 0, 0, "cannot read '%s': %s", path, why.reason);
    ld->tc->files_read++;
    ld->tc->bytes_read += text.len;
    st = ds_json_parse(text, DS_JSON_JSONC, &ld->tmp, &root, &jerr);
    if (st == DS_ENOMEM || (st != DS_OK && quiet))
        return st == DS_ENOMEM ? st : DS_OK;
    if (st != DS_OK)
        return DIAG(ld, ds_str_cstr(path), jerr.line, jerr.col, "cannot parse '%s': %s at %u:%u",
                    path, jerr.what, jerr.line, jerr.col);
    *out = root;
    return DS_OK;
}

/* The target a package's `exports` gives `subpath` ("." or "./x"), or an
 * empty slice. Only what tsconfig packages publish in practice: string
 * targets and the conditions TypeScript's config lookup uses (require, node,
 * default; its "types" never names a config file); no patterns. */
static struct ds_str exports_target(const struct ds_json *exports, struct ds_str subpath)
{
    const struct ds_json *v = exports;

    if (v->type == DS_JSON_OBJECT && v->n && v->u.members[0].key.len &&
        v->u.members[0].key.ptr[0] == '.')
        v = ds_json_get(v, subpath);
    else if (!ds_str_eq(subpath, DS_STR(".")))
        v = NULL;
    for (int hops = 0; v && hops < 8; hops++) {
        if (v->type == DS_JSON_STRING)
            return v->u.str;
        if (v->type == DS_JSON_ARRAY) {
            v = v->n ? &v->u.items[0] : NULL;
            continue;
        }
        if (v->type != DS_JSON_OBJECT)
            break;
        const struct ds_json *next = NULL;
        for (uint32_t i = 0; i < v->n && !next; i++) {
            struct ds_str k = v->u.members[i].key;
            if (ds_str_eq(k, DS_STR("require")) || ds_str_eq(k, DS_STR("node")) ||
                ds_str_eq(k, DS_STR("default")))
                next = &v->u.members[i].value;
        }
        v = next;
    }
    return ds_str_make(NULL, 0);
}

/* A config file inside a package: `p` itself when it ends in ".json", else
 * `p.json` (an extensionless or ".ts" file is not a config, as tsc says). */
static enum ds_status pkg_file(struct loader *ld, struct ds_str p, struct ds_str *out, bool *found)
{
    char buf[DS_MAX_PATH + 8];
    bool json = ds_str_ends_with(p, DS_STR(".json"));

    *found = false;
    if (!concat(buf, sizeof(buf), p, json ? DS_STR("") : DS_STR(".json"), DS_STR("")))
        return DS_OK;
    return real_file(ld, buf, out, found);
}

/* A directory named by a package extends: its package.json "tsconfig"
 * field, else its tsconfig.json ("tsconfig" is the index name of
 * TypeScript's config lookup). */
static enum ds_status pkg_dir(struct loader *ld, struct ds_str dir, const struct ds_json *pj,
                              struct ds_str *out, bool *found)
{
    const struct ds_json *field = ds_json_get(pj, DS_STR("tsconfig"));
    struct ds_str p;
    enum ds_status st;

    *found = false;
    if (field && field->type == DS_JSON_STRING) {
        st = ds_path_resolve_in(&ld->tmp, dir, field->u.str, &p);
        if (st == DS_OK)
            st = pkg_file(ld, p, out, found);
        if (st != DS_ELIMIT && (st != DS_OK || *found))
            return st;
    }
    st = ds_path_resolve_in(&ld->tmp, dir, DS_STR("tsconfig.json"), &p);
    if (st == DS_OK)
        st = pkg_file(ld, p, out, found);
    return st == DS_ELIMIT ? DS_OK : st;
}

/* `extends` naming a package: node_modules of each directory up from `dir`,
 * as TypeScript's nodeNextJsonConfigResolver looks (checked against tsc by
 * get-tsconfig's suite): the package's `exports` when it has them; else
 * node_modules/<spec> as a file ("x.json" before a directory "x"), then as
 * a directory. */
static enum ds_status resolve_package(struct loader *ld, struct ds_str spec, struct ds_str dir,
                                      struct ds_str *out, bool *found)
{
    char buf[DS_MAX_PATH + 32];
    enum ds_status st;
    size_t name_len = ds_str_find(spec, '/');

    *found = false;
    if (spec.ptr[0] == '@' && name_len < spec.len)
        name_len += 1 + ds_str_find(ds_str_slice(spec, name_len + 1, spec.len), '/');
    struct ds_str name = ds_str_slice(spec, 0, name_len);
    struct ds_str sub =
        name_len < spec.len ? ds_str_slice(spec, name_len + 1, spec.len) : ds_str_make("", 0);

    for (;; dir = dir_of(dir)) {
        struct ds_str nm, pkg, cand;
        const struct ds_json *pj = NULL;

        st = ds_path_resolve_in(&ld->tmp, dir, DS_STR("node_modules"), &nm);
        if (st == DS_OK)
            st = ds_path_resolve_in(&ld->tmp, nm, name, &pkg);
        if (st == DS_OK)
            st = ds_path_resolve_in(&ld->tmp, nm, spec, &cand);
        if (st == DS_ELIMIT)
            return DS_OK;
        if (st != DS_OK)
            return st;
        if (concat(buf, sizeof(buf), pkg, DS_STR("/package.json"), DS_STR("")) &&
            is_file(ld, buf)) {
            st = read_json(ld, buf, true, &pj);
            if (st != DS_OK)
                return st;
        }
        const struct ds_json *exports = ds_json_get(pj, DS_STR("exports"));
        if (exports && exports->type != DS_JSON_NULL) {
            char subpath[DS_MAX_PATH + 4];
            struct ds_str target = ds_str_make(NULL, 0), p;
            if (concat(subpath, sizeof(subpath), DS_STR("."), ds_str_make("/", sub.len ? 1 : 0),
                       sub))
                target = exports_target(exports, ds_str_cstr(subpath));
            if (target.ptr) {
                st = ds_path_resolve_in(&ld->tmp, pkg, target, &p);
                if (st == DS_OK)
                    st = pkg_file(ld, p, out, found);
                if (st != DS_ELIMIT && (st != DS_OK || *found))
                    return st;
            }
        } else {
            st = pkg_file(ld, cand, out, found);
            if (st != DS_OK || *found)
                return st;
            if (concat(buf, sizeof(buf), cand, DS_STR(""), DS_STR("")) && is_dir(ld, buf)) {
                // The package root's package.json was read above; a
                // subdirectory's own one may carry a "tsconfig" field too.
                if (sub.len) {
                    pj = NULL;
                    if (concat(buf, sizeof(buf), cand, DS_STR("/package.json"), DS_STR("")) &&
                        is_file(ld, buf)) {
                        st = read_json(ld, buf, true, &pj);
                        if (st != DS_OK)
                            return st;
                    }
                }
                st = pkg_dir(ld, cand, pj, out, found);
                if (st != DS_OK || *found)
                    return st;
            }
        }
        if (dir.len <= 1)
            return DS_OK;
    }
}

static enum ds_status resolve_extends(struct loader *ld, struct ds_str spec, struct ds_str dir,
                                      struct ds_str *out, bool *found)
{
    enum ds_status st;
    struct ds_str p;

    *found = false;
    if (spec.len == 0)
        return DS_OK;
    if (spec.ptr[0] == '/' || ds_str_eq(spec, DS_STR(".")) || ds_str_eq(spec, DS_STR("..")) ||
        ds_str_starts_with(spec, DS_STR("./")) || ds_str_starts_with(spec, DS_STR("../"))) {
        st = ds_path_resolve_in(&ld->tmp, dir, spec, &p);
        if (st == DS_ELIMIT)
            return DS_OK;
        if (st != DS_OK)
            return st;
        return file_or_json(ld, p, out, found);
    }
    return resolve_package(ld, spec, dir, out, found);
}

/* Reads one file of the chain into a new node. */
static enum ds_status add_node(struct loader *ld, struct ds_str real)
{
    struct node *n = &ld->nodes[ld->n_nodes++];
    enum ds_status st;

    memset(n, 0, sizeof(*n));
    n->path = real;
    n->dir = dir_of(real);
    st = read_json(ld, real.ptr, false, &n->root);
    if (st != DS_OK || !n->root)
        return st;
    if (n->root->type != DS_JSON_OBJECT) {
        n->root = NULL;
        return DIAG(ld, real, 1, 1, "invalid tsconfig '%s': expected an object", real.ptr);
    }
    n->extends = ds_json_get(n->root, DS_STR("extends"));
    if (!n->extends)
        return DS_OK;
    if (n->extends->type == DS_JSON_STRING) {
        n->n_ext = 1;
    } else if (n->extends->type == DS_JSON_ARRAY) {
        n->n_ext = n->extends->n;
    } else {
        n->extends = NULL;
        return DIAG(ld, real, 0, 0,
                    "invalid tsconfig '%s': \"extends\" must be a string or an array of strings",
                    real.ptr);
    }
    return DS_OK;
}

/* Visits the extends graph depth-first with an explicit stack, calling
 * apply() on each file after its bases: the order in which TypeScript lets
 * later settings override earlier ones. */
static enum ds_status walk(struct loader *ld,
                           enum ds_status (*apply)(struct loader *, const struct node *))
{
    enum ds_status st;

    ld->stack[ld->depth++] = 0;
    while (ld->depth) {
        struct node *n = &ld->nodes[ld->stack[ld->depth - 1]];
        if (n->next_ext >= n->n_ext) {
            st = apply(ld, n);
            if (st != DS_OK)
                return st;
            ld->depth--;
            continue;
        }
        const struct ds_json *e =
            n->extends->type == DS_JSON_STRING ? n->extends : &n->extends->u.items[n->next_ext];
        n->next_ext++;
        if (e->type != DS_JSON_STRING) {
            st = DIAG(ld, n->path, 0, 0,
                      "invalid tsconfig '%s': \"extends\" must be a string or an array of strings",
                      n->path.ptr);
            if (st != DS_OK)
                return st;
            continue;
        }
        struct ds_str real;
        bool found;
        st = resolve_extends(ld, e->u.str, n->dir, &real, &found);
        if (st != DS_OK)
            return st;
        if (!found) {
            st = DIAG(ld, n->path, 0, 0, "cannot extend '%s' from '%s': no such file", e->u.str.ptr,
                      n->path.ptr);
            if (st != DS_OK)
                return st;
            continue;
        }
        bool cycle = false;
        for (size_t i = 0; i < ld->depth; i++)
            cycle |= ds_str_eq(ld->nodes[ld->stack[i]].path, real);
        if (cycle) {
            st = DIAG(ld, n->path, 0, 0, "cannot extend '%s' from '%s': circular extends", real.ptr,
                      n->path.ptr);
            if (st != DS_OK)
                return st;
            continue;
        }
        if (ld->n_nodes == DS_MAX_EXTENDS) {
            st =
                DIAG(ld, n->path, 0, 0, "cannot extend '%s' from '%s': more than %d files extended",
                     real.ptr, n->path.ptr, DS_MAX_EXTENDS);
            if (st != DS_OK)
                return st;
            continue;
        }
        uint32_t id = (uint32_t)ld->n_nodes;
        st = add_node(ld, real);
        if (st != DS_OK)
            return st;
        ld->stack[ld->depth++] = id;
    }
    return DS_OK;
}

static enum ds_status with_config_dir(struct loader *ld, struct ds_str v, struct ds_str dir,
                                      struct ds_arena *arena, struct ds_str *out)
{
    if (ds_str_starts_with(v, DS_STR("${configDir}"))) {
        v = ds_str_slice(v, 12, v.len);
        dir = ld->config_dir;
        // "${configDir}/x" and "${configDir}" both name paths under it.
        while (v.len && v.ptr[0] == '/')
            v = ds_str_slice(v, 1, v.len);
    }
    return ds_path_resolve_in(arena, dir, v, out);
}

static enum ds_status apply_node(struct loader *ld, const struct node *n)
{
    struct effective *eff = &ld->eff;
    const struct ds_json *co = ds_json_get(n->root, DS_STR("compilerOptions"));
    enum ds_status st;

    for (int i = 0; i < 3; i++) {
        const struct ds_json *l = ds_json_get(n->root, ds_str_cstr(list_keys[i]));
        if (l && l->type == DS_JSON_ARRAY) {
            eff->lists[i] = l;
            eff->lists_dir[i] = n->dir;
        }
    }
    if (!co)
        return DS_OK;
    if (co->type != DS_JSON_OBJECT)
        return DIAG(ld, n->path, 0, 0,
                    "invalid tsconfig '%s': \"compilerOptions\" must be an object", n->path.ptr);
    const struct ds_json *b = ds_json_get(co, DS_STR("baseUrl"));
    if (b && b->type == DS_JSON_STRING) {
        st = with_config_dir(ld, b->u.str, n->dir, &ld->tc->arena, &eff->base_url);
        if (st == DS_ELIMIT)
            st = DIAG(ld, n->path, 0, 0, "invalid tsconfig '%s': \"baseUrl\" is too long",
                      n->path.ptr);
        if (st != DS_OK)
            return st;
    } else if (b && b->type != DS_JSON_NULL) {
        st = DIAG(ld, n->path, 0, 0, "invalid tsconfig '%s': \"baseUrl\" must be a string",
                  n->path.ptr);
        if (st != DS_OK)
            return st;
    }
    const struct ds_json *aj = ds_json_get(co, DS_STR("allowJs"));
    if (aj && (aj->type == DS_JSON_TRUE || aj->type == DS_JSON_FALSE))
        ld->tc->allow_js = aj->type == DS_JSON_TRUE;
    const struct ds_json *p = ds_json_get(co, DS_STR("paths"));
    if (p && p->type == DS_JSON_OBJECT) {
        eff->paths = p;
        eff->paths_dir = n->dir;
        eff->paths_file = n->path;
    } else if (p && p->type != DS_JSON_NULL) {
        return DIAG(ld, n->path, 0, 0, "invalid tsconfig '%s': \"paths\" must be an object",
                    n->path.ptr);
    }
    return DS_OK;
}

static size_t count_stars(struct ds_str s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += s.ptr[i] == '*';
    return n;
}

/* Turns the winning `paths` object into the tsconfig's pattern table. */
static enum ds_status build_paths(struct loader *ld, const struct effective *eff)
{
    struct ds_tsconfig *tc = ld->tc;
    const struct ds_json *p = eff->paths;
    struct ds_str base = eff->base_url.len ? eff->base_url : eff->paths_dir;
    enum ds_status st;

    if (!p || !p->n)
        return DS_OK;
    tc->paths = ds_arena_zalloc(&tc->arena, p->n * sizeof(*tc->paths));
    if (!tc->paths)
        return DS_ENOMEM;
    for (uint32_t i = 0; i < p->n; i++) {
        struct ds_str key = p->u.members[i].key;
        const struct ds_json *v = &p->u.members[i].value;
        size_t stars = count_stars(key);

        if (stars > 1) {
            st = DIAG(ld, eff->paths_file, 0, 0,
                      "invalid tsconfig '%s': pattern '%s' can have at most one '*'",
                      eff->paths_file.ptr, key.ptr);
            if (st != DS_OK)
                return st;
            continue;
        }
        if (v->type != DS_JSON_ARRAY) {
            st = DIAG(ld, eff->paths_file, 0, 0,
                      "invalid tsconfig '%s': substitutions for pattern '%s' must be an array",
                      eff->paths_file.ptr, key.ptr);
            if (st != DS_OK)
                return st;
            continue;
        }
        struct ds_tsconfig_path *tp = &tc->paths[tc->n_paths];
        tp->has_star = stars == 1;
        size_t star = ds_str_find(key, '*');
        if (ds_arena_strdup(&tc->arena, ds_str_slice(key, 0, star), &tp->prefix) != DS_OK ||
            ds_arena_strdup(&tc->arena,
                            ds_str_slice(key, star < key.len ? star + 1 : star, key.len),
                            &tp->suffix) != DS_OK)
            return DS_ENOMEM;
        tp->subs.items = v->n ? ds_arena_alloc(&tc->arena, v->n * sizeof(*tp->subs.items)) : NULL;
        if (v->n && !tp->subs.items)
            return DS_ENOMEM;
        for (uint32_t k = 0; k < v->n; k++) {
            const struct ds_json *s = &v->u.items[k];
            if (s->type != DS_JSON_STRING || count_stars(s->u.str) > 1) {
                st = DIAG(ld, eff->paths_file, 0, 0,
                          "invalid tsconfig '%s': substitution for pattern '%s' must be a string "
                          "with at most one '*'",
                          eff->paths_file.ptr, key.ptr);
                if (st != DS_OK)
                    return st;
                continue;
            }
            st = with_config_dir(ld, s->u.str, base, &tc->arena, &tp->subs.items[tp->subs.n]);
            if (st == DS_ELIMIT)
                continue;
            if (st != DS_OK)
                return st;
            tp->subs.n++;
        }
        tc->n_paths++;
    }
    return DS_OK;
}

/* `include`/`exclude` entries as absolute patterns: relative to the
 * directory of the file that declared them, a directory meaning the files
 * below it (ds_glob_tsconfig_entry). `files` entries as absolute paths. */
static enum ds_status build_lists(struct loader *ld, const struct effective *eff)
{
    struct ds_tsconfig *tc = ld->tc;
    struct ds_strlist *out[3] = {&tc->include, &tc->files, &tc->exclude};
    bool *has[3] = {&tc->has_include, &tc->has_files, &tc->has_exclude};
    enum ds_status st;

    for (int i = 0; i < 3; i++) {
        const struct ds_json *l = eff->lists[i];
        if (!l)
            continue;
        *has[i] = true;
        out[i]->items = l->n ? ds_arena_alloc(&tc->arena, l->n * sizeof(*out[i]->items)) : NULL;
        if (l->n && !out[i]->items)
            return DS_ENOMEM;
        for (uint32_t k = 0; k < l->n; k++) {
            const struct ds_json *v = &l->u.items[k];
            struct ds_str abs;
            if (v->type != DS_JSON_STRING || !v->u.str.len)
                continue;
            st = with_config_dir(ld, v->u.str, eff->lists_dir[i], &tc->arena, &abs);
            if (st == DS_ELIMIT)
                continue;
            if (st != DS_OK)
                return st;
            if (i != 1 && ds_glob_tsconfig_entry(&tc->arena, abs, &abs) != DS_OK)
                return DS_ENOMEM;
            out[i]->items[out[i]->n++] = abs;
        }
    }
    return DS_OK;
}

/* The root file's `references`: each `path` names a config file, or a
 * directory holding tsconfig.json. Kept as absolute paths; the caller
 * (ds_tsconfig_set) loads them. */
static enum ds_status build_references(struct loader *ld, const struct node *n)
{
    struct ds_tsconfig *tc = ld->tc;
    const struct ds_json *refs = n->root ? ds_json_get(n->root, DS_STR("references")) : NULL;
    enum ds_status st;

    if (!refs || refs->type != DS_JSON_ARRAY || !refs->n)
        return DS_OK;
    tc->references.items = ds_arena_alloc(&tc->arena, refs->n * sizeof(*tc->references.items));
    if (!tc->references.items)
        return DS_ENOMEM;
    for (uint32_t i = 0; i < refs->n; i++) {
        const struct ds_json *p = ds_json_get(&refs->u.items[i], DS_STR("path"));
        struct ds_str abs;
        char buf[DS_MAX_PATH + 16];
        if (!p || p->type != DS_JSON_STRING || !p->u.str.len)
            continue;
        st = ds_path_resolve_in(&ld->tmp, n->dir, p->u.str, &abs);
        if (st == DS_ELIMIT)
            continue;
        if (st != DS_OK)
            return st;
        if (concat(buf, sizeof(buf), abs, DS_STR(""), DS_STR("")) && is_dir(ld, buf))
            st = ds_path_resolve_in(&tc->arena, abs, DS_STR("tsconfig.json"), &abs);
        else
            st = ds_arena_strdup(&tc->arena, abs, &abs);
        if (st == DS_ELIMIT)
            continue;
        if (st != DS_OK)
            return st;
        tc->references.items[tc->references.n++] = abs;
    }
    return DS_OK;
}

enum ds_status ds_tsconfig_load(struct ds_alloc *alloc, struct ds_str path, struct ds_diags *diags,
                                struct ds_tsconfig **out)
{
    return ds_tsconfig_load_sys(alloc, NULL, path, diags, out);
}

enum ds_status ds_tsconfig_load_sys(struct ds_alloc *alloc, const struct ds_sys *sys,
                                    struct ds_str path, struct ds_diags *diags,
                                    struct ds_tsconfig **out)
{
    struct ds_tsconfig *tc;
    struct loader *ld;
    char buf[DS_MAX_PATH + 1];
    enum ds_status st = DS_ENOMEM;

    tc = ds_alloc_calloc(alloc, 1, sizeof(*tc));
    if (!tc)
        return DS_ENOMEM;
    ds_arena_init(&tc->arena, alloc, 4096);
    ld = ds_alloc_calloc(alloc, 1, sizeof(*ld));
    if (!ld)
        goto fail;
    ds_arena_init(&ld->tmp, alloc, 16 * 1024);
    ld->tc = tc;
    ld->sys = sys ? sys : ds_sys_default();
    ld->diags = diags;

    struct ds_str real;
    bool found = false;
    st = DS_OK;
    if (ds_str_to_cstr(path, buf, sizeof(buf)))
        st = real_file(ld, buf, &real, &found);
    if (st != DS_OK)
        goto fail;
    if (found) {
        st = ds_arena_strdup(&tc->arena, real, &tc->path);
        if (st != DS_OK)
            goto fail;
        ld->config_dir = dir_of(real);
        // vite-tsconfig-paths treats a jsconfig.json as allowing JS.
        tc->allow_js = ds_str_ends_with(real, DS_STR("/jsconfig.json"));
        st = add_node(ld, real);
        if (st == DS_OK)
            st = walk(ld, apply_node);
        if (st == DS_OK)
            st = build_paths(ld, &ld->eff);
        if (st == DS_OK && ld->eff.base_url.len)
            tc->base_url = ld->eff.base_url;
        if (st == DS_OK)
            st = build_lists(ld, &ld->eff);
        if (st == DS_OK)
            st = build_references(ld, &ld->nodes[0]);
        if (st != DS_OK)
            goto fail;
    }
    ds_arena_release(&ld->tmp);
    ds_alloc_free(alloc, ld);
    *out = tc;
    return DS_OK;
fail:
    if (ld) {
        ds_arena_release(&ld->tmp);
        ds_alloc_free(alloc, ld);
    }
    ds_tsconfig_free(tc);
    return st;
}

void ds_tsconfig_free(struct ds_tsconfig *tc)
{
    if (!tc)
        return;
    struct ds_alloc *alloc = tc->arena.alloc;
    ds_arena_release(&tc->arena);
    ds_alloc_free(alloc, tc);
}

static enum ds_status push_candidate(struct ds_arena *arena, struct ds_strlist *out, size_t cap,
                                     struct ds_str a, struct ds_str mid, struct ds_str b)
{
    char buf[DS_MAX_PATH + 1];
    if (out->n == cap || a.len + mid.len + b.len > DS_MAX_PATH)
        return DS_OK;
    memcpy(buf, a.ptr, a.len);
    memcpy(buf + a.len, mid.ptr, mid.len);
    memcpy(buf + a.len + mid.len, b.ptr, b.len);
    // The matched text may hold "..": normalise as TypeScript does.
    enum ds_status st = ds_path_resolve_in(
        arena, DS_STR("/"), ds_str_make(buf, a.len + mid.len + b.len), &out->items[out->n]);
    if (st == DS_ELIMIT)
        return DS_OK;
    if (st == DS_OK)
        out->n++;
    return st;
}

static bool key_matches(const struct ds_tsconfig_path *p, struct ds_str spec)
{
    if (!p->has_star)
        return ds_str_eq(p->prefix, spec);
    return spec.len >= p->prefix.len + p->suffix.len && ds_str_starts_with(spec, p->prefix) &&
           ds_str_ends_with(spec, p->suffix);
}

static enum ds_status push_subs(struct ds_arena *arena, struct ds_strlist *out, size_t cap,
                                const struct ds_tsconfig_path *p, struct ds_str spec)
{
    struct ds_str matched = p->has_star
                                ? ds_str_slice(spec, p->prefix.len, spec.len - p->suffix.len)
                                : ds_str_make("", 0);
    for (size_t i = 0; i < p->subs.n; i++) {
        struct ds_str s = p->subs.items[i];
        size_t star = ds_str_find(s, '*');
        enum ds_status st;
        // TypeScript substitutes only a non-empty match ("foo/*" against
        // "foo/" keeps the '*'); an exact key substitutes nothing.
        if (star == s.len || matched.len == 0)
            st = push_candidate(arena, out, cap, s, DS_STR(""), DS_STR(""));
        else
            st = push_candidate(arena, out, cap, ds_str_slice(s, 0, star), matched,
                                ds_str_slice(s, star + 1, s.len));
        if (st != DS_OK)
            return st;
    }
    return DS_OK;
}

enum ds_status ds_tsconfig_match(const struct ds_tsconfig *tc, struct ds_str spec,
                                 struct ds_arena *arena, struct ds_strlist *out)
{
    const struct ds_tsconfig_path *best = NULL;
    enum ds_status st;

    out->items = NULL;
    out->n = 0;
    // TypeScript's pathIsRelative: "./x", "../x", "." and ".." never go
    // through `paths`; a rooted "/x" may, but never through baseUrl.
    bool relative = ds_str_eq(spec, DS_STR(".")) || ds_str_eq(spec, DS_STR("..")) ||
                    ds_str_starts_with(spec, DS_STR("./")) ||
                    ds_str_starts_with(spec, DS_STR("../"));
    if (relative || spec.len == 0)
        return DS_OK;

    // TypeScript's choice (matchPatternOrExact): an exact key, else the
    // pattern with the longest prefix; among equal prefixes the first written.
    size_t cap = 1;
    for (size_t i = 0; i < tc->n_paths; i++) {
        const struct ds_tsconfig_path *p = &tc->paths[i];
        if (!key_matches(p, spec))
            continue;
        cap += p->subs.n;
        if (!best || (best->has_star && !p->has_star) ||
            (best->has_star && p->has_star && p->prefix.len > best->prefix.len))
            best = p;
    }
    out->items = ds_arena_alloc(arena, cap * sizeof(*out->items));
    if (!out->items)
        return DS_ENOMEM;
    if (best) {
        st = push_subs(arena, out, cap, best, spec);
        if (st != DS_OK)
            return st;
    }
    if (tc->tsc_paths)
        goto base_url;
    // tsc stops at its choice, but the app is built by Vite, whose
    // vite-tsconfig-paths tries every matching pattern, longest prefix first
    // ('*' matching at least one character), then baseUrl: the scan must
    // find what the build finds, so those follow as fallbacks.
    size_t last_len = SIZE_MAX;
    for (;;) {
        size_t len = 0;
        bool any = false;
        for (size_t i = 0; i < tc->n_paths; i++) {
            const struct ds_tsconfig_path *p = &tc->paths[i];
            if (p->has_star && p->prefix.len < last_len && p->prefix.len >= len &&
                key_matches(p, spec) && spec.len > p->prefix.len + p->suffix.len) {
                len = p->prefix.len;
                any = true;
            }
        }
        if (!any)
            break;
        for (size_t i = 0; i < tc->n_paths; i++) {
            const struct ds_tsconfig_path *p = &tc->paths[i];
            if (p != best && p->has_star && p->prefix.len == len && key_matches(p, spec) &&
                spec.len > p->prefix.len + p->suffix.len) {
                st = push_subs(arena, out, cap, p, spec);
                if (st != DS_OK)
                    return st;
            }
        }
        last_len = len;
        if (len == 0)
            break;
    }
base_url:
    if (tc->base_url.len && spec.ptr[0] != '/')
        return push_candidate(arena, out, cap, tc->base_url, DS_STR("/"), spec);
    return DS_OK;
}
