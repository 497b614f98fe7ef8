/* The package.json cache of the resolver: one slot per real directory,
 * looked for once, parsed once (a malformed one is reported once and acts
 * as an empty package), and the nearest-package answer remembered for every
 * directory walked through. */
#include "resolve_int.h"

enum ds_status ds_res_get_pkg(struct req *q, struct ds_str dir, const struct ds_pkg **out,
                              uint32_t *id_out)
{
    struct ds_resolver *r = q->r;
    char buf[DS_MAX_PATH + 1];
    struct ds_str pj;
    enum ds_fs_type t;
    uint32_t id;
    enum ds_status st;

    *out = NULL;
    if (q->how == DS_FS_PEEK) {
        id = ds_intern_find(&r->dirs, dir);
        if (id == DS_NO_ID || id >= r->n_pkgs || !r->pkgs[id].known)
            return DS_EFILL;
        if (id_out)
            *id_out = id;
        *out = r->pkgs[id].exists ? r->pkgs[id].pkg : NULL;
        return DS_OK;
    }
    st = ds_intern(&r->dirs, dir, &id);
    if (st != DS_OK)
        return st;
    if (id_out)
        *id_out = id;
    if (id >= r->n_pkgs) {
        st = ds_alloc_grow(r->alloc, (void **)&r->pkgs, &r->pkgs_cap, r->dirs.n, sizeof *r->pkgs);
        if (st != DS_OK)
            return st;
        memset(r->pkgs + r->n_pkgs, 0, (r->dirs.n - r->n_pkgs) * sizeof *r->pkgs);
        r->n_pkgs = r->dirs.n;
    }
    if (r->pkgs[id].known) {
        *out = r->pkgs[id].exists ? r->pkgs[id].pkg : NULL;
        return DS_OK;
    }
    r->pkgs[id] = (struct pkg_slot){.browser_esm = -1};
    if (!ds_path_join(dir, DS_STR("package.json"), buf, sizeof buf, &pj))
        goto known;
    uint64_t gen = ds_fs_generation(r->fs);
    st = ds_fs_type(r->fs, DS_FS_FILL, pj, &t);
    if (st != DS_OK)
        return st;
    // ds_fs_type and ds_fs_read may release the lock (fs.h): another thread
    // may have finished this slot meanwhile, and its answer stands. It can
    // only have done so if the lock was released.
    if (r->pkgs[id].known) {
        assert(ds_fs_generation(r->fs) != gen);
        goto known;
    }
    if (t != DS_FS_FILE)
        goto known;
    struct ds_str text;
    const char *why;
    gen = ds_fs_generation(r->fs);
    st = ds_fs_read(r->fs, pj, DS_MAX_JSON_BYTES, q->scratch, &text, &why);
    if (st == DS_ENOMEM)
        return st;
    r->pkg_reads++;
    if (r->pkgs[id].known) {
        assert(ds_fs_generation(r->fs) != gen);
        goto known; // read twice by a race: counted, not parsed or reported twice
    }
    DS_UNUSED(gen); // in the asserts only
    enum ds_status read_st = st, parse_st = DS_OK;
    struct ds_pkg parsed = {0};
    struct ds_json_error jerr = {0};
    if (read_st == DS_OK) {
        // The parse (the serial part of a cold package, bench/realapp) runs
        // without the lock, into this resolution's own scratch arena; only
        // the small kept facts are copied into the shared arena below.
        r->pkg_bytes += text.len;
        ds_fs_unlock(r->fs);
        parse_st = ds_pkg_parse(text, r->fields, r->n_fields, q->scratch, &parsed, &jerr);
        ds_fs_relock(r->fs);
        if (parse_st == DS_ENOMEM)
            return parse_st;
        if (r->pkgs[id].known)
            goto known; // parsed twice by a race: reported once, by the first
    }
    struct ds_pkg *pkg = ds_arena_zalloc(&r->arena, sizeof *pkg);
    if (!pkg)
        return DS_ENOMEM;
    if (read_st != DS_OK) {
        st = ds_diag_add(r->diags, DSCAN_WARNING, "read", pj, 0, 0, "cannot read '%.*s': %s",
                         DS_STR_FMT(pj), why);
    } else if (parse_st != DS_OK) {
        // SPEC §4.8: a malformed package.json is a warning; the package is
        // still there, as if it declared nothing.
        st = ds_diag_add(r->diags, DSCAN_WARNING, "parse", pj, jerr.line, jerr.col,
                         "cannot parse '%.*s': %s at %u:%u", DS_STR_FMT(pj),
                         jerr.what ? jerr.what : "invalid JSON", jerr.line, jerr.col);
    } else {
        st = ds_pkg_copy(&r->arena, &parsed, pkg);
        if (st != DS_OK)
            return st;
        goto found;
    }
    if (st != DS_OK)
        return st;
    pkg->facts = ds_arena_zalloc(&r->arena, sizeof *pkg->facts);
    if (!pkg->facts)
        return DS_ENOMEM;
    pkg->facts->type = DS_JSON_OBJECT;
found:
    r->pkgs[id].exists = true;
    r->pkgs[id].pkg = pkg;
known:
    r->pkgs[id].known = true;
    *out = r->pkgs[id].exists ? r->pkgs[id].pkg : NULL;
    return DS_OK;
}

