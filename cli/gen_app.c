/* `dscan gen`'s app under src/: the import plan of each app file (children,
 * components, actions, lib helpers, packages, detours), the files
 * themselves with their directive prologues and decoys, and the entries
 * (src/worker.tsx, src/entry-N.tsx). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_project.h"

static const char *const kind_ext[F_NKIND] = {".tsx", ".tsx", ".ts", ".ts"};

enum det_kind { D_DOTDOT, D_EXT, D_STORE, D_ALIAS, D_ICON, D_TSJS, D_NKIND };

struct import {
    char spec[GEN_PATH_MAX];
    char name[128];  /* what the file exports (or "default") */
    char alias[160]; /* local name */
    bool component;  /* rendered as <alias />; else referenced as a value */
};

static unsigned long global_id(const struct gen *g, enum fkind k, unsigned long i)
{
    unsigned long id = i;
    for (int j = 0; j < (int)k; j++)
        id += g->n[j];
    return id;
}

static void id_to_file(const struct gen *g, unsigned long id, enum fkind *k, unsigned long *i)
{
    int j = 0;
    while (j < F_NKIND - 1 && id >= g->n[j])
        id -= g->n[j++];
    *k = (enum fkind)j;
    *i = id;
}

/* An import of app file (k, i) from the file `from` (relative to OUTDIR). */
static void import_app(struct import *im, const char *from, enum fkind k, unsigned long i,
                       bool alias)
{
    char stem[GEN_PATH_MAX], dir[GEN_PATH_MAX];
    gen_file_stem(stem, sizeof stem, k, i);
    gen_file_name(im->name, sizeof im->name, k, i);
    snprintf(im->alias, sizeof im->alias, "%s", im->name);
    im->component = k == F_PAGE || k == F_COMP;
    if (alias) {
        snprintf(im->spec, sizeof im->spec, "@/%s", stem + 4);
        return;
    }
    gen_dir_of(dir, sizeof dir, from);
    gen_rel_path(im->spec, sizeof im->spec, dir, stem, true);
}

/* Detour d as an import from `from`: the same file through another string. */
static void import_detour(struct gen *g, struct import *im, const char *from, unsigned long d,
                          uint64_t *rng)
{
    unsigned long n_app = g->n[F_PAGE] + g->n[F_COMP] + g->n[F_ACTION] + g->n[F_LIB];
    enum det_kind kind = (enum det_kind)(d % D_NKIND);
    if ((kind == D_DOTDOT || kind == D_EXT || kind == D_ALIAS || kind == D_TSJS) && n_app == 0)
        kind = D_ICON;
    if (kind == D_ICON && g->opt->icons == 0)
        kind = D_STORE;

    char dir[GEN_PATH_MAX], stem[GEN_PATH_MAX];
    gen_dir_of(dir, sizeof dir, from);
    if (kind == D_STORE) {
        // Alternately through pnpm's real store path and through the
        // node_modules symlink, both relative paths into the package.
        char target[GEN_PATH_MAX];
        if (g->opt->pnpm && (d / D_NKIND) % 2 == 0)
            snprintf(target, sizeof target, "%s/dist/button.js", g->pkgdir[P_UI]);
        else
            snprintf(target, sizeof target, "node_modules/%s/dist/button.js", gen_pkgs[P_UI].name);
        gen_rel_path(im->spec, sizeof im->spec, dir, target, true);
        snprintf(im->name, sizeof im->name, "Button");
        snprintf(im->alias, sizeof im->alias, "Button__d%lu", d);
        im->component = true;
        return;
    }
    if (kind == D_ICON) {
        char kebab[96], pascal[96];
        gen_icon_names(gen_rnd_below(rng, g->opt->icons), kebab, sizeof kebab, pascal,
                       sizeof pascal);
        snprintf(im->spec, sizeof im->spec, "%s/icons/%s", gen_pkgs[P_ICONS].name, kebab);
        snprintf(im->name, sizeof im->name, "default");
        snprintf(im->alias, sizeof im->alias, "%s__d%lu", pascal, d);
        im->component = true;
        return;
    }
    enum fkind k;
    unsigned long i;
    id_to_file(g, gen_rnd_below(rng, n_app), &k, &i);
    import_app(im, from, k, i, kind == D_ALIAS);
    char alias[160];
    snprintf(alias, sizeof alias, "%s__d%lu", im->name, d);
    snprintf(im->alias, sizeof im->alias, "%s", alias);
    gen_file_stem(stem, sizeof stem, k, i);
    size_t sl = strlen(im->spec);
    switch (kind) {
    case D_EXT: snprintf(im->spec + sl, sizeof im->spec - sl, "%s", kind_ext[k]); break;
    case D_TSJS: snprintf(im->spec + sl, sizeof im->spec - sl, ".js"); break;
    case D_DOTDOT: {
        // "../x/Name" -> "../x/../x/Name"; "./Name" -> "../<this dir>/Name".
        char tdir[GEN_PATH_MAX], base[160];
        gen_dir_of(tdir, sizeof tdir, stem);
        snprintf(base, sizeof base, "%s", strrchr(stem, '/') + 1);
        const char *last = strrchr(tdir, '/');
        last = last ? last + 1 : tdir;
        char *s = strrchr(im->spec, '/');
        *s = '\0';
        char out[3 * GEN_PATH_MAX];
        if (!strcmp(im->spec, "."))
            snprintf(out, sizeof out, "../%s/%s", last, base);
        else
            snprintf(out, sizeof out, "%s/../%s/%s", im->spec, last, base);
        size_t ol = strlen(out);
        if (ol >= sizeof im->spec)
            ol = sizeof im->spec - 1;
        memcpy(im->spec, out, ol);
        im->spec[ol] = '\0';
        break;
    }
    default: break;
    }
}

