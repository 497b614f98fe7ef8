/* dscan serve [ROOT] [scan options]: the persistent scanner (SPEC §5b) over
 * stdin/stdout. One JSON request per line in, one JSON response per line out:
 *
 *   {"id":1,"op":"scan"}
 *   {"id":2,"op":"update","changed":["/abs/a.tsx"],"removed":[]}
 *   {"id":3,"op":"resolved","items":[{"specifier":"virtual:x","importer":"/src/a.tsx",
 *                                      "env":"client","path":"/abs/x.ts"}]}
 *   {"id":4,"op":"close"}
 *
 * A response echoes the id and has "ok"; a result (scan, update, resolved)
 * carries root, client, server, unresolved, delta and stats; an error has
 * "error" with the message. A malformed line gets an error response and the
 * session goes on; EOF or "close" ends it with exit 0. The README has a
 * transcript. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ENTRIES 64
#define MAX_DEPTH   16

static const char serve_usage[] =
    "usage: dscan serve [ROOT] [--entry FILE]... [--config FILE] [--options-json FILE]\n"
    "                   [--src DIR | --no-prescan] [--mode development|production]\n"
    "\n"
    "Keeps a scan of ROOT in memory and answers JSON requests, one per line on stdin,\n"
    "with one JSON line each on stdout:\n"
    "  {\"id\":1,\"op\":\"scan\"}                                   full scan\n"
    "  {\"id\":2,\"op\":\"update\",\"changed\":[PATH...],\"removed\":[PATH...]}\n"
    "                                 re-read only what changed (paths absolute or relative to ROOT)\n"
    "  {\"id\":3,\"op\":\"resolved\",\"items\":[{\"specifier\",\"importer\",\"env\",\"path\"}...]}\n"
    "                                 go on from files resolved elsewhere (a Vite plugin)\n"
    "  {\"id\":4,\"op\":\"close\"}                                  end (as EOF does)\n"
    "Responses: {\"id\",\"ok\":true,\"root\",\"client\",\"server\",\"unresolved\",\"delta\",\"stats\"}\n"
    "or {\"id\",\"ok\":false,\"error\":MESSAGE}. Exit 0 at EOF or close; 1 when the\n"
    "config cannot be loaded; 2 on a usage error.\n";

/* ---- a small JSON reader for the requests ------------------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
    enum jtype type;
    char *str;         /* J_STR (decoded), J_NUM (as written), object keys */
    struct jval *kids; /* J_ARR elements, J_OBJ values */
    char **keys;       /* J_OBJ */
    size_t n;
};

struct jparse {
    const char *p, *end;
    const char *err;
};

static void jfree(struct jval *v)
{
    for (size_t i = 0; i < v->n; i++) {
        jfree(&v->kids[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->kids);
    free(v->keys);
    free(v->str);
    memset(v, 0, sizeof *v);
}

static void jskip(struct jparse *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
        j->p++;
}

static void put_utf8(char *out, size_t *n, unsigned cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | cp >> 6);
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | cp >> 12);
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | cp >> 18);
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static bool hex4(const char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return false;
    }
    *out = v;
    return true;
}

static char *jstring(struct jparse *j)
{
    // The decoded text is never longer than the escaped one.
    const char *start = ++j->p;
    char *out;
    size_t n = 0;

    while (j->p < j->end && *j->p != '"')
        j->p += *j->p == '\\' ? 2 : 1;
    if (j->p >= j->end) {
        j->err = "unterminated string";
        return NULL;
    }
    out = malloc((size_t)(j->p - start) + 1);
    if (!out) {
        j->err = "out of memory";
        return NULL;
    }
    for (const char *q = start; q < j->p; q++) {
        unsigned cp;
        if (*q != '\\') {
            if ((unsigned char)*q < 0x20) {
                j->err = "control character in string";
                free(out);
                return NULL;
            }
            out[n++] = *q;
            continue;
        }
        switch (*++q) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case '/': out[n++] = '/'; break;
        case '\\': out[n++] = '\\'; break;
        case '"': out[n++] = '"'; break;
        case 'u':
            if (j->p - q < 5 || !hex4(q + 1, &cp)) {
                j->err = "bad \\u escape";
                free(out);
                return NULL;
            }
            q += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && j->p - q >= 7 && q[1] == '\\' && q[2] == 'u') {
                unsigned lo;
                if (hex4(q + 3, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    q += 6;
                }
            }
            if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
                cp = 0xFFFD; // no NUL in a path; lone surrogates are not text
            put_utf8(out, &n, cp);
            break;
        default:
            j->err = "bad escape";
            free(out);
            return NULL;
        }
    }
    out[n] = '\0';
    j->p++;
    return out;
}

