/* `dscan resolve`. Placeholder until its owner lands it: says so and fails. */
#include "cli.h"

int cli_resolve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_error("'resolve' is not built yet");
    return EXIT_SCAN_FAILED;
}
