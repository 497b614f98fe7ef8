/* Tests of the lexer. Most cases are data: the files tests/lex/NAME.case, each a source
 * and the `dscan lex` JSON it must give (format in tests/lex/README.md).
 * Every case is lexed with its input ending exactly where a PROT_NONE page
 * begins, past the DS_LEX_PAD zero bytes, so any read beyond the contract
 * faults. The TESTs below cover what a case file cannot express. */
#include <dirent.h>
#include <ftw.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lex.h"
#include "lex_same.h"

/* Input placed so that src + len + DS_LEX_PAD is the first byte of a
 * PROT_NONE page. */
struct guarded {
    char *map;
    size_t map_len;
    char *src;
};

static bool guarded_make(struct guarded *g, const char *text, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (len + DS_LEX_PAD + page - 1) / page * page;

    g->map_len = body + page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED)
        return false;
    if (mprotect(g->map + body, page, PROT_NONE) != 0)
        return false;
    g->src = g->map + body - DS_LEX_PAD - len;
    if (len)
        memcpy(g->src, text, len);
    memset(g->src + len, 0, DS_LEX_PAD);
    return true;
}

static void guarded_free(struct guarded *g)
{
    munmap(g->map, g->map_len);
}

struct buf {
    char *p;
    size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void puts_b(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* The JSON string writer of the CLI, for valid UTF-8 input. */
static void put_json(struct buf *b, struct ds_str s)
{
    puts_b(b, "\"");
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(b, esc, 2);
        } else if (c == '\n') {
            puts_b(b, "\\n");
        } else if (c == '\r') {
            puts_b(b, "\\r");
        } else if (c == '\t') {
            puts_b(b, "\\t");
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            puts_b(b, esc);
        } else {
            put(b, (const char *)&c, 1);
        }
    }
    puts_b(b, "\"");
}

static void result_json(struct buf *b, const struct ds_lex_result *r)
{
    puts_b(b, "{\"directives\":[");
    for (size_t i = 0; i < r->n_directives; i++) {
        if (i)
            puts_b(b, ",");
        put_json(b, r->directives[i]);
    }
    puts_b(b, "],\"imports\":[");
    for (size_t i = 0; i < r->n_imports; i++) {
        if (i)
            puts_b(b, ",");
        puts_b(b, "{\"specifier\":");
        put_json(b, r->imports[i].specifier);
        puts_b(b, ",\"kind\":\"");
        puts_b(b, dscan_import_kind_name(r->imports[i].kind));
        puts_b(b, "\"}");
    }
    puts_b(b, "]}");
}

/* The keys `dscan lex` adds for precise mode (issue 15), as it prints them. */
static void names_json(struct buf *b, const struct ds_lex_result *r)
{
    puts_b(b, "{\"importNames\":[");
    for (size_t i = 0; i < r->n_imports; i++) {
        puts_b(b, i ? ",[" : "[");
        for (uint32_t k = 0; k < r->imports[i].n_names; k++) {
            const struct ds_lex_name *n = &r->names[r->imports[i].first_name + k];
            puts_b(b, k ? ",{\"imported\":" : "{\"imported\":");
            put_json(b, n->imported);
            puts_b(b, ",\"local\":");
            put_json(b, n->local);
            puts_b(b, "}");
        }
        puts_b(b, "]");
    }
    puts_b(b, "],\"exports\":[");
    for (size_t i = 0; i < r->n_exports; i++) {
        puts_b(b, i ? ",{\"name\":" : "{\"name\":");
        put_json(b, r->exports[i].name);
        puts_b(b, ",\"local\":");
        put_json(b, r->exports[i].local);
        puts_b(b, "}");
    }
    puts_b(b, "],\"barrel\":");
    puts_b(b, r->barrel ? "true" : "false");
    puts_b(b, ",\"moduleSyntax\":");
    puts_b(b, r->module_syntax ? "true" : "false");
    puts_b(b, ",\"exportsUnsure\":");
    puts_b(b, r->exports_unsure ? "true" : "false");
    puts_b(b, "}");
}

