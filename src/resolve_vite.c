/* Vite's resolve plugin, step by step (tryFsResolve, tryNodeResolve,
 * resolvePackageEntry, resolveDeepImport, the browser field, subpath
 * imports), with the alias and tsconfig-paths steps before it. Each
 * function names the Vite function it follows; where Vite and Node differ
 * we follow Vite and say so (resolve.c's header lists the cases). Every
 * function runs either as a fill, under the resolver's `lock` (which fs
 * calls may release), or as a peek under its `gate`, where whatever would
 * fill a cache fails with DS_EFILL (fs.h, THE PEEK RULE). */
#include <stdio.h>

#include "lang.h"
#include "resolve_int.h"
#include "specifier.h"

static bool in_node_modules(struct ds_str path)
{
    static const struct ds_str nm = DS_STR("/node_modules/");
    for (size_t i = 0; i + nm.len <= path.len; i++)
        if (path.ptr[i] == '/' && memcmp(path.ptr + i, nm.ptr, nm.len) == 0)
            return true;
    return false;
}

static void fail(struct req *q, const char *reason)
{
    if (!q->reason)
        q->reason = reason;
}

/* The first failure's reason wins: it is the deepest one, and the outer
 * steps would only repeat "not found". Built only when it will be kept.
 * Typed, with no format string: text, a slice, text, a slice, text. */
static void fail_text(struct req *q, const char *t1, struct ds_str a, const char *t2,
                      struct ds_str b, const char *t3)
{
    if (q->reason)
        return;
    if (q->how == DS_FS_PEEK) {
        // The text goes in the shared arena: a fill builds it, if the
        // resolution fails (resolve.c).
        q->reason = "";
        q->reason_unbuilt = true;
        return;
    }
    q->reason =
        ds_arena_printf(&q->r->arena, "%s%.*s%s%.*s%s", t1, DS_STR_FMT(a), t2, DS_STR_FMT(b), t3);
    if (!q->reason)
        q->reason = "cannot resolve";
}

/* ---- filesystem probes (Vite's tryCleanFsResolve) --------------------- */

static enum ds_status type_of(struct req *q, struct ds_str path, enum ds_fs_type *t)
{
    enum ds_status st = ds_fs_type(q->r->fs, q->how, path, t);
    if (st == DS_OK && *t == DS_FS_LOOP)
        q->loop = true;
    return st;
}

/* What a probe's lookup (status st, type *t) means: a file is the answer
 * (in q->out_path); a loop is remembered; a name that vanished or does not
 * fit is no answer. */
static enum ds_status judge_probe(struct req *q, enum ds_status st, const enum ds_fs_type *t,
                                  bool *found)
{
    *found = false;
    if (st == DS_OK && *t == DS_FS_LOOP)
        q->loop = true;
    if (st == DS_OK && *t != DS_FS_FILE)
        return DS_OK;
    if (st == DS_ELOOP) {
        q->loop = true;
        return DS_OK;
    }
    if (st == DS_ENOENT || st == DS_ELIMIT)
        return DS_OK;
    if (st == DS_OK)
        *found = true;
    return st;
}

/* Accepts `path` as the answer when it is a file; *t is its type. */
static enum ds_status probe_file(struct req *q, struct ds_str path, enum ds_fs_type *t, bool *found)
{
    // One lookup for the type and the real path (this runs for every
    // extension probed, under the resolver's lock).
    enum ds_status st =
        ds_fs_file_real(q->r->fs, q->how, path, t, q->out, sizeof q->out, &q->out_path);
    return judge_probe(q, st, t, found);
}

static enum ds_status try_file(struct req *q, struct ds_str path, bool *found)
{
    enum ds_fs_type t;
    return probe_file(q, path, &t, found);
}

/* path + suffix, probed as a file. */
static enum ds_status try_suffix(struct req *q, struct ds_str path, struct ds_str suffix,
                                 bool *found)
{
    char buf[DS_MAX_PATH + 1];

    *found = false;
    if (path.len + suffix.len > DS_MAX_PATH)
        return DS_OK;
    ds_copy(buf, path.ptr, path.len);
    ds_copy(buf + path.len, suffix.ptr, suffix.len);
    return try_file(q, ds_str_make(buf, path.len + suffix.len), found);
}

