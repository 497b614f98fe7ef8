/* The public face of the lexer (include/dscan.h): read one file, lex it,
 * and hand back C strings the caller owns. The file's bytes are freed
 * before returning; only the directives, specifiers and problems are kept. */
#include <stdatomic.h>

#include "diag.h"
#include "lex.h"
#include "lines.h"

/* What dscan_lexed_free needs: the allocator the result came from. */
struct lexed_box {
    struct dscan_lexed pub; /* first: the caller's pointer is the box's */
    struct ds_alloc alloc;
    struct ds_arena arena; /* every string and array of pub */
};

const char *dscan_import_kind_name(enum dscan_import_kind kind)
{
    switch (kind) {
    case DSCAN_IMPORT_STATIC: return "static";
    case DSCAN_IMPORT_REEXPORT: return "reexport";
    case DSCAN_IMPORT_DYNAMIC: return "dynamic";
    case DSCAN_IMPORT_REQUIRE: return "require";
    }
    return "unknown";
}

const char *dscan_env_name(enum dscan_env env)
{
    switch (env) {
    case DSCAN_ENV_WORKER: return "worker";
    case DSCAN_ENV_CLIENT: return "client";
    }
    return "unknown";
}

static const char *dup(struct ds_arena *a, struct ds_str s)
{
    struct ds_str out;
    return ds_arena_strdup(a, s, &out) == DS_OK ? out.ptr : NULL;
}

/* The names of one import (issue 15), copied out of the source. */
static enum ds_status fill_names(struct ds_arena *a, const struct ds_lex_result *r,
                                 const struct ds_lex_import *im, struct dscan_lex_import *out)
{
    struct dscan_lex_name *names = NULL;

    if (im->n_names && !(names = ds_arena_alloc(a, im->n_names * sizeof *names)))
        return DS_ENOMEM;
    for (uint32_t k = 0; k < im->n_names; k++) {
        const struct ds_lex_name *n = &r->names[im->first_name + k];
        if (!(names[k].imported = dup(a, n->imported)) || !(names[k].local = dup(a, n->local)))
            return DS_ENOMEM;
    }
    out->names = names;
    out->n_names = im->n_names;
    return DS_OK;
}

/* The module's own export names and its barrel flags. */
static enum ds_status fill_exports(struct ds_arena *a, const struct ds_lex_result *r,
                                   struct dscan_lexed *pub)
{
    struct dscan_lex_export *exps = NULL;

    if (r->n_exports && !(exps = ds_arena_alloc(a, r->n_exports * sizeof *exps)))
        return DS_ENOMEM;
    for (size_t i = 0; i < r->n_exports; i++)
        if (!(exps[i].name = dup(a, r->exports[i].name)) ||
            !(exps[i].local = dup(a, r->exports[i].local)))
            return DS_ENOMEM;
    pub->exports = exps;
    pub->n_exports = r->n_exports;
    pub->barrel = r->barrel;
    pub->module_syntax = r->module_syntax;
    pub->exports_unsure = r->exports_unsure;
    return DS_OK;
}