/* What the directive lint is given (`--- lint`): the prologue's strings and
 * the string statements after code, each with its offset. */
static void lint_json(struct buf *b, const struct ds_lex_result *r)
{
    char num[16];

    puts_b(b, "{\"directives\":[");
    for (size_t i = 0; i < r->n_directives; i++) {
        puts_b(b, i ? ",[" : "[");
        put_json(b, r->directives[i]);
        snprintf(num, sizeof num, ",%u]", (unsigned)r->directive_offsets[i]);
        puts_b(b, num);
    }
    puts_b(b, "],\"strays\":[");
    for (size_t i = 0; i < r->n_strays; i++) {
        puts_b(b, i ? ",[" : "[");
        put_json(b, r->strays[i].text);
        snprintf(num, sizeof num, ",%u]", (unsigned)r->strays[i].offset);
        puts_b(b, num);
    }
    puts_b(b, "]}");
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t n = 0, cap = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = (n + 4096 + 1) * 2;
            data = realloc(data, cap);
        }
        size_t got = fread(data + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    data[n] = 0;
    *len = n;
    return data;
}

static enum ds_lang lang_named(const char *s, size_t n)
{
    static const struct {
        const char *name;
        enum ds_lang lang;
    } names[] = {{"js", DS_LANG_JS},
                 {"jsx", DS_LANG_JSX},
                 {"ts", DS_LANG_TS},
                 {"tsx", DS_LANG_TSX},
                 {"mdx", DS_LANG_MDX}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0)
            return names[i].lang;
    return (enum ds_lang) - 1;
}

/* Lexes [src, len) (guarded) again with DS_LEX_IMPORTS, and compares with
 * `all`, its DS_LEX_NAMES result (tests/lex_same.h); 0 when they agree. */
static int imports_only_agrees(const char *what, const char *src, size_t len, enum ds_lang lang,
                               const struct ds_lex_result *all, struct ds_arena *scratch)
{
    struct ds_lex_result r;
    const char *diff = "ds_lex_for failed";

    if (ds_lex_for(src, len, lang, DS_LEX_IMPORTS, scratch, &r) == DS_OK)
        diff = lex_same_imports(all, &r);
    if (diff)
        fprintf(stderr, "%s: DS_LEX_IMPORTS differs from DS_LEX_NAMES: %s\n", what, diff);
    return diff != NULL;
}

/* Lexes the input of the case file at `path`, guarded, in both modes; 0
 * when it passes. */
