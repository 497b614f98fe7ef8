/* Specifier classification (specifier.h). */
#include "path.h"
#include "specifier.h"

/* Node's builtin modules (module.builtinModules of Node 22) that may be
 * imported without the node: prefix, sorted (ds_str_cmp) for the binary
 * search of ds_spec_is_builtin. */
static const struct ds_str builtins[] = {
    DS_STR("_http_agent"),
    DS_STR("_http_client"),
    DS_STR("_http_common"),
    DS_STR("_http_incoming"),
    DS_STR("_http_outgoing"),
    DS_STR("_http_server"),
    DS_STR("_stream_duplex"),
    DS_STR("_stream_passthrough"),
    DS_STR("_stream_readable"),
    DS_STR("_stream_transform"),
    DS_STR("_stream_wrap"),
    DS_STR("_stream_writable"),
    DS_STR("_tls_common"),
    DS_STR("_tls_wrap"),
    DS_STR("assert"),
    DS_STR("assert/strict"),
    DS_STR("async_hooks"),
    DS_STR("buffer"),
    DS_STR("child_process"),
    DS_STR("cluster"),
    DS_STR("console"),
    DS_STR("constants"),
    DS_STR("crypto"),
    DS_STR("dgram"),
    DS_STR("diagnostics_channel"),
    DS_STR("dns"),
    DS_STR("dns/promises"),
    DS_STR("domain"),
    DS_STR("events"),
    DS_STR("fs"),
    DS_STR("fs/promises"),
    DS_STR("http"),
    DS_STR("http2"),
    DS_STR("https"),
    DS_STR("inspector"),
    DS_STR("inspector/promises"),
    DS_STR("module"),
    DS_STR("net"),
    DS_STR("os"),
    DS_STR("path"),
    DS_STR("path/posix"),
    DS_STR("path/win32"),
    DS_STR("perf_hooks"),
    DS_STR("process"),
    DS_STR("punycode"),
    DS_STR("querystring"),
    DS_STR("readline"),
    DS_STR("readline/promises"),
    DS_STR("repl"),
    DS_STR("stream"),
    DS_STR("stream/consumers"),
    DS_STR("stream/promises"),
    DS_STR("stream/web"),
    DS_STR("string_decoder"),
    DS_STR("sys"),
    DS_STR("timers"),
    DS_STR("timers/promises"),
    DS_STR("tls"),
    DS_STR("trace_events"),
    DS_STR("tty"),
    DS_STR("url"),
    DS_STR("util"),
    DS_STR("util/types"),
    DS_STR("v8"),
    DS_STR("vm"),
    DS_STR("wasi"),
    DS_STR("worker_threads"),
    DS_STR("zlib"),
};

/* Ids that name a runtime's module or a URL, by the scheme before their
 * first ':' (Vite's nodeLikeBuiltins: node:, npm:, bun:, deno:). */
static const struct ds_str external_schemes[] = {
    DS_STR("node"),    DS_STR("bun"),  DS_STR("deno"),  DS_STR("npm"),
    DS_STR("virtual"), DS_STR("http"), DS_STR("https"), DS_STR("data"),
};
#define LONGEST_SCHEME (sizeof "virtual:" - 1)

/* Query parameters whose imports the scan never follows (SPEC §4.5). */
static const struct ds_str skip_queries[] = {DS_STR("url"), DS_STR("raw"), DS_STR("worker"),
                                             DS_STR("sharedworker"), DS_STR("inline")};

bool ds_spec_is_relative(struct ds_str s)
{
    return ds_path_is_relative(s);
}

bool ds_spec_is_bare(struct ds_str s)
{
    if (!s.len)
        return false;
    char c = s.ptr[0];
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '@';
    if (!word)
        return false;
    if (s.len >= 2 && s.ptr[1] == ':' && ((c | 32) >= 'a' && (c | 32) <= 'z'))
        return false; // a Windows drive letter
    for (size_t i = 0; i + 2 < s.len; i++)
        if (s.ptr[i] == ':' && s.ptr[i + 1] == '/' && s.ptr[i + 2] == '/')
            return false;
    return true;
}

bool ds_spec_is_builtin(struct ds_str s)
{
    // Every name starts with [a-z_]: "./x", "@/x" and "@scope/x" (most calls)
    // skip the search.
    if (!s.len || !((s.ptr[0] >= 'a' && s.ptr[0] <= 'z') || s.ptr[0] == '_'))
        return false;
    size_t lo = 0, hi = DS_ARRAY_LEN(builtins);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ds_str_cmp(s, builtins[mid]);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

size_t ds_spec_postfix_at(struct ds_str s)
{
    // Two memchr calls: paths here are long and rarely have either.
    size_t q = ds_str_find(s, '?');
    return ds_str_find(ds_str_slice(s, 0, q), '#');
}

bool ds_spec_skip_query(struct ds_str s)
{
    size_t q = ds_str_find(s, '?');

    if (q == s.len)
        return false;
    // The parameters run from after '?' to the first '#'.
    struct ds_str rest = ds_str_slice(s, q + 1, s.len);
    rest.len = ds_str_find(rest, '#');
    while (rest.len > 0) {
        size_t amp = ds_str_find(rest, '&');
        struct ds_str param = ds_str_slice(rest, 0, amp);
        param.len = ds_str_find(param, '=');
        for (size_t i = 0; i < DS_ARRAY_LEN(skip_queries); i++)
            if (ds_str_eq(param, skip_queries[i]))
                return true;
        rest = amp == rest.len ? ds_str_slice(rest, rest.len, rest.len)
                               : ds_str_slice(rest, amp + 1, rest.len);
    }
    return false;
}

bool ds_spec_is_external(const struct ds_strlist *external, struct ds_str s)
{
    // The lowercase letters before a ':' are looked at once, not compared
    // with each scheme in turn: this runs for every import of every module,
    // and "./x", "@/x" or "react" stop at the first byte or soon after.
    size_t n = 0;
    while (n < s.len && n < LONGEST_SCHEME && s.ptr[n] >= 'a' && s.ptr[n] <= 'z')
        n++;
    for (size_t i = 0; n < s.len && s.ptr[n] == ':' && i < DS_ARRAY_LEN(external_schemes); i++)
        if (ds_str_eq(ds_str_slice(s, 0, n), external_schemes[i]))
            return true;
    if ((s.len && s.ptr[0] == '\0') || ds_str_starts_with(s, DS_STR("//")))
        return true;
    // A configured external names a package: the package and its subpaths.
    for (size_t i = 0; external && i < external->n; i++) {
        struct ds_str e = external->items[i];
        if (ds_str_eq(s, e) || (ds_str_starts_with(s, e) && s.len > e.len && s.ptr[e.len] == '/'))
            return true;
    }
    return ds_spec_skip_query(s);
}

bool ds_spec_split_package(struct ds_str spec, struct ds_str *name, struct ds_str *rest)
{
    size_t slash = ds_str_find(spec, '/');
    if (spec.len && spec.ptr[0] == '@') {
        if (slash == spec.len || slash + 1 == spec.len)
            return false;
        struct ds_str after = ds_str_slice(spec, slash + 1, spec.len);
        slash = slash + 1 + ds_str_find(after, '/');
    }
    *name = ds_str_slice(spec, 0, slash);
    *rest = ds_str_slice(spec, slash, spec.len); // "" or "/sub"
    if (!name->len || name->ptr[0] == '.' || ds_str_find(*name, '\\') < name->len ||
        ds_str_find(*name, '%') < name->len)
        return false;
    return true;
}