/* path + each configured extension in turn, probed as a file. They are all
 * entries of path's directory, looked up once for all of them. */
static enum ds_status try_extensions(struct req *q, struct ds_str path, bool *found)
{
    const struct ds_strlist *exts = &q->r->cfg->extensions;
    size_t slash = ds_str_rfind(path, '/');
    struct ds_fs_probe_dir dir =
        ds_fs_probe_dir(slash == 0 ? DS_STR("/") : ds_str_slice(path, 0, slash));
    struct ds_str base = slash < path.len ? ds_str_slice(path, slash + 1, path.len) : path;
    char name[DS_MAX_PATH + 1];
    enum ds_status st = DS_OK;

    *found = false;
    for (size_t i = 0; i < exts->n && !*found && st == DS_OK; i++) {
        struct ds_str ext = exts->items[i];
        enum ds_fs_type t;
        // An extension with a '/' (or a path without one) names another
        // directory's entry: probed as a whole path.
        if (slash == path.len || ds_str_find(ext, '/') < ext.len) {
            st = try_suffix(q, path, ext, found);
            continue;
        }
        if (path.len + ext.len > DS_MAX_PATH)
            continue; // as try_suffix: too long to be a file
        ds_copy(name, base.ptr, base.len);
        ds_copy(name + base.len, ext.ptr, ext.len);
        st = ds_fs_file_in(q->r->fs, q->how, &dir, ds_str_make(name, base.len + ext.len), &t,
                           q->out, sizeof q->out, &q->out_path);
        st = judge_probe(q, st, &t, found);
    }
    return st;
}

static enum ds_status package_entry(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                    bool *found);

/* Vite's tryCleanFsResolve: the file itself; then, when its directory exists,
 * the TypeScript sibling of a .js/.jsx/.mjs/.cjs name and the configured
 * extensions; then, for a directory, its package.json entry or index file. */
static enum ds_status clean_fs_resolve(struct req *q, struct ds_str file, bool try_index,
                                       bool skip_pkg, bool *found)
{
    enum ds_fs_type t, dt;
    enum ds_status st;

    *found = false;
    // "./dir/?v=1" loses its postfix after the join: "/…/dir/".
    while (file.len > 1 && file.ptr[file.len - 1] == '/')
        file.len--;
    st = probe_file(q, file, &t, found);
    if (st != DS_OK || *found)
        return st;
    st = type_of(q, ds_path_dirname(file), &dt);
    if (st != DS_OK)
        return st;
    if (dt == DS_FS_DIR) {
        // The extension: the last '.' of the file's own name (looked for
        // there only, not back through the whole path).
        size_t slash = ds_str_rfind(file, '/'), dot = file.len;
        if (slash < file.len) {
            size_t in_name = ds_str_rfind(ds_str_slice(file, slash + 1, file.len), '.');
            if (in_name < file.len - slash - 1)
                dot = slash + 1 + in_name;
        }
        if (dot < file.len) {
            struct ds_str ext = ds_str_slice(file, dot, file.len);
            struct ds_str stem = ds_str_slice(file, 0, dot);
            struct ds_str ts = ds_str_eq(ext, DS_STR(".js"))    ? DS_STR(".ts")
                               : ds_str_eq(ext, DS_STR(".jsx")) ? DS_STR(".tsx")
                               : ds_str_eq(ext, DS_STR(".mjs")) ? DS_STR(".mts")
                               : ds_str_eq(ext, DS_STR(".cjs")) ? DS_STR(".cts")
                                                                : DS_STR("");
            if (ts.len) {
                st = try_suffix(q, stem, ts, found);
                if (st == DS_OK && !*found && ds_str_eq(ext, DS_STR(".js")))
                    st = try_suffix(q, stem, DS_STR(".tsx"), found);
                if (st != DS_OK || *found)
                    return st;
            }
        }
        st = try_extensions(q, file, found);
        if (st != DS_OK || *found)
            return st;
    }
    if (try_index && t == DS_FS_DIR) {
        if (!skip_pkg) {
            const struct ds_pkg *pkg;
            st = ds_res_get_pkg(q, file, &pkg, NULL);
            if (st != DS_OK)
                return st;
            // Vite catches a failed package entry here and goes on to index.
            if (pkg) {
                st = package_entry(q, file, pkg, found);
                if (st != DS_OK || *found)
                    return st;
            }
        }
        char buf[DS_MAX_PATH + 1];
        struct ds_str index;
        if (ds_path_join(file, DS_STR("index"), buf, sizeof buf, &index))
            return try_extensions(q, index, found);
    }
    return DS_OK;
}