static void emit_import(struct gbuf *b, const struct import *im)
{
    if (!strcmp(im->name, "default"))
        gb_printf(b, "import %s from \"%s\";\n", im->alias, im->spec);
    else if (!strcmp(im->name, im->alias))
        gb_printf(b, "import { %s } from \"%s\";\n", im->name, im->spec);
    else
        gb_printf(b, "import { %s as %s } from \"%s\";\n", im->name, im->alias, im->spec);
}

/* The imports that every kind of app file may have, chosen for file (k, i). */
struct plan {
    struct import *im;
    size_t n, cap;
};

static struct import *plan_add(struct gen *g, struct plan *pl)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 16;
        struct import *v = realloc(pl->im, cap * sizeof *v);
        if (!v) {
            snprintf(g->o->err, sizeof g->o->err, "out of memory");
            return NULL;
        }
        pl->im = v;
        pl->cap = cap;
    }
    struct import *im = &pl->im[pl->n++];
    memset(im, 0, sizeof *im);
    return im;
}

#define ADD(pl)                        \
    do {                               \
        if (!(im = plan_add(g, (pl)))) \
            goto out;                  \
    } while (0)

static int add_pkg_import(struct gen *g, struct plan *pl, const char *spec, const char *name)
{
    struct import *im = plan_add(g, pl);
    if (!im)
        return -1;
    snprintf(im->spec, sizeof im->spec, "%s", spec);
    snprintf(im->name, sizeof im->name, "%s", name);
    snprintf(im->alias, sizeof im->alias, "%s", name);
    im->component = name[0] >= 'A' && name[0] <= 'Z';
    return 0;
}

/* Icons by name from the barrel, in one statement. */
static void emit_icons(struct gen *g, struct gbuf *b, unsigned long count, char names[][96])
{
    char kebab[96];
    if (g->opt->icons == 0 || count == 0)
        return;
    gb_put(b, "import { ");
    for (unsigned long j = 0; j < count; j++) {
        gen_icon_names(gen_rnd_below(&g->rng, g->opt->icons), kebab, sizeof kebab, names[j], 96);
        for (unsigned long q = 0; q < j; q++)
            if (!strcmp(names[q], names[j]))
                snprintf(names[j], 96, "%s", ""); // the same icon twice: keep one
        if (names[j][0])
            gb_printf(b, "%s%s", j ? ", " : "", names[j]);
    }
    gb_printf(b, " } from \"%s\";\n", gen_pkgs[P_ICONS].name);
}

