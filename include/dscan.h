/* dscan — find the "use client" / "use server" modules of a JavaScript project.
 *
 * This is the only public header. It does what the command line does: scan a
 * project (dscan_run), resolve one specifier (dscan_resolver_*), lex one file
 * (dscan_lex_file). Ownership and lifetimes are stated at each function.
 *
 * Threads: the library keeps no global state; distinct handles may be used
 * from distinct threads at once. One handle is used by one thread at a time
 * unless its comment says otherwise.
 *
 * Errors: a function that can fail returns enum dscan_status (0 = DSCAN_OK)
 * and, when given one, fills a struct dscan_error with a message naming the
 * file and the reason. A bad file met during a scan is not a failure: it
 * becomes a diagnostic of the finished scan (SPEC §4.8).
 */
#ifndef DSCAN_H
#define DSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DSCAN_VERSION "0.1.0"

/* name, message. The order is the ABI: append only. */
#define DSCAN_STATUS_MAP(X)                       \
    X(OK, "success")                              \
    X(ENOMEM, "out of memory")                    \
    X(EINVAL, "invalid argument")                 \
    X(ENOENT, "no such file or directory")        \
    X(EIO, "input/output error")                  \
    X(EPARSE, "parse error")                      \
    X(ELIMIT, "limit exceeded")                   \
    X(ECONFIG, "bad configuration")               \
    X(ENOTFOUND, "cannot resolve")                \
    X(ELOOP, "too many levels of symbolic links") \
    X(ENOEDGES, "the scan kept no import edges (set dscan_options.keep_edges)")

enum dscan_status {
#define DSCAN_STATUS_ENUM(name, msg) DSCAN_##name,
    DSCAN_STATUS_MAP(DSCAN_STATUS_ENUM)
#undef DSCAN_STATUS_ENUM
};

/* "ENOMEM" and "out of memory" for DSCAN_ENOMEM; static strings. */
const char *dscan_status_name(enum dscan_status status);
const char *dscan_status_message(enum dscan_status status);

struct dscan_error {
    enum dscan_status status;
    int sys_errno;     /* errno behind the failure, or 0 */
    char message[512]; /* "cannot read config 'x/dscan.json': expected ',' at 3:7" */
};

/* Every byte the library allocates goes through this, when given. realloc and
 * free receive only pointers this allocator returned. A scan calls it from its
 * worker threads at once, so it must be thread-safe (malloc's own functions are). */
struct dscan_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
};

enum dscan_env { DSCAN_ENV_WORKER = 0, DSCAN_ENV_CLIENT = 1 };
#define DSCAN_N_ENVS 2

enum dscan_mode { DSCAN_MODE_DEFAULT = 0, DSCAN_MODE_PRODUCTION, DSCAN_MODE_DEVELOPMENT };

enum dscan_import_kind {
    DSCAN_IMPORT_STATIC = 0, /* import … from "x", import "x" */
    DSCAN_IMPORT_REEXPORT,   /* export … from "x" */
    DSCAN_IMPORT_DYNAMIC,    /* import("x") */
    DSCAN_IMPORT_REQUIRE,    /* require("x"), import x = require("x") */
};

/* A list of C strings. `set` distinguishes "not given" (use the config or the
 * default) from "given and empty". */
struct dscan_strings {
    const char *const *items;
    size_t n;
    bool set;
};

struct dscan_env_options {
    struct dscan_strings conditions;
    struct dscan_strings main_fields;
};

struct dscan_alias {
    const char *find; /* exact specifier or prefix followed by '/' (Vite's string alias) */
    const char *replacement;
};

struct dscan_event;

/* Options of a scan or a resolver. Zero-initialised means: ROOT ".", read
 * ROOT/dscan.json if it exists, and SPEC §2's defaults. Anything set here
 * overrides the config file. All strings are copied; the caller keeps them. */
struct dscan_options {
    const char *root;
    const char *config_path; /* NULL: ROOT/dscan.json when it exists; relative to the cwd */
    /* Relative paths here and in the config file (entries, src_dir, tsconfig,
     * alias replacements starting with "./" or "../") are relative to ROOT. */
    struct dscan_strings entries;
    const char *src_dir; /* NULL: config's srcDir, else "src" */
    bool no_prescan;
    enum dscan_mode mode;
    struct dscan_env_options env[DSCAN_N_ENVS];
    struct dscan_strings extensions;
    const struct dscan_alias *alias;
    size_t n_alias;
    bool alias_set;
    struct dscan_strings external;
    const char *tsconfig; /* NULL: config's, else ROOT/tsconfig.json */
    /* A JSON object with the config file's keys (SPEC §2), laid over the
     * config file key by key (environments per side and list); the fields
     * above still override both. Messages about it name options_json_name
     * (e.g. "-" for stdin); the config file's own errors name the file. */
    const char *options_json;
    const char *options_json_name;