static bool jvalue(struct jparse *j, struct jval *v, int depth);

static bool jlist(struct jparse *j, struct jval *v, int depth, bool obj)
{
    size_t cap = 0;
    char close = obj ? '}' : ']';

    v->type = obj ? J_OBJ : J_ARR;
    j->p++;
    jskip(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        char *key = NULL;
        if (obj) {
            jskip(j);
            if (j->p >= j->end || *j->p != '"') {
                j->err = "expected a key";
                return false;
            }
            if (!(key = jstring(j)))
                return false;
            jskip(j);
            if (j->p >= j->end || *j->p != ':') {
                free(key);
                j->err = "expected ':'";
                return false;
            }
            j->p++;
        }
        if (v->n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            struct jval *k = realloc(v->kids, nc * sizeof *k);
            char **ks = k && obj ? realloc(v->keys, nc * sizeof *ks) : NULL;
            if (k)
                v->kids = k;
            if (ks)
                v->keys = ks;
            if (!k || (obj && !ks)) {
                free(key);
                j->err = "out of memory";
                return false;
            }
            cap = nc;
        }
        memset(&v->kids[v->n], 0, sizeof v->kids[0]);
        if (obj)
            v->keys[v->n] = key;
        v->n++;
        if (!jvalue(j, &v->kids[v->n - 1], depth + 1))
            return false;
        jskip(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return true;
        }
        j->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
        return false;
    }
}

static bool jvalue(struct jparse *j, struct jval *v, int depth)
{
    jskip(j);
    if (depth > MAX_DEPTH) {
        j->err = "nested too deep";
        return false;
    }
    if (j->p >= j->end) {
        j->err = "unexpected end of line";
        return false;
    }
    switch (*j->p) {
    case '{': return jlist(j, v, depth, true);
    case '[': return jlist(j, v, depth, false);
    case '"': v->type = J_STR; return (v->str = jstring(j)) != NULL;
    default: break;
    }
    static const char *const words[] = {"null", "true", "false"};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(words[i]);
        if ((size_t)(j->end - j->p) >= len && !memcmp(j->p, words[i], len)) {
            v->type = i ? J_BOOL : J_NULL;
            j->p += len;
            return true;
        }
    }
    const char *s = j->p;
    if (*j->p == '-')
        j->p++;
    while (j->p < j->end && strchr("0123456789.eE+-", *j->p))
        j->p++;
    if (j->p == s || (j->p == s + 1 && *s == '-')) {
        j->err = "unexpected character";
        return false;
    }
    v->type = J_NUM;
    v->str = strndup(s, (size_t)(j->p - s));
    if (!v->str)
        j->err = "out of memory";
    return v->str != NULL;
}

static const struct jval *jget(const struct jval *obj, const char *key)
{
    for (size_t i = 0; obj->type == J_OBJ && i < obj->n; i++)
        if (!strcmp(obj->keys[i], key))
            return &obj->kids[i];
    return NULL;
}

/* ---- responses ---------------------------------------------------------- */

static void put_id(const struct jval *id)
{
    fputs("{\"id\":", stdout);
    if (id && id->type == J_NUM)
        fputs(id->str, stdout);
    else if (id && id->type == J_STR)
        cli_json_string(stdout, id->str);
    else
        fputs("null", stdout);
}

static void respond_error(const struct jval *id, const char *msg)
{
    put_id(id);
    fputs(",\"ok\":false,\"error\":", stdout);
    cli_json_string(stdout, msg);
    fputs("}\n", stdout);
    fflush(stdout);
}

static void put_list(const struct dscan_session *ss, size_t n,
                     const char *(*at)(const struct dscan_session *, size_t))
{
    putchar('[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            putchar(',');
        cli_json_string(stdout, at(ss, i));
    }
    putchar(']');
}