/* Vite's tryFsResolve: a '#' inside a node_modules path may be part of the
 * file name (es5-ext ships `#/` folders), so that spelling is tried first;
 * otherwise the query and hash are dropped. */
static enum ds_status fs_resolve(struct req *q, struct ds_str path, bool try_index, bool skip_pkg,
                                 bool *found)
{
    size_t hash = ds_str_find(path, '#'), query = ds_str_find(path, '?');
    enum ds_status st;

    *found = false;
    if (hash < path.len && in_node_modules(path)) {
        if (query == path.len || query > hash) {
            st = clean_fs_resolve(q, ds_str_slice(path, 0, query), try_index, skip_pkg, found);
            if (st != DS_OK || *found)
                return st;
        }
    }
    // The postfix starts at the first '?' or '#' (ds_spec_postfix_at).
    return clean_fs_resolve(q, ds_str_slice(path, 0, hash < query ? hash : query), try_index,
                            skip_pkg, found);
}

/* The importer's nearest package, once per resolution: the browser map,
 * the self-reference and `#imports` steps all ask for it. */
static enum ds_status importer_pkg(struct req *q, const struct ds_pkg **pkg, struct ds_str *pkg_dir)
{
    if (!q->importer_pkg_done) {
        enum ds_status st =
            ds_res_nearest_pkg(q, q->importer_dir, &q->importer_pkg, &q->importer_pkg_dir);
        if (st != DS_OK)
            return st;
        q->importer_pkg_done = true;
    }
    *pkg = q->importer_pkg;
    *pkg_dir = q->importer_pkg_dir;
    return DS_OK;
}

/* Vite's mapWithBrowserField: `path` ("./lib/a" or "pkg") against the keys of
 * the browser object, both normalised, also matching a key that adds ".js"
 * or "/index.js". NULL when no key matches. */
static const struct ds_json *browser_map(const struct ds_json *map, struct ds_str path)
{
    char pb[DS_MAX_PATH + 1], kb[DS_MAX_PATH + 1];
    struct ds_str p, k;

    if (!map || map->type != DS_JSON_OBJECT || !ds_path_join(DS_STR("/"), path, pb, sizeof pb, &p))
        return NULL;
    for (uint32_t i = 0; i < map->n; i++) {
        if (!ds_path_join(DS_STR("/"), map->u.members[i].key, kb, sizeof kb, &k))
            continue;
        if (ds_str_eq(p, k) ||
            (ds_str_ends_with(k, DS_STR(".js")) && ds_str_eq(ds_str_slice(k, 0, k.len - 3), p)) ||
            (ds_str_ends_with(k, DS_STR("/index.js")) &&
             ds_str_eq(ds_str_slice(k, 0, k.len - 9), p)))
            return &map->u.members[i].value;
    }
    return NULL;
}

static enum ds_status node_resolve(struct req *q, struct ds_str spec, bool *found);

/* Vite's tryResolveBrowserMapping, for the client: the importer's package
 * may remap a relative file (`path` absolute) or a bare id to another file,
 * another package, or false (an empty module). *hit says whether a key matched. */
static enum ds_status browser_mapping(struct req *q, struct ds_str id, bool is_file, bool *found)
{
    const struct ds_pkg *pkg;
    struct ds_str pkg_dir;
    char rel[DS_MAX_PATH + 3];
    enum ds_status st = importer_pkg(q, &pkg, &pkg_dir);

