/* Tests of the config loader: SPEC §2 defaults, dscan.json and --config,
 * precedence of the options, validation messages, path handling. Each test
 * writes its project into a fresh temporary directory. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "config.h"
#include "pool.h"

struct fx {
    struct ds_alloc alloc;
    struct ds_config *cfg;
    struct dscan_error err;
    char root[PATH_MAX]; /* real path of the temp dir */
};

static enum ds_status load(struct fx *f, const struct dscan_options *opts)
{
    ds_alloc_init(&f->alloc, NULL, 0);
    memset(&f->err, 0, sizeof(f->err));
    f->cfg = NULL;
    return ds_config_load(&f->alloc, opts, &f->cfg, &f->err);
}

static void done(struct fx *f)
{
    ds_config_free(f->cfg);
    f->cfg = NULL;
    CHECK_EQ_INT(atomic_load(&f->alloc.current), 0);
}

static const char *project(struct fx *f)
{
    const char *dir = harness_tmpdir();
    if (!realpath(dir, f->root))
        snprintf(f->root, sizeof(f->root), "%s", dir);
    return dir;
}

static char *cstr(struct ds_str s)
{
    static char buf[4][PATH_MAX + 64];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%.*s", DS_STR_FMT(s));
    return buf[k];
}

static char *under(struct fx *f, const char *rel)
{
    static char buf[4][PATH_MAX + 64];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s%s%s", f->root, rel[0] ? "/" : "", rel);
    return buf[k];
}

static bool list_is(const struct ds_strlist *l, const char *const *want, size_t n)
{
    if (l->n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ds_str_eq(l->items[i], ds_str_cstr(want[i])))
            return false;
    return true;
}

TEST(config_defaults)
{
    struct fx f;
    const char *dir = project(&f);
    struct dscan_options opts = {.root = dir};

    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    struct ds_config *c = f.cfg;
    CHECK_EQ_STR(cstr(c->root), f.root);
    CHECK_EQ_INT(c->config_path.len, 0);
    CHECK_EQ_INT(c->entries.n, 0);
    CHECK_EQ_STR(cstr(c->src_dir), under(&f, "src"));
    CHECK(c->prescan);
    CHECK(c->production);
    static const char *const wc[] = {"workerd", "worker",  "react-server",          "module",
                                     "node",    "browser", "development|production"};
    static const char *const wm[] = {"module", "jsnext:main", "jsnext"};
    static const char *const cc[] = {"browser", "module"};
    static const char *const cm[] = {"browser", "module", "jsnext:main", "jsnext"};
    static const char *const ext[] = {".mjs", ".js", ".mts", ".ts", ".jsx", ".tsx", ".json"};
    static const char *const xt[] = {"cloudflare:workers"};
    CHECK(list_is(&c->env[DSCAN_ENV_WORKER].conditions, wc, 7));
    CHECK(list_is(&c->env[DSCAN_ENV_WORKER].main_fields, wm, 3));
    CHECK(list_is(&c->env[DSCAN_ENV_CLIENT].conditions, cc, 2));
    CHECK(list_is(&c->env[DSCAN_ENV_CLIENT].main_fields, cm, 4));
    CHECK(list_is(&c->extensions, ext, 7));
    CHECK(list_is(&c->external, xt, 1));
    CHECK_EQ_INT(c->n_alias, 0);      // SPEC §2: "alias": [] (a tsconfig gives "@/…")
    CHECK_EQ_INT(c->tsconfig.len, 0); // unset: each importer's own (SPEC §2)
    CHECK(c->threads >= 1 && c->threads <= 8);
    done(&f);
}

TEST(config_default_entry_is_first_worker_file)
{
    struct fx f;
    const char *dir = project(&f);
    struct dscan_options opts = {.root = dir};

    harness_write(dir, "src/worker.js", "");
    harness_write(dir, "src/worker.ts", "");
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_INT(f.cfg->entries.n, 1);
    CHECK_EQ_STR(cstr(f.cfg->entries.items[0]), under(&f, "src/worker.ts"));
    done(&f);

    harness_write(dir, "src/worker.tsx", "");
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_STR(cstr(f.cfg->entries.items[0]), under(&f, "src/worker.tsx"));
    done(&f);
}

TEST(config_missing_root)
{
    struct fx f;
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/nope", harness_tmpdir());
    struct dscan_options opts = {.root = path};

    CHECK_EQ_INT(load(&f, &opts), DS_ENOENT);
    CHECK(f.cfg == NULL);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof(want), "cannot scan '%s': No such file or directory", path);
    CHECK_EQ_STR(f.err.message, want);
    CHECK_EQ_INT(f.err.status, DSCAN_ENOENT);
    done(&f);
}