static int run_case(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    enum ds_lang lang = DS_LANG_JS;
    int failed = 0;

    if (!text) {
        fprintf(stderr, "%s: cannot read\n", path);
        return 1;
    }
    const char *in = strstr(text, "--- input\n");
    const char *ex = in ? strstr(in, "\n--- expect\n") : NULL;
    if (!in || !ex) {
        fprintf(stderr, "%s: needs '--- input' and '--- expect' lines\n", path);
        free(text);
        return 1;
    }
    for (const char *l = text; l < in; l = strchr(l, '\n') + 1) {
        if (strncmp(l, "lang:", 5) == 0) {
            const char *v = l + 5;
            while (*v == ' ')
                v++;
            const char *e = strchr(v, '\n');
            lang = lang_named(v, (size_t)(e - v));
            if ((int)lang < 0) {
                fprintf(stderr, "%s: unknown lang\n", path);
                free(text);
                return 1;
            }
        }
    }
    in += strlen("--- input\n");
    const char *want = ex + strlen("\n--- expect\n");
    size_t want_len = strcspn(want, "\n");

    struct guarded g;
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct ds_lex_result r;
    struct buf got = {0};

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    if (!guarded_make(&g, in, (size_t)(ex - in))) {
        fprintf(stderr, "%s: mmap failed\n", path);
        free(text);
        return 1;
    }
    if (ds_lex(g.src, (size_t)(ex - in), lang, &scratch, &r) != DS_OK) {
        fprintf(stderr, "%s: ds_lex failed\n", path);
        failed = 1;
    } else {
        failed |= imports_only_agrees(path, g.src, (size_t)(ex - in), lang, &r, &scratch);
        result_json(&got, &r);
        if (got.n != want_len || memcmp(got.p, want, want_len) != 0) {
            fprintf(stderr, "%s:\n  expected: %.*s\n  actual:   %s\n", path, (int)want_len, want,
                    got.p);
            failed = 1;
        }
        // Optional: what the directive lint is given (`--- lint`).
        const char *li = strstr(want, "\n--- lint\n");
        if (li) {
            li += strlen("\n--- lint\n");
            size_t li_len = strcspn(li, "\n");
            got.n = 0;
            lint_json(&got, &r);
            if (got.n != li_len || memcmp(got.p, li, li_len) != 0) {
                fprintf(stderr, "%s (lint):\n  expected: %.*s\n  actual:   %s\n", path, (int)li_len,
                        li, got.p);
                failed = 1;
            }
        }
        // Optional: the names, exports and barrel flag (`--- names`).
        const char *nm = strstr(want, "\n--- names\n");
        if (nm) {
            nm += strlen("\n--- names\n");
            size_t nm_len = strcspn(nm, "\n");
            got.n = 0;
            names_json(&got, &r);
            if (got.n != nm_len || memcmp(got.p, nm, nm_len) != 0) {
                fprintf(stderr, "%s (names):\n  expected: %.*s\n  actual:   %s\n", path,
                        (int)nm_len, nm, got.p);
                failed = 1;
            }
        }
    }
    guarded_free(&g);
    ds_arena_release(&scratch);
    free(got.p);
    free(text);
    return failed;
}

TEST(lex_case_files)
{
    const char *dir = "tests/lex";
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0, bad = 0;

    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".case") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        bad += run_case(path);
        n++;
    }
    closedir(d);
    fprintf(stderr, "lex cases: %d run, %d failed\n", n, bad);
    CHECK(n > 50);
    CHECK_EQ_INT(bad, 0);
}

/* Lexes the file at `path` (guarded) in both modes and compares them; 0
 * when they agree. A fuzz corpus file's first byte picks the language, as
 * in fuzz/fuzz_lex.c; any other file's extension does. */
static int both_modes_agree(const char *path, bool fuzz_input)
{
    size_t len;
    char *text = slurp(path, &len);
    struct guarded g;
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct ds_lex_result r;
    int failed = 1;

    if (!text || (fuzz_input && len == 0)) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(text);
        return 1;
    }
    const char *src = fuzz_input ? text + 1 : text;
    size_t n = fuzz_input ? len - 1 : len;
    enum ds_lang lang = fuzz_input ? (enum ds_lang)((unsigned char)text[0] % 5)
                                   : ds_lang_of_path(ds_str_make(path, strlen(path)));
    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    if (guarded_make(&g, src, n)) {
        if (ds_lex(g.src, n, lang, &scratch, &r) == DS_OK)
            failed = imports_only_agrees(path, g.src, n, lang, &r, &scratch);
        guarded_free(&g);
    }
    ds_arena_release(&scratch);
    free(text);
    return failed;
}

static bool is_module_path(const char *name)
{
    static const char *const exts[] = {".js",  ".jsx", ".ts",  ".tsx", ".mjs",
                                       ".cjs", ".mts", ".cts", ".mdx"};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(dot, exts[i]) == 0)
            return true;
    return false;
}

/* What both_modes_at has seen: nftw's callback takes no context. */
static int corpus_files, corpus_bad;
static bool corpus_fuzz;

/* nftw callback: a fuzz corpus file, or a module of the fixture tree. */
static int both_modes_at(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    if (type == FTW_F && (corpus_fuzz || is_module_path(path + ftw->base))) {
        corpus_bad += both_modes_agree(path, corpus_fuzz);
        corpus_files++;
    }
    return 0;
}