    unsigned threads;                    /* 0: one per CPU, at most 8 */
    size_t memory_limit;                 /* bytes of library heap; 0: none. Past it: DSCAN_ENOMEM */
    const struct dscan_allocator *alloc; /* NULL: libc */

    /* Keep the import edges so dscan_why can answer; costs memory per edge. */
    bool keep_edges;
    /* Compute the cost report (SPEC §5a, dscan_package_*, dscan_barrel_*);
     * implies keep_edges. */
    bool report;
    /* Precise mode (SPEC §4.10): list only the directive modules a running
     * app can reference, following re-exports per name. Also config
     * "precise": true. */
    bool precise;

    /* Called from a library thread while the scan runs (ticks and progress);
     * must be thread-safe with respect to the caller's own code. */
    void (*on_event)(void *ctx, const struct dscan_event *event);
    void *event_ctx;
    unsigned tick_ms; /* 0: no ticks */
};

enum dscan_event_kind { DSCAN_EVENT_TICK = 0, DSCAN_EVENT_DONE };

struct dscan_event {
    enum dscan_event_kind kind;
    double t_s;         /* since the scan started */
    size_t rss_kb;      /* process resident set now */
    size_t peak_rss_kb; /* process high-water mark */
    size_t heap_bytes;  /* library heap now (counting allocator) */
    size_t modules;     /* (module, environment) pairs visited so far */
    size_t files_read;  /* distinct files read */
    uint64_t bytes_read;
};

struct dscan_stats {
    size_t modules;    /* (module, environment) pairs visited */
    size_t files_read; /* read() of distinct files */
    uint64_t bytes_read;
    size_t duplicate_reads; /* files read more than once: 0 by construction, counted */
    size_t resolve_calls;
    size_t stat_calls;
    size_t diagnostics;
    size_t paths_interned;
    double wall_ms;
    size_t peak_rss_kb;
    size_t peak_heap_bytes; /* high-water mark of the library's own heap */
    unsigned threads;
    double cpu_ms; /* user + system CPU time of the whole process during the scan */
};

enum dscan_severity { DSCAN_WARNING = 0, DSCAN_ERROR };

struct dscan_diagnostic {
    enum dscan_severity severity;
    const char *code;    /* short stable word: "parse", "read", "limit", "case", "config" … */
    const char *path;    /* the file concerned, absolute; may be "" */
    unsigned line, col;  /* 1-based; 0 when not about a position */
    const char *message; /* git style: "cannot parse 'x/package.json': expected ',' at 3:7" */
};

struct dscan_unresolved {
    const char *specifier;
    const char *importer; /* written as in the result lists */
    enum dscan_env env;
    const char *reason;
};

struct dscan; /* opaque: one finished scan and everything it found */

/* Runs a scan. On DSCAN_OK, *out owns all results until dscan_free(*out).
 * On failure *out is NULL and *err (when not NULL) says why: root or entry
 * missing, unreadable or invalid config, out of memory. A bad file is not a
 * failure. Safe to call from several threads at once. */
enum dscan_status dscan_run(const struct dscan_options *opts, struct dscan **out,
                            struct dscan_error *err);
void dscan_free(struct dscan *scan); /* NULL is a no-op */

/* Results. Strings live until dscan_free. Lists are sorted byte-wise, and
 * paths are written as SPEC §3 says ("/src/a.tsx" inside ROOT). */
const char *dscan_root(const struct dscan *scan); /* absolute real path */
size_t dscan_client_count(const struct dscan *scan);
const char *dscan_client_at(const struct dscan *scan, size_t i);
size_t dscan_server_count(const struct dscan *scan);
const char *dscan_server_at(const struct dscan *scan, size_t i);
size_t dscan_unresolved_count(const struct dscan *scan);
const struct dscan_unresolved *dscan_unresolved_at(const struct dscan *scan, size_t i);
size_t dscan_diagnostic_count(const struct dscan *scan);
const struct dscan_diagnostic *dscan_diagnostic_at(const struct dscan *scan, size_t i);
void dscan_get_stats(const struct dscan *scan, struct dscan_stats *out); /* out NULL: no-op */