TEST(config_root_is_a_file)
{
    struct fx f;
    const char *dir = project(&f);
    char path[PATH_MAX + 16];
    harness_write(dir, "file.txt", "x");
    snprintf(path, sizeof(path), "%s/file.txt", dir);
    struct dscan_options opts = {.root = path};

    CHECK_EQ_INT(load(&f, &opts), DS_ENOENT);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof(want), "cannot scan '%s': Not a directory", path);
    CHECK_EQ_STR(f.err.message, want);
    done(&f);
}

TEST(config_file_values)
{
    struct fx f;
    const char *dir = project(&f);
    struct dscan_options opts = {.root = dir};

    harness_write(dir, "dscan.json",
                  "// project settings\n"
                  "{\n"
                  "  \"$schema\": \"x\",\n"
                  "  \"entries\": [\"app/main.ts\", \"/abs/other.ts\", \"./a/../b/./c.ts\"],\n"
                  "  \"srcDir\": \"app\",\n"
                  "  \"mode\": \"development\",\n"
                  "  \"prescan\": false,\n"
                  "  \"environments\": {\n"
                  "    \"client\": {\"conditions\": [\"browser\"], /* c */ },\n"
                  "    \"worker\": {\"mainFields\": []},\n"
                  "  },\n"
                  "  \"extensions\": [\".ts\", \".js\"],\n"
                  "  \"alias\": [{\"find\": \"~\", \"replacement\": \"./lib\"},\n"
                  "            {\"find\": \"react\", \"replacement\": \"preact/compat\"},\n"
                  "            {\"find\": \"abs\", \"replacement\": \"/opt/abs\"}],\n"
                  "  \"external\": [],\n"
                  "  \"tsconfig\": \"config/tsconfig.app.json\",\n"
                  "}\n");
    harness_write(dir, "config/tsconfig.app.json", "{}"); // a set tsconfig must exist
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    struct ds_config *c = f.cfg;
    CHECK_EQ_STR(cstr(c->config_path), under(&f, "dscan.json"));
    CHECK_EQ_INT(c->entries.n, 3);
    CHECK_EQ_STR(cstr(c->entries.items[0]), under(&f, "app/main.ts"));
    CHECK_EQ_STR(cstr(c->entries.items[1]), "/abs/other.ts");
    CHECK_EQ_STR(cstr(c->entries.items[2]), under(&f, "b/c.ts"));
    CHECK_EQ_STR(cstr(c->src_dir), under(&f, "app"));
    CHECK(!c->production);
    CHECK(!c->prescan);
    static const char *const cc[] = {"browser"};
    static const char *const cm[] = {"browser", "module", "jsnext:main", "jsnext"};
    static const char *const wc[] = {"workerd", "worker",  "react-server",          "module",
                                     "node",    "browser", "development|production"};
    CHECK(list_is(&c->env[DSCAN_ENV_CLIENT].conditions, cc, 1));
    CHECK(list_is(&c->env[DSCAN_ENV_CLIENT].main_fields, cm, 4));
    CHECK(list_is(&c->env[DSCAN_ENV_WORKER].conditions, wc, 7));
    CHECK_EQ_INT(c->env[DSCAN_ENV_WORKER].main_fields.n, 0);
    static const char *const ext[] = {".ts", ".js"};
    CHECK(list_is(&c->extensions, ext, 2));
    CHECK_EQ_INT(c->external.n, 0);
    CHECK_EQ_INT(c->n_alias, 3);
    CHECK_EQ_STR(cstr(c->alias[0].find), "~");
    CHECK_EQ_STR(cstr(c->alias[0].replacement), under(&f, "lib"));
    CHECK_EQ_STR(cstr(c->alias[1].replacement), "preact/compat");
    CHECK_EQ_STR(cstr(c->alias[2].replacement), "/opt/abs");
    CHECK_EQ_STR(cstr(c->tsconfig), under(&f, "config/tsconfig.app.json"));
    done(&f);
}

TEST(config_alias_object_form)
{
    struct fx f;
    const char *dir = project(&f);
    struct dscan_options opts = {.root = dir};

    harness_write(dir, "dscan.json", "{\"alias\": {\"@\": \"./src\", \"#lib\": \"../shared\"}}");
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_INT(f.cfg->n_alias, 2);
    CHECK_EQ_STR(cstr(f.cfg->alias[0].find), "@");
    CHECK_EQ_STR(cstr(f.cfg->alias[0].replacement), under(&f, "src"));
    CHECK_EQ_STR(cstr(f.cfg->alias[1].find), "#lib");
    char want[PATH_MAX + 16];
    snprintf(want, sizeof(want), "%s", f.root);
    *strrchr(want, '/') = '\0';
    memcpy(want + strlen(want), "/shared", 8);
    CHECK_EQ_STR(cstr(f.cfg->alias[1].replacement), want);
    done(&f);

    harness_write(dir, "dscan.json", "{\"alias\": {\"@/\": \"./src/\", \"~\": \"./\"}}");
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_STR(cstr(f.cfg->alias[0].find), "@/");
    CHECK_EQ_STR(cstr(f.cfg->alias[0].replacement), under(&f, "src/"));
    char slash[PATH_MAX + 2];
    snprintf(slash, sizeof(slash), "%s/", f.root);
    CHECK_EQ_STR(cstr(f.cfg->alias[1].replacement), slash);
    done(&f);

    harness_write(dir, "dscan.json", "{\"alias\": []}");
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_INT(f.cfg->n_alias, 0);
    done(&f);
}