/* Imports only (DS_LEX_IMPORTS, what a plain scan asks for) skips the
 * names work but must find the same directives, imports, problems and
 * strays as a full lex: checked on the fuzz corpus and every fixture
 * module here, on every case file in lex_case_files, on fuzz inputs in
 * fuzz_lex, and on the real packages by tests/real/test_lex_oxc.sh. */
TEST(lex_imports_only_agrees_on_corpus_and_fixtures)
{
    corpus_files = corpus_bad = 0;
    corpus_fuzz = true;
    CHECK_EQ_INT(nftw("fuzz/corpus/lex", both_modes_at, 16, FTW_PHYS), 0);
    int fuzz_files = corpus_files;
    corpus_fuzz = false;
    CHECK_EQ_INT(nftw("tests/fixtures", both_modes_at, 16, FTW_PHYS), 0);
    fprintf(stderr, "imports only vs names: %d fuzz corpus files, %d fixture modules, %d differ\n",
            fuzz_files, corpus_files - fuzz_files, corpus_bad);
    CHECK(fuzz_files > 50);
    CHECK(corpus_files - fuzz_files > 10);
    CHECK_EQ_INT(corpus_bad, 0);
}

/* The names work is really skipped, and really done with DS_LEX_NAMES. */
TEST(lex_imports_only_has_no_names)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;
    struct ds_lex_result all, imp;
    const char *s = "export {a as b} from './a';\nexport * from './c';\n"
                    "import d, {e} from './d';\nexport const f = 1, {g} = h;\nexport default d;\n";

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    CHECK(guarded_make(&g, s, strlen(s)));
    CHECK_EQ_INT(ds_lex(g.src, strlen(s), DS_LANG_TS, &scratch, &all), DS_OK);
    CHECK_EQ_INT(ds_lex_for(g.src, strlen(s), DS_LANG_TS, DS_LEX_IMPORTS, &scratch, &imp), DS_OK);
    CHECK_EQ_INT(all.n_imports, 3);
    CHECK_EQ_INT(all.n_names, 4);   // b, *, default, e
    CHECK_EQ_INT(all.n_exports, 3); // f, g, default
    CHECK(lex_same_imports(&all, &imp) == NULL);
    CHECK_EQ_INT(imp.n_names, 0);
    CHECK_EQ_INT(imp.n_exports, 0);
    guarded_free(&g);
    // A pure barrel, and MDX's runtime import with its names.
    const char *b = "export * from './x';\nimport './y';\n";
    CHECK(guarded_make(&g, b, strlen(b)));
    CHECK_EQ_INT(ds_lex(g.src, strlen(b), DS_LANG_JS, &scratch, &all), DS_OK);
    CHECK_EQ_INT(ds_lex_for(g.src, strlen(b), DS_LANG_JS, DS_LEX_IMPORTS, &scratch, &imp), DS_OK);
    CHECK(all.barrel);
    CHECK(!imp.barrel);
    CHECK(lex_same_imports(&all, &imp) == NULL);
    guarded_free(&g);
    const char *m = "# Title\n\nimport {A} from './a.js'\n\n<A/>\n";
    CHECK(guarded_make(&g, m, strlen(m)));
    CHECK_EQ_INT(ds_lex(g.src, strlen(m), DS_LANG_MDX, &scratch, &all), DS_OK);
    CHECK_EQ_INT(ds_lex_for(g.src, strlen(m), DS_LANG_MDX, DS_LEX_IMPORTS, &scratch, &imp), DS_OK);
    CHECK_EQ_INT(all.n_imports, 2);
    CHECK_EQ_INT(all.n_names, 4); // jsx, jsxs, Fragment, A
    CHECK(lex_same_imports(&all, &imp) == NULL);
    guarded_free(&g);
    ds_arena_release(&scratch);
}