static void emit_body_refs(struct gbuf *b, const struct plan *pl, bool values)
{
    bool any = false;
    for (size_t j = 0; j < pl->n; j++)
        if (pl->im[j].component != values) {
            gb_printf(b, "%s%s", any ? ", " : "", pl->im[j].alias);
            any = true;
        }
}

/* The directive prologue of app file (k, i), or a decoy, and its entry in
 * the client or server list. */
static int app_prologue(struct gen *g, enum fkind k, unsigned long i, const char *name,
                        const char *path)
{
    struct gbuf *b = &g->o->buf;

    if (k == F_COMP) {
        static const char *const pro[] = {
            "\"use client\";\n",
            "'use client'\n",
            NULL, /* the commented one below, which names the component */
            "\"use strict\";\n\"use client\";\n",
            "\"use client\";\n",
        };
        if (pro[i % N_OF(pro)])
            gb_put(b, pro[i % N_OF(pro)]);
        else
            gb_printf(b,
                      "// %s: an interactive part of the page.\n/* generated by dscan gen */\n"
                      "\"use client\";\n",
                      name);
        return gen_list_add(g->o, &g->res->client, "/", path);
    } else if (k == F_ACTION) {
        gb_put(b, i % 2 ? "'use server';\n" : "\"use server\";\n");
        return gen_list_add(g->o, &g->res->server, "/", path);
    } else if (k == F_PAGE && i % 16 == 5) {
        gb_put(b, "// \"use client\" is not needed here: this page renders on the server.\n");
    }
    return 0;
}

/* The imports of app file (k, i) at `path`, in a fixed order of kinds. */
static int plan_imports(struct gen *g, struct plan *pl, enum fkind k, unsigned long i,
                        const char *path)
{
    struct import *im;

    if (k == F_PAGE) {
        // Child pages: page c >= first_pages hangs under page (c - first_pages) / 3.
        for (unsigned long c = g->first_pages + 3 * i; c < g->first_pages + 3 * i + 3; c++) {
            if (c >= g->n[F_PAGE])
                break;
            ADD(pl);
            import_app(im, path, F_PAGE, c, false);
        }
    }
    if ((k == F_PAGE || k == F_COMP) && g->n[F_COMP]) {
        unsigned long m = k == F_PAGE ? 1 + gen_rnd_below(&g->rng, 3) : gen_rnd_below(&g->rng, 3);
        for (unsigned long j = 0; j < m; j++) {
            unsigned long c = gen_rnd_below(&g->rng, g->n[F_COMP]);
            if (k == F_COMP && c == i)
                continue;
            ADD(pl);
            import_app(im, path, F_COMP, c, false);
        }
    }
    if ((k == F_PAGE || k == F_COMP) && g->n[F_ACTION] && gen_rnd_below(&g->rng, 2)) {
        ADD(pl);
        import_app(im, path, F_ACTION, gen_rnd_below(&g->rng, g->n[F_ACTION]), true);
    }
    if (g->n[F_LIB] && (k != F_LIB || i > 0) && gen_rnd_below(&g->rng, 3)) {
        // A lib file imports one with a lower number, so lib is a DAG.
        unsigned long l = gen_rnd_below(&g->rng, k == F_LIB ? i : g->n[F_LIB]);
        ADD(pl);
        import_app(im, path, F_LIB, l, false);
    }
    if (k == F_PAGE && gen_rnd_below(&g->rng, 4) == 0 &&
        add_pkg_import(g, pl, "@stress/ui", "Tabs"))
        goto out;
    if ((k == F_PAGE || k == F_COMP) && gen_rnd_below(&g->rng, 8) == 0 &&
        add_pkg_import(g, pl, "stress-conditional", "ConditionalWidget"))
        goto out;
    if ((k == F_ACTION || k == F_COMP) && gen_rnd_below(&g->rng, 4) == 0 &&
        add_pkg_import(g, pl, "stress-actions", "submitForm"))
        goto out;
    if (k == F_COMP && i == 0) {
        // The first client component reaches each package from the client side.
        if (add_pkg_import(g, pl, "@stress/ui", "Popover") ||
            add_pkg_import(g, pl, "stress-conditional", "ConditionalWidget") ||
            add_pkg_import(g, pl, "stress-actions", "submitForm"))
            goto out;
    }
    // Detours hosted by this file.
    if (k == F_PAGE || k == F_COMP) {
        unsigned long host = global_id(g, k, i);
        for (unsigned long d = g->det_head[host]; d != NONE; d = g->det_next[d]) {
            ADD(pl);
            import_detour(g, im, path, d, &g->rng);
        }
    }
    return 0;
out:
    return -1;
}

