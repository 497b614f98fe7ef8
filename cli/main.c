/* dscan's entry point: picks the subcommand. */
#include <stdarg.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: dscan <command> [options]\n"
    "\n"
    "  scan [ROOT]            find every \"use client\" / \"use server\" module reachable from the\n"
    "                         entries, for the worker and client sides (dscan scan --help)\n"
    "  diff A.json B.json     modules that moved into, out of or between the client and server\n"
    "                         lists of two scan results (exit 1 when any did)\n"
    "  resolve SPEC --from F  resolve one import specifier as Vite/Node would\n"
    "  lex FILE               print a file's directive prologue and imports as JSON\n"
    "  gen OUTDIR             write a synthetic stress project (dscan gen --help)\n"
    "  --help | --version\n";

void cli_warning(const struct dscan_diagnostic *d)
{
    if (d->line && d->path && *d->path)
        fprintf(stderr, "warning: %s:%u:%u: %s [%s]\n", d->path, d->line, d->col, d->message,
                d->code);
    else
        fprintf(stderr, "warning: %s [%s]\n", d->message, d->code);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("dscan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("dscan %s\n", DSCAN_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "scan"))
        return cli_scan(argc - 1, argv + 1);
    if (!strcmp(cmd, "diff"))
        return cli_diff(argc - 1, argv + 1);
    if (!strcmp(cmd, "resolve"))
        return cli_resolve(argc - 1, argv + 1);
    if (!strcmp(cmd, "lex"))
        return cli_lex(argc - 1, argv + 1);
    if (!strcmp(cmd, "gen"))
        return cli_gen(argc - 1, argv + 1);
    cli_error("unknown command '%s'", cmd);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