    *found = false;
    if (st != DS_OK || !pkg || !pkg->browser || pkg->browser->type != DS_JSON_OBJECT)
        return st;
    // A map was consulted: whatever is found, it is this environment's
    // answer, not one to share with an environment that reads no map (a
    // bare id mapped to a file was kept for both, and the worker got the
    // client's shim).
    q->env_dep = true;
    struct ds_str key = id;
    if (is_file) {
        // "./" + path relative to the package directory.
        size_t base = pkg_dir.len == 1 ? 0 : pkg_dir.len;
        if (!ds_str_starts_with(id, pkg_dir) || id.len <= base || id.ptr[base] != '/')
            return DS_OK;
        size_t n = id.len - base - 1;
        if (n + 3 > sizeof rel)
            return DS_OK;
        rel[0] = '.';
        rel[1] = '/';
        memcpy(rel + 2, id.ptr + base + 1, n);
        key = ds_str_make(rel, n + 2);
    }
    const struct ds_json *v = browser_map(pkg->browser, key);
    if (!v)
        return DS_OK;
    if (v->type == DS_JSON_FALSE) {
        q->empty = true;
        *found = true;
        return DS_OK;
    }
    if (v->type != DS_JSON_STRING)
        return DS_OK;
    if (ds_spec_is_bare(v->u.str))
        return node_resolve(q, v->u.str, found);
    char buf[DS_MAX_PATH + 1];
    struct ds_str p;
    if (!ds_path_join(pkg_dir, v->u.str, buf, sizeof buf, &p))
        return DS_OK;
    return fs_resolve(q, p, true, false, found);
}

/* Vite's tryResolveBrowserEntry: when a package has both a browser entry and
 * a different module entry, the browser one is used only if it is ESM (some
 * packages point browser at a UMD build and module at browser ESM). Reads the
 * browser entry once per package. */
static enum ds_status browser_entry_is_esm(struct req *q, struct ds_str dir, struct ds_str entry,
                                           bool *esm)
{
    struct ds_resolver *r = q->r;
    uint32_t id = ds_intern_find(&r->dirs, dir);
    char buf[DS_MAX_PATH + 1];
    struct ds_str p, text;
    const char *why;
    bool found;
    enum ds_status st;

    *esm = true;
    if (id == DS_NO_ID || id >= r->n_pkgs)
        return DS_OK;
    if (r->pkgs[id].browser_esm >= 0) {
        *esm = r->pkgs[id].browser_esm;
        return DS_OK;
    }
    if (q->how == DS_FS_PEEK)
        return DS_EFILL; // it reads a file and remembers the answer
    if (!ds_path_join(dir, entry, buf, sizeof buf, &p))
        return DS_OK;
    st = fs_resolve(q, p, true, false, &found);
    if (st != DS_OK || !found)
        return st; // Vite keeps the browser entry when it cannot be found
    st = ds_fs_read(r->fs, q->out_path, DS_MAX_FILE_BYTES, q->scratch, &text, &why);
    if (st == DS_ENOMEM)
        return st;
    r->pkgs[id].browser_esm = st != DS_OK || ds_lang_has_esm_syntax(text);
    *esm = r->pkgs[id].browser_esm;
    return DS_OK;
}

/* Vite's resolvePackageEntry: exports "." first; without exports the
 * environment's mainFields in order, then main, then index.js. */
