/* The cost report (SPEC §5a): files, bytes and modules per package, and the
 * barrels that fan out. The original investigation behind dscan needed
 * strace to learn that one icon barrel was 40 % of the files read; this
 * says it in the scan's own output.
 *
 * Packages: a file belongs to the nearest package.json above it that has a
 * "name" (packages ship nested package.json files with only "type" in
 * them, e.g. dist/esm/package.json, which name nothing). Inside ROOT the
 * walk stops at ROOT: those are the app's own files, "(app)". Each
 * directory is looked up once and remembers its answer, so the cost is one
 * open() per distinct directory, not per file.
 *
 * What it does not do: resolve, read source files, or print. */
#include <stdlib.h>

#include "intern.h"
#include "json.h"
#include "sys.h"
#include "path.h"
#include "report.h"
#include "scan_int.h"

#define MAX_DEPTH (DS_MAX_PATH / 2) /* "/a/b/…": directories above one path */

struct pkg_build {
    const struct ds_report_fs *fs;
    struct ds_alloc *alloc;
    struct ds_arena *arena; /* the result's */
    struct ds_arena tmp;    /* one package.json at a time */
    struct ds_arena dir_arena;
    struct ds_interner dirs; /* directory -> id */
    uint32_t *dir_pkg;       /* by dir id: package index, DS_NO_ID while unknown */
    size_t dir_cap;
    struct ds_arena key_arena;
    struct ds_interner keys; /* "name\0version" -> package index */
    struct dscan_package *pkgs;
    uint8_t *sef;
    size_t n_pkgs, cap_pkgs, cap_sef;
    uint32_t app, none; /* DS_NO_ID until first needed */
};

static struct ds_str parent_of(struct ds_str dir)
{
    size_t slash = ds_str_rfind(dir, '/');

    if (slash == dir.len || dir.len <= 1)
        return ds_str_make(dir.ptr, 0);
    return ds_str_make(dir.ptr, slash ? slash : 1);
}

static enum ds_status add_pkg(struct pkg_build *b, struct ds_str name, struct ds_str version,
                              bool side_effect_free, uint32_t *idx)
{
    char key[1024];
    uint32_t id, before = (uint32_t)b->keys.n;
    struct ds_str sname, sversion;
    enum ds_status st;

    // Names and versions are short in any real package.json; a longer one
    // is cut, which only merges two absurd keys.
    if (name.len > 512)
        name.len = 512;
    if (version.len > 256)
        version.len = 256;
    memcpy(key, name.ptr, name.len);
    key[name.len] = '\0';
    memcpy(key + name.len + 1, version.ptr, version.len);
    st = ds_intern(&b->keys, ds_str_make(key, name.len + 1 + version.len), &id);
    if (st != DS_OK)
        return st;
    *idx = id;
    if (id < before) {
        b->sef[id] = b->sef[id] && side_effect_free;
        return DS_OK;
    }
    st = ds_alloc_grow(b->alloc, (void **)&b->pkgs, &b->cap_pkgs, id + 1, sizeof *b->pkgs);
    if (st == DS_OK)
        st = ds_alloc_grow(b->alloc, (void **)&b->sef, &b->cap_sef, id + 1, sizeof *b->sef);
    if (st == DS_OK)
        st = ds_arena_strdup(b->arena, name, &sname);
    if (st == DS_OK)
        st = ds_arena_strdup(b->arena, version, &sversion);
    if (st != DS_OK)
        return st;
    b->pkgs[id] = (struct dscan_package){.name = sname.ptr, .version = sversion.ptr};
    b->sef[id] = side_effect_free;
    b->n_pkgs = id + 1;
    return DS_OK;
}

/* The string starting at p (at its opening quote): its body, and p past
 * the closing quote; *escaped when it has a backslash. NULL at the end. */
