/* The dscan command line: one file per subcommand. This is the only code
 * that parses argv, prints, or picks exit codes; it uses only dscan.h. */
#ifndef DSCAN_CLI_H
#define DSCAN_CLI_H

#include <stdio.h>

#include "dscan.h"

/* Exit codes (SPEC §1). */
#define EXIT_SCAN_OK     0
#define EXIT_SCAN_FAILED 1
#define EXIT_USAGE       2

int cli_scan(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_resolve(int argc, char **argv);
int cli_lex(int argc, char **argv);
int cli_gen(int argc, char **argv);
int cli_serve(int argc, char **argv);

/* Reports on a finished scan (cli/report*.c, SPEC §5a). */
void cli_report_json(FILE *out, const struct dscan *scan); /* the "report" key, then "," */
void cli_report_text(FILE *out, const struct dscan *scan); /* two tables */
int cli_report_html(struct dscan *scan, const char *file); /* exit status */
void cli_format_bytes(char *buf, size_t cap, uint64_t n);  /* "1.2 MB" */

/* --why FILE|PACKAGE: what the argument names, decided before the scan
 * (FILE relative to ROOT, as --entry). *file gets the path to explain. */
enum cli_why_kind { CLI_WHY_MISSING = 0, CLI_WHY_FILE, CLI_WHY_PACKAGE };
enum cli_why_kind cli_why_target(const char *root, const char *arg, char *file, size_t cap);
/* Prints only the chain(s), as text or as the "why" key of --json; returns
 * the exit status. */
int cli_why(FILE *out, struct dscan *scan, const char *arg, enum cli_why_kind kind,
            const char *file, bool json);

/* "--name VALUE" or "--name=VALUE" at argv[*i]: the value (*i moves past it),
 * or NULL when argv[*i] is not this option. A missing value is a usage
 * error, reported here: NULL with *bad set. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name, bool *bad);

/* What to scan, as `scan` and `serve` both take it (cli/scan_opts.c). The
 * caller sets cmd, opts, entries and max_entries (and stdin_taken), then
 * hands each argument it does not know itself to cli_scan_opts_take. */
struct cli_scan_opts {
    const char *cmd;            /* "scan" or "serve", as messages name it */
    const char *stdin_taken;    /* non-NULL: why --options-json - is refused */
    struct dscan_options *opts; /* gets --config, --src, --no-prescan, --mode */
    const char **entries;       /* the caller's array of max_entries */
    size_t max_entries, n_entries;
    const char *root, *options_json;
    char *options_text; /* read by cli_scan_opts_finish; free after the scan */
};
/* argv[*i] (and its value) as one of --no-prescan, --entry, --config,
 * --options-json, --src, --mode or ROOT; anything else starting with '-' is
 * an unknown option. A usage error is said here and sets *bad. */
void cli_scan_opts_take(struct cli_scan_opts *so, int argc, char **argv, int *i, bool *bad);
/* After the last argument: the rules between options, then --options-json
 * read and root and entries put in so->opts. Returns EXIT_SCAN_OK to go on,
 * else the exit status after saying why (bad: the usage error said). */
int cli_scan_opts_finish(struct cli_scan_opts *so, bool bad);

/* Writes s as a JSON string literal (quotes, escapes, invalid UTF-8 as U+FFFD). */
void cli_json_string(FILE *out, const char *s);

/* "dscan: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The text of `--options-json ARG` (a file, or "-" for stdin), malloc'd and
 * NUL-terminated; NULL after printing why it cannot be read. */
char *cli_read_options_json(const char *arg);
/* "see dscan CMD --help" (CMD NULL: "see dscan --help") on stderr, after a
 * usage error's one line; returns EXIT_USAGE. */
int cli_see_help(const char *cmd);
/* One diagnostic on stderr, in the one shape every subcommand uses:
 * "warning: FILE:LINE:COL: MESSAGE [code]", or without the position when it
 * has none. The message itself names the file and the reason. */
void cli_warning(const struct dscan_diagnostic *d);

#endif