/* Every source file the scan read, as absolute real paths sorted byte-wise:
 * for benchmarks that compare the scan with the bare cost of reading the
 * same files (bench/floor). Package.json and tsconfig files are not listed. */
size_t dscan_file_count(const struct dscan *scan);
const char *dscan_file_at(const struct dscan *scan, size_t i);

enum dscan_root_kind {
    DSCAN_ROOT_NONE = 0, /* not a root: reached through an import */
    DSCAN_ROOT_ENTRY,    /* an entry (--entry, the config's, or src/worker.*) */
    DSCAN_ROOT_PRESCAN,  /* a directive file the pre-scan of srcDir found */
};

/* One step of an import chain: the module (written as in the result lists),
 * the environment it was visited in, and how the previous step's file
 * imports it. The first step is a root and has no specifier. */
struct dscan_chain_step {
    const char *path;
    enum dscan_env env;
    const char *specifier;     /* as written in the previous step's file; NULL for the first */
    unsigned line;             /* of that import in the previous step's file; 0 for the first */
    enum dscan_root_kind root; /* the first step's kind; DSCAN_ROOT_NONE for the others */
};

/* One shortest chain from an entry or pre-scan root to `path` (written as in
 * the result lists, or absolute). Needs opts.keep_edges. On DSCAN_OK *steps
 * points at *n_steps steps owned by the scan (valid until dscan_free);
 * DSCAN_ENOTFOUND when the module was not visited; DSCAN_ENOEDGES when the
 * scan ran without keep_edges (nor report), so it has no chains to give. */
enum dscan_status dscan_why(struct dscan *scan, const char *path,
                            const struct dscan_chain_step **steps, size_t *n_steps);

/* ---- The cost report (SPEC §5a; needs opts.report) -------------------- */

/* The files of one package the scan read. A file belongs to the nearest
 * package.json above it that has a "name"; ROOT's own files are "(app)",
 * files outside ROOT and any named package "(none)". The files of all
 * packages add up to stats.files_read. */
struct dscan_package {
    const char *name;
    const char *version;   /* "" when its package.json has none */
    size_t files;          /* files read */
    uint64_t bytes;        /* bytes of those files */
    size_t modules;        /* (file, environment) pairs visited */
    size_t client, server; /* of its files, how many are in each list */
};

/* Sorted by files, largest first; NULL past the end or without a report. */
size_t dscan_package_count(const struct dscan *scan);
const struct dscan_package *dscan_package_at(const struct dscan *scan, size_t i);
/* The package (index for dscan_package_at) of the i-th client or server
 * module; SIZE_MAX without a report. */
size_t dscan_client_package(const struct dscan *scan, size_t i);
size_t dscan_server_package(const struct dscan *scan, size_t i);
/* Package i's file fewest imports away from an entry or pre-scan root,
 * written as the lists write paths (what explains why the package is read
 * at all); NULL without a report. */
const char *dscan_package_nearest(const struct dscan *scan, size_t i);

/* A module whose re-exports reach many files (SPEC §5a: 50 or more), such
 * as an icon package's index. */
struct dscan_barrel {
    const char *path; /* written as in the result lists */
    size_t package;   /* index for dscan_package_at */
    size_t reached;   /* files reached through its re-exports */
    size_t needed;    /* of those, the files precise mode (SPEC §4.10) would reach */
    size_t importers; /* files that import it */
    const char *const *imported_names; /* distinct names imported from it, sorted; */
    size_t n_imported_names;           /* "*" alone when some importer uses all */
};

/* Sorted by reached, largest first; NULL past the end or without a report. */
size_t dscan_barrel_count(const struct dscan *scan);
const struct dscan_barrel *dscan_barrel_at(const struct dscan *scan, size_t i);

/* ---- Resolving one specifier ------------------------------------------ */

struct dscan_resolver; /* caches directory listings, package.json files, real paths */

/* Opens a resolver with the options' root, config, mode and resolution
 * settings (scan-only fields are ignored). Free with dscan_resolver_free. */
