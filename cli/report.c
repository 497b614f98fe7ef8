/* `dscan scan --report` (SPEC §5a): what the scan cost, by package, and the
 * barrels that fan out, as the "report" key of --json or as two short
 * tables after the text summary. The numbers come from the library
 * (dscan_package_*, dscan_barrel_*); this file only lays them out. */
#include <string.h>

#include "cli.h"

#define TEXT_PACKAGES 15 /* rows of the text table; --json lists them all */
#define TEXT_NAMES    6  /* imported names shown per barrel in the text table */

static void json_package(FILE *out, const struct dscan_package *p)
{
    fputs("{\"name\": ", out);
    cli_json_string(out, p->name);
    fputs(", \"version\": ", out);
    cli_json_string(out, p->version);
    fprintf(out,
            ", \"files\": %zu, \"bytes\": %llu, \"modules\": %zu, \"client\": %zu, "
            "\"server\": %zu}",
            p->files, (unsigned long long)p->bytes, p->modules, p->client, p->server);
}

static void json_barrel(FILE *out, const struct dscan *scan, const struct dscan_barrel *b)
{
    const struct dscan_package *p = dscan_package_at(scan, b->package);

    fputs("{\"file\": ", out);
    cli_json_string(out, b->path);
    fputs(", \"package\": ", out);
    cli_json_string(out, p ? p->name : "");
    fprintf(out, ", \"reached\": %zu, \"importedNames\": [", b->reached);
    for (size_t i = 0; i < b->n_imported_names; i++) {
        if (i)
            fputs(", ", out);
        cli_json_string(out, b->imported_names[i]);
    }
    fprintf(out, "], \"importers\": %zu, \"needed\": %zu}", b->importers, b->needed);
}

void cli_report_json(FILE *out, const struct dscan *scan)
{
    size_t np = dscan_package_count(scan), nb = dscan_barrel_count(scan);

    fputs("  \"report\": {\n    \"packages\": [", out);
    for (size_t i = 0; i < np; i++) {
        fputs(i ? ",\n      " : "\n      ", out);
        json_package(out, dscan_package_at(scan, i));
    }
    fputs(np ? "\n    ],\n    \"barrels\": [" : "],\n    \"barrels\": [", out);
    for (size_t i = 0; i < nb; i++) {
        fputs(i ? ",\n      " : "\n      ", out);
        json_barrel(out, scan, dscan_barrel_at(scan, i));
    }
    fputs(nb ? "\n    ]\n  },\n" : "]\n  },\n", out);
}

/* "1.2 MB", "340 kB", "12 B": decimal units, as file managers show them. */
void cli_format_bytes(char *buf, size_t cap, uint64_t n)
{
    if (n >= 1000000)
        snprintf(buf, cap, "%.1f MB", (double)n / 1e6);
    else if (n >= 1000)
        snprintf(buf, cap, "%.0f kB", (double)n / 1e3);
    else
        snprintf(buf, cap, "%llu B", (unsigned long long)n);
}

void cli_report_text(FILE *out, const struct dscan *scan)
{
    struct dscan_stats st;
    size_t np = dscan_package_count(scan), nb = dscan_barrel_count(scan);
    size_t shown = np < TEXT_PACKAGES ? np : TEXT_PACKAGES;
    char bytes[32];

    dscan_get_stats(scan, &st);
    fprintf(out, "packages (%zu, by files read; %zu files in all):\n", np, st.files_read);
    fprintf(out, "  %7s %6s %9s %7s %6s %6s  %s\n", "files", "share", "bytes", "modules", "client",
            "server", "package");
    for (size_t i = 0; i < shown; i++) {
        const struct dscan_package *p = dscan_package_at(scan, i);
        double share = st.files_read ? 100.0 * (double)p->files / (double)st.files_read : 0.0;
        cli_format_bytes(bytes, sizeof bytes, p->bytes);
        fprintf(out, "  %7zu %5.1f%% %9s %7zu %6zu %6zu  %s%s%s\n", p->files, share, bytes,
                p->modules, p->client, p->server, p->name, p->version[0] ? "@" : "", p->version);
    }
    if (np > shown) {
        size_t files = 0;
        for (size_t i = shown; i < np; i++)
            files += dscan_package_at(scan, i)->files;
        fprintf(out, "  %7zu %5.1f%% %9s %7s %6s %6s  (%zu more packages; --json lists all)\n",
                files, st.files_read ? 100.0 * (double)files / (double)st.files_read : 0.0, "", "",
                "", "", np - shown);
    }
    if (!nb) {
        fputs("barrels: none (no module's re-exports reach 50 files)\n", out);
        return;
    }
    fprintf(out, "barrels (%zu: modules whose re-exports reach 50 files or more):\n", nb);
    fprintf(out, "  %7s %6s %9s  %s\n", "reached", "needed", "importers",
            "file, then the names imported");
    for (size_t i = 0; i < nb; i++) {
        const struct dscan_barrel *b = dscan_barrel_at(scan, i);
        const struct dscan_package *p = dscan_package_at(scan, b->package);
        fprintf(out, "  %7zu %6zu %9zu  %s%s%s%s\n", b->reached, b->needed, b->importers, b->path,
                p ? " (" : "", p ? p->name : "", p ? ")" : "");
        fprintf(out, "  %7s %6s %9s    %zu name%s%s", "", "", "", b->n_imported_names,
                b->n_imported_names == 1 ? "" : "s", b->n_imported_names ? ":" : "");
        for (size_t j = 0; j < b->n_imported_names && j < TEXT_NAMES; j++)
            fprintf(out, " %s", b->imported_names[j]);
        if (b->n_imported_names > TEXT_NAMES)
            fprintf(out, " … (%zu more)", b->n_imported_names - TEXT_NAMES);
        fputc('\n', out);
    }
}
