/* `dscan scan --why FILE|PACKAGE` (SPEC §5a): one shortest import chain from
 * an entry or pre-scan root to FILE, or to each of PACKAGE's modules in the
 * lists: one line per step with the importer, the specifier as written and
 * the side, and nothing else. FILE is relative to ROOT, as --entry is,
 * wherever dscan runs from. A file the scan did not reach is an answer
 * (exit 0); a FILE that does not exist is an error (exit 1). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode);
}

/* "react", "@radix-ui/react-dialog": npm's shape of a name (no subpath). */
static bool looks_like_package(const char *s)
{
    const char *slash = strchr(s, '/');

    if (!*s || *s == '.' || *s == '/')
        return false;
    if (*s == '@')
        return slash && slash > s + 1 && slash[1] && !strchr(slash + 1, '/');
    return !slash;
}

enum cli_why_kind cli_why_target(const char *root, const char *arg, char *file, size_t cap)
{
    int n;

    // An absolute path that exists; else relative to ROOT, which also takes
    // the lists' own spelling ("/src/a.tsx").
    if (arg[0] == '/' && is_file(arg)) {
        n = snprintf(file, cap, "%s", arg);
        return n > 0 && (size_t)n < cap ? CLI_WHY_FILE : CLI_WHY_MISSING;
    }
    n = snprintf(file, cap, "%s/%s", root, arg[0] == '/' ? arg + 1 : arg);
    if (n > 0 && (size_t)n < cap && is_file(file))
        return CLI_WHY_FILE;
    if (looks_like_package(arg))
        return CLI_WHY_PACKAGE;
    snprintf(file, cap, "%s", arg);
    return CLI_WHY_MISSING;
}

static const char *root_word(enum dscan_root_kind k)
{
    return k == DSCAN_ROOT_ENTRY ? "entry" : k == DSCAN_ROOT_PRESCAN ? "pre-scan root" : "root";
}

static bool in_sorted(const struct dscan *scan, size_t n,
                      const char *(*at)(const struct dscan *, size_t), const char *path)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(at(scan, mid), path);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* ", \"use client\"" for a module in the client list, and so on. */
static const char *directive_of(const struct dscan *scan, const char *path)
{
    if (in_sorted(scan, dscan_client_count(scan), dscan_client_at, path))
        return ", \"use client\"";
    if (in_sorted(scan, dscan_server_count(scan), dscan_server_at, path))
        return ", \"use server\"";
    return "";
}

static void text_chain(FILE *out, const struct dscan *scan, const struct dscan_chain_step *s,
                       size_t n)
{
    const char *target = s[n - 1].path;

    if (n == 1) {
        fprintf(out, "%s: %s itself\n", target,
                s[0].root == DSCAN_ROOT_PRESCAN ? "a pre-scan root (a directive file under srcDir)"
                                                : "an entry");
        fprintf(out, "  %s (%s, %s side%s)\n", s[0].path, root_word(s[0].root),
                dscan_env_name(s[0].env), directive_of(scan, s[0].path));
        return;
    }
    fprintf(out, "%s%s: reached from the %s %s\n", target,
            in_sorted(scan, dscan_client_count(scan), dscan_client_at, target)   ? " (client)"
            : in_sorted(scan, dscan_server_count(scan), dscan_server_at, target) ? " (server)"
                                                                                 : "",
            root_word(s[0].root), s[0].path);
    fprintf(out, "  %s (%s, %s side%s)\n", s[0].path, root_word(s[0].root),
            dscan_env_name(s[0].env), directive_of(scan, s[0].path));
    for (size_t i = 1; i < n; i++)
        fprintf(out, "  %s:%u imports '%s' -> %s (%s side%s)\n", s[i - 1].path, s[i].line,
                s[i].specifier ? s[i].specifier : "", s[i].path, dscan_env_name(s[i].env),
                directive_of(scan, s[i].path));
}