static struct ds_lex_result lex_str(struct ds_arena *scratch, struct guarded *g, const char *s,
                                    enum ds_lang lang)
{
    struct ds_lex_result r;
    memset(&r, 0, sizeof r);
    CHECK(guarded_make(g, s, strlen(s)));
    CHECK_EQ_INT(ds_lex(g->src, strlen(s), lang, scratch, &r), DS_OK);
    return r;
}

TEST(lex_empty_input_at_guard_page)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    // Every prefix of a tricky input ends at the guard page in turn: each
    // construct is cut at every byte.
    const char *text = "#!/usr/bin/env node\n\"use client\"; import a, {b as c} from 'x\\u0041';"
                       " `${`${1}`}` /re[/]/g <div a=\"x\" {...p}>t{`${x}`}</div> require(\"r\")"
                       " import(`t`) export * as n from \"y\" /* c */ // e";
    size_t n = strlen(text);
    for (size_t cut = 0; cut <= n; cut++) {
        struct ds_lex_result r;
        CHECK(guarded_make(&g, text, cut));
        CHECK_EQ_INT(ds_lex(g.src, cut, DS_LANG_TSX, &scratch, &r), DS_OK);
        guarded_free(&g);
        ds_arena_reset(&scratch);
    }
    ds_arena_release(&scratch);
}

TEST(lex_offsets_point_at_the_quote)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;
    const char *s = "import a from \"x\";\nrequire('y')";

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    struct ds_lex_result r = lex_str(&scratch, &g, s, DS_LANG_JS);
    CHECK_EQ_INT(r.n_imports, 2);
    if (r.n_imports == 2) {
        CHECK_EQ_INT(r.imports[0].offset, 14);
        CHECK_EQ_INT(r.imports[1].offset, 27);
        // Unescaped specifiers are slices of the input itself.
        CHECK(r.imports[0].specifier.ptr == g.src + 15);
    }
    guarded_free(&g);
    ds_arena_release(&scratch);
}

TEST(lex_use_client_wins_flags)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;

    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    struct ds_lex_result r = lex_str(&scratch, &g, "'use server'\n'use client'\nx()", DS_LANG_JS);
    CHECK(r.use_client);
    CHECK(r.use_server);
    CHECK_EQ_INT(r.n_directives, 2);
    guarded_free(&g);
    r = lex_str(&scratch, &g, "x();'use client'", DS_LANG_JS);
    CHECK(!r.use_client);
    guarded_free(&g);
    ds_arena_release(&scratch);
}

TEST(lex_nesting_bound_is_a_problem_not_a_crash)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;
    size_t n = 100000;
    char *s = malloc(n + 64);

    memset(s, '{', n); // braces: parentheses are not stacked (nothing needs them)
    memcpy(s + n, "import('late')", sizeof "import('late')");
    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    struct ds_lex_result r = lex_str(&scratch, &g, s, DS_LANG_JS);
    CHECK_EQ_INT(r.n_imports, 0);
    CHECK(r.n_problems >= 1);
    if (r.n_problems)
        CHECK(strstr(r.problems[r.n_problems - 1].what, "nesting") != NULL);
    guarded_free(&g);
    // Nesting under the bound is fine, however it mixes brackets, and
    // parentheses and square brackets have no bound at all.
    memset(s, 0, n + 64);
    for (size_t i = 0; i < 500; i++)
        s[i] = "([{"[i % 3];
    memset(s + 500, '(', 20000);
    memcpy(s + 20500, "import('deeper')", sizeof "import('deeper')");
    r = lex_str(&scratch, &g, s, DS_LANG_JS);
    CHECK_EQ_INT(r.n_imports, 1);
    guarded_free(&g);
    memset(s, 0, n + 64);
    for (size_t i = 0; i < 500; i++)
        s[i] = "([{"[i % 3];
    memcpy(s + 500, "import('deep')", sizeof "import('deep')");
    r = lex_str(&scratch, &g, s, DS_LANG_JS);
    CHECK_EQ_INT(r.n_imports, 1);
    guarded_free(&g);
    free(s);
    ds_arena_release(&scratch);
}