static enum ds_status package_entry(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                    bool *found)
{
    char tb[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    struct ds_str entry = {0}, p;
    enum ds_status st;

    *found = false;
    q->env_dep = true;
    if (pkg->exports) {
        enum ds_pkg_match m =
            ds_pkg_exports_match(pkg->exports, DS_STR("."), &q->conds, tb, sizeof tb, &entry);
        if (m != DS_PKG_FOUND) {
            fail_text(q, "no \"exports\" main entry in '", dir, "/package.json' (",
                      ds_str_cstr(ds_pkg_match_name(m)), ")");
            return DS_OK;
        }
    } else {
        for (size_t i = 0; i < q->main_fields->n && !entry.len; i++) {
            struct ds_str f = q->main_fields->items[i];
            if (ds_str_eq(f, DS_STR("browser"))) {
                const struct ds_json *b = pkg->browser;
                if (b && b->type == DS_JSON_STRING)
                    entry = b->u.str;
                else if (b)
                    b = ds_json_get(b, DS_STR(".")); // browser: {".": "./x.js"}
                if (!entry.len && b && b->type == DS_JSON_STRING)
                    entry = b->u.str;
                struct ds_str module = ds_pkg_string(pkg, DS_STR("module"));
                if (entry.len && !q->require && module.len && !ds_str_eq(module, entry) &&
                    ds_res_list_has(q->main_fields, DS_STR("module"))) {
                    bool esm;
                    st = browser_entry_is_esm(q, dir, entry, &esm);
                    if (st != DS_OK)
                        return st;
                    if (!esm)
                        entry = module;
                }
            } else {
                entry = ds_pkg_string(pkg, f);
            }
        }
        if (!entry.len)
            entry = ds_pkg_string(pkg, DS_STR("main"));
    }
    static const struct ds_str defaults[] = {DS_STR("index.js"), DS_STR("index.json"),
                                             DS_STR("index.node")};
    size_t n = entry.len ? 1 : DS_ARRAY_LEN(defaults);
    for (size_t i = 0; i < n; i++) {
        struct ds_str e = entry.len ? entry : defaults[i];
        if (q->browser) {
            const struct ds_json *v = browser_map(pkg->browser, e);
            if (v && v->type == DS_JSON_STRING)
                e = v->u.str;
        }
        if (!ds_path_join(dir, e, buf, sizeof buf, &p))
            continue;
        st = fs_resolve(q, p, true, true, found);
        if (st != DS_OK || *found)
            return st;
    }
    fail_text(q, "cannot find the entry of package '", dir, "'", DS_STR(""), "");
    return DS_OK;
}

/* Vite's resolveDeepImport: `sub` is "./x" inside the package at `dir`. */
static enum ds_status deep_import(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                  struct ds_str sub, bool *found)
{
    char tb[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1], pb[DS_MAX_PATH + 1];
    struct ds_str rel = sub, p;

    *found = false;
    q->env_dep = true;
    size_t post = ds_spec_postfix_at(sub);
    struct ds_str file = ds_str_slice(sub, 0, post);
    if (pkg->exports) {
        struct ds_str target;
        enum ds_pkg_match m = DS_PKG_NOT_EXPORTED;
        // Vite: exports that are not an object (a string or an array) expose only ".".
        if (pkg->exports->type == DS_JSON_OBJECT)
            m = ds_pkg_exports_match(pkg->exports, file, &q->conds, tb, sizeof tb, &target);
        if (m != DS_PKG_FOUND) {
            fail_text(q, "package subpath '", file, "' is not exported by '", dir,
                      "/package.json'");
            return DS_OK;
        }
        rel = target;
    } else if (q->browser) {
        const struct ds_json *v = browser_map(pkg->browser, file);
        if (v && v->type == DS_JSON_FALSE) {
            q->empty = true;
            *found = true;
            return DS_OK;
        }
        if (v && v->type == DS_JSON_STRING) {
            // The mapped file keeps the postfix the specifier had.
            if (v->u.str.len + (sub.len - post) >= sizeof pb)
                return DS_OK;
            memcpy(pb, v->u.str.ptr, v->u.str.len);
            memcpy(pb + v->u.str.len, sub.ptr + post, sub.len - post);
            rel = ds_str_make(pb, v->u.str.len + sub.len - post);
        }
    }
    if (!ds_path_join(dir, rel, buf, sizeof buf, &p))
        return DS_OK;
    // Vite tries index files only when the package has no exports.
    return fs_resolve(q, p, !pkg->exports, false, found);
}

/* A package's main entry or a subpath of it, found at `dir`. */
static enum ds_status in_package(struct req *q, struct ds_str dir, const struct ds_pkg *pkg,
                                 struct ds_str rest, bool *found)
{
    char sb[DS_MAX_PATH + 2];

