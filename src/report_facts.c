/* What the report keeps of a file's lex (src/report.h): the names each
 * import and re-export asks of its module, the file's own export names, and
 * the pure-barrel flag, as ids of the scan's specifier interner. Kept only
 * when the scan was asked for a report: names are what a barrel's
 * importedNames and precise-mode count (SPEC §4.10) are made of, and
 * nothing else needs them. */
#include "intern.h"
#include "lex.h"
#include "report.h"

/* The interner, with the three names most files repeat ("", "*",
 * "default") looked up once per file: interning is most of what keeping
 * names costs (callgrind, bench/realapp). */
struct names_in {
    struct ds_interner *in;
    uint32_t common[3];
};

static enum ds_status ids(struct names_in *n, struct ds_str s, uint32_t *out)
{
    int c = s.len == 0                        ? 0
            : s.len == 1 && s.ptr[0] == '*'   ? 1
            : ds_str_eq(s, DS_STR("default")) ? 2
                                              : -1;

    if (c < 0)
        return ds_intern(n->in, s, out);
    if (n->common[c] == DS_NO_ID) {
        enum ds_status st = ds_intern(n->in, s, &n->common[c]);
        if (st != DS_OK)
            return st;
    }
    *out = n->common[c];
    return DS_OK;
}

enum ds_status ds_report_keep_facts(struct ds_arena *arena, struct ds_interner *interner,
                                    const struct ds_lex_result *lr, struct ds_report_facts **out)
{
    struct names_in names_in = {interner, {DS_NO_ID, DS_NO_ID, DS_NO_ID}}, *names = &names_in;
    struct ds_report_facts *f = ds_arena_zalloc(arena, sizeof *f);
    size_t n_names = 0;
    enum ds_status st;

    if (!f)
        return DS_ENOMEM;
    for (size_t i = 0; i < lr->n_imports; i++)
        n_names += lr->imports[i].n_names;
    f->imp_first = ds_arena_alloc(arena, (lr->n_imports + 1) * sizeof *f->imp_first);
    f->imported = ds_arena_alloc(arena, (n_names ? n_names : 1) * sizeof *f->imported);
    f->local = ds_arena_alloc(arena, (n_names ? n_names : 1) * sizeof *f->local);
    f->export_name = ds_arena_alloc(arena, (lr->n_exports ? lr->n_exports : 1) * sizeof(uint32_t));
    f->export_local = ds_arena_alloc(arena, (lr->n_exports ? lr->n_exports : 1) * sizeof(uint32_t));
    if (!f->imp_first || !f->imported || !f->local || !f->export_name || !f->export_local)
        return DS_ENOMEM;
    uint32_t k = 0;
    for (size_t i = 0; i < lr->n_imports; i++) {
        const struct ds_lex_import *im = &lr->imports[i];
        f->imp_first[i] = k;
        for (uint32_t j = 0; j < im->n_names && im->first_name + j < lr->n_names; j++) {
            const struct ds_lex_name *nm = &lr->names[im->first_name + j];
            st = ids(names, nm->imported, &f->imported[k]);
            // An import's binding matters only in a pure barrel, where an
            // export {…} may pass it on; a re-export's is the name exported.
            f->local[k] = DS_NO_ID;
            if (st == DS_OK && (lr->barrel || im->kind == DSCAN_IMPORT_REEXPORT)) {
                if (ds_str_eq(nm->local, nm->imported)) // `export {a} from`
                    f->local[k] = f->imported[k];
                else
                    st = ids(names, nm->local, &f->local[k]);
            }
            if (st != DS_OK)
                return st;
            k++;
        }
    }
    f->imp_first[lr->n_imports] = k;
    for (size_t i = 0; i < lr->n_exports; i++) {
        st = ids(names, lr->exports[i].name, &f->export_name[i]);
        f->export_local[i] = DS_NO_ID;
        if (st == DS_OK && lr->barrel)
            st = ds_str_eq(lr->exports[i].local, lr->exports[i].name)
                     ? (f->export_local[i] = f->export_name[i], DS_OK)
                     : ids(names, lr->exports[i].local, &f->export_local[i]);
        if (st != DS_OK)
            return st;
    }
    f->n_exports = (uint32_t)lr->n_exports;
    f->barrel = lr->barrel;
    f->exports_unsure = lr->exports_unsure;
    f->module_syntax = lr->module_syntax;
    *out = f;
    return DS_OK;
}