static const char *skim_string(const char *p, const char *end, struct ds_str *body, bool *escaped)
{
    const char *q = ++p;

    *escaped = false;
    // The reader pads the text with zero bytes, so strcspn (vectorised in
    // libc) stops at the end at the latest.
    for (;;) {
        q += strcspn(q, "\"\\");
        if (q >= end || *q != '\\')
            break;
        *escaped = true;
        q += 2;
    }
    if (q >= end || *q != '"') // the end, or a NUL byte: not a plain string
        return NULL;
    *body = ds_str_make(p, (size_t)(q - p));
    return q + 1;
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* name, version and sideEffects: false from the top level of a package.json
 * without building its tree: a big `exports` map made the full parse most
 * of --report's cost on bench/realapp. False when the text is not the plain
 * shape this reads (escapes in those strings, odd syntax): the caller then
 * parses it properly. */
static bool skim_manifest(struct ds_str text, bool *has_name, struct ds_str *name,
                          struct ds_str *version, bool *sef)
{
    const char *p = text.ptr, *end = text.ptr + text.len;
    struct ds_str key, val;
    bool esc;

    p = skip_space(p, end);
    if (p == end || *p++ != '{')
        return false;
    for (;;) {
        p = skip_space(p, end);
        if (p < end && *p == '}')
            return true;
        if (p == end || *p != '"' || !(p = skim_string(p, end, &key, &esc)) || esc)
            return false;
        p = skip_space(p, end);
        if (p == end || *p++ != ':')
            return false;
        p = skip_space(p, end);
        if (p == end)
            return false;
        bool is_name = ds_str_eq(key, DS_STR("name")),
             is_version = ds_str_eq(key, DS_STR("version"));
        if (*p == '"') {
            if (!(p = skim_string(p, end, &val, &esc)))
                return false;
            if ((is_name || is_version) && esc)
                return false;
            if (is_name) {
                *has_name = val.len > 0;
                *name = val;
            } else if (is_version) {
                *version = val;
            } else if (ds_str_eq(key, DS_STR("sideEffects"))) {
                *sef = false;
            }
        } else if (*p == '{' || *p == '[') {
            // Skip the nested value: brackets balance outside strings.
            size_t depth = 0;
            do {
                p += strcspn(p, "\"{}[]");
                if (p >= end || *p == '\0')
                    return false;
                if (*p == '"') {
                    if (!(p = skim_string(p, end, &val, &esc)))
                        return false;
                    continue;
                }
                if (*p == '{' || *p == '[')
                    depth++;
                else if (*p == '}' || *p == ']')
                    depth--;
                p++;
            } while (depth > 0 && p < end);
            if (depth > 0)
                return false;
            if (ds_str_eq(key, DS_STR("sideEffects")))
                *sef = false;
        } else {
            const char *v = p;
            while (p < end && *p != ',' && *p != '}' && *p != ' ' && *p != '\n' && *p != '\r' &&
                   *p != '\t')
                p++;
            if (ds_str_eq(key, DS_STR("sideEffects")))
                *sef = (size_t)(p - v) == 5 && !memcmp(v, "false", 5);
            if (is_name || is_version)
                return false; // not a string: let the parser decide
        }
        p = skip_space(p, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '}')
            return true;
        return false;
    }
}

/* Reads dir/package.json: *has_name when it names a package. A missing,
 * unreadable or malformed file names none (the resolver already warned). */
static enum ds_status read_manifest(struct pkg_build *b, struct ds_str dir, bool *has_name,
                                    struct ds_str *name, struct ds_str *version, bool *sef)
{
    char path[DS_MAX_PATH + 1];
    struct ds_str text;
    struct ds_json *doc;
    struct ds_json_error jerr;
    enum ds_status st;

    *has_name = false;
    *name = *version = ds_str_make("", 0);
    *sef = false;
    if (b->fs && b->fs->is_file) {
        bool is_file = false;
        if (!ds_path_join_name(dir, DS_STR("package.json"), path, sizeof path))
            return DS_OK;
        st = b->fs->is_file(b->fs->ctx, ds_str_cstr(path), &is_file);
        if (st != DS_OK || !is_file)
            return st == DS_ENOMEM ? st : DS_OK;
    }
    ds_arena_reset(&b->tmp);
    st = ds_sys_read_in(b->fs && b->fs->sys ? b->fs->sys : ds_sys_default(), dir,
                        DS_STR("package.json"), DS_MAX_JSON_BYTES, &b->tmp, &text);
    if (st != DS_OK || !text.ptr)
        return st;
    if (skim_manifest(text, has_name, name, version, sef))
        return DS_OK;
    *has_name = false;
    *name = *version = ds_str_make("", 0);
    *sef = false;
    st = ds_json_parse(text, DS_JSON_STRICT, &b->tmp, &doc, &jerr);
    if (st == DS_ENOMEM)
        return st;
    if (st != DS_OK)
        return DS_OK;
    const struct ds_json *n = ds_json_get(doc, DS_STR("name"));
    const struct ds_json *v = ds_json_get(doc, DS_STR("version"));
    const struct ds_json *s = ds_json_get(doc, DS_STR("sideEffects"));
    if (n && n->type == DS_JSON_STRING && n->u.str.len > 0) {
        *has_name = true;
        *name = n->u.str;
    }
    if (v && v->type == DS_JSON_STRING)
        *version = v->u.str;
    *sef = s && s->type == DS_JSON_FALSE;
    return DS_OK;
}

/* The package of directory `dir` (absolute). Remembers the answer for every
 * directory walked through. */
static enum ds_status pkg_of_dir(struct pkg_build *b, struct ds_str root, struct ds_str dir,
                                 uint32_t *out)
{
    uint32_t walked[MAX_DEPTH];
    size_t n_walked = 0;
    uint32_t found = DS_NO_ID;
    enum ds_status st;

    while (found == DS_NO_ID) {
        uint32_t id;
        st = ds_intern(&b->dirs, dir, &id);
        if (st != DS_OK)
            return st;
        if (id >= b->dir_cap) {
            size_t old = b->dir_cap;
            st = ds_alloc_grow(b->alloc, (void **)&b->dir_pkg, &b->dir_cap, (size_t)id + 1,
                               sizeof *b->dir_pkg);
            if (st != DS_OK)
                return st;
            for (size_t i = old; i < b->dir_cap; i++)
                b->dir_pkg[i] = DS_NO_ID;
        }
        if (b->dir_pkg[id] != DS_NO_ID) {
            found = b->dir_pkg[id];
            break;
        }
        if (n_walked < MAX_DEPTH)
            walked[n_walked++] = id;

        bool has_name, sef;
        struct ds_str name, version;
        st = read_manifest(b, dir, &has_name, &name, &version, &sef);
        if (st != DS_OK)
            return st;
        if (ds_str_eq(dir, root)) {
            // ROOT's own files, whatever its package.json calls itself.
            st = add_pkg(b, DS_STR("(app)"), version, sef, &found);
        } else if (has_name) {
            st = add_pkg(b, name, version, sef, &found);
        } else {
            struct ds_str up = parent_of(dir);
            if (up.len == 0 || up.len == dir.len)
                st = add_pkg(b, DS_STR("(none)"), DS_STR(""), false, &found);
            else
                dir = up;
        }
        if (st != DS_OK)
            return st;
    }
    for (size_t i = 0; i < n_walked; i++)
        b->dir_pkg[walked[i]] = found;
    *out = found;
    return DS_OK;
}

static int cmp_pkg(const void *a, const void *b)
{
    const struct dscan_package *x = *(const struct dscan_package *const *)a;
    const struct dscan_package *y = *(const struct dscan_package *const *)b;
    int c;

    if (x->files != y->files)
        return x->files > y->files ? -1 : 1;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->version, y->version);
}

