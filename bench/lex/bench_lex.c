/* Lexing throughput of ds_lex on files held in memory.
 *
 *   bench_lex ROUNDS < FILES.txt
 *
 * Reads every file named on stdin once (each padded as ds_read_file pads),
 * then lexes the whole set ROUNDS times and prints the best round:
 * "dscan files=N bytes=B best_s=T MBps=X imports=I". Built by bench/lex/run.sh;
 * with -DBENCH_IMPORTS_ONLY it times what a plain scan asks for, ds_lex_for
 * with DS_LEX_IMPORTS (no names, exports or barrel flag), instead of ds_lex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lex.h"

#ifdef BENCH_IMPORTS_ONLY
#define LEX(src, len, lang, scratch, out) ds_lex_for(src, len, lang, DS_LEX_IMPORTS, scratch, out)
#else
#define LEX(src, len, lang, scratch, out) ds_lex(src, len, lang, scratch, out)
#endif

struct file {
    struct ds_str src;
    enum ds_lang lang;
};

static double now(void)
{
    struct timespec ts;
    // CPU time, not wall time: the machine is shared, and a round that was
    // descheduled must not count as slow (bench.mjs measures the same way).
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    char path[8192];
    struct ds_alloc alloc;
    struct ds_arena files_arena, scratch;
    struct file *files = NULL;
    size_t n = 0, cap = 0;
    uint64_t bytes = 0;

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&files_arena, &alloc, 1 << 20);
    ds_arena_init(&scratch, &alloc, 1 << 20);
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = 0;
        struct ds_read_error why;
        struct file f;
        if (ds_read_file(path, DS_MAX_FILE_BYTES, &files_arena, &f.src, &why) != DS_OK)
            continue;
        f.lang = ds_lang_of_path(ds_str_cstr(path));
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            files = realloc(files, cap * sizeof *files);
        }
        files[n++] = f;
        bytes += f.src.len;
    }
    double best = 1e9;
    size_t imports = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now();
        imports = 0;
        for (size_t i = 0; i < n; i++) {
            struct ds_lex_result res;
            if (LEX(files[i].src.ptr, files[i].src.len, files[i].lang, &scratch, &res) != DS_OK)
                return 1;
            imports += res.n_imports;
            ds_arena_reset(&scratch);
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    printf("dscan files=%zu bytes=%llu best_s=%.6f MBps=%.1f imports=%zu\n", n,
           (unsigned long long)bytes, best, (double)bytes / 1e6 / best, imports);
    free(files);
    ds_arena_release(&scratch);
    ds_arena_release(&files_arena);
    return 0;
}
