/* What kind of source a file is: by its name, is it a script the scan
 * reads, and in which language the lexer reads it; by its text, does it
 * look like an ES module (Vite's sniff, which decides between a package's
 * browser and module entries). */
#include "lang.h"

/* The script extensions (SPEC §4.1, §4.5) and their languages. */
static const struct {
    struct ds_str ext;
    enum ds_lang lang;
} scripts[] = {
    {DS_STR(".js"), DS_LANG_JS},  {DS_STR(".jsx"), DS_LANG_JSX}, {DS_STR(".mjs"), DS_LANG_JS},
    {DS_STR(".cjs"), DS_LANG_JS}, {DS_STR(".ts"), DS_LANG_TS},   {DS_STR(".tsx"), DS_LANG_TSX},
    {DS_STR(".mts"), DS_LANG_TS}, {DS_STR(".cts"), DS_LANG_TS},  {DS_STR(".mdx"), DS_LANG_MDX},
};

/* The entry of `scripts` that `path` ends with, or -1. Every extension is
 * a dot and 2 or 3 bytes, compared here byte by byte: the resolver asks
 * this for every file it resolves to, and a memcmp per entry was 190
 * instructions a call (callgrind, bench/realapp). */
static int script_index(struct ds_str path)
{
    for (size_t n = 3; n <= 4 && n <= path.len; n++) {
        const char *e = path.ptr + path.len - n;
        if (e[0] != '.')
            continue;
        for (size_t i = 0; i < DS_ARRAY_LEN(scripts); i++)
            if (scripts[i].ext.len == n && e[1] == scripts[i].ext.ptr[1] &&
                e[n - 1] == scripts[i].ext.ptr[n - 1] && (n == 3 || e[2] == scripts[i].ext.ptr[2]))
                return (int)i;
    }
    return -1;
}

bool ds_lang_is_script(struct ds_str path)
{
    int i = script_index(path);
    // A file named just ".ts" is a dotfile with no extension, as in Node.
    size_t n = i < 0 ? 0 : scripts[i].ext.len;
    return i >= 0 && path.len > n && path.ptr[path.len - n - 1] != '/';
}

enum ds_lang ds_lang_of_path(struct ds_str path)
{
    int i = script_index(path);
    return i < 0 ? DS_LANG_JS : scripts[i].lang;
}

/* Vite's hasESMSyntax: an import/export statement or import.meta at the
 * start of a line or after ';' or whitespace. Only its shape matters: it
 * decides between a package's browser and module entries. */
static bool word_at(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 &&
           (p + n == end || !((p[n] | 32) >= 'a' && (p[n] | 32) <= 'z') || p[n] == '_');
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool ds_lang_has_esm_syntax(struct ds_str text)
{
    const char *s = text.ptr, *end = s + text.len;
    static const char *const decl[] = {"default", "class", "type", "function",
                                       "const",   "var",   "let",  "async"};

    for (const char *p = s; p < end; p++) {
        // Both words start with a letter of their own: test it first, it
        // rules out most positions (word_at's strlen and memcmp are calls).
        if ((*p != 'i' && *p != 'e') || (p > s && p[-1] != ';' && !is_space(p[-1])))
            continue;
        if (word_at(p, end, "import")) {
            const char *q = p + 6;
            if (q < end && q[0] == '.' && word_at(q + 1, end, "meta"))
                return true;
            const char *t = q;
            while (t < end && is_space(*t))
                t++;
            if (t < end && (*t == '\'' || *t == '"' || *t == '*' || *t == '{'))
                return true;
            // import[\s\w*,{}]*from
            while (q < end && (is_space(*q) || *q == '*' || *q == ',' || *q == '{' || *q == '}' ||
                               *q == '_' || *q == '$' || ((*q | 32) >= 'a' && (*q | 32) <= 'z') ||
                               (*q >= '0' && *q <= '9'))) {
                if (q[0] == 'f' && word_at(q, end, "from") && is_space(q[-1]))
                    return true;
                q++;
            }
        } else if (word_at(p, end, "export")) {
            const char *q = p + 6;
            while (q < end && is_space(*q))
                q++;
            if (q < end && (*q == '*' || *q == '{'))
                return true;
            for (size_t i = 0; i < DS_ARRAY_LEN(decl); i++)
                if (word_at(q, end, decl[i]))
                    return true;
        }
    }
    return false;
}
