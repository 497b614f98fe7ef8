/* `dscan scan --report-html FILE` (SPEC §5a): one self-contained HTML page
 * (cli/report_page.html, embedded by tools/embed-page.sh) with the scan's
 * data as JSON inside it: cost by package as a treemap, the barrels with the
 * names imported from them, the client and server lists with a filter, and
 * each module's --why chain on demand. No network access, no other files:
 * the page's Content-Security-Policy forbids fetching anything.
 *
 * The chains are stored once as a tree: every chain comes from one BFS
 * over the graph, so a (module, environment) pair has one parent, and the
 * page walks parents up from a module. A project with 1,000 directive
 * modules and 10-step chains costs nodes, not 10,000 copied steps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

extern const char cli_report_page_head[];
extern const char cli_report_page_tail[];

/* (path, env) -> node index: open addressing over the chain tree's nodes. */
struct node {
    const char *path;
    const char *spec;
    unsigned line;
    int env, root;
    long up;
};

struct nodes {
    struct node *v;
    size_t n, cap;
    long *slots; /* index into v, -1 empty */
    size_t n_slots;
};

static size_t hash_key(const char *s, int env)
{
    size_t h = 1469598103934665603ull;

    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return (h ^ (size_t)env) * 1099511628211ull;
}

static bool grow_slots(struct nodes *t)
{
    size_t n = t->n_slots ? t->n_slots * 2 : 1024;
    long *s = malloc(n * sizeof *s);

    if (!s)
        return false;
    for (size_t i = 0; i < n; i++)
        s[i] = -1;
    for (size_t i = 0; i < t->n; i++) {
        size_t h = hash_key(t->v[i].path, t->v[i].env) & (n - 1);
        while (s[h] >= 0)
            h = (h + 1) & (n - 1);
        s[h] = (long)i;
    }
    free(t->slots);
    t->slots = s;
    t->n_slots = n;
    return true;
}

/* The node of step `s` whose parent node is `up`: found, or added. -1 on OOM. */
static long node_of(struct nodes *t, const struct dscan_chain_step *s, long up)
{
    if ((t->n + 1) * 4 > t->n_slots * 3 && !grow_slots(t))
        return -1;
    size_t h = hash_key(s->path, (int)s->env) & (t->n_slots - 1);
    for (; t->slots[h] >= 0; h = (h + 1) & (t->n_slots - 1)) {
        const struct node *x = &t->v[t->slots[h]];
        if (x->env == (int)s->env && !strcmp(x->path, s->path))
            return t->slots[h];
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct node *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n] = (struct node){s->path, s->specifier, s->line, (int)s->env, (int)s->root, up};
    t->slots[h] = (long)t->n;
    return (long)t->n++;
}

/* The chain of `path` as a node index (its last step), -1 when it has none. */
static long chain_node(struct dscan *scan, struct nodes *t, const char *path, bool *oom)
{
    const struct dscan_chain_step *steps;
    size_t n;
    long up = -1;

    if (dscan_why(scan, path, &steps, &n) != DSCAN_OK)
        return -1;
    for (size_t i = 0; i < n; i++) {
        up = node_of(t, &steps[i], up);
        if (up < 0) {
            *oom = true;
            return -1;
        }
    }
    return up;
}

