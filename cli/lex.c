/* `dscan lex`. Placeholder until its owner lands it: says so and fails. */
#include "cli.h"

int cli_lex(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'lex' is not built yet");
    return EXIT_SCAN_FAILED;
}