TEST(lex_problems_are_bounded)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;
    size_t n = 20000;
    char *s = malloc(n + 1);

    // A line of a binary file: thousands of unterminated strings.
    for (size_t i = 0; i < n; i++)
        s[i] = i % 2 ? '\n' : '"';
    s[n] = 0;
    ds_alloc_init(&alloc, NULL, 0);
    ds_arena_init(&scratch, &alloc, 0);
    struct ds_lex_result r = lex_str(&scratch, &g, s, DS_LANG_JS);
    CHECK(r.n_problems > 0 && r.n_problems <= 16);
    guarded_free(&g);
    free(s);
    ds_arena_release(&scratch);
}

TEST(lex_scratch_exhaustion_is_enomem)
{
    struct ds_alloc alloc;
    struct ds_arena scratch;
    struct guarded g;
    struct buf src = {0};

    for (int i = 0; i < 2000; i++)
        puts_b(&src, "import 'a\\x62';\n");
    CHECK(guarded_make(&g, src.p, src.n));
    // Limits from tiny to enough: each run fails cleanly or succeeds whole.
    for (size_t limit = 1024; limit < (1u << 22); limit *= 2) {
        struct ds_lex_result r;
        ds_alloc_init(&alloc, NULL, limit);
        ds_arena_init(&scratch, &alloc, 4096);
        enum ds_status st = ds_lex(g.src, src.n, DS_LANG_JS, &scratch, &r);
        CHECK(st == DS_OK || st == DS_ENOMEM);
        if (st == DS_OK) {
            CHECK_EQ_INT(r.n_imports, 2000);
            CHECK(ds_str_eq(r.imports[1999].specifier, DS_STR("ab")));
        }
        ds_arena_release(&scratch);
    }
    guarded_free(&g);
    free(src.p);
}

TEST(lex_lang_of_path)
{
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.tsx")), DS_LANG_TSX);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.mts")), DS_LANG_TS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.cts")), DS_LANG_TS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.ts")), DS_LANG_TS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.jsx")), DS_LANG_JSX);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.mdx")), DS_LANG_MDX);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/b.cjs")), DS_LANG_JS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("Makefile")), DS_LANG_JS);
    // By the last extension only, and its case: these are read as JavaScript.
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a.d.ts")), DS_LANG_TS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a.ts.bak")), DS_LANG_JS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("b.JS")), DS_LANG_JS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("ts")), DS_LANG_JS);
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("")), DS_LANG_JS);
    // A dotfile named like an extension is lexed in that language, though
    // it is no script (ds_lang_is_script below).
    CHECK_EQ_INT(ds_lang_of_path(DS_STR("a/.jsx")), DS_LANG_JSX);
}

/* The extension test beside the languages: the same table, and a name that
 * is only an extension is a dotfile. */
TEST(lang_is_script)
{
    CHECK(ds_lang_is_script(DS_STR("a.d.ts")));
    CHECK(ds_lang_is_script(DS_STR("a/b.mts")));
    CHECK(ds_lang_is_script(DS_STR("a/..js"))); // the name "." and the extension .js
    CHECK(!ds_lang_is_script(DS_STR(".ts")));
    CHECK(!ds_lang_is_script(DS_STR("/.mjs")));
    CHECK(!ds_lang_is_script(DS_STR("a.ts.bak")));
    CHECK(!ds_lang_is_script(DS_STR("x.js ")));
    CHECK(!ds_lang_is_script(DS_STR("b.JS")));
    CHECK(!ds_lang_is_script(DS_STR("ts")));
    CHECK(!ds_lang_is_script(DS_STR("")));
}

/* Vite's hasESMSyntax: import/export (or import.meta) at the start of the
 * text, of a line, or after ';' or a blank, in the shapes its regex takes. */
