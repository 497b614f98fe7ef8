/* A Node-API addon around dscan_run, built only to measure the alternative
 * to driving the binary (npm/dscan/README.md, "Addon or binary").
 *
 *   scan(root, configPath|null, entries[]|null, srcDir|null, noPrescan, mode|null)
 *     -> Promise<{root, client[], server[], unresolved[], stats{}}>
 *
 * It takes the same inputs the package gives the binary (the temporary
 * config file among them), so the two differ only in process spawn + JSON
 * versus an in-process call. dscan_run runs on libuv's thread pool
 * (napi_create_async_work); the result object is built on the JS thread.
 * Not shipped: the package uses the binary. Built by build.sh with cc and
 * the headers of the npm package node-api-headers (no node-gyp). */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#include "dscan.h"

struct job {
    napi_async_work work;
    napi_deferred deferred;
    char *root, *config, *src_dir, *mode;
    char **entries;
    size_t n_entries;
    bool entries_set, no_prescan;
    struct dscan *scan;
    struct dscan_error err;
    enum dscan_status status;
};

static char *str_arg(napi_env env, napi_value v)
{
    napi_valuetype t;
    size_t len;
    char *s;

    if (napi_typeof(env, v, &t) != napi_ok || t != napi_string)
        return NULL;
    napi_get_value_string_utf8(env, v, NULL, 0, &len);
    s = malloc(len + 1);
    if (s)
        napi_get_value_string_utf8(env, v, s, len + 1, &len);
    return s;
}

static void execute(napi_env env, void *data)
{
    struct job *j = data;
    struct dscan_options o;

    (void)env;
    memset(&o, 0, sizeof o);
    o.root = j->root;
    o.config_path = j->config;
    o.src_dir = j->src_dir;
    o.no_prescan = j->no_prescan;
    if (j->mode)
        o.mode = strcmp(j->mode, "development") == 0 ? DSCAN_MODE_DEVELOPMENT : DSCAN_MODE_PRODUCTION;
    o.entries.items = (const char *const *)j->entries;
    o.entries.n = j->n_entries;
    o.entries.set = j->entries_set;
    j->status = dscan_run(&o, &j->scan, &j->err);
}

static napi_value str(napi_env env, const char *s)
{
    napi_value v;
    napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v);
    return v;
}

static napi_value num(napi_env env, double d)
{
    napi_value v;
    napi_create_double(env, d, &v);
    return v;
}

static napi_value list(napi_env env, const struct dscan *s, size_t (*count)(const struct dscan *),
                       const char *(*at)(const struct dscan *, size_t))
{
    napi_value arr;
    size_t n = count(s);

    napi_create_array_with_length(env, n, &arr);
    for (size_t i = 0; i < n; i++)
        napi_set_element(env, arr, (uint32_t)i, str(env, at(s, i)));
    return arr;
}

static void complete(napi_env env, napi_status status, void *data)
{
    struct job *j = data;
    napi_value res, arr, st;
    struct dscan_stats stats;

    (void)status;
    if (j->status != DSCAN_OK) {
        napi_value msg, e;
        napi_create_string_utf8(env, j->err.message, NAPI_AUTO_LENGTH, &msg);
        napi_create_error(env, NULL, msg, &e);
        napi_reject_deferred(env, j->deferred, e);
        goto out;
    }
    napi_create_object(env, &res);
    napi_set_named_property(env, res, "root", str(env, dscan_root(j->scan)));
    napi_set_named_property(env, res, "client", list(env, j->scan, dscan_client_count, dscan_client_at));
    napi_set_named_property(env, res, "server", list(env, j->scan, dscan_server_count, dscan_server_at));
    napi_create_array(env, &arr);
    for (size_t i = 0; i < dscan_unresolved_count(j->scan); i++) {
        const struct dscan_unresolved *u = dscan_unresolved_at(j->scan, i);
        napi_value o;
        napi_create_object(env, &o);
        napi_set_named_property(env, o, "specifier", str(env, u->specifier));
        napi_set_named_property(env, o, "importer", str(env, u->importer));
        napi_set_named_property(env, o, "env", str(env, dscan_env_name(u->env)));
        napi_set_element(env, arr, (uint32_t)i, o);
    }
    napi_set_named_property(env, res, "unresolved", arr);
    dscan_get_stats(j->scan, &stats);
    napi_create_object(env, &st);
    napi_set_named_property(env, st, "modules", num(env, (double)stats.modules));
    napi_set_named_property(env, st, "filesRead", num(env, (double)stats.files_read));
    napi_set_named_property(env, st, "bytesRead", num(env, (double)stats.bytes_read));
    napi_set_named_property(env, st, "duplicateReads", num(env, (double)stats.duplicate_reads));
    napi_set_named_property(env, st, "wallMs", num(env, stats.wall_ms));
    napi_set_named_property(env, st, "peakRssKb", num(env, (double)stats.peak_rss_kb));
    napi_set_named_property(env, res, "stats", st);
    napi_resolve_deferred(env, j->deferred, res);
out:
    dscan_free(j->scan);
    napi_delete_async_work(env, j->work);
    for (size_t i = 0; i < j->n_entries; i++)
        free(j->entries[i]);
    free(j->entries);
    free(j->root);
    free(j->config);
    free(j->src_dir);
    free(j->mode);
    free(j);
}

static napi_value scan(napi_env env, napi_callback_info info)
{
    size_t argc = 6;
    napi_value argv[6], promise, name;
    struct job *j = calloc(1, sizeof *j);
    bool is_array = false;

    napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
    if (!j || argc < 6) {
        free(j);
        napi_throw_type_error(env, NULL, "scan(root, config, entries, srcDir, noPrescan, mode)");
        return NULL;
    }
    j->root = str_arg(env, argv[0]);
    j->config = str_arg(env, argv[1]);
    napi_is_array(env, argv[2], &is_array);
    if (is_array) {
        uint32_t n;
        napi_get_array_length(env, argv[2], &n);
        j->entries = calloc(n ? n : 1, sizeof *j->entries);
        for (uint32_t i = 0; i < n; i++) {
            napi_value e;
            napi_get_element(env, argv[2], i, &e);
            j->entries[i] = str_arg(env, e);
        }
        j->n_entries = n;
        j->entries_set = n > 0;
    }
    j->src_dir = str_arg(env, argv[3]);
    napi_get_value_bool(env, argv[4], &j->no_prescan);
    j->mode = str_arg(env, argv[5]);
    napi_create_promise(env, &j->deferred, &promise);
    napi_create_string_utf8(env, "dscan", NAPI_AUTO_LENGTH, &name);
    napi_create_async_work(env, NULL, name, execute, complete, j, &j->work);
    napi_queue_async_work(env, j->work);
    return promise;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */)
{
    napi_value fn;
    napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &fn);
    napi_set_named_property(env, exports, "scan", fn);
    return exports;
}