TEST(config_options_override_file)
{
    struct fx f;
    const char *dir = project(&f);
    static const char *const entries[] = {"x.ts"};
    static const char *const conds[] = {"a", "b"};
    static const char *const none[] = {NULL};
    static const struct dscan_alias alias[] = {{"$", "./dollar"}};
    struct dscan_options opts = {
        .root = dir,
        .entries = {entries, 1, true},
        .src_dir = "lib",
        .no_prescan = true,
        .mode = DSCAN_MODE_PRODUCTION,
        .extensions = {none, 0, true},
        .alias = alias,
        .n_alias = 1,
        .alias_set = true,
        .tsconfig = "conf/ts.json",
        .threads = 100,
    };
    opts.env[DSCAN_ENV_WORKER].conditions = (struct dscan_strings){conds, 2, true};

    harness_write(dir, "dscan.json",
                  "{\"entries\": [\"y.ts\"], \"srcDir\": \"app\", \"mode\": \"development\","
                  " \"prescan\": true, \"extensions\": [\".js\"], \"alias\": {\"q\": \"r\"},"
                  " \"environments\": {\"worker\": {\"conditions\": [\"z\"]}}}");
    harness_write(dir, "conf/ts.json", "{}");
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    struct ds_config *c = f.cfg;
    CHECK_EQ_INT(c->entries.n, 1);
    CHECK_EQ_STR(cstr(c->entries.items[0]), under(&f, "x.ts"));
    CHECK_EQ_STR(cstr(c->src_dir), under(&f, "lib"));
    CHECK(!c->prescan);
    CHECK(c->production);
    CHECK_EQ_INT(c->extensions.n, 0);
    CHECK(list_is(&c->env[DSCAN_ENV_WORKER].conditions, conds, 2));
    CHECK_EQ_INT(c->n_alias, 1);
    CHECK_EQ_STR(cstr(c->alias[0].replacement), under(&f, "dollar"));
    CHECK_EQ_STR(cstr(c->tsconfig), under(&f, "conf/ts.json"));
    // An explicit count is honoured up to the pool's bound (the scan's rule).
    CHECK_EQ_INT(c->threads, DS_POOL_MAX_THREADS);
    done(&f);

    opts.threads = 1;
    opts.mode = DSCAN_MODE_DEVELOPMENT;
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_INT(f.cfg->threads, 1);
    CHECK(!f.cfg->production);
    done(&f);
}

TEST(config_explicit_config_path)
{
    struct fx f;
    const char *dir = project(&f);
    char cfgpath[PATH_MAX + 32];
    snprintf(cfgpath, sizeof(cfgpath), "%s/conf/other.json", dir);
    harness_write(dir, "conf/other.json", "{\"srcDir\": \"lib\"}");
    harness_write(dir, "lib/a.ts", ""); // a set srcDir must exist
    harness_write(dir, "dscan.json", "{\"srcDir\": \"ignored\"}");
    struct dscan_options opts = {.root = dir, .config_path = cfgpath};

    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_STR(cstr(f.cfg->config_path), under(&f, "conf/other.json"));
    // Relative paths in a config file are relative to ROOT, not to the file.
    CHECK_EQ_STR(cstr(f.cfg->src_dir), under(&f, "lib"));
    done(&f);

    snprintf(cfgpath, sizeof(cfgpath), "%s/conf/missing.json", dir);
    CHECK_EQ_INT(load(&f, &opts), DS_ECONFIG);
    char want[PATH_MAX + 100];
    snprintf(want, sizeof(want), "cannot read config '%s': No such file or directory", cfgpath);
    CHECK_EQ_STR(f.err.message, want);
    done(&f);
}