/* Writes the plan's imports, each local name once (the plan keeps only those). */
static void emit_plan(struct gbuf *b, struct plan *pl, char icons[][96], unsigned long n_icons)
{
    // Drop repeated local names (two imports of the same file or package, or
    // an app file named like an icon), so the body never names a dropped one.
    size_t w = 0;
    for (size_t j = 0; j < pl->n; j++) {
        bool dup = false;
        for (size_t q = 0; q < w; q++)
            dup |= !strcmp(pl->im[q].alias, pl->im[j].alias);
        for (unsigned long q = 0; q < n_icons; q++)
            dup |= !strcmp(icons[q], pl->im[j].alias);
        if (!dup) {
            emit_import(b, &pl->im[j]);
            pl->im[w++] = pl->im[j];
        }
    }
    pl->n = w;
}

/* Everything after the imports: the export, which names every import. */
static void app_body(struct gbuf *b, enum fkind k, unsigned long i, const char *name,
                     const struct plan *pl, char icons[][96], unsigned long n_icons)
{
    gb_put(b, "\n");
    if (k == F_PAGE && i % 16 == 13)
        gb_put(b, "const note = \"use client\"; // after code: not a directive\n\n");

    if (k == F_PAGE || k == F_COMP) {
        char cls[160];
        snprintf(cls, sizeof cls, "%s-%lu", k == F_PAGE ? "page" : "part", i);
        if (k == F_PAGE)
            gb_printf(b, "export function %s({ children }: { children?: ReactNode }) {\n", name);
        else
            gb_printf(
                b,
                "export function %s({ label = \"%s\", children }: { label?: string; children?: ReactNode }) {\n"
                "  const [open, setOpen] = useState(false);\n",
                name, name);
        gb_put(b, "  const refs: unknown[] = [");
        emit_body_refs(b, pl, true);
        gb_put(b, "];\n  return (\n");
        if (k == F_PAGE)
            gb_printf(
                b,
                "    <section className=\"%s\" data-refs={refs.length}>\n      <h1>{\"%s\"}</h1>\n",
                cls, name);
        else
            gb_printf(
                b,
                "    <div className=\"%s\" data-refs={refs.length / 2} onClick={() => setOpen(!open)}>\n"
                "      {label} {open ? \"open\" : \"closed\"}\n",
                cls);
        for (unsigned long q = 0; q < n_icons; q++)
            if (icons[q][0])
                gb_printf(b, "      <%s size={16} />\n", icons[q]);
        for (size_t j = 0; j < pl->n; j++)
            if (pl->im[j].component)
                gb_printf(b, "      <%s />\n", pl->im[j].alias);
        gb_printf(b, "      {children}\n    </%s>\n  );\n}\n", k == F_PAGE ? "section" : "div");
    } else if (k == F_ACTION) {
        gb_printf(b,
                  "export async function %s(id: number, form?: FormData): Promise<string> {\n"
                  "  const refs: unknown[] = [",
                  name);
        emit_body_refs(b, pl, true);
        gb_printf(b, "];\n  return `%s:${id}:${refs.length}:${form ? \"form\" : \"none\"}`;\n}\n",
                  name);
    } else {
        gb_printf(
            b, "export function %s(value: number | string): string {\n  const refs: unknown[] = [",
            name);
        emit_body_refs(b, pl, true);
        gb_printf(b, "];\n  return `%s:${String(value)}/${refs.length}`;\n}\n", name);
    }
}