enum dscan_status dscan_resolver_new(const struct dscan_options *opts, struct dscan_resolver **out,
                                     struct dscan_error *err);
void dscan_resolver_free(struct dscan_resolver *resolver);

enum dscan_resolved_kind {
    DSCAN_RESOLVED_FILE = 0, /* path is the real path of a file */
    DSCAN_RESOLVED_EMPTY,    /* browser field maps it to false: an empty module */
    DSCAN_RESOLVED_EXTERNAL, /* builtin, node:, virtual:, URL, configured external: not resolved */
};

struct dscan_resolve_request {
    const char *specifier;
    const char *importer; /* absolute or relative to the cwd: the importing file */
    enum dscan_env env;
    enum dscan_import_kind kind; /* DSCAN_IMPORT_REQUIRE selects the "require" condition */
    /* When set, replaces the environment's explicit conditions; import or
     * require, default and the mode's condition still apply (SPEC §1). */
    struct dscan_strings conditions;
};

struct dscan_resolved {
    enum dscan_resolved_kind kind;
    const char *path; /* FILE: absolute real path, valid until the next call on this resolver */
};

/* DSCAN_OK and *out, or DSCAN_ENOTFOUND / DSCAN_ELOOP / … with err->message
 * saying why ("cannot resolve 'x' from '/a/b.ts': no package 'x' in node_modules"). */
enum dscan_status dscan_resolve(struct dscan_resolver *resolver,
                                const struct dscan_resolve_request *req, struct dscan_resolved *out,
                                struct dscan_error *err);

/* Diagnostics met while resolving (malformed package.json …), owned by the
 * resolver. A returned pointer is valid until the next dscan_resolve call on
 * the same resolver (the list may grow and move); copy what must outlive it. */
size_t dscan_resolver_diagnostic_count(const struct dscan_resolver *resolver);
const struct dscan_diagnostic *dscan_resolver_diagnostic_at(const struct dscan_resolver *resolver,
                                                            size_t i);

/* ---- Lexing one file -------------------------------------------------- */

/* A name an import or re-export takes (SPEC §4.10): `imported` is
 * "default", "*" (namespace, `export *`) or the name; `local` is the
 * binding an import creates or the name a re-export exports ("" for a plain
 * `export * from`). Type-only names are left out. */
struct dscan_lex_name {
    const char *imported;
    const char *local;
};

struct dscan_lex_import {
    const char *specifier;
    enum dscan_import_kind kind;
    unsigned line;
    const struct dscan_lex_name *names; /* none for `import "x"`, import(), require() */
    size_t n_names;
};

/* A name the module exports from its own scope; `local` is the binding
 * (`export {a as b}`: name "b", local "a"), "" for `export default <expr>`. */
struct dscan_lex_export {
    const char *name;
    const char *local;
};

struct dscan_lexed {
    const char *const *directives; /* the directive prologue, in order */
    size_t n_directives;
    const struct dscan_lex_import *imports; /* source order, type-only imports left out */
    size_t n_imports;
    const struct dscan_diagnostic *diagnostics; /* lexing problems, e.g. unterminated string */
    size_t n_diagnostics;
    const struct dscan_lex_export *exports; /* local exports, source order, type-only left out */
    size_t n_exports;
    bool barrel;         /* only import/export declarations (a pure barrel, SPEC §4.10) */
    bool module_syntax;  /* an import or export declaration was seen */
    bool exports_unsure; /* `exports` may miss names (`export =`, an export not read whole) */
};

/* Lexes one file; the language follows its extension (.ts/.tsx/.mdx …).
 * *out is owned by the caller: dscan_lexed_free. */
enum dscan_status dscan_lex_file(const char *path, const struct dscan_allocator *alloc,
                                 struct dscan_lexed **out, struct dscan_error *err);
void dscan_lexed_free(struct dscan_lexed *lexed);

/* ---- Comparing two results (dscan diff, SPEC §5a) ---------------------- */

enum dscan_list { DSCAN_LIST_NONE = 0, DSCAN_LIST_CLIENT, DSCAN_LIST_SERVER };

/* One module that moved: into a list (from NONE), out of one (to NONE), or
 * between them. `path` is written as in the results. */
struct dscan_change {
    const char *path;
    enum dscan_list from, to;
};

struct dscan_diff;