static void put_delta(const struct dscan_session *ss, enum dscan_list l)
{
    for (int added = 1; added >= 0; added--) {
        size_t n = dscan_session_delta_count(ss, l, added);
        fputs(added ? "{\"added\":[" : ",\"removed\":[", stdout);
        for (size_t i = 0; i < n; i++) {
            if (i)
                putchar(',');
            cli_json_string(stdout, dscan_session_delta_at(ss, l, added, i));
        }
        putchar(']');
    }
    putchar('}');
}

static void respond_result(const struct jval *id, const struct dscan_session *ss)
{
    struct dscan_stats st;

    dscan_session_get_stats(ss, &st);
    put_id(id);
    fputs(",\"ok\":true,\"root\":", stdout);
    cli_json_string(stdout, dscan_session_root(ss));
    fputs(",\"client\":", stdout);
    put_list(ss, dscan_session_client_count(ss), dscan_session_client_at);
    fputs(",\"server\":", stdout);
    put_list(ss, dscan_session_server_count(ss), dscan_session_server_at);
    fputs(",\"unresolved\":[", stdout);
    for (size_t i = 0; i < dscan_session_unresolved_count(ss); i++) {
        const struct dscan_unresolved *u = dscan_session_unresolved_at(ss, i);
        fputs(i ? ",{\"specifier\":" : "{\"specifier\":", stdout);
        cli_json_string(stdout, u->specifier);
        fputs(",\"importer\":", stdout);
        cli_json_string(stdout, u->importer);
        printf(",\"env\":\"%s\",\"reason\":", dscan_env_name(u->env));
        cli_json_string(stdout, u->reason ? u->reason : "");
        putchar('}');
    }
    fputs("],\"delta\":{\"client\":", stdout);
    put_delta(ss, DSCAN_LIST_CLIENT);
    fputs(",\"server\":", stdout);
    put_delta(ss, DSCAN_LIST_SERVER);
    printf("},\"stats\":{\"modules\":%zu,\"filesRead\":%zu,\"bytesRead\":%llu,\"duplicateReads\":0,"
           "\"resolveCalls\":%zu,\"statCalls\":0,\"wallMs\":%.3f,\"peakRssKb\":%zu}}\n",
           st.modules, st.files_read, (unsigned long long)st.bytes_read, st.resolve_calls,
           st.wall_ms, st.peak_rss_kb);
    fflush(stdout);
}

/* ---- requests ----------------------------------------------------------- */

/* The strings of array `key` of `req` (missing: none); false when not an
 * array of strings. *out is malloc'd (caller frees the array only). */
static bool strings_of(const struct jval *req, const char *key, const char ***out, size_t *n)
{
    const struct jval *a = jget(req, key);

    *out = NULL;
    *n = 0;
    if (!a || a->type == J_NULL)
        return true;
    if (a->type != J_ARR)
        return false;
    *out = malloc((a->n ? a->n : 1) * sizeof **out);
    if (!*out)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        if (a->kids[i].type != J_STR) {
            free(*out);
            *out = NULL;
            return false;
        }
        (*out)[i] = a->kids[i].str;
    }
    *n = a->n;
    return true;
}

static void do_resolved(struct dscan_session *ss, const struct jval *id, const struct jval *req)
{
    const struct jval *items = jget(req, "items");
    struct dscan_session_resolved *v;
    struct dscan_error err = {0};
    size_t n = 0;

    if (!items || items->type != J_ARR) {
        respond_error(id, "request 'resolved' needs \"items\": an array of objects");
        return;
    }
    v = calloc(items->n ? items->n : 1, sizeof *v);
    if (!v) {
        respond_error(id, "out of memory");
        return;
    }
    for (size_t i = 0; i < items->n; i++) {
        const struct jval *it = &items->kids[i], *f[4];
        static const char *const keys[4] = {"specifier", "importer", "env", "path"};
        bool ok = it->type == J_OBJ;
        for (int k = 0; k < 4 && ok; k++) {
            f[k] = jget(it, keys[k]);
            ok = f[k] && f[k]->type == J_STR;
        }
        if (!ok || (strcmp(f[2]->str, "worker") && strcmp(f[2]->str, "client"))) {
            free(v);
            respond_error(id, "each item of 'resolved' needs string specifier, importer, path "
                              "and env \"worker\" or \"client\"");
            return;
        }
        v[n++] = (struct dscan_session_resolved){
            f[0]->str, f[1]->str, strcmp(f[2]->str, "client") ? DSCAN_ENV_WORKER : DSCAN_ENV_CLIENT,
            f[3]->str};
    }
    if (dscan_session_resolved(ss, v, n, NULL, &err) != DSCAN_OK)
        respond_error(id, err.message[0] ? err.message : dscan_status_message(err.status));
    else
        respond_result(id, ss);
    free(v);
}

