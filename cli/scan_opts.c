/* The options that say what to scan, shared by `dscan scan` and `dscan serve`
 * (SPEC §1, §5b): ROOT, --entry, --config, --options-json, --src,
 * --no-prescan and --mode, their messages and the rules between them. Each
 * is written here once; a subcommand matches its own options first and hands
 * every other argument to cli_scan_opts_take. What a subcommand does with
 * the options (run a scan, open a session) stays in its own file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *cli_opt_value(int argc, char **argv, int *i, const char *name, bool *bad)
{
    size_t n = strlen(name);
    const char *a = argv[*i];

    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        cli_error("option '%s' needs a value", name);
        *bad = true;
        return NULL;
    }
    return argv[++*i];
}

static void take_entry(struct cli_scan_opts *so, const char *v, bool *bad)
{
    if (so->n_entries == so->max_entries) {
        cli_error("too many --entry options: at most %zu", so->max_entries);
        *bad = true;
    } else {
        so->entries[so->n_entries++] = v;
    }
}

static void take_mode(struct cli_scan_opts *so, const char *v, bool *bad)
{
    if (!strcmp(v, "production")) {
        so->opts->mode = DSCAN_MODE_PRODUCTION;
    } else if (!strcmp(v, "development")) {
        so->opts->mode = DSCAN_MODE_DEVELOPMENT;
    } else {
        cli_error("invalid --mode '%s': expected development or production", v);
        *bad = true;
    }
}

void cli_scan_opts_take(struct cli_scan_opts *so, int argc, char **argv, int *i, bool *bad)
{
    const char *a = argv[*i], *v;

    if (!strcmp(a, "--no-prescan")) {
        so->opts->no_prescan = true;
    } else if ((v = cli_opt_value(argc, argv, i, "--entry", bad)) != NULL) {
        take_entry(so, v, bad);
    } else if ((v = cli_opt_value(argc, argv, i, "--config", bad)) != NULL) {
        so->opts->config_path = v;
    } else if ((v = cli_opt_value(argc, argv, i, "--options-json", bad)) != NULL) {
        if (!strcmp(v, "-") && so->stdin_taken) {
            cli_error("--options-json - cannot be used with %s: %s; give a file", so->cmd,
                      so->stdin_taken);
            *bad = true;
        }
        so->options_json = v;
    } else if ((v = cli_opt_value(argc, argv, i, "--src", bad)) != NULL) {
        so->opts->src_dir = v;
    } else if ((v = cli_opt_value(argc, argv, i, "--mode", bad)) != NULL) {
        take_mode(so, v, bad);
    } else if (*bad) {
        // An option above lacked its value: said already.
    } else if (a[0] == '-' && a[1] != '\0') {
        cli_error("unknown option '%s' for '%s'", a, so->cmd);
        *bad = true;
    } else if (so->root) {
        cli_error("more than one ROOT: '%s' and '%s'", so->root, a);
        *bad = true;
    } else {
        so->root = a;
    }
}

int cli_scan_opts_finish(struct cli_scan_opts *so, bool bad)
{
    struct dscan_options *opts = so->opts;

    if (!bad && opts->no_prescan && opts->src_dir) {
        cli_error("--src and --no-prescan cannot be used together");
        bad = true;
    }
    if (bad)
        return cli_see_help(so->cmd);
    if (so->options_json) {
        so->options_text = cli_read_options_json(so->options_json);
        if (!so->options_text)
            return EXIT_SCAN_FAILED;
        opts->options_json = so->options_text;
        opts->options_json_name = so->options_json;
    }
    opts->root = so->root ? so->root : ".";
    opts->entries = (struct dscan_strings){so->entries, so->n_entries, so->n_entries > 0};
    return EXIT_SCAN_OK;
}
