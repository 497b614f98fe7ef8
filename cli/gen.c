/* `dscan gen OUTDIR [options]` (SPEC §6): options, OUTDIR's safety rules,
 * the README and dscan-gen.json that record how the project was made and
 * what a scan must find, and the summary line. The project's shape is in
 * gen_project.c, the writer in gen_out.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gen.h"

static const char gen_usage[] =
    "usage: dscan gen OUTDIR [options]\n"
    "\n"
    "Writes a synthetic React Server Components app that reproduces the shapes\n"
    "that exhausted memory in bundler-based directive scans. Same options and\n"
    "seed, same bytes. OUTDIR must be empty or missing unless --force.\n"
    "\n"
    "  --icons N          icon files behind the barrel            (1866)\n"
    "  --files N          application source files under src/     (626)\n"
    "  --directives N     of those, files with a directive        (268)\n"
    "                     (4 in 5 \"use client\", the rest \"use server\")\n"
    "  --entries N        extra entry points besides src/worker   (0)\n"
    "  --no-pnpm          plain node_modules instead of a .pnpm store with symlinks\n"
    "  --detours N        imports that reach a file through another path string (20)\n"
    "  --big-files N:MB   N extra reachable files of MB MiB each  (0:0)\n"
    "  --seed N           (1)\n"
    "  --force            write into a non-empty OUTDIR: replaces what gen writes there\n"
    "                     (src, node_modules, package.json, tsconfig.json, dscan.json,\n"
    "                     README.md, dscan-gen.json) and leaves anything else alone\n"
    "  --quiet            no summary on stdout\n"
    "\n"
    "OUTDIR/dscan-gen.json lists the options and the client and server files a\n"
    "scan must find.\n";

#define GEN_MAX_COUNT 10000000UL /* per option: far past any real app */

static int parse_count(const char *opt, const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-') {
        cli_error("gen: %s expects a number, got '%s'", opt, s ? s : "");
        return -1;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) {
        cli_error("gen: %s expects a number from 0 to %lu, got '%s'", opt, max, s);
        return -1;
    }
    *out = (unsigned long)v;
    return 0;
}

/* Creates `path` and its missing parents, like mkdir -p. */
static int make_dirs(const char *path)
{
    char buf[GEN_PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char c = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        buf[i] = c;
    }
    return 0;
}

/* 1 when the directory has an entry, 0 when empty, -1 on error. */
static int dir_has_entries(int fd)
{
    int dup_fd = dup(fd);
    if (dup_fd < 0)
        return -1;
    DIR *d = fdopendir(dup_fd);
    if (!d) {
        close(dup_fd);
        return -1;
    }
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            found = 1;
            break;
        }
    closedir(d);
    return found;
}

static void json_list(struct gbuf *b, const char *indent, const struct gen_list *l)
{
    gb_put(b, "[");
    for (size_t i = 0; i < l->n; i++)
        gb_printf(b, "%s\n%s  \"%s\"", i ? "," : "", indent, l->v[i]);
    gb_printf(b, "%s%s]", l->n ? "\n" : "", l->n ? indent : "");
}

