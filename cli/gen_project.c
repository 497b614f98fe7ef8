/* `dscan gen`'s project (SPEC §6): the plan (how many app files of each
 * kind, which file hosts each detour), the order the parts are written in,
 * the top-level files, and the lists of what was planted so a test can
 * compare a scan with it. Each part's writer is in its own file
 * (gen_project.h lists them).
 *
 * The shape, and why each part is there:
 *   - stress-icons: lucide-react's layout. A barrel re-exports N icon files,
 *     each importing createIcon -> Icon -> react. Reaching the barrel from
 *     both sides visits 2N modules: the shape behind the original OOM.
 *   - react: a small CommonJS stand-in with a "react-server" export
 *     condition, like the real one, so no install is needed.
 *   - @stress/ui: a scoped UI kit of "use client" components behind an
 *     `export *` barrel (real UI kits do this; lucide does not).
 *   - stress-conditional: `exports` that differ for react-server vs browser;
 *     the worker side finds provider.js, the client side browser.js, and
 *     index.js (the default) must never be found.
 *   - stress-actions: "use server" only under react-server, plus a package
 *     `imports` map (#db) with a workerd condition.
 *   - stress-big (--big-files): a barrel of large chunk files; odd chunks say
 *     "use client".
 *   - src/: pages (server components, reached from src/worker.tsx as a tree),
 *     client components, "use server" action files, lib helpers; directive
 *     prologue variants, decoys (a directive in a comment or after code),
 *     `import type`, the `@/` alias.
 *   - detours: imports that reach a file through another path string.
 *
 * Deterministic: every choice comes from a splitmix64 stream seeded by
 * --seed and consumed in a fixed order; nothing depends on time, addresses
 * or directory order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_project.h"

int gen_list_add(struct gen_out *o, struct gen_list *l, const char *prefix, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            goto oom;
        l->v = v;
        l->cap = cap;
    }
    size_t a = strlen(prefix), b = strlen(s);
    char *c = malloc(a + b + 1);
    if (!c)
        goto oom;
    memcpy(c, prefix, a);
    memcpy(c + a, s, b + 1);
    l->v[l->n++] = c;
    return 0;
oom:
    snprintf(o->err, sizeof o->err, "out of memory");
    return -1;
}

static void list_free(struct gen_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (struct gen_list){0};
}

void gen_result_free(struct gen_result *res)
{
    list_free(&res->client);
    list_free(&res->server);
    list_free(&res->only_worker);
    list_free(&res->only_client);
    list_free(&res->entries);
}

static int write_top(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    gb_put(b, "{\n"
              "  \"name\": \"dscan-stress-app\",\n"
              "  \"private\": true,\n"
              "  \"type\": \"module\",\n"
              "  \"dependencies\": {\n");
    int last = g->opt->big_n ? P_BIG : P_BIG - 1;
    for (int p = 0; p <= last; p++)
        gb_printf(b, "    \"%s\": \"%s\"%s\n", gen_pkgs[p].name, gen_pkgs[p].version,
                  p < last ? "," : "");
    gb_put(b, "  }\n}\n");
    if (gen_out_file(g->o, "package.json"))
        return -1;

    gb_put(b, "{\n"
              "  \"compilerOptions\": {\n"
              "    \"target\": \"ES2022\",\n"
              "    \"module\": \"ESNext\",\n"
              "    \"moduleResolution\": \"bundler\",\n"
              "    \"jsx\": \"react-jsx\",\n"
              "    \"strict\": true,\n"
              "    \"allowImportingTsExtensions\": true,\n"
              "    \"noEmit\": true,\n"
              "    \"baseUrl\": \".\",\n"
              "    \"paths\": { \"@/*\": [\"./src/*\"] }\n"
              "  },\n"
              "  \"include\": [\"src\"]\n"
              "}\n");
    if (gen_out_file(g->o, "tsconfig.json"))
        return -1;

    gb_put(b, "{\n  \"entries\": [");
    for (size_t e = 0; e < g->res->entries.n; e++)
        gb_printf(b, "%s\"%s\"", e ? ", " : "", g->res->entries.v[e]);
    gb_put(b, "]\n}\n");
    return gen_out_file(g->o, "dscan.json");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int gen_project(struct gen_out *o, const struct gen_opts *opt, struct gen_result *res)
{
    struct gen g = {.o = o, .opt = opt, .res = res, .rng = opt->seed};
    int rc = -1;

    unsigned long plain = opt->files - opt->directives;
    g.n[F_ACTION] = opt->directives / 5;
    g.n[F_COMP] = opt->directives - g.n[F_ACTION];
    g.n[F_LIB] = plain / 8;
    g.n[F_PAGE] = plain - g.n[F_LIB];
    g.first_pages = g.n[F_PAGE] < 24 ? g.n[F_PAGE] : 24;
    gen_setup_pkgdirs(&g);

    // Detours: each hosted by a page, a client component or the worker
    // (chosen up front so the host can write its imports in one go).
    g.n_hosts = g.n[F_PAGE] + g.n[F_COMP];
    g.det_head = malloc((g.n_hosts + 1) * sizeof *g.det_head);
    g.det_next = malloc((opt->detours + 1) * sizeof *g.det_next);
    if (!g.det_head || !g.det_next) {
        snprintf(o->err, sizeof o->err, "out of memory");
        goto out;
    }
    for (unsigned long h = 0; h <= g.n_hosts; h++)
        g.det_head[h] = NONE;
    {
        uint64_t drng = opt->seed ^ 0x5deece66dULL;
        unsigned long *host_of = malloc((opt->detours + 1) * sizeof *host_of);
        if (!host_of) {
            snprintf(o->err, sizeof o->err, "out of memory");
            goto out;
        }
        for (unsigned long d = 0; d < opt->detours; d++)
            host_of[d] = gen_rnd_below(&drng, g.n_hosts + 1); // n_hosts: the worker
        // Insert in reverse so each host's list runs in increasing order.
        for (unsigned long d = opt->detours; d-- > 0;) {
            g.det_next[d] = g.det_head[host_of[d]];
            g.det_head[host_of[d]] = d;
        }
        free(host_of);
    }

    if (gen_write_react(&g) || gen_write_icons(&g) || gen_write_ui(&g) ||
        gen_write_conditional(&g) || gen_write_actions(&g))
        goto out;
    if (opt->big_n && gen_write_big(&g))
        goto out;
    if (opt->pnpm && gen_write_pnpm_links(&g, opt->big_n > 0))
        goto out;

    for (unsigned long e = 0; e <= opt->entries; e++)
        if (gen_write_entry(&g, e))
            goto out;
    for (int k = 0; k < F_NKIND; k++)
        for (unsigned long i = 0; i < g.n[k]; i++)
            if (gen_write_app_file(&g, (enum fkind)k, i))
                goto out;
    if (write_top(&g))
        goto out;

    qsort(res->client.v, res->client.n, sizeof *res->client.v, cmp_str);
    qsort(res->server.v, res->server.n, sizeof *res->server.v, cmp_str);
    rc = 0;
out:
    free(g.det_head);
    free(g.det_next);
    return rc;
}

void gen_command_line(struct gbuf *b, const struct gen_opts *opt, const char *dir)
{
    gb_printf(b,
              "dscan gen %s --icons %lu --files %lu --directives %lu --entries %lu --detours %lu",
              dir, opt->icons, opt->files, opt->directives, opt->entries, opt->detours);
    if (opt->big_n)
        gb_printf(b, " --big-files %lu:%lu", opt->big_n, opt->big_mb);
    if (!opt->pnpm)
        gb_put(b, " --no-pnpm");
    gb_printf(b, " --seed %llu", (unsigned long long)opt->seed);
}