int gen_write_app_file(struct gen *g, enum fkind k, unsigned long i)
{
    struct gbuf *b = &g->o->buf;
    char stem[GEN_PATH_MAX], path[GEN_PATH_MAX], name[128];
    struct plan pl = {0};
    int rc = -1;

    gen_file_stem(stem, sizeof stem, k, i);
    snprintf(path, sizeof path, "%s%s", stem, kind_ext[k]);
    gen_file_name(name, sizeof name, k, i);
    if (app_prologue(g, k, i, name, path))
        goto out;

    // Imports, in a fixed order of kinds.
    char icons[3][96];
    unsigned long n_icons = k == F_LIB || !g->opt->icons ? 0 : 1 + gen_rnd_below(&g->rng, 3);
    if (k == F_PAGE || k == F_COMP)
        gb_put(b, "import type { ReactNode } from \"react\";\n");
    if (k == F_COMP)
        gb_put(b, "import { useState } from \"react\";\n");
    emit_icons(g, b, n_icons, icons);
    if (plan_imports(g, &pl, k, i, path))
        goto out;
    emit_plan(b, &pl, icons, n_icons);
    app_body(b, k, i, name, &pl, icons, n_icons);
    g->res->src_files++;
    rc = gen_out_file(g->o, path);
out:
    free(pl.im);
    return rc;
}

/* src/worker.tsx and src/entry-N.tsx: Cloudflare-style fetch handlers. */
int gen_write_entry(struct gen *g, unsigned long e)
{
    struct gbuf *b = &g->o->buf;
    char path[64];
    struct plan pl = {0};
    struct import *im;
    int rc = -1;

    if (e == 0)
        snprintf(path, sizeof path, "src/worker.tsx");
    else
        snprintf(path, sizeof path, "src/entry-%lu.tsx", e);
    if (gen_list_add(g->o, &g->res->entries, "", path))
        return -1;

    if (e == 0) {
        // The worker reaches every package from the worker side.
        if (add_pkg_import(g, &pl, "@stress/ui", "Button") ||
            add_pkg_import(g, &pl, "stress-conditional", "ConditionalWidget") ||
            add_pkg_import(g, &pl, "stress-actions", "submitForm"))
            goto out;
        if (g->opt->big_n && add_pkg_import(g, &pl, "stress-big", "chunk0"))
            goto out;
        for (unsigned long p = 0; p < g->first_pages; p++) {
            ADD(&pl);
            import_app(im, path, F_PAGE, p, p % 3 == 1);
        }
        for (unsigned long d = g->det_head[g->n_hosts]; d != NONE; d = g->det_next[d]) {
            ADD(&pl);
            import_detour(g, im, path, d, &g->rng);
        }
    } else {
        if (g->n[F_PAGE]) {
            unsigned long p1 = gen_rnd_below(&g->rng, g->n[F_PAGE]);
            unsigned long p2 = gen_rnd_below(&g->rng, g->n[F_PAGE]);
            ADD(&pl);
            import_app(im, path, F_PAGE, p1, false);
            if (p2 != p1) {
                ADD(&pl);
                import_app(im, path, F_PAGE, p2, false);
            }
        }
        if (g->n[F_COMP]) {
            ADD(&pl);
            import_app(im, path, F_COMP, gen_rnd_below(&g->rng, g->n[F_COMP]), false);
        }
    }
    char icons[1][96];
    gb_printf(b, "// Entry %lu of the synthetic app: a Cloudflare-style worker.\n", e);
    emit_icons(g, b, 1, icons);
    for (size_t j = 0; j < pl.n; j++)
        emit_import(b, &pl.im[j]);
    gb_put(b, "\nconst routes: Record<string, unknown> = {\n");
    for (size_t j = 0; j < pl.n; j++)
        gb_printf(b, "  \"/%s/%zu\": %s,\n", e ? "entry" : "app", j, pl.im[j].alias);
    if (g->opt->icons)
        gb_printf(b, "  \"/icon\": %s,\n", icons[0]);
    gb_put(
        b,
        "};\n\n"
        "export default {\n"
        "  async fetch(request: Request): Promise<Response> {\n"
        "    const url = new URL(request.url);\n"
        "    const found = url.pathname in routes;\n"
        "    return new Response(found ? \"ok\" : \"not found\", { status: found ? 200 : 404 });\n"
        "  },\n"
        "};\n");
    g->res->src_files++;
    rc = gen_out_file(g->o, path);
out:
    free(pl.im);
    return rc;
}

#undef ADD