enum ds_status ds_report_packages(struct ds_report *r, struct ds_alloc *alloc,
                                  struct ds_arena *arena, struct ds_str root,
                                  const struct ds_report_file *files, size_t n,
                                  const struct ds_report_fs *fs)
{
    struct pkg_build b = {.fs = fs, .alloc = alloc, .arena = arena};
    const struct dscan_package **order = NULL;
    uint32_t *rank = NULL, *pkg_of = NULL;
    enum ds_status st = DS_OK;

    ds_arena_init(&b.tmp, alloc, 16 * 1024);
    ds_arena_init(&b.dir_arena, alloc, 16 * 1024);
    ds_arena_init(&b.key_arena, alloc, 4 * 1024);
    ds_interner_init(&b.dirs, &b.dir_arena);
    ds_interner_init(&b.keys, &b.key_arena);

    pkg_of = ds_arena_alloc(arena, (n ? n : 1) * sizeof *pkg_of);
    if (!pkg_of) {
        st = DS_ENOMEM;
        goto out;
    }
    struct ds_str last_dir = {0};
    uint32_t last_pkg = DS_NO_ID;
    for (size_t i = 0; i < n && st == DS_OK; i++) {
        const struct ds_report_file *f = &files[i];
        struct ds_str dir = parent_of(f->path);
        uint32_t p;
        pkg_of[i] = DS_NO_ID;
        if (dir.len == 0)
            continue;
        // Files are numbered in the order the scan met them: a directory's
        // files (a barrel's icons) mostly come one after another.
        if (last_pkg != DS_NO_ID && ds_str_eq(dir, last_dir)) {
            p = last_pkg;
        } else {
            st = pkg_of_dir(&b, root, dir, &p);
            if (st != DS_OK)
                break;
            last_dir = dir;
            last_pkg = p;
        }
        pkg_of[i] = p;
        struct dscan_package *pk = &b.pkgs[p];
        if (f->read_ok) {
            pk->files++;
            pk->bytes += f->bytes;
        }
        pk->modules += f->modules;
        pk->client += f->list == DSCAN_LIST_CLIENT;
        pk->server += f->list == DSCAN_LIST_SERVER;
    }
    if (st != DS_OK)
        goto out;

    // SPEC §5a: packages the scan read files of, by files, largest first.
    order = ds_alloc_malloc(alloc, (b.n_pkgs ? b.n_pkgs : 1) * sizeof *order);
    rank = ds_alloc_malloc(alloc, (b.n_pkgs ? b.n_pkgs : 1) * sizeof *rank);
    r->packages = ds_arena_alloc(arena, (b.n_pkgs ? b.n_pkgs : 1) * sizeof *r->packages);
    r->side_effect_free = ds_arena_alloc(arena, b.n_pkgs ? b.n_pkgs : 1);
    if (!order || !rank || !r->packages || !r->side_effect_free) {
        st = DS_ENOMEM;
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < b.n_pkgs; i++)
        if (b.pkgs[i].files > 0)
            order[k++] = &b.pkgs[i];
    qsort(order, k, sizeof *order, cmp_pkg);
    for (size_t i = 0; i < b.n_pkgs; i++)
        rank[i] = DS_NO_ID;
    for (size_t i = 0; i < k; i++) {
        size_t old = (size_t)(order[i] - b.pkgs);
        rank[old] = (uint32_t)i;
        r->packages[i] = *order[i];
        r->side_effect_free[i] = b.sef[old];
    }
    for (size_t i = 0; i < n; i++)
        if (pkg_of[i] != DS_NO_ID)
            pkg_of[i] = rank[pkg_of[i]];
    r->n_packages = k;
    r->file_pkg = pkg_of;
out:
    ds_alloc_free(alloc, order);
    ds_alloc_free(alloc, rank);
    ds_alloc_free(alloc, b.pkgs);
    ds_alloc_free(alloc, b.sef);
    ds_alloc_free(alloc, b.dir_pkg);
    ds_interner_release(&b.dirs);
    ds_interner_release(&b.keys);
    ds_arena_release(&b.dir_arena);
    ds_arena_release(&b.key_arena);
    ds_arena_release(&b.tmp);
    return st;
}