static void json_chain(FILE *out, const char *module, const struct dscan_chain_step *s, size_t n,
                       bool first)
{
    fputs(first ? "\n    {\"module\": " : ",\n    {\"module\": ", out);
    cli_json_string(out, module);
    if (!n) {
        fputs(", \"reached\": false, \"steps\": []}", out);
        return;
    }
    fprintf(out, ", \"reached\": true, \"root\": \"%s\", \"steps\": [",
            s[0].root == DSCAN_ROOT_PRESCAN ? "prescan" : "entry");
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n      {\"path\": " : "\n      {\"path\": ", out);
        cli_json_string(out, s[i].path);
        fprintf(out, ", \"env\": \"%s\"", dscan_env_name(s[i].env));
        if (i) {
            fputs(", \"importer\": ", out);
            cli_json_string(out, s[i - 1].path);
            fputs(", \"specifier\": ", out);
            cli_json_string(out, s[i].specifier ? s[i].specifier : "");
            fprintf(out, ", \"line\": %u", s[i].line);
        }
        fputc('}', out);
    }
    fputs("]}", out);
}

/* The chains of one target into `out`, as text or as members of a JSON
 * array. Returns the exit status. */
int cli_why(FILE *out, struct dscan *scan, const char *arg, enum cli_why_kind kind,
            const char *file, bool json)
{
    const struct dscan_chain_step *steps = NULL;
    size_t n = 0, found = 0;
    enum dscan_status st;

    if (json)
        fputs("  \"why\": [", out);
    if (kind == CLI_WHY_FILE) {
        st = dscan_why(scan, file, &steps, &n);
        if (st != DSCAN_OK && st != DSCAN_ENOTFOUND) {
            cli_error("cannot explain '%s': %s", arg, dscan_status_message(st));
            return EXIT_SCAN_FAILED;
        }
        if (json) {
            // The module as the lists would write it when it was reached.
            json_chain(out, st == DSCAN_OK ? steps[n - 1].path : arg, steps, st == DSCAN_OK ? n : 0,
                       true);
        } else if (st == DSCAN_OK) {
            text_chain(out, scan, steps, n);
        } else {
            fprintf(out,
                    "%s: not reached by the scan (no import chain from an entry or a "
                    "pre-scan root leads to it)\n",
                    arg);
        }
        if (json)
            fputs("\n  ],\n", out);
        return EXIT_SCAN_OK;
    }

    // A package: each of its modules in the lists, client list first.
    for (int list = 0; list < 2; list++) {
        size_t count = list ? dscan_server_count(scan) : dscan_client_count(scan);
        for (size_t i = 0; i < count; i++) {
            size_t p = list ? dscan_server_package(scan, i) : dscan_client_package(scan, i);
            const struct dscan_package *pk = dscan_package_at(scan, p);
            const char *path = list ? dscan_server_at(scan, i) : dscan_client_at(scan, i);
            if (!pk || strcmp(pk->name, arg) != 0)
                continue;
            st = dscan_why(scan, path, &steps, &n);
            if (st != DSCAN_OK)
                continue;
            if (json)
                json_chain(out, path, steps, n, found == 0);
            else
                text_chain(out, scan, steps, n);
            found++;
        }
    }
    if (json) {
        fputs(found ? "\n  ],\n" : "],\n", out);
        return EXIT_SCAN_OK;
    }
    if (found)
        return EXIT_SCAN_OK;
    for (size_t i = 0; i < dscan_package_count(scan); i++) {
        const struct dscan_package *pk = dscan_package_at(scan, i);
        if (strcmp(pk->name, arg) != 0)
            continue;
        // None of its modules is listed: say why it is read at all, through
        // its file nearest a root.
        const char *near = dscan_package_nearest(scan, i);
        bool chain = near && dscan_why(scan, near, &steps, &n) == DSCAN_OK;
        fprintf(out, "%s: %zu files read, none of them in the client or server list%s\n", arg,
                pk->files, chain ? "; its file nearest a root:" : "");
        if (chain)
            text_chain(out, scan, steps, n);
        return EXIT_SCAN_OK;
    }
    // Neither a file nor a package the scan read: a package installed in
    // ROOT is an answer, anything else a name that does not exist.
    char dir[4096];
    struct stat sb;
    int len = snprintf(dir, sizeof dir, "%s/node_modules/%s", dscan_root(scan), arg);
    if (len > 0 && (size_t)len < sizeof dir && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fprintf(out, "%s: not reached by the scan (no file of this package was read)\n", arg);
        return EXIT_SCAN_OK;
    }
    cli_error("cannot explain '%s': no such file or package in '%s'", arg, dscan_root(scan));
    return EXIT_SCAN_FAILED;
}