static enum ds_status fill(struct lexed_box *box, const char *path, struct ds_str src,
                           const struct ds_lex_result *r)
{
    struct ds_arena *a = &box->arena;
    struct dscan_lexed *pub = &box->pub;
    struct ds_line_cursor cur;
    const char **dirs = NULL;
    struct dscan_lex_import *imps = NULL;
    struct dscan_diagnostic *diags = NULL;

    ds_line_cursor_init(&cur, src.ptr, src.len);

    if (r->n_directives && !(dirs = ds_arena_alloc(a, r->n_directives * sizeof *dirs)))
        return DS_ENOMEM;
    for (size_t i = 0; i < r->n_directives; i++)
        if (!(dirs[i] = dup(a, r->directives[i])))
            return DS_ENOMEM;
    if (r->n_imports && !(imps = ds_arena_alloc(a, r->n_imports * sizeof *imps)))
        return DS_ENOMEM;
    for (size_t i = 0; i < r->n_imports; i++) {
        unsigned col;
        if (!(imps[i].specifier = dup(a, r->imports[i].specifier)))
            return DS_ENOMEM;
        imps[i].kind = r->imports[i].kind;
        ds_line_cursor_at(&cur, r->imports[i].offset, &imps[i].line, &col);
        if (fill_names(a, r, &r->imports[i], &imps[i]) != DS_OK)
            return DS_ENOMEM;
    }
    if (fill_exports(a, r, pub) != DS_OK)
        return DS_ENOMEM;
    if (r->n_problems && !(diags = ds_arena_alloc(a, r->n_problems * sizeof *diags)))
        return DS_ENOMEM;
    const char *cpath = r->n_problems ? dup(a, ds_str_cstr(path)) : NULL;
    if (r->n_problems && !cpath)
        return DS_ENOMEM;
    for (size_t i = 0; i < r->n_problems; i++) {
        struct dscan_diagnostic *d = &diags[i];
        d->severity = DSCAN_WARNING;
        d->code = "parse";
        d->path = cpath;
        ds_line_cursor_at(&cur, r->problems[i].offset, &d->line, &d->col);
        d->message = ds_arena_printf(a, "cannot lex '%s': %s at %u:%u", path, r->problems[i].what,
                                     d->line, d->col);
        if (!d->message)
            return DS_ENOMEM;
    }
    pub->directives = dirs;
    pub->n_directives = r->n_directives;
    pub->imports = imps;
    pub->n_imports = r->n_imports;
    pub->diagnostics = diags;
    pub->n_diagnostics = r->n_problems;
    return DS_OK;
}

enum dscan_status dscan_lex_file(const char *path, const struct dscan_allocator *alloc,
                                 struct dscan_lexed **out, struct dscan_error *err)
{
    struct ds_alloc boot;
    struct ds_arena scratch;
    struct lexed_box *box;
    struct ds_str src;
    struct ds_read_error why;
    struct ds_lex_result r;
    enum ds_status st;

    if (!out)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0,
                                               "dscan_lex_file: no result pointer");
    *out = NULL;
    if (!path)
        return (enum dscan_status)ds_error_set(err, DS_EINVAL, 0, "no file to lex");
    ds_alloc_init(&boot, alloc, 0);
    box = ds_alloc_malloc(&boot, sizeof *box);
    if (!box)
        return (enum dscan_status)ds_error_set(err, DS_ENOMEM, 0, "cannot lex '%s': out of memory",
                                               path);
    memset(&box->pub, 0, sizeof box->pub);
    ds_alloc_init(&box->alloc, alloc, 0);
    atomic_store(&box->alloc.current, atomic_load(&boot.current));
    ds_arena_init(&box->arena, &box->alloc, 4096);
    ds_arena_init(&scratch, &box->alloc, 0);

    st = ds_read_file(path, DS_MAX_FILE_BYTES, &scratch, &src, &why);
    if (st != DS_OK) {
        ds_error_set(err, st, why.sys_errno, "cannot read '%s': %s", path, why.reason);
        goto fail;
    }
    st = ds_lex(src.ptr, src.len, ds_lang_of_path(ds_str_cstr(path)), &scratch, &r);
    if (st == DS_OK)
        st = fill(box, path, src, &r);
    if (st != DS_OK) {
        ds_error_set(err, st, 0, "cannot lex '%s': %s", path,
                     dscan_status_message((enum dscan_status)st));
        goto fail;
    }
    ds_arena_release(&scratch); // the file's bytes go now (SPEC §4.7)
    *out = &box->pub;
    return DSCAN_OK;
fail:
    ds_arena_release(&scratch);
    dscan_lexed_free(&box->pub);
    return (enum dscan_status)st;
}

void dscan_lexed_free(struct dscan_lexed *lexed)
{
    if (!lexed)
        return;
    struct lexed_box *box = (struct lexed_box *)lexed;
    ds_arena_release(&box->arena);
    ds_alloc_free(&box->alloc, box);
}