static int write_records(struct gen_out *o, const struct gen_opts *opt, const struct gen_result *r)
{
    struct gbuf *b = &o->buf;
    struct gbuf cmd = {0};
    gen_command_line(&cmd, opt, "OUTDIR");
    if (cmd.oom) {
        snprintf(o->err, sizeof o->err, "out of memory");
        return -1;
    }

    gb_printf(
        b,
        "{\n"
        "  \"generator\": \"dscan gen\",\n"
        "  \"version\": \"%s\",\n"
        "  \"command\": \"%s\",\n"
        "  \"options\": {\"icons\": %lu, \"files\": %lu, \"directives\": %lu, \"entries\": %lu, "
        "\"pnpm\": %s, \"detours\": %lu, \"bigFiles\": %lu, \"bigFileMB\": %lu, \"seed\": %llu},\n"
        "  \"entries\": ",
        DSCAN_VERSION, cmd.p, opt->icons, opt->files, opt->directives, opt->entries,
        opt->pnpm ? "true" : "false", opt->detours, opt->big_n, opt->big_mb,
        (unsigned long long)opt->seed);
    json_list(b, "  ", &r->entries);
    gb_printf(b,
              ",\n  \"counts\": {\"sourceFiles\": %lu, \"packageFiles\": %lu, \"client\": %zu, "
              "\"server\": %zu},\n",
              r->src_files, r->pkg_files, r->client.n, r->server.n);
    gb_put(b, "  \"expected\": {\n    \"client\": ");
    json_list(b, "    ", &r->client);
    gb_put(b, ",\n    \"server\": ");
    json_list(b, "    ", &r->server);
    gb_put(b, ",\n    \"onlyThroughWorker\": ");
    json_list(b, "    ", &r->only_worker);
    gb_put(b, ",\n    \"onlyThroughClient\": ");
    json_list(b, "    ", &r->only_client);
    gb_put(b, "\n  }\n}\n");
    if (gen_out_file(o, "dscan-gen.json"))
        goto fail;

    gb_printf(b,
              "# Synthetic stress project\n"
              "\n"
              "Generated by `%s` (dscan %s). Same command, same bytes.\n"
              "\n"
              "A React Server Components app shaped like the one whose bundler-based\n"
              "directive scan exhausted memory: %lu application files under `src/` (%zu\n"
              "\"use client\" and %zu \"use server\" files planted in all, packages included),\n"
              "an icon package whose barrel re-exports %lu icon files, %s,\n"
              "%lu imports that reach a file through another path string%s.\n"
              "\n"
              "Scan it:\n"
              "\n"
              "    dscan scan . --stats --ticks\n"
              "\n"
              "`dscan-gen.json` lists the exact options and every client and server file\n"
              "a correct scan finds (as `dscan scan --json` writes them).\n",
              cmd.p, DSCAN_VERSION, opt->files, r->client.n, r->server.n, opt->icons,
              opt->pnpm ? "a pnpm-style `node_modules/.pnpm` store with symlinks"
                        : "a plain `node_modules`",
              opt->detours, opt->big_n ? " and large files in `stress-big`" : "");
    gb_free(&cmd);
    return gen_out_file(o, "README.md");
fail:
    gb_free(&cmd);
    return -1;
}

#define GO_ON (-1) /* parse_args: the options are good, generate */

/* argv into opt and *outdir; GO_ON, or the exit status after --help or a
 * usage error. */
static int parse_args(int argc, char **argv, struct gen_opts *opt, const char **outdir)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[32];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(gen_usage, stdout);
            return EXIT_SCAN_OK;
        }
        if (a[0] != '-' || a[1] == '\0') {
            if (*outdir) {
                cli_error("gen: more than one OUTDIR ('%s', '%s')", *outdir, a);
                return cli_see_help("gen");
            }
            *outdir = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nl = eq ? (size_t)(eq - a) : strlen(a);
        if (nl >= sizeof name) {
            cli_error("gen: unknown option '%s'", a);
            return cli_see_help("gen");
        }
        memcpy(name, a, nl);
        name[nl] = '\0';
        if (!strcmp(name, "--no-pnpm") || !strcmp(name, "--force") || !strcmp(name, "--quiet") ||
            !strcmp(name, "--pnpm")) {
            if (eq) {
                cli_error("gen: %s takes no value", name);
                return cli_see_help("gen");
            }
            if (!strcmp(name, "--no-pnpm"))
                opt->pnpm = false;
            else if (!strcmp(name, "--pnpm"))
                opt->pnpm = true;
            else if (!strcmp(name, "--force"))
                opt->force = true;
            else
                opt->quiet = true;
            continue;
        }
        val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
        int rc;
        unsigned long seed;
        if (!strcmp(name, "--icons"))
            rc = parse_count(name, val, GEN_MAX_COUNT, &opt->icons);
        else if (!strcmp(name, "--files"))
            rc = parse_count(name, val, GEN_MAX_COUNT, &opt->files);
        else if (!strcmp(name, "--directives"))
            rc = parse_count(name, val, GEN_MAX_COUNT, &opt->directives);
        else if (!strcmp(name, "--entries"))
            rc = parse_count(name, val, 100000, &opt->entries);
        else if (!strcmp(name, "--detours"))
            rc = parse_count(name, val, GEN_MAX_COUNT, &opt->detours);
        else if (!strcmp(name, "--seed")) {
            rc = parse_count(name, val, ULONG_MAX, &seed);
            opt->seed = seed;
        } else if (!strcmp(name, "--big-files")) {
            const char *colon = val ? strchr(val, ':') : NULL;
            char nbuf[32];
            if (!colon || (size_t)(colon - val) >= sizeof nbuf) {
                cli_error("gen: --big-files expects N:MB (e.g. 500:10), got '%s'", val ? val : "");
                return cli_see_help("gen");
            }
            memcpy(nbuf, val, (size_t)(colon - val));
            nbuf[colon - val] = '\0';
            rc = parse_count("--big-files N", nbuf, 100000, &opt->big_n);
            if (rc == 0)
                rc = parse_count("--big-files MB", colon + 1, 1024, &opt->big_mb);
        } else {
            cli_error("gen: unknown option '%s'", a);
            return cli_see_help("gen");
        }
        if (rc != 0)
            return cli_see_help("gen");
    }
    if (!*outdir) {
        cli_error("gen: missing OUTDIR");
        return cli_see_help("gen");
    }
    if (opt->directives > opt->files) {
        cli_error("gen: --directives %lu is more than --files %lu", opt->directives, opt->files);
        return cli_see_help("gen");
    }
    if (opt->big_n == 0)
        opt->big_mb = 0;
    return GO_ON;
}

