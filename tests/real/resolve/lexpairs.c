/* lexpairs: reads file paths (one per line) on stdin and prints, for each
 * import dscan's lexer finds in them, "FILE<TAB>SPECIFIER<TAB>import|require"
 * (static, re-export and dynamic imports are "import"). The differential
 * test's request list is built from it, so the resolver is checked on
 * exactly the pairs the scan would follow. Built by the test script:
 *   cc -O2 -Iinclude -o lexpairs tests/real/resolve/lexpairs.c build/libdscan.a -lpthread -lm */
#include <stdio.h>
#include <string.h>

#include "dscan.h"

int main(void)
{
    char path[8192];
    unsigned long files = 0, pairs = 0, failed = 0;

    while (fgets(path, sizeof path, stdin)) {
        size_t n = strlen(path);
        if (n && path[n - 1] == '\n')
            path[--n] = '\0';
        if (!n)
            continue;
        struct dscan_lexed *lx = NULL;
        struct dscan_error err = {0};
        if (dscan_lex_file(path, NULL, &lx, &err) != DSCAN_OK) {
            failed++;
            continue;
        }
        files++;
        for (size_t i = 0; i < lx->n_imports; i++) {
            const char *s = lx->imports[i].specifier;
            if (strchr(s, '\t') || strchr(s, '\n') || !*s)
                continue;
            printf("%s\t%s\t%s\n", path, s,
                   lx->imports[i].kind == DSCAN_IMPORT_REQUIRE ? "require" : "import");
            pairs++;
        }
        dscan_lexed_free(lx);
    }
    fprintf(stderr, "lexpairs: %lu files, %lu imports, %lu unreadable\n", files, pairs, failed);
    return 0;
}