    if (!rest.len || ds_str_eq(rest, DS_STR("/")))
        return package_entry(q, dir, pkg, found);
    if (rest.len + 1 > sizeof sb - 1) {
        *found = false;
        return DS_OK;
    }
    sb[0] = '.';
    memcpy(sb + 1, rest.ptr, rest.len);
    return deep_import(q, dir, pkg, ds_str_make(sb, rest.len + 1), found);
}

/* Vite's tryNodeResolve, with Node's self-reference first: a package may
 * import itself by name when it has exports. */
static enum ds_status node_resolve(struct req *q, struct ds_str spec, bool *found)
{
    struct ds_str name, rest, pkg_dir;
    const struct ds_pkg *pkg;
    char buf[DS_MAX_PATH + 1];
    enum ds_status st;

    *found = false;
    q->env_dep = true;
    if (!ds_spec_split_package(spec, &name, &rest)) {
        fail(q, "invalid package name");
        return DS_OK;
    }
    // Vite's cleanUrl: a specifier without a subpath loses its postfix.
    if (!rest.len)
        name = ds_str_slice(name, 0, ds_spec_postfix_at(name));
    st = importer_pkg(q, &pkg, &pkg_dir);
    if (st != DS_OK)
        return st;
    if (pkg && pkg->exports && ds_str_eq(pkg->name, name))
        return in_package(q, pkg_dir, pkg, rest, found);

    // "node_modules/<name>", joined to each directory up in one join (the
    // same path as joining the two in turn: the walk is lexical). A name too
    // long for any path (a browser map's) is found nowhere.
    char nm[sizeof "node_modules/" + DS_MAX_PATH];
    bool fits = name.len <= DS_MAX_PATH;
    struct ds_str in_nm = ds_str_make(nm, sizeof "node_modules/" - 1 + (fits ? name.len : 0));
    memcpy(nm, "node_modules/", sizeof "node_modules/" - 1);
    if (fits)
        memcpy(nm + sizeof "node_modules/" - 1, name.ptr, name.len);
    struct ds_str dir = q->importer_dir;
    for (;;) {
        size_t base = ds_str_rfind(dir, '/');
        bool skip = ds_str_eq(ds_str_slice(dir, base + 1, dir.len), DS_STR("node_modules"));
        if (!skip && fits) {
            struct ds_str cand;
            if (ds_path_join_at(dir, q->importer_dir_normal, in_nm, buf, sizeof buf, &cand)) {
                enum ds_fs_type t;
                st = type_of(q, cand, &t);
                if (st != DS_OK)
                    return st;
                if (t == DS_FS_DIR) {
                    char real[DS_MAX_PATH + 1];
                    struct ds_str rd;
                    uint32_t id = DS_NO_ID;
                    st = ds_fs_realpath(q->r->fs, q->how, cand, real, sizeof real, &rd);
                    if (st == DS_OK)
                        st = ds_res_get_pkg(q, rd, &pkg, &id);
                    else if (st == DS_ENOENT || st == DS_ELOOP || st == DS_ELIMIT)
                        st = DS_OK, pkg = NULL;
                    if (st != DS_OK)
                        return st;
                    // Vite: a package is a node_modules folder with a package.json.
                    if (pkg)
                        return in_package(q, ds_intern_str(&q->r->dirs, id), pkg, rest, found);
                }
            }
        }
        if (dir.len <= 1)
            break;
        dir = ds_path_dirname(dir);
    }
    fail_text(q, "cannot find package '", name, "'", DS_STR(""), "");
    return DS_OK;
}

/* `#name`: the importer's package `imports` (Vite's resolveSubpathImports). */
static enum ds_status subpath_import(struct req *q, struct ds_str spec, bool *found)
{
    const struct ds_pkg *pkg;
    struct ds_str pkg_dir, target;
    char tb[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    bool bare = false;
    enum ds_status st = importer_pkg(q, &pkg, &pkg_dir);

    *found = false;
    q->env_dep = true;
    if (st != DS_OK)
        return st;
    // "#a?x": the postfix after the first character is not part of the key.
    size_t post = 1 + ds_spec_postfix_at(ds_str_slice(spec, 1, spec.len));
    struct ds_str key = ds_str_slice(spec, 0, post);
    enum ds_pkg_match m = ds_pkg_imports_match(pkg ? pkg->imports : NULL, key, &q->conds, tb,
                                               sizeof tb, &target, &bare);
    if (m != DS_PKG_FOUND) {
        fail(q, m == DS_PKG_NOT_EXPORTED ? "not defined by \"imports\" of the nearest package.json"
                                         : ds_pkg_match_name(m));
        return DS_OK;
    }
    if (bare)
        return node_resolve(q, target, found);
    struct ds_str p;
    if (!ds_path_join(pkg_dir, target, buf, sizeof buf, &p))
        return DS_OK;
    return fs_resolve(q, p, true, false, found);
}

/* A path (absolute, with any postfix): the browser map first, then the fs. */
static enum ds_status path_resolve(struct req *q, struct ds_str path, bool *found)
{
    const struct ds_pkg *pkg;
    struct ds_str pkg_dir;
    enum ds_status st;

