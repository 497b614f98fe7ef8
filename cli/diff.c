/* `dscan diff A.json B.json` (SPEC §5a): the modules that moved into, out
 * of, or between the client and server lists from result A to result B, so
 * CI can keep a baseline. Exit codes are the contract: 0 no change, 1 some
 * change, 2 bad input or usage (a missing or malformed file must never pass
 * for "no change"). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define EXIT_DIFF_SAME    0
#define EXIT_DIFF_CHANGED 1
#define EXIT_DIFF_BAD     2

static const char diff_usage[] =
    "usage: dscan diff A.json B.json [--json]\n"
    "\n"
    "  Compares two results of `dscan scan --json` (A the baseline, B the new\n"
    "  one) and prints the modules that moved into, out of, or between the\n"
    "  client and server lists:\n"
    "    + client /src/new.tsx            new in the client list\n"
    "    - server /src/gone.ts            no longer in the server list\n"
    "    ~ server -> client /src/x.tsx    moved from one list to the other\n"
    "\n"
    "  --json    print {\"added\": [...], \"removed\": [...], \"moved\": [...]}\n"
    "\n"
    "  Exit status: 0 no change, 1 changes, 2 bad input or usage.\n";

static void print_json_changes(const struct dscan_diff *d)
{
    static const char *const keys[] = {"added", "removed", "moved"};
    size_t n = dscan_diff_count(d);

    fputs("{", stdout);
    for (int k = 0; k < 3; k++) {
        size_t shown = 0;
        printf("%s\n  \"%s\": [", k ? "," : "", keys[k]);
        for (size_t i = 0; i < n; i++) {
            const struct dscan_change *c = dscan_diff_at(d, i);
            int kind = c->from == DSCAN_LIST_NONE ? 0 : c->to == DSCAN_LIST_NONE ? 1 : 2;
            if (kind != k)
                continue;
            fputs(shown++ ? ",\n    {\"path\": " : "\n    {\"path\": ", stdout);
            cli_json_string(stdout, c->path);
            if (k == 0)
                printf(", \"list\": \"%s\"}", dscan_list_name(c->to));
            else if (k == 1)
                printf(", \"list\": \"%s\"}", dscan_list_name(c->from));
            else
                printf(", \"from\": \"%s\", \"to\": \"%s\"}", dscan_list_name(c->from),
                       dscan_list_name(c->to));
        }
        fputs(shown ? "\n  ]" : "]", stdout);
    }
    fputs("\n}\n", stdout);
}

static void print_text_changes(const struct dscan_diff *d)
{
    size_t n = dscan_diff_count(d), added = 0, removed = 0, moved = 0;

    for (size_t i = 0; i < n; i++) {
        const struct dscan_change *c = dscan_diff_at(d, i);
        if (c->from == DSCAN_LIST_NONE) {
            printf("+ %s %s\n", dscan_list_name(c->to), c->path);
            added++;
        } else if (c->to == DSCAN_LIST_NONE) {
            printf("- %s %s\n", dscan_list_name(c->from), c->path);
            removed++;
        } else {
            printf("~ %s -> %s %s\n", dscan_list_name(c->from), dscan_list_name(c->to), c->path);
            moved++;
        }
    }
    if (n)
        printf("%zu change%s: %zu added, %zu removed, %zu moved\n", n, n == 1 ? "" : "s", added,
               removed, moved);
    else
        puts("no change");
}

int cli_diff(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    int n_files = 0;
    bool json = false;
    struct dscan_diff *d = NULL;
    struct dscan_error err = {0};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(diff_usage, stdout);
            return EXIT_DIFF_SAME;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_error("unknown option '%s' for 'diff'", a);
            cli_see_help("diff");
            return EXIT_DIFF_BAD;
        } else if (n_files == 2) {
            cli_error("diff takes two results, not '%s' as a third", a);
            cli_see_help("diff");
            return EXIT_DIFF_BAD;
        } else {
            files[n_files++] = a;
        }
    }
    if (n_files != 2) {
        cli_error("diff needs two results: A.json (baseline) and B.json");
        cli_see_help("diff");
        return EXIT_DIFF_BAD;
    }
    if (dscan_diff_files(files[0], files[1], NULL, &d, &err) != DSCAN_OK) {
        cli_error("%s", err.message[0] ? err.message : dscan_status_message(err.status));
        return EXIT_DIFF_BAD;
    }
    if (json)
        print_json_changes(d);
    else
        print_text_changes(d);
    int rc = dscan_diff_count(d) ? EXIT_DIFF_CHANGED : EXIT_DIFF_SAME;
    dscan_diff_free(d);
    return rc;
}