static void write_data(FILE *out, struct dscan *scan, struct nodes *t, bool *oom)
{
    struct dscan_stats st;
    size_t np = dscan_package_count(scan), nb = dscan_barrel_count(scan);
    size_t nc = dscan_client_count(scan), ns = dscan_server_count(scan);

    dscan_get_stats(scan, &st);
    fprintf(out, "{\"version\": \"%s\", \"root\": ", DSCAN_VERSION);
    cli_json_string(out, dscan_root(scan));
    fprintf(out,
            ",\n\"stats\": {\"filesRead\": %zu, \"bytesRead\": %llu, \"modules\": %zu, "
            "\"wallMs\": %.1f},\n\"clientCount\": %zu, \"serverCount\": %zu,\n",
            st.files_read, (unsigned long long)st.bytes_read, st.modules, st.wall_ms, nc, ns);
    fputs("\"packages\": [", out);
    for (size_t i = 0; i < np; i++) {
        const struct dscan_package *p = dscan_package_at(scan, i);
        fputs(i ? ",\n{\"name\": " : "\n{\"name\": ", out);
        cli_json_string(out, p->name);
        fputs(", \"version\": ", out);
        cli_json_string(out, p->version);
        fprintf(out,
                ", \"files\": %zu, \"bytes\": %llu, \"modules\": %zu, \"client\": %zu, "
                "\"server\": %zu}",
                p->files, (unsigned long long)p->bytes, p->modules, p->client, p->server);
    }
    fputs("],\n\"barrels\": [", out);
    for (size_t i = 0; i < nb; i++) {
        const struct dscan_barrel *b = dscan_barrel_at(scan, i);
        const struct dscan_package *p = dscan_package_at(scan, b->package);
        fputs(i ? ",\n{\"file\": " : "\n{\"file\": ", out);
        cli_json_string(out, b->path);
        fputs(", \"package\": ", out);
        cli_json_string(out, p ? p->name : "");
        fprintf(out,
                ", \"reached\": %zu, \"needed\": %zu, \"importers\": %zu, \"importedNames\": [",
                b->reached, b->needed, b->importers);
        for (size_t j = 0; j < b->n_imported_names; j++) {
            if (j)
                fputc(',', out);
            cli_json_string(out, b->imported_names[j]);
        }
        fputs("]}", out);
    }
    fputs("],\n\"modules\": [", out);
    for (size_t i = 0; i < nc + ns; i++) {
        bool client = i < nc;
        size_t k = client ? i : i - nc;
        const char *path = client ? dscan_client_at(scan, k) : dscan_server_at(scan, k);
        size_t p = client ? dscan_client_package(scan, k) : dscan_server_package(scan, k);
        long node = chain_node(scan, t, path, oom);
        fputs(i ? ",\n{\"path\": " : "\n{\"path\": ", out);
        cli_json_string(out, path);
        fprintf(out, ", \"list\": \"%s\", \"pkg\": %ld, \"why\": %ld}",
                client ? "client" : "server", p == SIZE_MAX ? -1L : (long)p, node);
    }
    // [path, env (0 worker, 1 client), specifier, line, parent, root kind]
    fputs("],\n\"nodes\": [", out);
    for (size_t i = 0; i < t->n; i++) {
        const struct node *x = &t->v[i];
        fputs(i ? ",\n[" : "\n[", out);
        cli_json_string(out, x->path);
        fprintf(out, ",%d,", x->env);
        cli_json_string(out, x->spec ? x->spec : "");
        fprintf(out, ",%u,%ld,%d]", x->line, x->up, x->root);
    }
    fputs("]}\n", out);
}

int cli_report_html(struct dscan *scan, const char *file)
{
    struct nodes t = {0};
    char *data = NULL;
    size_t len = 0;
    bool oom = false;
    FILE *mem = open_memstream(&data, &len);
    FILE *out;
    int rc = EXIT_SCAN_OK;

    if (!mem) {
        cli_error("cannot write '%s': %s", file, strerror(errno));
        return EXIT_SCAN_FAILED;
    }
    write_data(mem, scan, &t, &oom);
    fclose(mem);
    free(t.v);
    free(t.slots);
    if (oom || !data) {
        free(data);
        cli_error("cannot write '%s': out of memory", file);
        return EXIT_SCAN_FAILED;
    }
    out = fopen(file, "w");
    if (!out) {
        cli_error("cannot write '%s': %s", file, strerror(errno));
        free(data);
        return EXIT_SCAN_FAILED;
    }
    fputs(cli_report_page_head, out);
    // Inside <script>, "</script>" in a path would end the element: '<'
    // only occurs inside JSON strings here, where \u003c means the same.
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '<')
            fputs("\\u003c", out);
        else
            fputc(data[i], out);
    }
    fputs(cli_report_page_tail, out);
    if (ferror(out) | (fclose(out) != 0)) {
        cli_error("cannot write '%s': %s", file, strerror(errno));
        rc = EXIT_SCAN_FAILED;
    }
    free(data);
    return rc;
}