    *found = false;
    // An environment whose mainFields include "browser" consults the
    // importer's browser map here; a file found without one is the same
    // answer in every environment (ds_resolve_with shares it).
    st = importer_pkg(q, &pkg, &pkg_dir);
    if (st != DS_OK)
        return st;
    bool has_map = pkg && pkg->browser && pkg->browser->type == DS_JSON_OBJECT;
    if (has_map)
        q->env_dep = true;
    // Without a map browser_mapping has nothing to look up: the postfix is
    // not even cut off.
    if (q->browser && has_map) {
        st = browser_mapping(q, ds_str_slice(path, 0, ds_spec_postfix_at(path)), true, found);
        if (st != DS_OK || *found)
            return st;
    }
    return fs_resolve(q, path, true, false, found);
}

/* When `path` failed, is there a spelling on disk that differs only in
 * case? The first component that does not exist is compared, letter case
 * folded, with its directory's listing (with the extensions, when it is the
 * last): "./Components/button" against components/Button.tsx. */
static enum ds_status check_case(struct req *q, struct ds_str path)
{
    char buf[DS_MAX_PATH + 1];
    struct ds_str hit = {0}, dir = DS_STR("/"), name = {0};
    enum ds_fs_type t = DS_FS_DIR;
    enum ds_status st = DS_OK;
    size_t i = 1;

    if (q->how == DS_FS_PEEK)
        return DS_EFILL; // a failed resolution: the fill that follows checks
    while (i < path.len && t == DS_FS_DIR) {
        size_t end = i;
        while (end < path.len && path.ptr[end] != '/')
            end++;
        dir = i == 1 ? DS_STR("/") : ds_str_slice(path, 0, i - 1);
        name = ds_str_slice(path, i, end);
        st = ds_fs_type(q->r->fs, DS_FS_FILL, ds_str_slice(path, 0, end), &t);
        if (st != DS_OK)
            return st;
        if (t != DS_FS_DIR || end == path.len)
            break;
        i = end + 1;
    }
    if (t != DS_FS_NONE || !name.len)
        return DS_OK;
    bool last = name.ptr + name.len == path.ptr + path.len;
    st = ds_fs_find_case(q->r->fs, dir, name, &hit);
    for (size_t k = 0; last && st == DS_OK && !hit.len && k < q->r->cfg->extensions.n; k++) {
        struct ds_str e = q->r->cfg->extensions.items[k];
        if (name.len + e.len >= sizeof buf)
            break;
        memcpy(buf, name.ptr, name.len);
        memcpy(buf + name.len, e.ptr, e.len);
        st = ds_fs_find_case(q->r->fs, dir, ds_str_make(buf, name.len + e.len), &hit);
    }
    if (st != DS_OK || !hit.len)
        return st;
    q->case_diff = true;
    q->reason = NULL; // the case mismatch says more than "no such file"
    fail_text(q, "letter case differs from the file on disk '", dir, "/", hit, "'");
    return DS_OK;
}

/* ---- one resolution ------------------------------------------------------ */

enum ds_status ds_res_resolve_spec(struct req *q, struct ds_str spec, bool *found)
{
    struct ds_resolver *r = q->r;
    char ab[DS_MAX_PATH + 1], buf[DS_MAX_PATH + 1];
    struct ds_str p;
    enum ds_status st;

