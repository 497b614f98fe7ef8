/* `dscan lex FILE`: a file's directive prologue and imports as one line of
 * JSON (SPEC §1). Lexing problems go to stderr as warnings; the JSON is
 * still printed, since the lexer always gives its best result. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char lex_usage[] = "usage: dscan lex FILE\n"
                                "\n"
                                "Prints {\"directives\":[…],\"imports\":[{\"specifier\":…,"
                                "\"kind\":\"static|reexport|dynamic|require\"}],\n"
                                "  \"importNames\":[[{\"imported\":…,\"local\":…}] per import],"
                                "\"exports\":[{\"name\":…,\"local\":…}],\n"
                                "  \"barrel\":bool,\"moduleSyntax\":bool,\"exportsUnsure\":bool}\n";

/* The keys added for precise mode (issue 15): importNames (one array per
 * import, in the order of "imports"), exports, barrel, moduleSyntax,
 * exportsUnsure. */
static void print_names(const struct dscan_lexed *lexed)
{
    fputs(",\"importNames\":[", stdout);
    for (size_t i = 0; i < lexed->n_imports; i++) {
        fputs(i ? ",[" : "[", stdout);
        for (size_t k = 0; k < lexed->imports[i].n_names; k++) {
            fputs(k ? ",{\"imported\":" : "{\"imported\":", stdout);
            cli_json_string(stdout, lexed->imports[i].names[k].imported);
            fputs(",\"local\":", stdout);
            cli_json_string(stdout, lexed->imports[i].names[k].local);
            fputc('}', stdout);
        }
        fputc(']', stdout);
    }
    fputs("],\"exports\":[", stdout);
    for (size_t i = 0; i < lexed->n_exports; i++) {
        fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
        cli_json_string(stdout, lexed->exports[i].name);
        fputs(",\"local\":", stdout);
        cli_json_string(stdout, lexed->exports[i].local);
        fputc('}', stdout);
    }
    printf("],\"barrel\":%s,\"moduleSyntax\":%s,\"exportsUnsure\":%s",
           lexed->barrel ? "true" : "false", lexed->module_syntax ? "true" : "false",
           lexed->exports_unsure ? "true" : "false");
}

int cli_lex(int argc, char **argv)
{
    const char *file = NULL;
    struct dscan_lexed *lexed = NULL;
    struct dscan_error err = {0};

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(lex_usage, stdout);
            return EXIT_SCAN_OK;
        }
        if (argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
            cli_error("lex: unknown option '%s'", argv[i]);
            cli_see_help("lex");
            return EXIT_USAGE;
        }
        if (!strcmp(argv[i], "--") && i + 1 < argc)
            i++;
        if (file) {
            cli_error("lex: one FILE only");
            cli_see_help("lex");
            return EXIT_USAGE;
        }
        file = argv[i];
    }
    if (!file) {
        cli_error("lex: missing FILE");
        cli_see_help("lex");
        return EXIT_USAGE;
    }
    if (dscan_lex_file(file, NULL, &lexed, &err) != DSCAN_OK) {
        cli_error("%s", err.message);
        return EXIT_SCAN_FAILED;
    }
    for (size_t i = 0; i < lexed->n_diagnostics; i++)
        cli_warning(&lexed->diagnostics[i]);

    fputs("{\"directives\":[", stdout);
    for (size_t i = 0; i < lexed->n_directives; i++) {
        if (i)
            fputc(',', stdout);
        cli_json_string(stdout, lexed->directives[i]);
    }
    fputs("],\"imports\":[", stdout);
    for (size_t i = 0; i < lexed->n_imports; i++) {
        if (i)
            fputc(',', stdout);
        fputs("{\"specifier\":", stdout);
        cli_json_string(stdout, lexed->imports[i].specifier);
        printf(",\"kind\":\"%s\"}", dscan_import_kind_name(lexed->imports[i].kind));
    }
    fputs("]", stdout);
    print_names(lexed);
    fputs("}\n", stdout);
    dscan_lexed_free(lexed);
    return EXIT_SCAN_OK;
}