int cli_gen(int argc, char **argv)
{
    struct gen_opts opt = {
        .icons = 1866,
        .files = 626,
        .directives = 268,
        .entries = 0,
        .detours = 20,
        .seed = 1,
        .pnpm = true,
    };
    const char *outdir = NULL;

    int rc = parse_args(argc, argv, &opt, &outdir);
    if (rc != GO_ON)
        return rc;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (make_dirs(outdir) != 0) {
        cli_error("gen: cannot create '%s': %s", outdir, strerror(errno));
        return EXIT_SCAN_FAILED;
    }
    char real[PATH_MAX];
    if (!realpath(outdir, real)) {
        cli_error("gen: cannot resolve '%s': %s", outdir, strerror(errno));
        return EXIT_SCAN_FAILED;
    }
    struct gen_out o = {.root_fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (o.root_fd < 0) {
        cli_error("gen: cannot open '%s': %s", real, strerror(errno));
        return EXIT_SCAN_FAILED;
    }
    int status = EXIT_SCAN_FAILED;
    int has = dir_has_entries(o.root_fd);
    if (has < 0) {
        cli_error("gen: cannot read '%s': %s", real, strerror(errno));
        goto out;
    }
    if (has && !opt.force) {
        cli_error("gen: '%s' is not empty (use --force to replace what dscan gen writes there)",
                  real);
        goto out;
    }
    if (has) {
        for (const char *const *n = gen_top_names; *n; n++)
            if (gen_remove_tree(o.root_fd, *n) != 0) {
                cli_error("gen: cannot remove '%s/%s': %s", real, *n, strerror(errno));
                goto out;
            }
    }

    struct gen_result res = {0};
    if (gen_project(&o, &opt, &res) != 0 || write_records(&o, &opt, &res) != 0) {
        cli_error("gen: %s (in '%s')", o.err, real);
        gen_result_free(&res);
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!opt.quiet) {
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        printf("dscan gen: wrote %s: %lu files, %lu symlinks, %.1f MB in %.2f s\n", real, o.n_files,
               o.n_links, (double)o.n_bytes / 1e6, s);
        printf("  %lu app files, %lu icons; planted %zu \"use client\" and %zu \"use server\" "
               "files (listed in dscan-gen.json)\n",
               res.src_files, opt.icons, res.client.n, res.server.n);
    }
    gen_result_free(&res);
    status = 0;
out:
    gb_free(&o.buf);
    close(o.root_fd);
    return status;
}
