/* `dscan scan` (SPEC §1): parses the command line into struct dscan_options
 * (the options it shares with `serve` are in scan_opts.c), runs the scan,
 * prints a readable summary or the JSON of SPEC §3, and turns the library's
 * events into `--ticks` lines and a progress line. Exit codes: 0 the scan
 * completed, 1 it could not be done, 2 usage error. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static const char scan_usage[] =
    "usage: dscan scan [ROOT] [--entry FILE]... [--config FILE] [--options-json FILE|-]\n"
    "                  [--src DIR | --no-prescan]\n"
    "                  [--mode development|production] [--json] [--stats] [--ticks[=MS]]\n"
    "                  [--why FILE|PACKAGE] [--precise] [--report] [--report-html FILE]\n"
    "                  [-j N] [--quiet]\n"
    "\n"
    "  ROOT               project root (default .)\n"
    "  --entry FILE       an entry (repeatable; default: the config's, else src/worker.*)\n"
    "  --config FILE      configuration file (default ROOT/dscan.json when it exists)\n"
    "  --options-json FILE|-  a JSON object with dscan.json's keys, laid over the\n"
    "                     config file key by key (\"-\": read it from stdin)\n"
    "  --src DIR          directory pre-scanned for directive files (default src)\n"
    "  --no-prescan       scan only what the entries reach\n"
    "  --mode M           development or production (default production)\n"
    "  --json             print the result as JSON on stdout\n"
    "  --stats            add counters (files read, resolve calls, time, memory)\n"
    "  --ticks[=MS]       print a memory tick to stderr every MS ms (default 1000)\n"
    "  --why FILE|PACKAGE print only one shortest import chain from an entry or pre-scan\n"
    "                     root to FILE (relative to ROOT), or to each of PACKAGE's modules\n"
    "  --precise          list only the directive modules a running app can reference:\n"
    "                     re-exports followed per name used (SPEC 4.10)\n"
    "  --report           add what the scan cost by package, and the barrels that fan out\n"
    "  --report-html FILE write that report as one self-contained HTML page\n"
    "  -j N               worker threads (default: one per CPU, at most 8)\n"
    "  --quiet            no warnings or progress on stderr\n"
    "\n"
    "Exit status: 0 the scan completed (unresolved imports are listed, not errors);\n"
    "1 it could not be done (ROOT, an entry, srcDir or tsconfig missing, a bad config,\n"
    "a write error); 2 usage error.\n"
    "\n"
    "dscan.json in ROOT (or --config FILE), every key optional; paths relative to ROOT:\n"
    "  \"entries\": [\"src/worker.tsx\"]      entry files (default: the first src/worker.*)\n"
    "  \"srcDir\": \"src\"                    pre-scanned for directive files (must exist if set)\n"
    "  \"prescan\": true                    false: as --no-prescan\n"
    "  \"precise\": false                   true: as --precise\n"
    "  \"mode\": \"production\"               or \"development\"\n"
    "  \"environments\": {\"worker\": {\"conditions\": [...], \"mainFields\": [...]},\n"
    "                   \"client\": {...}}  resolve conditions and main fields per side\n"
    "  \"extensions\": [\".mjs\", \".js\", ...]  tried in order for extensionless imports\n"
    "  \"alias\": [{\"find\": \"~\", \"replacement\": \"./lib\"}]  or {\"~\": \"./lib\"} (default: none)\n"
    "  \"external\": [\"cloudflare:workers\"] ids never resolved\n"
    "  \"tsconfig\": \"tsconfig.json\"        one tsconfig for every importer (must exist if set)\n";

#define MAX_ENTRIES 4096

struct cli_state {
    bool ticks, progress, progress_shown;
    bool plain;      /* TERM=dumb: no escape sequences */
    double after_s;  /* progress only once the scan has run this long */
    size_t line_len; /* of the progress line last written (plain mode) */
};

/* What a SIGINT/SIGTERM handler needs to clear the progress line: only a
 * handler can reach these, hence file-scope and sig_atomic_t. */
static volatile sig_atomic_t progress_len; /* 0: no line on the terminal */
static volatile sig_atomic_t progress_plain;

