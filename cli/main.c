/* dscan's entry point: picks the subcommand, and turns a failed write of
 * stdout (a full disk, a closed pipe reader) into an error and exit 1. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
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
    "  serve [ROOT]           keep a scan in memory, answer JSON requests on stdin (dscan serve --help)\n"
    "  gen OUTDIR             write a synthetic stress project (dscan gen --help)\n"
    "  help COMMAND           that command's help (same as dscan COMMAND --help)\n"
    "  --help | --version\n";

void cli_warning(const struct dscan_diagnostic *d)
{
    const char *at = d->path && *d->path && d->message ? strstr(d->message, d->path) : NULL;
    char pos[32];

    snprintf(pos, sizeof pos, " at %u:%u", d->line, d->col);
    if (d->line && d->path && *d->path && !at)
        fprintf(stderr, "warning: %s:%u:%u: %s [%s]\n", d->path, d->line, d->col, d->message,
                d->code);
    else if (d->line && at && !strstr(d->message, pos))
        // The message names its file already: the position goes after that
        // name, so the file is printed once (issue 14).
        fprintf(stderr, "warning: %.*s:%u:%u%s [%s]\n", (int)(at - d->message + strlen(d->path)),
                d->message, d->line, d->col, at + strlen(d->path), d->code);
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

char *cli_read_options_json(const char *arg)
{
    FILE *f = strcmp(arg, "-") == 0 ? stdin : fopen(arg, "rb");
    size_t len = 0, cap = 4096;
    char *buf = NULL;

    if (!f) {
        cli_error("cannot read options '%s': %s", arg, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (!buf || cap - len < 2) {
            char *nb = cap > (16u << 20) ? NULL : realloc(buf, buf ? cap *= 2 : cap);
            if (!nb) {
                cli_error("cannot read options '%s': %s", arg,
                          cap > (16u << 20) ? "larger than 16 MB" : strerror(ENOMEM));
                break;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                cli_error("cannot read options '%s': %s", arg, strerror(errno ? errno : EIO));
                break;
            }
            buf[len] = '\0';
            if (f != stdin)
                fclose(f);
            return buf;
        }
    }
    free(buf);
    if (f != stdin)
        fclose(f);
    return NULL;
}

int cli_see_help(const char *cmd)
{
    if (cmd)
        fprintf(stderr, "see dscan %s --help\n", cmd);
    else
        fputs("see dscan --help\n", stderr);
    return EXIT_USAGE;
}

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"scan", cli_scan}, {"diff", cli_diff}, {"resolve", cli_resolve},
    {"lex", cli_lex},   {"gen", cli_gen},   {"serve", cli_serve},
};

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "help") && argc > 2) {
        // `dscan help scan` is `dscan scan --help`.
        char help[] = "--help";
        char *sub[] = {argv[2], help, NULL};
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (!strcmp(argv[2], commands[i].name))
                return commands[i].run(2, sub);
        cli_error("no help for '%s': not a command", argv[2]);
        return cli_see_help(NULL);
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("dscan %s\n", DSCAN_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", cmd);
    return cli_see_help(NULL);
}

int main(int argc, char **argv)
{
    int rc = run(argc, argv);

    // Output lost to a full disk must not look like success: stdout is
    // buffered, so the failure shows at the latest when it is flushed here.
    // When an earlier write failed and nothing is left to flush, errno
    // still holds its reason: output is the last thing a command does.
    int earlier = errno;
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno ? errno : earlier ? earlier : EIO;
        cli_error("write error: %s", strerror(e));
        return rc == EXIT_SCAN_OK ? EXIT_SCAN_FAILED : rc;
    }
    return rc;
}
