/* The cost report of a finished scan (SPEC §5a, `--report`): which package
 * the files read belong to, and which barrels fan out. It works on facts the
 * scan hands over once the walk is done (paths, bytes, the file graph) and
 * never touches the scan's own structures, so the scan's files stay free to
 * change shape. */
#ifndef DS_REPORT_H
#define DS_REPORT_H

#include "arena.h"

/* One file the scan met (read, or visited as a module), as the report needs it. */
struct ds_report_file {
    struct ds_str path; /* absolute real path */
    uint64_t bytes;     /* bytes read; 0 when not read */
    uint32_t modules;   /* (file, environment) pairs visited: 0, 1 or 2 */
    bool read_ok;       /* counted in stats.files_read */
    uint8_t list;       /* enum dscan_list the file is in */
};

/* What the report keeps of a file's lex when the scan is asked for one
 * (names interned in the scan's specifier interner, by id): the names each
 * import asks for, the names the file exports itself, and whether it is a
 * pure barrel (SPEC §4.10). */
struct ds_report_facts {
    uint32_t *imp_first; /* import i's names: [imp_first[i], imp_first[i + 1]) */
    uint32_t *imported;  /* "default", "*" or the name as written */
    uint32_t *local;     /* the binding, or the name a re-export exports ("" for `export *`) */
    uint32_t *export_name, *export_local; /* the file's own exports */
    uint32_t n_exports;
    bool barrel;
    bool exports_unsure; /* the lexer could not read every export */
    bool module_syntax;  /* ESM: without it (CommonJS), `export *` of it passes any name */
};

struct ds_interner;
struct ds_lex_result;

/* Keeps lr's names, exports and barrel flag in `arena`, names interned in
 * `names` (the scan's specifier interner: its caller holds the scan's
 * lock). DS_ENOMEM only. */
DS_MUST_CHECK enum ds_status ds_report_keep_facts(struct ds_arena *arena, struct ds_interner *names,
                                                  const struct ds_lex_result *lr,
                                                  struct ds_report_facts **out);

struct ds_report {
    struct dscan_package *packages; /* sorted: files, largest first */
    size_t n_packages;
    uint32_t *file_pkg;           /* by input file: index into packages, DS_NO_ID when none */
    uint8_t *side_effect_free;    /* by package: its package.json says "sideEffects": false */
    struct dscan_barrel *barrels; /* sorted: reached, largest first */
    size_t n_barrels;
    size_t *client_pkg, *server_pkg; /* by list position: package index, SIZE_MAX when none */
    const char **pkg_nearest; /* by package: its file nearest a root, as the lists write it */
};

/* How the report reaches package.json files: whether one exists, from the
 * scan's resolver's cached listings (one failed open() per directory
 * without a package.json was 2 % of a scan's CPU on bench/realapp), and
 * the reads through the scan's file-system backend (sys.h). NULL: no
 * listings, the default backend. */
struct ds_report_fs {
    enum ds_status (*is_file)(void *ctx, struct ds_str path, bool *out); /* NULL: ask none */
    void *ctx;
    const struct ds_sys *sys; /* what reads a package.json; NULL: ds_sys_default() */
};

/* Attributes each of files[0 .. n) to the nearest package.json above it that
 * has a "name" (inside `root`, ROOT's own files are "(app)"; outside ROOT
 * and any named package, "(none)") and sums them per (name, version).
 * Reads each directory's package.json at most once. Everything that
 * survives lives in `arena`; `alloc` holds the temporaries. DS_ENOMEM only:
 * an unreadable or malformed package.json is as if absent. Not thread-safe. */
DS_MUST_CHECK enum ds_status ds_report_packages(struct ds_report *r, struct ds_alloc *alloc,
                                                struct ds_arena *arena, struct ds_str root,
                                                const struct ds_report_file *files, size_t n,
                                                const struct ds_report_fs *fs);

/* The barrels of a finished scan (src/report_barrels.c): needs the graph's
 * edges, the files' facts, and r's packages. Files are numbered as for
 * ds_report_packages: file f is path id path_of_file[f], and
 * file_of_path[id] is its number. DS_ENOMEM only. */
DS_MUST_CHECK enum ds_status ds_report_barrels(struct ds_report *r, struct dscan *s,
                                               const uint32_t *file_of_path,
                                               const uint32_t *path_of_file, size_t n_files);

/* The whole report of a finished scan (after its result lists are built):
 * packages, barrels, the lists' packages. DS_ENOMEM only. */
DS_MUST_CHECK enum ds_status ds_report_build(struct dscan *s, struct ds_report *r);

#endif