    *found = false;
    // Alias first (Vite's alias plugin): the first rule that matches, once.
    // A find ending in '$' matches only that exact specifier (webpack's
    // spelling; how Vite's exact RegExp aliases such as /^react$/ arrive).
    for (size_t i = 0; i < r->cfg->n_alias; i++) {
        struct ds_str f = r->cfg->alias[i].find;
        bool exact = f.len > 1 && f.ptr[f.len - 1] == '$';
        if (exact)
            f.len--;
        if (ds_str_eq(spec, f) ||
            (!exact && ds_str_starts_with(spec, f) && spec.len > f.len && spec.ptr[f.len] == '/')) {
            struct ds_str rep = r->cfg->alias[i].replacement;
            if (rep.len + spec.len - f.len >= sizeof ab)
                return DS_OK;
            memcpy(ab, rep.ptr, rep.len);
            memcpy(ab + rep.len, spec.ptr + f.len, spec.len - f.len);
            spec = ds_str_make(ab, rep.len + spec.len - f.len);
            break;
        }
    }
    // tsconfig paths / baseUrl next (vite-tsconfig-paths runs before Vite's
    // resolver), for the project's own files only.
    if (q->tsconfig && !ds_spec_is_relative(spec) && !(spec.len && spec.ptr[0] == '/')) {
        struct ds_strlist cands;
        st = ds_tsconfig_match(q->tsconfig, spec, q->scratch, &cands);
        // A candidate is a path as TypeScript sees it: "#x" or "?x" in it is
        // part of a file name, not a postfix to drop (else baseUrl "." would
        // turn "#lib/x" into the project root's package entry).
        for (size_t i = 0; st == DS_OK && i < cands.n; i++) {
            struct ds_str c = cands.items[i];
            st = clean_fs_resolve(q, c, true, false, found);
            if (st == DS_OK && !*found && ds_str_find(c, '?') < c.len)
                st = clean_fs_resolve(q, ds_str_slice(c, 0, ds_str_find(c, '?')), true, false,
                                      found); // "~/a?v=1": a query, as Vite drops it
            if (st != DS_OK || *found)
                return st;
        }
        if (st != DS_OK)
            return st;
    }
    if (spec.len && spec.ptr[0] == '#')
        return subpath_import(q, spec, found);
    if (ds_spec_is_relative(spec)) {
        if (!ds_path_join_at(q->importer_dir, q->importer_dir_normal, spec, buf, sizeof buf, &p)) {
            fail(q, "path too long");
            return DS_OK;
        }
        st = path_resolve(q, p, found);
        if (st == DS_OK && !*found && !q->loop)
            st = check_case(q, ds_str_slice(p, 0, ds_spec_postfix_at(p)));
        return st;
    }
    if (spec.len && spec.ptr[0] == '/') {
        // Vite: "/x" is first tried under the root, unless it already is there.
        struct ds_str root = r->cfg->root;
        if (!(ds_str_starts_with(spec, root) && spec.len > root.len && spec.ptr[root.len] == '/') &&
            ds_path_join(root, ds_str_slice(spec, 1, spec.len), buf, sizeof buf, &p)) {
            st = path_resolve(q, p, found);
            if (st != DS_OK || *found)
                return st;
        }
        if (!ds_path_join(DS_STR("/"), spec, buf, sizeof buf, &p))
            return DS_OK;
        st = path_resolve(q, p, found);
        if (st == DS_OK && !*found && !q->loop)
            st = check_case(q, ds_str_slice(p, 0, ds_spec_postfix_at(p)));
        return st;
    }
    if (!ds_spec_is_bare(spec)) {
        fail(q, "not a relative path, absolute path or package name");
        return DS_OK;
    }
    if (q->browser) {
        st = browser_mapping(q, spec, false, found);
        if (st != DS_OK || *found)
            return st;
    }
    // SPEC §4.5: a builtin is never resolved, unless (Vite, client) the
    // importer's browser field remapped it just above.
    if (ds_spec_is_builtin(spec)) {
        q->external = true;
        *found = true;
        return DS_OK;
    }
    return node_resolve(q, spec, found);
}