/* Reads two results as `dscan scan --json` writes them (only "client" and
 * "server" are read) and lists the modules whose list differs, sorted by
 * path. DSCAN_EIO/ENOENT (unreadable), DSCAN_EPARSE (not JSON, or not a
 * result) with err->message naming the file; DSCAN_ENOMEM. *out is the
 * caller's: dscan_diff_free. Thread-safe. */
enum dscan_status dscan_diff_files(const char *a_file, const char *b_file,
                                   const struct dscan_allocator *alloc, struct dscan_diff **out,
                                   struct dscan_error *err);
size_t dscan_diff_count(const struct dscan_diff *diff);
const struct dscan_change *dscan_diff_at(const struct dscan_diff *diff, size_t i);
void dscan_diff_free(struct dscan_diff *diff);     /* NULL is a no-op */
const char *dscan_list_name(enum dscan_list list); /* "client", "server", "none" */

/* ---- A persistent scanner (SPEC §5b) ---------------------------------- */

/* A session keeps the module graph, the files' facts and the resolver's
 * caches between scans, so an update after an edit re-reads only the files
 * named in it. After any sequence of updates its result equals a fresh
 * dscan_run of the same tree. One session is used by one thread at a time. */
struct dscan_session;

/* Opens a session: loads the config (the options are copied, as by
 * dscan_run; opts.threads, keep_edges and the event fields are ignored) but
 * scans nothing yet. dscan_session_close frees it. */
enum dscan_status dscan_session_open(const struct dscan_options *opts, struct dscan_session **out,
                                     struct dscan_error *err);
void dscan_session_close(struct dscan_session *session); /* NULL is a no-op */

/* A full scan: every cache dropped, every file read again. On failure (entry
 * missing, nothing to scan) the session keeps its last result and stays
 * usable. */
enum dscan_status dscan_session_scan(struct dscan_session *session, struct dscan_error *err);

/* Updates after the files `changed` (edited or added) and `removed` (deleted)
 * changed on disk: absolute paths, or relative to ROOT. A path that the
 * session does not know is fine. Runs a full scan when there was none. */
enum dscan_status dscan_session_update(struct dscan_session *session, const char *const *changed,
                                       size_t n_changed, const char *const *removed,
                                       size_t n_removed, struct dscan_error *err);

/* Resolutions given from outside for imports the last result listed as
 * unresolved (a Vite plugin's resolveId): the scan goes on from `path` (an
 * existing file) in `env`, and the answer stands for later updates (used
 * while dscan itself still cannot resolve that import from that importer;
 * a full dscan_session_scan forgets it). Items whose path does not exist
 * are ignored. Walks
 * again when any was new; *n_new (when not NULL) says how many were. */
struct dscan_session_resolved {
    const char *specifier;
    const char *importer; /* as in the result lists, or absolute */
    enum dscan_env env;
    const char *path; /* absolute */
};
enum dscan_status dscan_session_resolved(struct dscan_session *session,
                                         const struct dscan_session_resolved *items, size_t n,
                                         size_t *n_new, struct dscan_error *err);

/* The last result, as dscan_client_at & co. describe it; strings live until
 * the next scan or update. stats.files_read counts the files the last call
 * read, stats.modules the modules of the result. */
const char *dscan_session_root(const struct dscan_session *session);
size_t dscan_session_client_count(const struct dscan_session *session);
const char *dscan_session_client_at(const struct dscan_session *session, size_t i);
size_t dscan_session_server_count(const struct dscan_session *session);
const char *dscan_session_server_at(const struct dscan_session *session, size_t i);
size_t dscan_session_unresolved_count(const struct dscan_session *session);
const struct dscan_unresolved *dscan_session_unresolved_at(const struct dscan_session *session,
                                                           size_t i);
void dscan_session_get_stats(const struct dscan_session *session, struct dscan_stats *out);

/* What the last call changed in `list` (DSCAN_LIST_CLIENT or _SERVER):
 * paths that entered it (added) or left it, sorted. After the first scan
 * everything is added. */
size_t dscan_session_delta_count(const struct dscan_session *session, enum dscan_list list,
                                 bool added);
const char *dscan_session_delta_at(const struct dscan_session *session, enum dscan_list list,
                                   bool added, size_t i);

const char *dscan_import_kind_name(enum dscan_import_kind kind); /* "static", "reexport" … */
const char *dscan_env_name(enum dscan_env env);                  /* "worker", "client" */

#ifdef __cplusplus
}
#endif
#endif