/* The nearest package directory at or above `dir` (its `dirs` id in
 * *found, or DS_NO_ID). Every directory walked through learns the answer,
 * so the next file anywhere below costs one lookup instead of a walk to the
 * root. */
static enum ds_status walk_up(struct req *q, struct ds_str dir, uint32_t *found)
{
    struct ds_resolver *r = q->r;
    uint32_t walked[DS_MAX_PATH / 2 + 1], id;
    size_t n = 0;
    const struct ds_pkg *pkg;
    enum ds_status st;

    *found = DS_NO_ID;
    for (;;) {
        st = ds_res_get_pkg(q, dir, &pkg, &id);
        if (st != DS_OK)
            return st;
        if (r->pkgs[id].nearest_known) {
            *found = r->pkgs[id].nearest;
            break;
        }
        if (pkg) {
            *found = id;
            break;
        }
        if (n < DS_ARRAY_LEN(walked))
            walked[n++] = id;
        if (dir.len <= 1)
            break;
        dir = ds_path_dirname(dir);
    }
    for (size_t i = 0; i < n && q->how == DS_FS_FILL; i++) {
        r->pkgs[walked[i]].nearest = *found;
        r->pkgs[walked[i]].nearest_known = true;
    }
    if (*found != DS_NO_ID && q->how == DS_FS_FILL) {
        r->pkgs[*found].nearest = *found;
        r->pkgs[*found].nearest_known = true;
    }
    return DS_OK;
}

/* The nearest package.json at or above `dir` (Vite's findNearestPackageData).
 * *pkg_dir points into the dirs interner. */
enum ds_status ds_res_nearest_pkg(struct req *q, struct ds_str dir, const struct ds_pkg **out,
                                  struct ds_str *pkg_dir)
{
    struct ds_resolver *r = q->r;
    uint32_t found;

    *out = NULL;
    if (dir.len && dir.len == r->near_len && ds_mem_eq(dir.ptr, r->near_dir, dir.len)) {
        found = r->near_found;
    } else {
        enum ds_status st = walk_up(q, dir, &found);
        if (st != DS_OK)
            return st;
        if (q->how == DS_FS_FILL && dir.len <= DS_MAX_PATH) {
            ds_copy(r->near_dir, dir.ptr, dir.len);
            r->near_len = dir.len;
            r->near_found = found;
        }
    }
    if (found != DS_NO_ID) {
        *out = r->pkgs[found].pkg;
        *pkg_dir = ds_intern_str(&r->dirs, found);
    }
    return DS_OK;
}