TEST(lang_esm_syntax)
{
    static const struct {
        const char *text;
        bool esm;
    } cases[] = {
        {"import x from 'y'", true},
        {"import a, {b} from 'c'", true},
        {"\timport * as ns from 'n'", true},
        {"x = 1;import{a}from'b'", true},
        {"import\na\nfrom 'x'", true},
        {"foo;import.meta.url", true},
        {"export default 1", true},
        {"// e\nexport {a}", true},
        {"a;export * from 'b'", true},
        {"  export const x = 1", true},
        {"export async function f(){}", true},
        {"export\ttype T = 1", true},
        {"import(\"x\")", false}, // a dynamic import is no ES module syntax
        {"ximport 'a'", false},
        {"reexport {a}", false},
        {"const exported = 1", false},
        {"exporter", false},
        {"importfrom", false},
        {"import", false},
        {"export", false},
        {"e", false},
        {"", false},
    };
    for (size_t i = 0; i < DS_ARRAY_LEN(cases); i++) {
        bool got = ds_lang_has_esm_syntax(ds_str_make(cases[i].text, strlen(cases[i].text)));
        if (got != cases[i].esm)
            fprintf(stderr, "has_esm_syntax(\"%s\") is %d\n", cases[i].text, got);
        CHECK(got == cases[i].esm);
    }
}

TEST(lex_file_public_api)
{
    const char *dir = harness_tmpdir();
    char path[512];
    struct dscan_lexed *lx = NULL;
    struct dscan_error err = {0};

    harness_write(dir, "a.tsx", "'use client'\n\nimport x from \"./x\"\nconst s = 'open\n");
    snprintf(path, sizeof path, "%s/a.tsx", dir);
    CHECK_EQ_INT(dscan_lex_file(path, NULL, &lx, &err), DSCAN_OK);
    if (lx) {
        CHECK_EQ_INT(lx->n_directives, 1);
        CHECK_EQ_STR(lx->directives[0], "use client");
        CHECK_EQ_INT(lx->n_imports, 1);
        CHECK_EQ_STR(lx->imports[0].specifier, "./x");
        CHECK_EQ_INT(lx->imports[0].line, 3);
        CHECK_EQ_INT(lx->n_diagnostics, 1);
        if (lx->n_diagnostics) {
            CHECK_EQ_INT(lx->diagnostics[0].line, 4);
            CHECK(strstr(lx->diagnostics[0].message, "unterminated string") != NULL);
        }
    }
    dscan_lexed_free(lx);
    snprintf(path, sizeof path, "%s/missing.js", dir);
    CHECK_EQ_INT(dscan_lex_file(path, NULL, &lx, &err), DSCAN_ENOENT);
    CHECK(lx == NULL);
    CHECK(strstr(err.message, "cannot read '") != NULL);
    CHECK_EQ_INT(dscan_lex_file(dir, NULL, &lx, &err), DSCAN_EINVAL);
    CHECK_EQ_STR(dscan_import_kind_name(DSCAN_IMPORT_REEXPORT), "reexport");
    CHECK_EQ_STR(dscan_env_name(DSCAN_ENV_CLIENT), "client");
}

TEST(lex_file_oom_every_allocation)
{
    const char *dir = harness_tmpdir();
    char path[512];
    struct harness_failing f = {0};
    struct dscan_allocator a = harness_failing_allocator(&f);

    harness_write(dir, "b.js", "'use client'\nimport '\\x61';\nrequire('b')\n'unterminated\n");
    snprintf(path, sizeof path, "%s/b.js", dir);
    for (f.fail_at = 1;; f.fail_at++) {
        struct dscan_lexed *lx = NULL;
        struct dscan_error err = {0};
        f.count = 0;
        enum dscan_status st = dscan_lex_file(path, &a, &lx, &err);
        if (f.count < f.fail_at) {
            CHECK_EQ_INT(st, DSCAN_OK);
            CHECK(lx && lx->n_imports == 2);
            dscan_lexed_free(lx);
            break;
        }
        CHECK_EQ_INT(st, DSCAN_ENOMEM);
        CHECK(lx == NULL);
    }
}