/* Handles one line; false when the session should end. */
static bool handle(struct dscan_session *ss, const char *line, size_t len)
{
    struct jparse j = {line, line + len, NULL};
    struct jval req = {0};
    const struct jval *id, *op;
    struct dscan_error err = {0};
    bool go_on = true;
    char msg[600];

    if (!jvalue(&j, &req, 0) || (jskip(&j), j.p != j.end)) {
        snprintf(msg, sizeof msg, "malformed request at byte %zu: %s", (size_t)(j.p - line),
                 j.err ? j.err : "trailing characters");
        respond_error(NULL, msg);
        jfree(&req);
        return true;
    }
    id = jget(&req, "id");
    op = jget(&req, "op");
    if (req.type != J_OBJ || !op || op->type != J_STR) {
        respond_error(id, "a request is an object with a string \"op\": scan, update, resolved "
                          "or close");
    } else if (!strcmp(op->str, "scan")) {
        if (dscan_session_scan(ss, &err) != DSCAN_OK)
            respond_error(id, err.message[0] ? err.message : dscan_status_message(err.status));
        else
            respond_result(id, ss);
    } else if (!strcmp(op->str, "update")) {
        const char **ch, **rm;
        size_t nc, nr;
        if (!strings_of(&req, "changed", &ch, &nc)) {
            respond_error(id, "\"changed\" must be an array of path strings");
        } else if (!strings_of(&req, "removed", &rm, &nr)) {
            free(ch);
            respond_error(id, "\"removed\" must be an array of path strings");
        } else {
            if (dscan_session_update(ss, ch, nc, rm, nr, &err) != DSCAN_OK)
                respond_error(id, err.message[0] ? err.message : dscan_status_message(err.status));
            else
                respond_result(id, ss);
            free(ch);
            free(rm);
        }
    } else if (!strcmp(op->str, "resolved")) {
        do_resolved(ss, id, &req);
    } else if (!strcmp(op->str, "close")) {
        put_id(id);
        fputs(",\"ok\":true}\n", stdout);
        fflush(stdout);
        go_on = false;
    } else {
        snprintf(msg, sizeof msg, "unknown op '%.200s': expected scan, update, resolved or close",
                 op->str);
        respond_error(id, msg);
    }
    jfree(&req);
    return go_on;
}

int cli_serve(int argc, char **argv)
{
    struct dscan_options opts = {0};
    const char *entries[MAX_ENTRIES];
    struct cli_scan_opts so = {.cmd = "serve",
                               .stdin_taken = "stdin carries the requests",
                               .opts = &opts,
                               .entries = entries,
                               .max_entries = MAX_ENTRIES};
    bool bad = false;
    struct dscan_session *ss = NULL;
    struct dscan_error err = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc;

    for (int i = 1; i < argc && !bad; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(serve_usage, stdout);
            return EXIT_SCAN_OK;
        }
        cli_scan_opts_take(&so, argc, argv, &i, &bad);
    }
    rc = cli_scan_opts_finish(&so, bad);
    if (rc != EXIT_SCAN_OK)
        return rc;
    // The config (and the options JSON) is read here, once: the file may go.
    enum dscan_status ost = dscan_session_open(&opts, &ss, &err);
    free(so.options_text);
    if (ost != DSCAN_OK) {
        cli_error("%s", err.message[0] ? err.message : dscan_status_message(err.status));
        return EXIT_SCAN_FAILED;
    }
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t k = 0;
        while ((ssize_t)k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if ((ssize_t)k == len)
            continue; // blank lines are no requests
        if (!handle(ss, line, (size_t)len))
            break;
    }
    free(line);
    dscan_session_close(ss);
    return EXIT_SCAN_OK;
}