/* ---- the report of a finished scan ----------------------------------- */

static int cmp_cstr_find(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

/* Position of `path` in a sorted list, or SIZE_MAX. */
static size_t list_pos(const char *const *list, size_t n, const char *path)
{
    const char *const *at = n ? bsearch(path, list, n, sizeof *list, cmp_cstr_find) : NULL;
    return at ? (size_t)(at - list) : SIZE_MAX;
}

static enum ds_status is_file(void *ctx, struct ds_str path, bool *out)
{
    return ds_resolver_is_file(ctx, path, out);
}

enum ds_status ds_report_build(struct dscan *s, struct ds_report *r)
{
    size_t n_paths = s->paths.n, n = 0;
    uint32_t *file_of_path = NULL, *path_of_file = NULL;
    struct ds_report_file *in = NULL;
    enum ds_status st = DS_OK;

    file_of_path = ds_alloc_malloc(&s->alloc, (n_paths ? n_paths : 1) * sizeof *file_of_path);
    path_of_file = ds_alloc_malloc(&s->alloc, (n_paths ? n_paths : 1) * sizeof *path_of_file);
    in = ds_alloc_calloc(&s->alloc, n_paths ? n_paths : 1, sizeof *in);
    r->client_pkg = ds_arena_alloc(&s->arena, (s->n_client ? s->n_client : 1) * sizeof(size_t));
    r->server_pkg = ds_arena_alloc(&s->arena, (s->n_server ? s->n_server : 1) * sizeof(size_t));
    if (!file_of_path || !path_of_file || !in || !r->client_pkg || !r->server_pkg) {
        st = DS_ENOMEM;
        goto out;
    }
    // The report's files: every file the scan read or tried to read.
    for (size_t id = 0; id < n_paths; id++) {
        file_of_path[id] = DS_NO_ID;
        if (id < s->files_cap && s->files[id].reads) {
            const struct file_rec *f = &s->files[id];
            file_of_path[id] = (uint32_t)n;
            path_of_file[n] = (uint32_t)id;
            in[n] = (struct ds_report_file){.path = ds_intern_str(&s->paths, (uint32_t)id),
                                            .bytes = f->bytes,
                                            .read_ok = (f->flags & F_READ_OK) != 0};
            n++;
        }
    }
    // SPEC §3: in a list when it is a module with a directive.
    for (size_t m = 0; m < s->graph.n; m++) {
        uint32_t f = file_of_path[s->graph.mods[m].path_id];
        if (f == DS_NO_ID)
            continue;
        uint8_t flags = s->files[path_of_file[f]].flags;
        in[f].modules++;
        in[f].list = (flags & F_USE_CLIENT)   ? DSCAN_LIST_CLIENT
                     : (flags & F_USE_SERVER) ? DSCAN_LIST_SERVER
                                              : DSCAN_LIST_NONE;
    }
    struct ds_report_fs fs = {s->resolver ? is_file : NULL, s->resolver, s->cfg->sys};
    st = ds_report_packages(r, &s->alloc, &s->arena, s->root, in, n, &fs);
    if (st != DS_OK)
        goto out;
    for (size_t i = 0; i < s->n_client; i++)
        r->client_pkg[i] = SIZE_MAX;
    for (size_t i = 0; i < s->n_server; i++)
        r->server_pkg[i] = SIZE_MAX;
    for (size_t m = 0; m < s->graph.n && s->mod_path; m++) {
        uint32_t f = file_of_path[s->graph.mods[m].path_id];
        if (f == DS_NO_ID || r->file_pkg[f] == DS_NO_ID)
            continue;
        size_t at =
            in[f].list == DSCAN_LIST_CLIENT   ? list_pos(s->client, s->n_client, s->mod_path[m])
            : in[f].list == DSCAN_LIST_SERVER ? list_pos(s->server, s->n_server, s->mod_path[m])
                                              : SIZE_MAX;
        if (at != SIZE_MAX)
            (in[f].list == DSCAN_LIST_CLIENT ? r->client_pkg : r->server_pkg)[at] = r->file_pkg[f];
    }
    st = ds_report_barrels(r, s, file_of_path, path_of_file, n);
out:
    ds_alloc_free(&s->alloc, file_of_path);
    ds_alloc_free(&s->alloc, path_of_file);
    ds_alloc_free(&s->alloc, in);
    return st;
}

/* ---- accessors (include/dscan.h) ------------------------------------- */

size_t dscan_package_count(const struct dscan *s)
{
    return s->report.n_packages;
}

const struct dscan_package *dscan_package_at(const struct dscan *s, size_t i)
{
    return i < s->report.n_packages ? &s->report.packages[i] : NULL;
}

size_t dscan_client_package(const struct dscan *s, size_t i)
{
    return s->report.client_pkg && i < s->n_client ? s->report.client_pkg[i] : SIZE_MAX;
}

size_t dscan_server_package(const struct dscan *s, size_t i)
{
    return s->report.server_pkg && i < s->n_server ? s->report.server_pkg[i] : SIZE_MAX;
}

const char *dscan_package_nearest(const struct dscan *s, size_t i)
{
    return s->report.pkg_nearest && i < s->report.n_packages ? s->report.pkg_nearest[i] : NULL;
}

size_t dscan_barrel_count(const struct dscan *s)
{
    return s->report.n_barrels;
}

const struct dscan_barrel *dscan_barrel_at(const struct dscan *s, size_t i)
{
    return i < s->report.n_barrels ? &s->report.barrels[i] : NULL;
}