TEST(config_validation_messages)
{
    static const struct {
        const char *json, *msg; /* msg follows "… '<file>': " */
    } t[] = {
        {"{\n  \"entries\": [\"a\"]\n  \"mode\": 1}", "cannot parse|expected ',' or '}' at 3:3"},
        {"{\"entries\": \"src/a.ts\"}", "invalid|\"entries\" must be an array of strings"},
        {"{\"entries\": [1]}", "invalid|\"entries\" must be an array of strings"},
        {"{\"entires\": []}", "invalid|unknown key \"entires\""},
        {"[]", "invalid|expected an object"},
        {"{\"mode\": \"prod\"}", "invalid|\"mode\" must be \"production\" or \"development\""},
        {"{\"srcDir\": 3}", "invalid|\"srcDir\" must be a non-empty string"},
        {"{\"srcDir\": \"\"}", "invalid|\"srcDir\" must be a non-empty string"},
        {"{\"tsconfig\": null}", "invalid|\"tsconfig\" must be a non-empty string"},
        {"{\"prescan\": \"no\"}", "invalid|\"prescan\" must be true or false"},
        {"{\"extensions\": [\"ts\"]}",
         "invalid|\"extensions\" must be an array of extensions starting with '.'"},
        {"{\"external\": {}}", "invalid|\"external\" must be an array of strings"},
        {"{\"environments\": []}",
         "invalid|\"environments\" must be an object with \"worker\" and \"client\""},
        {"{\"environments\": {\"ssr\": {}}}",
         "invalid|unknown environment \"ssr\" (expected \"worker\" or \"client\")"},
        {"{\"environments\": {\"worker\": []}}",
         "invalid|\"environments.worker\" must be an object"},
        {"{\"environments\": {\"client\": {\"conditions\": [true]}}}",
         "invalid|\"environments.client.conditions\" must be an array of strings"},
        {"{\"environments\": {\"client\": {\"mainfields\": []}}}",
         "invalid|unknown key \"environments.client.mainfields\""},
        {"{\"alias\": \"@\"}", "invalid|\"alias\" must be an array of {\"find\": string, "
                               "\"replacement\": string} or an object of strings"},
        {"{\"alias\": [{\"find\": \"@\"}]}", "invalid|\"alias\" must be an array of {\"find\": "
                                             "string, \"replacement\": string} or an object of "
                                             "strings"},
        {"{\"alias\": [{\"find\": \"@\", \"replacement\": \"x\", \"customResolver\": 1}]}",
         "invalid|unknown key \"alias[].customResolver\""},
        {"{\"alias\": {\"@\": 1}}", "invalid|\"alias\" must be an array of {\"find\": string, "
                                    "\"replacement\": string} or an object of strings"},
        {"{\"alias\": {\"\": \"x\"}}", "invalid|\"alias\" must be a list of non-empty \"find\" "
                                       "strings"},
        {"", "cannot parse|unexpected end of input at 1:1"},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(t); i++) {
        struct fx f;
        const char *dir = project(&f);
        struct dscan_options opts = {.root = dir};
        harness_write(dir, "dscan.json", t[i].json);
        CHECK_EQ_INT(load(&f, &opts), DS_ECONFIG);
        CHECK(f.cfg == NULL);
        const char *bar = strchr(t[i].msg, '|');
        char want[PATH_MAX + 300];
        snprintf(want, sizeof(want), "%.*s config '%s': %s", (int)(bar - t[i].msg), t[i].msg,
                 under(&f, "dscan.json"), bar + 1);
        CHECK_EQ_STR(f.err.message, want);
        done(&f);
    }
}

TEST(config_root_normalised)
{
    struct fx f;
    const char *dir = project(&f);
    char root[PATH_MAX + 32];
    harness_mkdirs(under(&f, "a/b"));
    snprintf(root, sizeof(root), "%s/a/b/../", dir);
    struct dscan_options opts = {.root = root, .entries = {NULL, 0, true}};
    CHECK_EQ_INT(load(&f, &opts), DS_OK);
    CHECK_EQ_STR(cstr(f.cfg->root), under(&f, "a"));
    CHECK_EQ_INT(f.cfg->entries.n, 0);
    done(&f);
}

TEST(config_oom_every_allocation)
{
    const char *dir = harness_tmpdir();
    harness_write(dir, "dscan.json",
                  "{\"entries\": [\"a.ts\"], \"alias\": {\"@\": \"./src\"},"
                  " \"environments\": {\"client\": {\"conditions\": [\"x\"]}}}");
    struct harness_failing fl = {0};
    struct dscan_allocator user = harness_failing_allocator(&fl);
    struct dscan_options opts = {.root = dir};

    for (fl.fail_at = 1; fl.fail_at < 2000; fl.fail_at++) {
        struct ds_alloc a;
        struct ds_config *cfg = NULL;
        struct dscan_error err = {0};
        fl.count = 0;
        ds_alloc_init(&a, &user, 0);
        enum ds_status st = ds_config_load(&a, &opts, &cfg, &err);
        ds_config_free(cfg);
        CHECK_EQ_INT(atomic_load(&a.current), 0);
        if (fl.count < fl.fail_at) {
            CHECK_EQ_INT(st, DS_OK);
            break;
        }
        CHECK_EQ_INT(st, DS_ENOMEM);
    }
}