static void write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(STDERR_FILENO, p, n);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* Async-signal-safe: write(2) only. */
static void clear_progress_line(void)
{
    static const char spaces[] = "                                                                ";
    size_t n = (size_t)progress_len;

    if (!n)
        return;
    if (progress_plain) {
        write_all("\r", 1);
        for (; n; n -= n < sizeof spaces - 1 ? n : sizeof spaces - 1)
            write_all(spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
        write_all("\r", 1);
    } else {
        write_all("\r\033[K", 4);
    }
    progress_len = 0;
}

/* Ctrl-C or a kill while the progress line shows: clear it, then die of the
 * same signal as without the handler. */
static void on_signal(int sig)
{
    clear_progress_line();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void print_tick(const struct dscan_event *ev)
{
    fprintf(stderr, "tick t=%.2fs rss=%.1fMB peak=%.1fMB modules=%zu files=%zu bytes=%.1fMB\n",
            ev->t_s, (double)ev->rss_kb / 1024.0, (double)ev->peak_rss_kb / 1024.0, ev->modules,
            ev->files_read, (double)ev->bytes_read / (1024.0 * 1024.0));
}

static void on_event(void *ctx, const struct dscan_event *ev)
{
    struct cli_state *cs = ctx;

    if (cs->ticks) {
        // The last tick, at the end, gives the final figures of every scan.
        print_tick(ev);
        return;
    }
    if (!cs->progress)
        return;
    // SPEC §1: progress only on a terminal, and only once the scan has taken
    // more than half a second; erased when it is done.
    if (ev->kind == DSCAN_EVENT_TICK && ev->t_s > cs->after_s) {
        char line[160];
        int n = snprintf(line, sizeof line, "dscan: scanning: %zu modules, %zu files, %.1f MB read",
                         ev->modules, ev->files_read, (double)ev->bytes_read / (1024.0 * 1024.0));
        size_t len = n < 0 ? 0 : (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
        // A signal may come while the line is being written: the handler
        // must already know what to erase.
        size_t pad = cs->plain && cs->line_len > len ? cs->line_len - len : 0;
        cs->line_len = len + pad;
        progress_len = (sig_atomic_t)cs->line_len;
        cs->progress_shown = true;
        if (cs->plain) {
            // No erase-line sequence on a dumb terminal: overwrite with
            // spaces what a longer previous line left.
            fprintf(stderr, "\r%s%*s", line, (int)pad, "");
        } else {
            fprintf(stderr, "\r\033[K%s", line);
        }
        fflush(stderr);
    } else if (ev->kind == DSCAN_EVENT_DONE && cs->progress_shown) {
        clear_progress_line();
        cs->progress_shown = false;
    }
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

static void print_json_list(const char *key, size_t n,
                            const char *(*at)(const struct dscan *, size_t),
                            const struct dscan *scan)
{
    printf("  \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    " : "\n    ", stdout);
        cli_json_string(stdout, at(scan, i));
    }
    fputs(n ? "\n  ],\n" : "],\n", stdout);
}

static int print_json(struct dscan *scan, bool report, const char *why_arg,
                      enum cli_why_kind why_kind, const char *why_file)
{
    int rc = EXIT_SCAN_OK;
    struct dscan_stats st;
    size_t n;

    dscan_get_stats(scan, &st);
    fputs("{\n  \"root\": ", stdout);
    cli_json_string(stdout, dscan_root(scan));
    fputs(",\n", stdout);
    print_json_list("client", dscan_client_count(scan), dscan_client_at, scan);
    print_json_list("server", dscan_server_count(scan), dscan_server_at, scan);

    n = dscan_unresolved_count(scan);
    fputs("  \"unresolved\": [", stdout);
    for (size_t i = 0; i < n; i++) {
        const struct dscan_unresolved *u = dscan_unresolved_at(scan, i);
        fputs(i ? ",\n    {\"specifier\": " : "\n    {\"specifier\": ", stdout);
        cli_json_string(stdout, u->specifier);
        fputs(", \"importer\": ", stdout);
        cli_json_string(stdout, u->importer);
        printf(", \"env\": \"%s\", \"reason\": ", dscan_env_name(u->env));
        cli_json_string(stdout, u->reason ? u->reason : "");
        fputc('}', stdout);
    }
    fputs(n ? "\n  ],\n" : "],\n", stdout);

    n = dscan_diagnostic_count(scan);
    fputs("  \"warnings\": [", stdout);
    for (size_t i = 0; i < n; i++) {
        const struct dscan_diagnostic *d = dscan_diagnostic_at(scan, i);
        // "path" repeats "file" for npm/dscan's Warning type.
        fputs(i ? ",\n    {\"file\": " : "\n    {\"file\": ", stdout);
        cli_json_string(stdout, d->path ? d->path : "");
        fputs(", \"path\": ", stdout);
        cli_json_string(stdout, d->path ? d->path : "");
        printf(", \"line\": %u, \"col\": %u, \"severity\": \"%s\", \"code\": ", d->line, d->col,
               d->severity == DSCAN_ERROR ? "error" : "warning");
        cli_json_string(stdout, d->code ? d->code : "");
        fputs(", \"message\": ", stdout);
        cli_json_string(stdout, d->message ? d->message : "");
        fputc('}', stdout);
    }
    fputs(n ? "\n  ],\n" : "],\n", stdout);

    if (why_arg)
        rc = cli_why(stdout, scan, why_arg, why_kind, why_file, true);
    if (report)
        cli_report_json(stdout, scan);

    printf("  \"stats\": {\"modules\": %zu, \"filesRead\": %zu, \"bytesRead\": %llu, "
           "\"duplicateReads\": %zu, \"resolveCalls\": %zu, \"statCalls\": %zu, "
           "\"wallMs\": %.1f, \"cpuMs\": %.1f, \"peakRssKb\": %zu, \"peakHeapBytes\": %zu, "
           "\"threads\": %u, \"diagnostics\": %zu, \"pathsInterned\": %zu}\n}\n",
           st.modules, st.files_read, (unsigned long long)st.bytes_read, st.duplicate_reads,
           st.resolve_calls, st.stat_calls, st.wall_ms, st.cpu_ms, st.peak_rss_kb,
           st.peak_heap_bytes, st.threads, st.diagnostics, st.paths_interned);
    return rc;
}

/* The "version" string of a package.json's top-level object, into out; false
 * when there is none. A small scanner, not a parser: display only. */
static bool read_version(const char *pkg_json, char *out, size_t cap)
{
    char buf[64 * 1024];
    FILE *f = fopen(pkg_json, "rb");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';

    int depth = 0;
    const char *key = NULL;
    size_t key_len = 0;
    bool after_colon = false;
    for (const char *p = buf; *p; p++) {
        if (*p == '"') {
            const char *start = ++p;
            while (*p && *p != '"')
                p += p[0] == '\\' && p[1] ? 2 : 1;
            if (!*p)
                return false;
            size_t len = (size_t)(p - start);
            if (depth == 1 && after_colon) {
                if (key_len == 7 && !memcmp(key, "version", 7) && len && len < cap) {
                    memcpy(out, start, len);
                    out[len] = '\0';
                    return true;
                }
                after_colon = false;
            } else if (depth == 1) {
                key = start;
                key_len = len;
            }
        } else if (*p == ':') {
            after_colon = true;
        } else if (*p == '{' || *p == '[') {
            depth++;
            after_colon = false;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == ',') {
            after_colon = false;
        }
    }
    return false;
}

/* For a file inside node_modules, "NAME@VERSION/SUBPATH" (the version from
 * a pnpm store directory name, else the package's package.json; without it
 * when neither has one) into out; false for the app's own files. */
static bool package_relative(const char *root, const char *path, char *out, size_t cap)
{
    static const char nm[] = "/node_modules/";
    const char *last = NULL;
    for (const char *p = strstr(path, nm); p; p = strstr(p + 1, nm))
        last = p;
    if (!last)
        return false;
    const char *name = last + sizeof nm - 1;
    const char *end = strchr(name, '/');
    if (end && name[0] == '@')
        end = strchr(end + 1, '/');
    if (!end || end == name)
        return false;
    size_t name_len = (size_t)(end - name);
    char version[128] = "";

    // pnpm: .../.pnpm/@scope+name@1.2.3_peer@4/node_modules/@scope/name/...
    const char *store = NULL;
    for (const char *p = strstr(path, "/.pnpm/"); p && p < last; p = strstr(p + 1, "/.pnpm/"))
        store = p + 7;
    if (store) {
        size_t i = 0;
        while (i < name_len && (store[i] == name[i] || (name[i] == '/' && store[i] == '+')))
            i++;
        if (i == name_len && store[i] == '@') {
            const char *v = store + i + 1;
            size_t len = strcspn(v, "_(/");
            if (len && len < sizeof version) {
                memcpy(version, v, len);
                version[len] = '\0';
            }
        }
    }
    if (!version[0]) {
        // Inside ROOT the path is written from ROOT ("/node_modules/x/..").
        char pj[8192];
        int n = snprintf(pj, sizeof pj, "%s%.*s/package.json", path[0] == '/' ? root : "",
                         (int)(end - path), path);
        if (n < 0 || (size_t)n >= sizeof pj || !read_version(pj, version, sizeof version)) {
            n = snprintf(pj, sizeof pj, "%.*s/package.json", (int)(end - path), path);
            if (n < 0 || (size_t)n >= sizeof pj || !read_version(pj, version, sizeof version))
                version[0] = '\0';
        }
    }
    int n =
        snprintf(out, cap, "%.*s%s%s%s", (int)name_len, name, version[0] ? "@" : "", version, end);
    return n > 0 && (size_t)n < cap;
}

struct shown {
    char *text;
    bool package;
};

static int cmp_shown(const void *a, const void *b)
{
    const struct shown *x = a, *y = b;
    if (x->package != y->package)
        return x->package ? 1 : -1;
    return strcmp(x->text, y->text);
}

/* One list of the readable summary: the app's files as in --json, then the
 * packages' files by package-relative name (a pnpm store path is 200
 * characters of noise before the part that matters). */
static void print_human_list(const struct dscan *scan, const char *title, size_t n,
                             const char *(*at)(const struct dscan *, size_t))
{
    struct shown *v = calloc(n ? n : 1, sizeof *v);

    printf("%s (%zu):\n", title, n);
    for (size_t i = 0; v && i < n; i++) {
        char buf[8192];
        v[i].package = package_relative(dscan_root(scan), at(scan, i), buf, sizeof buf);
        v[i].text = strdup(v[i].package ? buf : at(scan, i));
        if (!v[i].text) {
            while (i--)
                free(v[i].text);
            free(v);
            v = NULL;
        }
    }
    if (!v) {
        // Out of memory: the paths as they are.
        for (size_t i = 0; i < n; i++)
            printf("  %s\n", at(scan, i));
        return;
    }
    qsort(v, n, sizeof *v, cmp_shown);
    for (size_t i = 0; i < n; i++) {
        printf("  %s\n", v[i].text);
        free(v[i].text);
    }
    free(v);
}

static void print_human(const struct dscan *scan, bool stats)
{
    struct dscan_stats st;
    size_t nc = dscan_client_count(scan), ns = dscan_server_count(scan);
    size_t nu = dscan_unresolved_count(scan);

    dscan_get_stats(scan, &st);
    printf("%s: %zu client, %zu server, %zu unresolved (%zu modules, %zu files)\n",
           dscan_root(scan), nc, ns, nu, st.modules, st.files_read);
    print_human_list(scan, "client", nc, dscan_client_at);
    print_human_list(scan, "server", ns, dscan_server_at);
    if (nu) {
        printf("unresolved (%zu):\n", nu);
        for (size_t i = 0; i < nu; i++) {
            const struct dscan_unresolved *u = dscan_unresolved_at(scan, i);
            char buf[8192];
            const char *importer = package_relative(dscan_root(scan), u->importer, buf, sizeof buf)
                                       ? buf
                                       : u->importer;
            printf("  '%s' from %s (%s)%s%s\n", u->specifier, importer, dscan_env_name(u->env),
                   u->reason ? ": " : "", u->reason ? u->reason : "");
        }
    }
    if (stats)
        printf("stats: modules=%zu filesRead=%zu bytesRead=%llu duplicateReads=%zu "
               "resolveCalls=%zu statCalls=%zu wallMs=%.1f cpuMs=%.1f peakRssKb=%zu "
               "peakHeapBytes=%zu threads=%u\n",
               st.modules, st.files_read, (unsigned long long)st.bytes_read, st.duplicate_reads,
               st.resolve_calls, st.stat_calls, st.wall_ms, st.cpu_ms, st.peak_rss_kb,
               st.peak_heap_bytes, st.threads);
}

static void print_warnings(const struct dscan *scan)
{
    size_t n = dscan_diagnostic_count(scan);

    for (size_t i = 0; i < n; i++) {
        cli_warning(dscan_diagnostic_at(scan, i));
    }
}

/* --ticks and the progress line (SPEC §1): what cs shows, and the event
 * callback in opts that feeds it. */
static void setup_events(struct cli_state *cs, struct dscan_options *opts, bool quiet,
                         unsigned long tick_ms)
{
    unsigned progress_ms = 100;

    cs->ticks = tick_ms > 0;
    cs->progress = !quiet && !cs->ticks && isatty(STDERR_FILENO);
    cs->after_s = 0.5;
    if (cs->progress) {
        const char *term = getenv("TERM");
        // Hidden, for tests/cli/test_progress.sh: show the line after this
        // many ms (default 500), ticking at most every 100 ms.
        const char *after = getenv("DSCAN_PROGRESS_AFTER_MS");
        unsigned long ms;
        if (after && parse_uint(after, 60000, &ms)) {
            cs->after_s = (double)ms / 1000.0;
            progress_ms = ms < 1 ? 1 : ms < 100 ? (unsigned)ms : 100;
        }
        cs->plain = term && !strcmp(term, "dumb");
        progress_plain = cs->plain;
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
    }
    if (cs->ticks || cs->progress) {
        opts->on_event = on_event;
        opts->event_ctx = cs;
        opts->tick_ms = cs->ticks ? (unsigned)tick_ms : progress_ms;
    }
}

/* What `scan` prints besides the scan options (cli/scan_opts.c). */
struct scan_args {
    const char *why_path, *report_html;
    bool json, stats, quiet, report, list_files;
    unsigned long tick_ms, threads;
};

/* Matches argv[*i] as one of scan's own options; false when it is not one
 * (then cli_scan_opts_take has it). A usage error is said and sets *bad. */
static bool take_own(struct scan_args *sa, struct dscan_options *opts, int argc, char **argv,
                     int *i, bool *bad)
{
    const char *a = argv[*i], *v;

    if (!strcmp(a, "--json")) {
        sa->json = true;
    } else if (!strcmp(a, "--stats")) {
        sa->stats = true;
    } else if (!strcmp(a, "--report")) {
        sa->report = true;
    } else if (!strcmp(a, "--precise")) {
        opts->precise = true;
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
        sa->quiet = true;
    } else if (!strcmp(a, "--list-files")) {
        // Not in the usage text: for bench/floor, which reads the same files.
        sa->list_files = true;
    } else if (!strcmp(a, "--ticks")) {
        sa->tick_ms = 1000;
    } else if (!strncmp(a, "--ticks=", 8)) {
        if (!parse_uint(a + 8, 3600000, &sa->tick_ms) || sa->tick_ms == 0) {
            cli_error("invalid --ticks value '%s': expected milliseconds, 1 or more", a + 8);
            *bad = true;
        }
    } else if ((v = cli_opt_value(argc, argv, i, "--why", bad)) != NULL) {
        sa->why_path = v;
    } else if ((v = cli_opt_value(argc, argv, i, "--report-html", bad)) != NULL) {
        sa->report_html = v;
    } else if (!strncmp(a, "-j", 2) && !*bad) {
        const char *n = a[2] ? a + 2 : NULL;
        if (!n && *i + 1 < argc)
            n = argv[++*i];
        if (!n || !parse_uint(n, 64, &sa->threads) || sa->threads == 0) {
            cli_error("invalid -j value '%s': expected a thread count from 1 to 64", n ? n : "");
            *bad = true;
        }
    } else if (*bad) {
        // --why or --report-html lacked its value: said already.
    } else if (*i > 1 && !strcmp(argv[*i - 1], "--ticks") && a[0] &&
               a[strspn(a, "0123456789")] == '\0' && !is_dir(a)) {
        // "--ticks 5" would scan a directory named 5.
        cli_error("'--ticks %s': write --ticks=%s (the interval is attached with '=')", a, a);
        *bad = true;
    } else {
        return false;
    }
    return true;
}

/* The finished scan on stdout (and its warnings on stderr); the exit status. */
static int print_result(struct dscan *scan, const struct scan_args *sa, enum cli_why_kind why_kind,
                        const char *why_file)
{
    int rc = EXIT_SCAN_OK;

    if (sa->list_files) {
        for (size_t i = 0; i < dscan_file_count(scan); i++)
            puts(dscan_file_at(scan, i));
        return EXIT_SCAN_OK;
    }
    if (sa->report_html)
        rc = cli_report_html(scan, sa->report_html);
    if (!sa->quiet && !sa->json && !sa->why_path)
        print_warnings(scan);
    if (rc != EXIT_SCAN_OK) {
        // The page could not be written: said on stderr already.
    } else if (sa->json) {
        rc = print_json(scan, sa->report, sa->why_path, why_kind, why_file);
    } else if (sa->why_path) {
        // SPEC §5a: --why prints only the chain.
        rc = cli_why(stdout, scan, sa->why_path, why_kind, why_file, false);
    } else {
        print_human(scan, sa->stats);
        if (sa->report)
            cli_report_text(stdout, scan);
        if (sa->report_html)
            printf("report: %s\n", sa->report_html);
    }
    return rc;
}

int cli_scan(int argc, char **argv)
{
    struct dscan_options opts = {0};
    struct cli_state cs = {0};
    const char *entries[MAX_ENTRIES];
    struct cli_scan_opts so = {
        .cmd = "scan", .opts = &opts, .entries = entries, .max_entries = MAX_ENTRIES};
    struct scan_args sa = {0};
    enum cli_why_kind why_kind = CLI_WHY_MISSING;
    char why_file[4096];
    bool bad = false;
    struct dscan *scan = NULL;
    struct dscan_error err = {0};
    int rc;

    for (int i = 1; i < argc && !bad; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(scan_usage, stdout);
            return EXIT_SCAN_OK;
        }
        if (!take_own(&sa, &opts, argc, argv, &i, &bad))
            cli_scan_opts_take(&so, argc, argv, &i, &bad);
    }
    rc = cli_scan_opts_finish(&so, bad);
    if (rc != EXIT_SCAN_OK)
        return rc;
    opts.threads = (unsigned)sa.threads;
    // SPEC §5a: a FILE that does not exist is an error before any scanning.
    if (sa.why_path) {
        why_kind = cli_why_target(opts.root, sa.why_path, why_file, sizeof why_file);
        if (why_kind == CLI_WHY_MISSING) {
            cli_error("cannot explain '%s': no such file in '%s'", sa.why_path, opts.root);
            free(so.options_text);
            return EXIT_SCAN_FAILED;
        }
    }
    opts.keep_edges = sa.why_path != NULL || sa.report_html != NULL;
    opts.report = sa.report || sa.report_html != NULL || why_kind == CLI_WHY_PACKAGE;
    setup_events(&cs, &opts, sa.quiet, sa.tick_ms);

    enum dscan_status run_st = dscan_run(&opts, &scan, &err);
    free(so.options_text);
    // A failed scan sends no "done" event: the line must not stay in front
    // of the error message.
    if (cs.progress)
        clear_progress_line();
    if (run_st != DSCAN_OK) {
        cli_error("%s", err.message[0] ? err.message : dscan_status_message(err.status));
        return EXIT_SCAN_FAILED;
    }
    rc = print_result(scan, &sa, why_kind, why_file);
    dscan_free(scan);
    return rc;
}
