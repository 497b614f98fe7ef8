/* bench/json: parses one file with ds_json_parse and prints wall time and
 * peak library heap, to compare against Node's JSON.parse on the same file
 * (run.sh). Not part of the test suite: no timing assertions anywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "json.h"
#include "readfile.h"

int main(int argc, char **argv)
{
    struct ds_alloc alloc;
    struct ds_arena file, tree;
    struct ds_str text;
    struct ds_read_error why;
    struct ds_json *v;
    struct ds_json_error err = {0};
    struct timespec t0, t1;

    if (argc < 2)
        return 2;
    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&file, &alloc, 0);
    ds_arena_init(&tree, &alloc, 0);
    if (ds_read_file(argv[1], 1u << 30, &file, &text, &why) != DS_OK)
        return 1;
    size_t before = atomic_load(&alloc.current);
    atomic_store(&alloc.peak, before);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum ds_status st =
        ds_json_parse(text, argc > 2 ? DS_JSON_JSONC : DS_JSON_STRICT, &tree, &v, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("dscan  %-10s %8.1f ms  heap %7.1f MB  (input %.1f MB)\n", st == DS_OK ? "ok" : err.what,
           ms, (double)(atomic_load(&alloc.peak) - before) / 1e6, (double)text.len / 1e6);
    ds_arena_release(&tree);
    ds_arena_release(&file);
    return st != DS_OK;
}
