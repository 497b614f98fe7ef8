/* `dscan gen`'s project shape (SPEC §6): the packages in node_modules, the
 * app under src/, the detours and the big files, and the list of what was
 * planted so a test can compare a scan with it.
 *
 * The shape, and why each part is there:
 *   - stress-icons: lucide-react's layout. A barrel re-exports N icon files,
 *     each importing createIcon -> Icon -> react. Reaching the barrel from
 *     both sides visits 2N modules: the shape behind the original OOM.
 *   - react: a small CommonJS stand-in with a "react-server" export
 *     condition, like the real one, so no install is needed.
 *   - @stress/ui: a scoped UI kit of "use client" components behind an
 *     `export *` barrel (real UI kits do this; lucide does not).
 *   - stress-conditional: `exports` that differ for react-server vs browser;
 *     the worker side finds provider.js, the client side browser.js, and
 *     index.js (the default) must never be found.
 *   - stress-actions: "use server" only under react-server, plus a package
 *     `imports` map (#db) with a workerd condition.
 *   - stress-big (--big-files): a barrel of large chunk files; odd chunks say
 *     "use client".
 *   - src/: pages (server components, reached from src/worker.tsx as a tree),
 *     client components, "use server" action files, lib helpers; directive
 *     prologue variants, decoys (a directive in a comment or after code),
 *     `import type`, the `@/` alias.
 *   - detours: imports that reach a file through another path string.
 *
 * Deterministic: every choice comes from a splitmix64 stream seeded by
 * --seed and consumed in a fixed order; nothing depends on time, addresses
 * or directory order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dscan.h"
#include "gen.h"

/* ---- deterministic choices -------------------------------------------- */

static uint64_t rnd_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n is 0. */
static unsigned long rnd_below(uint64_t *s, unsigned long n)
{
    return n ? (unsigned long)(rnd_next(s) % n) : 0;
}

/* ---- names -------------------------------------------------------------- */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const areas[] = {
    "account", "billing", "dashboard", "settings", "profile",  "search", "admin",   "checkout",
    "inbox",   "reports", "team",      "projects", "calendar", "files",  "support", "onboarding",
};
static const char *const comp_adj[] = {
    "Profile", "Invoice", "Task", "User",   "Order", "Message", "Project", "Report",
    "Team",    "Event",   "File", "Search", "Plan",  "Comment", "Note",    "Alert",
};
static const char *const comp_noun[] = {
    "Card",  "Panel", "List",   "Header", "Footer",  "Form",    "Modal",  "Table",
    "Badge", "Menu",  "Avatar", "Chart",  "Toolbar", "Sidebar", "Banner", "Field",
};
static const char *const act_verb[] = {"save",    "delete", "update",  "create",
                                       "archive", "send",   "approve", "publish"};
static const char *const act_obj[] = {"Account", "Invoice", "Task",   "Comment",
                                      "Order",   "Draft",   "Member", "Setting"};
static const char *const lib_verb[] = {"format", "parse", "compute", "normalize", "build", "merge"};
static const char *const lib_obj[] = {"Date", "Price", "Slug",  "Query",
                                      "Path", "Label", "Range", "Color"};
static const char *const icon_word[] = {
    "arrow", "circle", "square", "user",  "file",  "folder", "camera", "bell",
    "cloud", "heart",  "star",   "lock",  "mail",  "map",    "phone",  "search",
    "gear",  "shield", "tag",    "trash", "truck", "upload", "wifi",   "zap",
    "book",  "pin",    "chart",  "check", "clock", "code",   "copy",   "download",
};

enum fkind { F_PAGE, F_COMP, F_ACTION, F_LIB, F_NKIND };

static const char *const kind_dir[F_NKIND] = {"src/app/pages", "src/components", "src/actions",
                                              "src/lib"};
static const char *const kind_ext[F_NKIND] = {".tsx", ".tsx", ".ts", ".ts"};

#define PER_DIR 32 /* app files per folder */

static void area_name(char *out, size_t cap, unsigned long group)
{
    if (group < N_OF(areas))
        snprintf(out, cap, "%s", areas[group]);
    else
        snprintf(out, cap, "%s-%lu", areas[group % N_OF(areas)], group / N_OF(areas));
}

/* The exported name of app file i of a kind; also its file's base name. */
static void file_name(char *out, size_t cap, enum fkind k, unsigned long i)
{
    switch (k) {
    case F_PAGE: {
        const char *a = areas[(i / PER_DIR) % N_OF(areas)];
        snprintf(out, cap, "%c%sPage%lu", a[0] - 'a' + 'A', a + 1, i);
        break;
    }
    case F_COMP:
        snprintf(out, cap, "%s%s%lu", comp_adj[i % N_OF(comp_adj)],
                 comp_noun[(i / N_OF(comp_adj)) % N_OF(comp_noun)], i);
        break;
    case F_ACTION:
        snprintf(out, cap, "%s%s%lu", act_verb[i % N_OF(act_verb)],
                 act_obj[(i / N_OF(act_verb)) % N_OF(act_obj)], i);
        break;
    default:
        snprintf(out, cap, "%s%s%lu", lib_verb[i % N_OF(lib_verb)],
                 lib_obj[(i / N_OF(lib_verb)) % N_OF(lib_obj)], i);
        break;
    }
}

/* "src/components/account/ProfileCard3" (no extension), relative to OUTDIR. */
static void file_stem(char *out, size_t cap, enum fkind k, unsigned long i)
{
    char area[64], name[96];
    area_name(area, sizeof area, i / PER_DIR);
    file_name(name, sizeof name, k, i);
    snprintf(out, cap, "%s/%s/%s", kind_dir[k], area, name);
}

/* Icon i: "arrow-circle" / "ArrowCircle", with a number past 1024 icons. */
static void icon_names(unsigned long i, char *kebab, size_t kcap, char *pascal, size_t pcap)
{
    const char *a = icon_word[i % N_OF(icon_word)];
    const char *b = icon_word[(i / N_OF(icon_word)) % N_OF(icon_word)];
    unsigned long n = i / (N_OF(icon_word) * N_OF(icon_word));
    char num[24] = "";
    char dnum[24] = "";
    if (n) {
        snprintf(num, sizeof num, "%lu", n);
        snprintf(dnum, sizeof dnum, "-%lu", n);
    }
    snprintf(kebab, kcap, "%s-%s%s", a, b, dnum);
    snprintf(pascal, pcap, "%c%s%c%s%s", a[0] - 'a' + 'A', a + 1, b[0] - 'a' + 'A', b + 1, num);
}

/* The relative path from directory `from_dir` to `to` (both relative to
 * OUTDIR, normalised). With dot, a path not starting with ".." gets "./". */
static void rel_path(char *out, size_t cap, const char *from_dir, const char *to, bool dot)
{
    const char *a = from_dir, *t = to;
    while (*a) {
        size_t la = strcspn(a, "/"), lt = strcspn(t, "/");
        if (la != lt || memcmp(a, t, la) != 0 || t[lt] != '/')
            break;
        a += la;
        t += lt + 1;
        if (*a == '/')
            a++;
    }
    size_t ups = *a ? 1 : 0, len = 0;
    for (const char *p = a; *p; p++)
        ups += *p == '/';
    out[0] = '\0';
    if (ups == 0 && dot)
        len += (size_t)snprintf(out, cap, "./");
    for (size_t u = 0; u < ups && len < cap; u++)
        len += (size_t)snprintf(out + len, cap - len, "../");
    if (len < cap)
        snprintf(out + len, cap - len, "%s", t);
}

static void dir_of(char *out, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, path, n);
    out[n] = '\0';
}

/* ---- packages ----------------------------------------------------------- */

enum pkg_id { P_REACT, P_ICONS, P_UI, P_COND, P_ACTIONS, P_BIG, P_N };

struct pkg {
    const char *name, *version;
    const char *peer; /* pnpm's peer suffix in the store folder name */
    int deps[3];      /* -1 ends */
};

static const struct pkg pkgs[P_N] = {
    [P_REACT] = {"react", "19.1.0", "", {-1}},
    [P_ICONS] = {"stress-icons", "0.544.0", "_react@19.1.0", {P_REACT, -1}},
    [P_UI] = {"@stress/ui", "2.3.1", "_react@19.1.0", {P_REACT, P_COND, -1}},
    [P_COND] = {"stress-conditional", "1.4.0", "_react@19.1.0", {P_REACT, -1}},
    [P_ACTIONS] = {"stress-actions", "0.9.0", "", {-1}},
    [P_BIG] = {"stress-big", "1.0.0", "", {-1}},
};

struct gen {
    struct gen_out *o;
    const struct gen_opts *opt;
    struct gen_result *res;
    uint64_t rng;
    unsigned long n[F_NKIND];
    unsigned long first_pages; /* pages imported by src/worker.tsx */
    /* detours, grouped by host file: det_head[host] -> det_next[d] -> ... */
    unsigned long *det_head, *det_next;
    unsigned long n_hosts;
    char pkgdir[P_N][256]; /* where each package's files really are */
};

#define NONE (~0UL)

static void store_name(char *out, size_t cap, enum pkg_id p)
{
    char name[128];
    snprintf(name, sizeof name, "%s", pkgs[p].name);
    for (char *c = name; *c; c++)
        if (*c == '/')
            *c = '+';
    snprintf(out, cap, "%s@%s%s", name, pkgs[p].version, pkgs[p].peer);
}

static int list_add(struct gen_out *o, struct gen_list *l, const char *prefix, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            goto oom;
        l->v = v;
        l->cap = cap;
    }
    size_t a = strlen(prefix), b = strlen(s);
    char *c = malloc(a + b + 1);
    if (!c)
        goto oom;
    memcpy(c, prefix, a);
    memcpy(c + a, s, b + 1);
    l->v[l->n++] = c;
    return 0;
oom:
    snprintf(o->err, sizeof o->err, "out of memory");
    return -1;
}

static void list_free(struct gen_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (struct gen_list){0};
}

void gen_result_free(struct gen_result *res)
{
    list_free(&res->client);
    list_free(&res->server);
    list_free(&res->only_worker);
    list_free(&res->only_client);
    list_free(&res->entries);
}

/* Writes g->o->buf as file `rel` under package p's folder. */
static int pkg_file(struct gen *g, enum pkg_id p, const char *rel)
{
    char path[GEN_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", g->pkgdir[p], rel);
    g->res->pkg_files++;
    return gen_out_file(g->o, path);
}

/* Records package p's file `rel` as a planted client or server file. */
static int plant_pkg(struct gen *g, struct gen_list *l, enum pkg_id p, const char *rel)
{
    char path[GEN_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", g->pkgdir[p], rel);
    return list_add(g->o, l, "/", path);
}

static const char license[] = "/**\n"
                              " * @license %s v%s - ISC\n"
                              " *\n"
                              " * Written by dscan gen as a stand-in for a real package.\n"
                              " */\n\n";

/* ---- react (CommonJS, like the real package) ---- */

static int write_react(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    gb_put(b, "{\n"
              "  \"name\": \"react\",\n"
              "  \"version\": \"19.1.0\",\n"
              "  \"description\": \"Stand-in for React, written by dscan gen\",\n"
              "  \"main\": \"index.js\",\n"
              "  \"exports\": {\n"
              "    \".\": {\n"
              "      \"react-server\": \"./react.react-server.js\",\n"
              "      \"default\": \"./index.js\"\n"
              "    },\n"
              "    \"./package.json\": \"./package.json\",\n"
              "    \"./jsx-runtime\": {\n"
              "      \"react-server\": \"./jsx-runtime.react-server.js\",\n"
              "      \"default\": \"./jsx-runtime.js\"\n"
              "    },\n"
              "    \"./jsx-dev-runtime\": {\n"
              "      \"react-server\": \"./jsx-dev-runtime.react-server.js\",\n"
              "      \"default\": \"./jsx-dev-runtime.js\"\n"
              "    }\n"
              "  }\n"
              "}\n");
    if (pkg_file(g, P_REACT, "package.json"))
        return -1;

    /* entry file, implementation stem */
    static const char *const entries[][2] = {
        {"index.js", "react"},
        {"react.react-server.js", "react.react-server"},
        {"jsx-runtime.js", "react-jsx-runtime"},
        {"jsx-runtime.react-server.js", "react-jsx-runtime.react-server"},
        {"jsx-dev-runtime.js", "react-jsx-dev-runtime"},
        {"jsx-dev-runtime.react-server.js", "react-jsx-dev-runtime.react-server"},
    };
    for (size_t i = 0; i < N_OF(entries); i++) {
        gb_printf(b,
                  "'use strict';\n\n"
                  "if (process.env.NODE_ENV === 'production') {\n"
                  "  module.exports = require('./cjs/%s.production.js');\n"
                  "} else {\n"
                  "  module.exports = require('./cjs/%s.development.js');\n"
                  "}\n",
                  entries[i][1], entries[i][1]);
        if (pkg_file(g, P_REACT, entries[i][0]))
            return -1;
        for (int dev = 0; dev < 2; dev++) {
            const char *mode = dev ? "development" : "production";
            bool jsx = strstr(entries[i][1], "jsx") != NULL;
            bool server = strstr(entries[i][1], "react-server") != NULL;
            gb_printf(b, license, "react", "19.1.0");
            gb_printf(b, "\"use strict\";\n"
                         "var REACT_ELEMENT_TYPE = Symbol.for(\"react.transitional.element\"),\n"
                         "  REACT_FRAGMENT_TYPE = Symbol.for(\"react.fragment\");\n");
            if (jsx) {
                gb_printf(
                    b,
                    "function jsx(type, config, maybeKey) {\n"
                    "  var key = void 0 !== maybeKey ? \"\" + maybeKey : null;\n"
                    "  if (void 0 !== config.key) key = \"\" + config.key;\n"
                    "  var props = {};\n"
                    "  for (var name in config) if (name !== \"key\") props[name] = config[name];\n"
                    "  return { $$typeof: REACT_ELEMENT_TYPE, type: type, key: key, props: props };\n"
                    "}\n"
                    "exports.Fragment = REACT_FRAGMENT_TYPE;\n"
                    "exports.%s = jsx;\n%s",
                    strstr(entries[i][1], "dev") ? "jsxDEV" : "jsx",
                    strstr(entries[i][1], "dev") ? "" : "exports.jsxs = jsx;\n");
            } else {
                gb_put(
                    b,
                    "var REACT_FORWARD_REF_TYPE = Symbol.for(\"react.forward_ref\");\n"
                    "function createElement(type, config, children) {\n"
                    "  var props = {}, key = null;\n"
                    "  if (config != null) {\n"
                    "    if (config.key !== undefined) key = \"\" + config.key;\n"
                    "    for (var name in config) if (name !== \"key\") props[name] = config[name];\n"
                    "  }\n"
                    "  var n = arguments.length - 2;\n"
                    "  if (n === 1) props.children = children;\n"
                    "  else if (n > 1) props.children = Array.prototype.slice.call(arguments, 2);\n"
                    "  return { $$typeof: REACT_ELEMENT_TYPE, type: type, key: key, props: props };\n"
                    "}\n"
                    "function forwardRef(render) {\n"
                    "  return { $$typeof: REACT_FORWARD_REF_TYPE, render: render };\n"
                    "}\n"
                    "exports.Fragment = REACT_FRAGMENT_TYPE;\n"
                    "exports.createElement = createElement;\n"
                    "exports.forwardRef = forwardRef;\n");
                if (!server)
                    gb_put(
                        b,
                        "exports.useState = function (initial) {\n"
                        "  return [typeof initial === \"function\" ? initial() : initial, function () {}];\n"
                        "};\n"
                        "exports.useEffect = function () {};\n");
                gb_put(b, "exports.version = \"19.1.0\";\n");
            }
            char rel[160];
            snprintf(rel, sizeof rel, "cjs/%s.%s.js", entries[i][1], mode);
            if (pkg_file(g, P_REACT, rel))
                return -1;
        }
    }
    return 0;
}

/* ---- stress-icons (lucide-react's layout) ---- */

static int write_icons(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct pkg *p = &pkgs[P_ICONS];

    gb_printf(b,
              "{\n"
              "  \"name\": \"%s\",\n"
              "  \"version\": \"%s\",\n"
              "  \"description\": \"A lucide-react-shaped icon package written by dscan gen\",\n"
              "  \"type\": \"module\",\n"
              "  \"main\": \"dist/cjs/stress-icons.cjs\",\n"
              "  \"module\": \"dist/esm/stress-icons.js\",\n"
              "  \"exports\": {\n"
              "    \".\": {\n"
              "      \"import\": \"./dist/esm/stress-icons.js\",\n"
              "      \"require\": \"./dist/cjs/stress-icons.cjs\",\n"
              "      \"default\": \"./dist/esm/stress-icons.js\"\n"
              "    },\n"
              "    \"./icons/*\": {\n"
              "      \"import\": \"./dist/esm/icons/*.js\",\n"
              "      \"default\": \"./dist/esm/icons/*.js\"\n"
              "    },\n"
              "    \"./package.json\": \"./package.json\"\n"
              "  },\n"
              "  \"sideEffects\": false,\n"
              "  \"peerDependencies\": { \"react\": \"^19.0.0\" }\n"
              "}\n",
              p->name, p->version);
    if (pkg_file(g, P_ICONS, "package.json"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(b,
           "'use strict';\n\n"
           "// The CommonJS build is not part of the scan: nothing in this project requires it.\n"
           "exports.createIcon = function createIcon(name) {\n"
           "  throw new Error(\"stress-icons: the CommonJS build is a stub (\" + name + \")\");\n"
           "};\n");
    if (pkg_file(g, P_ICONS, "dist/cjs/stress-icons.cjs"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(b, "var defaultAttributes = {\n"
              "  xmlns: \"http://www.w3.org/2000/svg\",\n"
              "  width: 24,\n"
              "  height: 24,\n"
              "  viewBox: \"0 0 24 24\",\n"
              "  fill: \"none\",\n"
              "  stroke: \"currentColor\",\n"
              "  strokeWidth: 2,\n"
              "  strokeLinecap: \"round\",\n"
              "  strokeLinejoin: \"round\"\n"
              "};\n\n"
              "export { defaultAttributes as default };\n");
    if (pkg_file(g, P_ICONS, "dist/esm/defaultAttributes.js"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(
        b,
        "const toKebabCase = (string) => string.replace(/([a-z0-9])([A-Z])/g, \"$1-$2\").toLowerCase();\n"
        "const toCamelCase = (string) =>\n"
        "  string.replace(/^([A-Z])|[\\s-_]+(\\w)/g, (match, p1, p2) => p2 ? p2.toUpperCase() : p1.toLowerCase());\n"
        "const toPascalCase = (string) => {\n"
        "  const camelCase = toCamelCase(string);\n"
        "  return camelCase.charAt(0).toUpperCase() + camelCase.slice(1);\n"
        "};\n"
        "const mergeClasses = (...classes) =>\n"
        "  classes.filter((className, index, array) => Boolean(className) && className.trim() !== \"\" && array.indexOf(className) === index).join(\" \").trim();\n"
        "const hasA11yProp = (props) => {\n"
        "  for (const prop in props) {\n"
        "    if (prop.startsWith(\"aria-\") || prop === \"role\" || prop === \"title\") return true;\n"
        "  }\n"
        "  return false;\n"
        "};\n\n"
        "export { hasA11yProp, mergeClasses, toCamelCase, toKebabCase, toPascalCase };\n");
    if (pkg_file(g, P_ICONS, "dist/esm/shared/src/utils.js"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(
        b,
        "import { forwardRef, createElement } from 'react';\n"
        "import defaultAttributes from './defaultAttributes.js';\n"
        "import { mergeClasses, hasA11yProp } from './shared/src/utils.js';\n\n"
        "const Icon = forwardRef(\n"
        "  ({ color = \"currentColor\", size = 24, strokeWidth = 2, absoluteStrokeWidth, className = \"\", children, iconNode, ...rest }, ref) => createElement(\n"
        "    \"svg\",\n"
        "    {\n"
        "      ref,\n"
        "      ...defaultAttributes,\n"
        "      width: size,\n"
        "      height: size,\n"
        "      stroke: color,\n"
        "      strokeWidth: absoluteStrokeWidth ? Number(strokeWidth) * 24 / Number(size) : strokeWidth,\n"
        "      className: mergeClasses(\"stress\", className),\n"
        "      ...!children && !hasA11yProp(rest) && { \"aria-hidden\": \"true\" },\n"
        "      ...rest\n"
        "    },\n"
        "    [\n"
        "      ...iconNode.map(([tag, attrs]) => createElement(tag, attrs)),\n"
        "      ...Array.isArray(children) ? children : [children]\n"
        "    ]\n"
        "  )\n"
        ");\n\n"
        "export { Icon as default };\n");
    if (pkg_file(g, P_ICONS, "dist/esm/Icon.js"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(b, "import { forwardRef, createElement } from 'react';\n"
              "import { mergeClasses, toKebabCase, toPascalCase } from './shared/src/utils.js';\n"
              "import Icon from './Icon.js';\n\n"
              "const createIcon = (iconName, iconNode) => {\n"
              "  const Component = forwardRef(\n"
              "    ({ className, ...props }, ref) => createElement(Icon, {\n"
              "      ref,\n"
              "      iconNode,\n"
              "      className: mergeClasses(\n"
              "        `stress-${toKebabCase(toPascalCase(iconName))}`,\n"
              "        `stress-${iconName}`,\n"
              "        className\n"
              "      ),\n"
              "      ...props\n"
              "    })\n"
              "  );\n"
              "  Component.displayName = toPascalCase(iconName);\n"
              "  return Component;\n"
              "};\n\n"
              "export { createIcon as default };\n");
    if (pkg_file(g, P_ICONS, "dist/esm/createIcon.js"))
        return -1;

    char kebab[96], pascal[96], rel[160];
    for (unsigned long i = 0; i < g->opt->icons; i++) {
        icon_names(i, kebab, sizeof kebab, pascal, sizeof pascal);
        gb_printf(b, license, p->name, p->version);
        gb_put(b, "import createIcon from '../createIcon.js';\n\nconst __iconNode = [\n");
        unsigned long parts = 1 + rnd_below(&g->rng, 3);
        for (unsigned long k = 0; k < parts; k++) {
            unsigned long x = rnd_below(&g->rng, 20) + 2, y = rnd_below(&g->rng, 20) + 2;
            unsigned long w = rnd_below(&g->rng, 9) + 1, h = rnd_below(&g->rng, 9) + 1;
            gb_printf(b,
                      "  [\"path\", { d: \"M%lu %luh%lu v%lu l-%lu %lu\", key: \"k%08lx\" }]%s\n",
                      x, y, w, h, w / 2 + 1, h / 2 + 1,
                      (unsigned long)(rnd_next(&g->rng) & 0xffffffffUL), k + 1 < parts ? "," : "");
        }
        gb_printf(b,
                  "];\n"
                  "const %s = createIcon(\"%s\", __iconNode);\n\n"
                  "export { __iconNode, %s as default };\n",
                  pascal, kebab, pascal);
        snprintf(rel, sizeof rel, "dist/esm/icons/%s.js", kebab);
        if (pkg_file(g, P_ICONS, rel))
            return -1;
    }

    gb_printf(b, license, p->name, p->version);
    for (unsigned long i = 0; i < g->opt->icons; i++) {
        icon_names(i, kebab, sizeof kebab, pascal, sizeof pascal);
        gb_printf(b,
                  "export { default as %s, default as %sIcon, default as Stress%s } from "
                  "'./icons/%s.js';\n",
                  pascal, pascal, pascal, kebab);
    }
    gb_put(b, "export { default as createIcon } from './createIcon.js';\n"
              "export { default as Icon } from './Icon.js';\n");
    return pkg_file(g, P_ICONS, "dist/esm/stress-icons.js");
}

/* ---- @stress/ui: "use client" components behind an export * barrel ---- */

static const char *const ui_parts[][2] = {
    {"button", "Button"}, {"dialog", "Dialog"},   {"tooltip", "Tooltip"},
    {"tabs", "Tabs"},     {"popover", "Popover"}, {"toast", "Toast"},
};

static int write_ui(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct pkg *p = &pkgs[P_UI];

    gb_printf(b,
              "{\n"
              "  \"name\": \"%s\",\n"
              "  \"version\": \"%s\",\n"
              "  \"description\": \"A UI kit of client components, written by dscan gen\",\n"
              "  \"type\": \"module\",\n"
              "  \"exports\": {\n"
              "    \".\": {\n"
              "      \"import\": \"./dist/index.js\",\n"
              "      \"default\": \"./dist/index.js\"\n"
              "    },\n",
              p->name, p->version);
    for (size_t i = 0; i < N_OF(ui_parts); i++)
        gb_printf(b, "    \"./%s\": \"./dist/%s.js\",\n", ui_parts[i][0], ui_parts[i][0]);
    gb_put(b, "    \"./package.json\": \"./package.json\"\n"
              "  },\n"
              "  \"dependencies\": { \"stress-conditional\": \"^1.4.0\" },\n"
              "  \"peerDependencies\": { \"react\": \"^19.0.0\" }\n"
              "}\n");
    if (pkg_file(g, P_UI, "package.json"))
        return -1;

    gb_put(b, "export function cx(...names) {\n"
              "  return names.filter(Boolean).join(\" \");\n"
              "}\n");
    if (pkg_file(g, P_UI, "dist/utils.js"))
        return -1;

    char rel[96];
    for (size_t i = 0; i < N_OF(ui_parts); i++) {
        bool tooltip = !strcmp(ui_parts[i][0], "tooltip");
        gb_printf(b, "\"use client\";\n");
        gb_printf(b, license, p->name, p->version);
        gb_put(b, "import { createElement, useState } from \"react\";\n"
                  "import { cx } from \"./utils.js\";\n");
        if (tooltip)
            gb_put(b, "import { ConditionalWidget } from \"stress-conditional\";\n");
        gb_printf(
            b,
            "\nexport function %s({ className, children, ...props }) {\n"
            "  const [open, setOpen] = useState(false);\n"
            "  return createElement(\n"
            "    \"div\",\n"
            "    { ...props, className: cx(\"stress-%s\", open && \"open\", className), onClick: () => setOpen(!open) },\n"
            "    %s\n"
            "  );\n"
            "}\n",
            ui_parts[i][1], ui_parts[i][0],
            tooltip ? "[children, createElement(ConditionalWidget, null)]" : "children");
        snprintf(rel, sizeof rel, "dist/%s.js", ui_parts[i][0]);
        if (pkg_file(g, P_UI, rel) || plant_pkg(g, &g->res->client, P_UI, rel))
            return -1;
    }

    gb_printf(b, license, p->name, p->version);
    for (size_t i = 0; i < N_OF(ui_parts); i++)
        gb_printf(b, "export * from \"./%s.js\";\n", ui_parts[i][0]);
    return pkg_file(g, P_UI, "dist/index.js");
}

/* ---- stress-conditional: exports that differ between the two sides ---- */

static int write_conditional(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct pkg *p = &pkgs[P_COND];

    gb_printf(
        b,
        "{\n"
        "  \"name\": \"%s\",\n"
        "  \"version\": \"%s\",\n"
        "  \"description\": \"Different files for react-server and browser, written by dscan gen\",\n"
        "  \"type\": \"module\",\n"
        "  \"main\": \"./dist/index.js\",\n"
        "  \"exports\": {\n"
        "    \".\": {\n"
        "      \"react-server\": \"./dist/server.js\",\n"
        "      \"workerd\": \"./dist/server.js\",\n"
        "      \"browser\": \"./dist/browser.js\",\n"
        "      \"default\": \"./dist/index.js\"\n"
        "    },\n"
        "    \"./package.json\": \"./package.json\"\n"
        "  },\n"
        "  \"peerDependencies\": { \"react\": \"^19.0.0\" }\n"
        "}\n",
        p->name, p->version);
    if (pkg_file(g, P_COND, "package.json"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(b, "// What the worker side gets (react-server): a server component that\n"
              "// renders a client provider.\n"
              "import { createElement } from \"react\";\n"
              "import { ConditionalProvider } from \"./provider.js\";\n\n"
              "export function ConditionalWidget(props) {\n"
              "  return createElement(ConditionalProvider, props);\n"
              "}\n");
    if (pkg_file(g, P_COND, "dist/server.js"))
        return -1;

    gb_put(b, "\"use client\";\n");
    gb_printf(b, license, p->name, p->version);
    gb_put(b, "// Found only through the worker side (server.js imports it).\n"
              "import { createElement, useState } from \"react\";\n\n"
              "export function ConditionalProvider(props) {\n"
              "  const [value] = useState(0);\n"
              "  return createElement(\"div\", { ...props, \"data-value\": value });\n"
              "}\n");
    if (pkg_file(g, P_COND, "dist/provider.js") ||
        plant_pkg(g, &g->res->client, P_COND, "dist/provider.js") ||
        plant_pkg(g, &g->res->only_worker, P_COND, "dist/provider.js"))
        return -1;

    gb_put(b, "'use client';\n");
    gb_printf(b, license, p->name, p->version);
    gb_put(b, "// What the client side gets (browser condition).\n"
              "import { createElement, useState } from \"react\";\n\n"
              "export function ConditionalWidget(props) {\n"
              "  const [open, setOpen] = useState(false);\n"
              "  return createElement(\"button\", { ...props, onClick: () => setOpen(!open) });\n"
              "}\n");
    if (pkg_file(g, P_COND, "dist/browser.js") ||
        plant_pkg(g, &g->res->client, P_COND, "dist/browser.js") ||
        plant_pkg(g, &g->res->only_client, P_COND, "dist/browser.js"))
        return -1;

    gb_put(b, "\"use client\";\n");
    gb_printf(b, license, p->name, p->version);
    gb_put(b, "// The default export condition: neither side of a correct scan reaches it\n"
              "// (the worker matches react-server first, the client browser), so a scan\n"
              "// that lists this file resolved a condition wrongly.\n"
              "import { createElement } from \"react\";\n\n"
              "export function ConditionalWidget(props) {\n"
              "  return createElement(\"span\", props);\n"
              "}\n");
    return pkg_file(g, P_COND, "dist/index.js");
}

/* ---- stress-actions: "use server" under react-server, and #imports ---- */

static int write_actions(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct pkg *p = &pkgs[P_ACTIONS];

    gb_printf(
        b,
        "{\n"
        "  \"name\": \"%s\",\n"
        "  \"version\": \"%s\",\n"
        "  \"description\": \"Server actions on the worker side, fetch stubs on the client, written by dscan gen\",\n"
        "  \"type\": \"module\",\n"
        "  \"exports\": {\n"
        "    \".\": {\n"
        "      \"react-server\": \"./dist/actions.server.js\",\n"
        "      \"default\": \"./dist/actions.client.js\"\n"
        "    }\n"
        "  },\n"
        "  \"imports\": {\n"
        "    \"#db\": {\n"
        "      \"workerd\": \"./dist/db.workerd.js\",\n"
        "      \"default\": \"./dist/db.js\"\n"
        "    }\n"
        "  }\n"
        "}\n",
        p->name, p->version);
    if (pkg_file(g, P_ACTIONS, "package.json"))
        return -1;

    gb_put(b, "\"use server\";\n");
    gb_printf(b, license, p->name, p->version);
    gb_put(b, "import { db } from \"#db\";\n\n"
              "export async function submitForm(data) {\n"
              "  return db.put(JSON.stringify(data));\n"
              "}\n");
    if (pkg_file(g, P_ACTIONS, "dist/actions.server.js") ||
        plant_pkg(g, &g->res->server, P_ACTIONS, "dist/actions.server.js") ||
        plant_pkg(g, &g->res->only_worker, P_ACTIONS, "dist/actions.server.js"))
        return -1;

    gb_printf(b, license, p->name, p->version);
    gb_put(
        b,
        "export async function submitForm(data) {\n"
        "  const res = await fetch(\"/__actions/submitForm\", { method: \"POST\", body: JSON.stringify(data) });\n"
        "  return res.json();\n"
        "}\n");
    if (pkg_file(g, P_ACTIONS, "dist/actions.client.js"))
        return -1;

    gb_put(b, "export const db = { put: async (value) => value.length, kind: \"workerd\" };\n");
    if (pkg_file(g, P_ACTIONS, "dist/db.workerd.js"))
        return -1;
    gb_put(b, "export const db = { put: async (value) => value.length, kind: \"node\" };\n");
    return pkg_file(g, P_ACTIONS, "dist/db.js");
}

/* ---- stress-big: large chunk files, written streaming ---- */

#define BIG_BLOCK 65536

/* One block of valid text to repeat inside an array literal: numbers,
 * strings and comments that mention imports which must not be followed. */
static char *big_block(struct gen *g)
{
    char *blk = malloc(BIG_BLOCK);
    if (!blk)
        return NULL;
    size_t len = 0;
    unsigned long line = 0;
    char tmp[256];
    for (;;) {
        int n;
        switch (line++ % 4) {
        case 0:
            n = snprintf(tmp, sizeof tmp,
                         "  // import x from \"not-a-module-%lu\"; require(\"nope\")\n", line);
            break;
        case 1:
            n = snprintf(tmp, sizeof tmp, "  \"import('not-followed')\", 'use client', `${%lu}`,\n",
                         rnd_below(&g->rng, 1000000));
            break;
        default:
            n = snprintf(tmp, sizeof tmp, "  %lu, %lu, %lu, %lu, %lu, %lu, %lu, %lu, %lu / 2,\n",
                         rnd_below(&g->rng, 1000000), rnd_below(&g->rng, 1000000),
                         rnd_below(&g->rng, 1000000), rnd_below(&g->rng, 1000000),
                         rnd_below(&g->rng, 1000000), rnd_below(&g->rng, 1000000),
                         rnd_below(&g->rng, 1000000), rnd_below(&g->rng, 1000000),
                         rnd_below(&g->rng, 1000000));
            break;
        }
        if (len + (size_t)n + 8 > BIG_BLOCK)
            break;
        memcpy(blk + len, tmp, (size_t)n);
        len += (size_t)n;
    }
    // Pad to exactly one block with a comment line.
    blk[len++] = '/';
    blk[len++] = '/';
    while (len < BIG_BLOCK - 1)
        blk[len++] = '-';
    blk[len] = '\n';
    return blk;
}

static int write_big(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct pkg *p = &pkgs[P_BIG];
    unsigned long n = g->opt->big_n;

    gb_printf(b,
              "{\n"
              "  \"name\": \"%s\",\n"
              "  \"version\": \"%s\",\n"
              "  \"description\": \"%lu chunk files of %lu MiB, written by dscan gen\",\n"
              "  \"type\": \"module\",\n"
              "  \"exports\": { \".\": \"./dist/index.js\" }\n"
              "}\n",
              p->name, p->version, n, g->opt->big_mb);
    if (pkg_file(g, P_BIG, "package.json"))
        return -1;
    gb_put(b, "export const bigShared = \"shared by every chunk\";\n");
    if (pkg_file(g, P_BIG, "dist/shared.js"))
        return -1;
    for (unsigned long i = 0; i < n; i++)
        gb_printf(b, "export { chunk%lu } from \"./chunk-%04lu.js\";\n", i, i);
    if (pkg_file(g, P_BIG, "dist/index.js"))
        return -1;

    char *blk = big_block(g);
    if (!blk) {
        snprintf(g->o->err, sizeof g->o->err, "out of memory");
        return -1;
    }
    uint64_t target = (uint64_t)g->opt->big_mb << 20;
    char head[512], tail[256], rel[96], path[GEN_PATH_MAX];
    int rc = 0;
    for (unsigned long i = 0; i < n && rc == 0; i++) {
        int hl = snprintf(
            head, sizeof head,
            "%s// stress-big chunk %lu: %lu MiB of data; the re-export at the end must still be found.\n"
            "export const chunk%lu = [\n",
            i % 2 ? "\"use client\";\n" : "", i, g->opt->big_mb, i);
        int tl = snprintf(tail, sizeof tail, "];\nexport { bigShared } from \"./shared.js\";\n");
        snprintf(rel, sizeof rel, "dist/chunk-%04lu.js", i);
        snprintf(path, sizeof path, "%s/%s", g->pkgdir[P_BIG], rel);
        int fd = gen_out_open(g->o, path);
        if (fd < 0)
            return free(blk), -1;
        g->res->pkg_files++;
        uint64_t body = target > (uint64_t)(hl + tl) ? target - (uint64_t)(hl + tl) : 0;
        rc = gen_out_write(g->o, fd, head, (size_t)hl);
        for (; rc == 0 && body >= BIG_BLOCK; body -= BIG_BLOCK)
            rc = gen_out_write(g->o, fd, blk, BIG_BLOCK);
        if (rc == 0 && body > 0) {
            // The rest: a comment line of exactly `body` bytes.
            char pad[BIG_BLOCK];
            memset(pad, '-', (size_t)body);
            if (body >= 3) {
                pad[0] = '/';
                pad[1] = '/';
            } else {
                memset(pad, ' ', (size_t)body);
            }
            pad[body - 1] = '\n';
            rc = gen_out_write(g->o, fd, pad, (size_t)body);
        }
        if (rc == 0)
            rc = gen_out_write(g->o, fd, tail, (size_t)tl);
        if (gen_out_close(g->o, fd) != 0)
            rc = -1;
        if (rc == 0 && i % 2)
            rc = plant_pkg(g, &g->res->client, P_BIG, rel);
    }
    free(blk);
    return rc;
}

/* ---- node_modules layout ----------------------------------------------- */

static void setup_pkgdirs(struct gen *g)
{
    char store[160];
    for (int p = 0; p < P_N; p++) {
        store_name(store, sizeof store, p);
        if (g->opt->pnpm)
            snprintf(g->pkgdir[p], sizeof g->pkgdir[p], "node_modules/.pnpm/%s/node_modules/%s",
                     store, pkgs[p].name);
        else
            snprintf(g->pkgdir[p], sizeof g->pkgdir[p], "node_modules/%s", pkgs[p].name);
    }
}

static int link_to(struct gen *g, const char *link, const char *target)
{
    char dir[GEN_PATH_MAX], text[GEN_PATH_MAX];
    dir_of(dir, sizeof dir, link);
    rel_path(text, sizeof text, dir, target, false);
    return gen_out_symlink(g->o, text, link);
}

/* pnpm's symlinks: node_modules/<name> for the app's direct dependencies,
 * .pnpm/<store>/node_modules/<dep> for each package's dependencies, and
 * .pnpm/node_modules/<name> (pnpm's hoisted folder). */
static int write_pnpm_links(struct gen *g, bool with_big)
{
    char link[GEN_PATH_MAX], store[160];
    for (int p = 0; p < P_N; p++) {
        if (p == P_BIG && !with_big)
            continue;
        snprintf(link, sizeof link, "node_modules/%s", pkgs[p].name);
        if (link_to(g, link, g->pkgdir[p]))
            return -1;
        snprintf(link, sizeof link, "node_modules/.pnpm/node_modules/%s", pkgs[p].name);
        if (link_to(g, link, g->pkgdir[p]))
            return -1;
        store_name(store, sizeof store, p);
        for (int k = 0; pkgs[p].deps[k] >= 0; k++) {
            int d = pkgs[p].deps[k];
            snprintf(link, sizeof link, "node_modules/.pnpm/%s/node_modules/%s", store,
                     pkgs[d].name);
            if (link_to(g, link, g->pkgdir[d]))
                return -1;
        }
    }
    return 0;
}

/* ---- the app ------------------------------------------------------------ */

enum det_kind { D_DOTDOT, D_EXT, D_STORE, D_ALIAS, D_ICON, D_TSJS, D_NKIND };

struct import {
    char spec[GEN_PATH_MAX];
    char name[128];  /* what the file exports (or "default") */
    char alias[160]; /* local name */
    bool component;  /* rendered as <alias />; else referenced as a value */
};

static unsigned long global_id(const struct gen *g, enum fkind k, unsigned long i)
{
    unsigned long id = i;
    for (int j = 0; j < (int)k; j++)
        id += g->n[j];
    return id;
}

static void id_to_file(const struct gen *g, unsigned long id, enum fkind *k, unsigned long *i)
{
    int j = 0;
    while (j < F_NKIND - 1 && id >= g->n[j])
        id -= g->n[j++];
    *k = (enum fkind)j;
    *i = id;
}

/* An import of app file (k, i) from the file `from` (relative to OUTDIR). */
static void import_app(struct import *im, const char *from, enum fkind k, unsigned long i,
                       bool alias)
{
    char stem[GEN_PATH_MAX], dir[GEN_PATH_MAX];
    file_stem(stem, sizeof stem, k, i);
    file_name(im->name, sizeof im->name, k, i);
    snprintf(im->alias, sizeof im->alias, "%s", im->name);
    im->component = k == F_PAGE || k == F_COMP;
    if (alias) {
        snprintf(im->spec, sizeof im->spec, "@/%s", stem + 4);
        return;
    }
    dir_of(dir, sizeof dir, from);
    rel_path(im->spec, sizeof im->spec, dir, stem, true);
}

/* Detour d as an import from `from`: the same file through another string. */
static void import_detour(struct gen *g, struct import *im, const char *from, unsigned long d,
                          uint64_t *rng)
{
    unsigned long n_app = g->n[F_PAGE] + g->n[F_COMP] + g->n[F_ACTION] + g->n[F_LIB];
    enum det_kind kind = (enum det_kind)(d % D_NKIND);
    if ((kind == D_DOTDOT || kind == D_EXT || kind == D_ALIAS || kind == D_TSJS) && n_app == 0)
        kind = D_ICON;
    if (kind == D_ICON && g->opt->icons == 0)
        kind = D_STORE;

    char dir[GEN_PATH_MAX], stem[GEN_PATH_MAX];
    dir_of(dir, sizeof dir, from);
    if (kind == D_STORE) {
        // Alternately through pnpm's real store path and through the
        // node_modules symlink, both relative paths into the package.
        char target[GEN_PATH_MAX];
        if (g->opt->pnpm && (d / D_NKIND) % 2 == 0)
            snprintf(target, sizeof target, "%s/dist/button.js", g->pkgdir[P_UI]);
        else
            snprintf(target, sizeof target, "node_modules/%s/dist/button.js", pkgs[P_UI].name);
        rel_path(im->spec, sizeof im->spec, dir, target, true);
        snprintf(im->name, sizeof im->name, "Button");
        snprintf(im->alias, sizeof im->alias, "Button__d%lu", d);
        im->component = true;
        return;
    }
    if (kind == D_ICON) {
        char kebab[96], pascal[96];
        icon_names(rnd_below(rng, g->opt->icons), kebab, sizeof kebab, pascal, sizeof pascal);
        snprintf(im->spec, sizeof im->spec, "%s/icons/%s", pkgs[P_ICONS].name, kebab);
        snprintf(im->name, sizeof im->name, "default");
        snprintf(im->alias, sizeof im->alias, "%s__d%lu", pascal, d);
        im->component = true;
        return;
    }
    enum fkind k;
    unsigned long i;
    id_to_file(g, rnd_below(rng, n_app), &k, &i);
    import_app(im, from, k, i, kind == D_ALIAS);
    char alias[160];
    snprintf(alias, sizeof alias, "%s__d%lu", im->name, d);
    snprintf(im->alias, sizeof im->alias, "%s", alias);
    file_stem(stem, sizeof stem, k, i);
    size_t sl = strlen(im->spec);
    switch (kind) {
    case D_EXT: snprintf(im->spec + sl, sizeof im->spec - sl, "%s", kind_ext[k]); break;
    case D_TSJS: snprintf(im->spec + sl, sizeof im->spec - sl, ".js"); break;
    case D_DOTDOT: {
        // "../x/Name" -> "../x/../x/Name"; "./Name" -> "../<this dir>/Name".
        char tdir[GEN_PATH_MAX], base[160];
        dir_of(tdir, sizeof tdir, stem);
        snprintf(base, sizeof base, "%s", strrchr(stem, '/') + 1);
        const char *last = strrchr(tdir, '/');
        last = last ? last + 1 : tdir;
        char *s = strrchr(im->spec, '/');
        *s = '\0';
        char out[3 * GEN_PATH_MAX];
        if (!strcmp(im->spec, "."))
            snprintf(out, sizeof out, "../%s/%s", last, base);
        else
            snprintf(out, sizeof out, "%s/../%s/%s", im->spec, last, base);
        size_t ol = strlen(out);
        if (ol >= sizeof im->spec)
            ol = sizeof im->spec - 1;
        memcpy(im->spec, out, ol);
        im->spec[ol] = '\0';
        break;
    }
    default: break;
    }
}

static void emit_import(struct gbuf *b, const struct import *im)
{
    if (!strcmp(im->name, "default"))
        gb_printf(b, "import %s from \"%s\";\n", im->alias, im->spec);
    else if (!strcmp(im->name, im->alias))
        gb_printf(b, "import { %s } from \"%s\";\n", im->name, im->spec);
    else
        gb_printf(b, "import { %s as %s } from \"%s\";\n", im->name, im->alias, im->spec);
}

/* The imports that every kind of app file may have, chosen for file (k, i). */
struct plan {
    struct import *im;
    size_t n, cap;
};

static struct import *plan_add(struct gen *g, struct plan *pl)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 16;
        struct import *v = realloc(pl->im, cap * sizeof *v);
        if (!v) {
            snprintf(g->o->err, sizeof g->o->err, "out of memory");
            return NULL;
        }
        pl->im = v;
        pl->cap = cap;
    }
    struct import *im = &pl->im[pl->n++];
    memset(im, 0, sizeof *im);
    return im;
}

#define ADD(pl)                        \
    do {                               \
        if (!(im = plan_add(g, (pl)))) \
            goto out;                  \
    } while (0)

static int add_pkg_import(struct gen *g, struct plan *pl, const char *spec, const char *name)
{
    struct import *im = plan_add(g, pl);
    if (!im)
        return -1;
    snprintf(im->spec, sizeof im->spec, "%s", spec);
    snprintf(im->name, sizeof im->name, "%s", name);
    snprintf(im->alias, sizeof im->alias, "%s", name);
    im->component = name[0] >= 'A' && name[0] <= 'Z';
    return 0;
}

/* Icons by name from the barrel, in one statement. */
static void emit_icons(struct gen *g, struct gbuf *b, unsigned long count, char names[][96])
{
    char kebab[96];
    if (g->opt->icons == 0 || count == 0)
        return;
    gb_put(b, "import { ");
    for (unsigned long j = 0; j < count; j++) {
        icon_names(rnd_below(&g->rng, g->opt->icons), kebab, sizeof kebab, names[j], 96);
        for (unsigned long q = 0; q < j; q++)
            if (!strcmp(names[q], names[j]))
                snprintf(names[j], 96, "%s", ""); // the same icon twice: keep one
        if (names[j][0])
            gb_printf(b, "%s%s", j ? ", " : "", names[j]);
    }
    gb_printf(b, " } from \"%s\";\n", pkgs[P_ICONS].name);
}

static void emit_body_refs(struct gbuf *b, const struct plan *pl, bool values)
{
    bool any = false;
    for (size_t j = 0; j < pl->n; j++)
        if (pl->im[j].component != values) {
            gb_printf(b, "%s%s", any ? ", " : "", pl->im[j].alias);
            any = true;
        }
}

static int write_app_file(struct gen *g, enum fkind k, unsigned long i)
{
    struct gbuf *b = &g->o->buf;
    char stem[GEN_PATH_MAX], path[GEN_PATH_MAX], name[128];
    struct plan pl = {0};
    struct import *im;
    int rc = -1;

    file_stem(stem, sizeof stem, k, i);
    snprintf(path, sizeof path, "%s%s", stem, kind_ext[k]);
    file_name(name, sizeof name, k, i);

    // Prologue.
    if (k == F_COMP) {
        static const char *const pro[] = {
            "\"use client\";\n",
            "'use client'\n",
            NULL, /* the commented one below, which names the component */
            "\"use strict\";\n\"use client\";\n",
            "\"use client\";\n",
        };
        if (pro[i % N_OF(pro)])
            gb_put(b, pro[i % N_OF(pro)]);
        else
            gb_printf(b,
                      "// %s: an interactive part of the page.\n/* generated by dscan gen */\n"
                      "\"use client\";\n",
                      name);
        if (list_add(g->o, &g->res->client, "/", path))
            goto out;
    } else if (k == F_ACTION) {
        gb_put(b, i % 2 ? "'use server';\n" : "\"use server\";\n");
        if (list_add(g->o, &g->res->server, "/", path))
            goto out;
    } else if (k == F_PAGE && i % 16 == 5) {
        gb_put(b, "// \"use client\" is not needed here: this page renders on the server.\n");
    }

    // Imports, in a fixed order of kinds.
    char icons[3][96];
    unsigned long n_icons = k == F_LIB || !g->opt->icons ? 0 : 1 + rnd_below(&g->rng, 3);
    if (k == F_PAGE || k == F_COMP)
        gb_put(b, "import type { ReactNode } from \"react\";\n");
    if (k == F_COMP)
        gb_put(b, "import { useState } from \"react\";\n");
    emit_icons(g, b, n_icons, icons);
    if (k == F_PAGE) {
        // Child pages: page c >= first_pages hangs under page (c - first_pages) / 3.
        for (unsigned long c = g->first_pages + 3 * i; c < g->first_pages + 3 * i + 3; c++) {
            if (c >= g->n[F_PAGE])
                break;
            ADD(&pl);
            import_app(im, path, F_PAGE, c, false);
        }
    }
    if ((k == F_PAGE || k == F_COMP) && g->n[F_COMP]) {
        unsigned long m = k == F_PAGE ? 1 + rnd_below(&g->rng, 3) : rnd_below(&g->rng, 3);
        for (unsigned long j = 0; j < m; j++) {
            unsigned long c = rnd_below(&g->rng, g->n[F_COMP]);
            if (k == F_COMP && c == i)
                continue;
            ADD(&pl);
            import_app(im, path, F_COMP, c, false);
        }
    }
    if ((k == F_PAGE || k == F_COMP) && g->n[F_ACTION] && rnd_below(&g->rng, 2)) {
        ADD(&pl);
        import_app(im, path, F_ACTION, rnd_below(&g->rng, g->n[F_ACTION]), true);
    }
    if (g->n[F_LIB] && (k != F_LIB || i > 0) && rnd_below(&g->rng, 3)) {
        // A lib file imports one with a lower number, so lib is a DAG.
        unsigned long l = rnd_below(&g->rng, k == F_LIB ? i : g->n[F_LIB]);
        ADD(&pl);
        import_app(im, path, F_LIB, l, false);
    }
    if (k == F_PAGE && rnd_below(&g->rng, 4) == 0 && add_pkg_import(g, &pl, "@stress/ui", "Tabs"))
        goto out;
    if ((k == F_PAGE || k == F_COMP) && rnd_below(&g->rng, 8) == 0 &&
        add_pkg_import(g, &pl, "stress-conditional", "ConditionalWidget"))
        goto out;
    if ((k == F_ACTION || k == F_COMP) && rnd_below(&g->rng, 4) == 0 &&
        add_pkg_import(g, &pl, "stress-actions", "submitForm"))
        goto out;
    if (k == F_COMP && i == 0) {
        // The first client component reaches each package from the client side.
        if (add_pkg_import(g, &pl, "@stress/ui", "Popover") ||
            add_pkg_import(g, &pl, "stress-conditional", "ConditionalWidget") ||
            add_pkg_import(g, &pl, "stress-actions", "submitForm"))
            goto out;
    }
    // Detours hosted by this file.
    if (k == F_PAGE || k == F_COMP) {
        unsigned long host = global_id(g, k, i);
        for (unsigned long d = g->det_head[host]; d != NONE; d = g->det_next[d]) {
            ADD(&pl);
            import_detour(g, im, path, d, &g->rng);
        }
    }
    // Drop repeated local names (two imports of the same file or package, or
    // an app file named like an icon), so the body never names a dropped one.
    size_t w = 0;
    for (size_t j = 0; j < pl.n; j++) {
        bool dup = false;
        for (size_t q = 0; q < w; q++)
            dup |= !strcmp(pl.im[q].alias, pl.im[j].alias);
        for (unsigned long q = 0; q < n_icons; q++)
            dup |= !strcmp(icons[q], pl.im[j].alias);
        if (!dup) {
            emit_import(b, &pl.im[j]);
            pl.im[w++] = pl.im[j];
        }
    }
    pl.n = w;

    gb_put(b, "\n");
    if (k == F_PAGE && i % 16 == 13)
        gb_put(b, "const note = \"use client\"; // after code: not a directive\n\n");

    if (k == F_PAGE || k == F_COMP) {
        char cls[160];
        snprintf(cls, sizeof cls, "%s-%lu", k == F_PAGE ? "page" : "part", i);
        if (k == F_PAGE)
            gb_printf(b, "export function %s({ children }: { children?: ReactNode }) {\n", name);
        else
            gb_printf(
                b,
                "export function %s({ label = \"%s\", children }: { label?: string; children?: ReactNode }) {\n"
                "  const [open, setOpen] = useState(false);\n",
                name, name);
        gb_put(b, "  const refs: unknown[] = [");
        emit_body_refs(b, &pl, true);
        gb_put(b, "];\n  return (\n");
        if (k == F_PAGE)
            gb_printf(
                b,
                "    <section className=\"%s\" data-refs={refs.length}>\n      <h1>{\"%s\"}</h1>\n",
                cls, name);
        else
            gb_printf(
                b,
                "    <div className=\"%s\" data-refs={refs.length / 2} onClick={() => setOpen(!open)}>\n"
                "      {label} {open ? \"open\" : \"closed\"}\n",
                cls);
        for (unsigned long q = 0; q < n_icons; q++)
            if (icons[q][0])
                gb_printf(b, "      <%s size={16} />\n", icons[q]);
        for (size_t j = 0; j < pl.n; j++)
            if (pl.im[j].component)
                gb_printf(b, "      <%s />\n", pl.im[j].alias);
        gb_printf(b, "      {children}\n    </%s>\n  );\n}\n", k == F_PAGE ? "section" : "div");
    } else if (k == F_ACTION) {
        gb_printf(b,
                  "export async function %s(id: number, form?: FormData): Promise<string> {\n"
                  "  const refs: unknown[] = [",
                  name);
        emit_body_refs(b, &pl, true);
        gb_printf(b, "];\n  return `%s:${id}:${refs.length}:${form ? \"form\" : \"none\"}`;\n}\n",
                  name);
    } else {
        gb_printf(
            b, "export function %s(value: number | string): string {\n  const refs: unknown[] = [",
            name);
        emit_body_refs(b, &pl, true);
        gb_printf(b, "];\n  return `%s:${String(value)}/${refs.length}`;\n}\n", name);
    }
    g->res->src_files++;
    rc = gen_out_file(g->o, path);
out:
    free(pl.im);
    return rc;
}

/* src/worker.tsx and src/entry-N.tsx: Cloudflare-style fetch handlers. */
static int write_entry(struct gen *g, unsigned long e)
{
    struct gbuf *b = &g->o->buf;
    char path[64];
    struct plan pl = {0};
    struct import *im;
    int rc = -1;

    if (e == 0)
        snprintf(path, sizeof path, "src/worker.tsx");
    else
        snprintf(path, sizeof path, "src/entry-%lu.tsx", e);
    if (list_add(g->o, &g->res->entries, "", path))
        return -1;

    if (e == 0) {
        // The worker reaches every package from the worker side.
        if (add_pkg_import(g, &pl, "@stress/ui", "Button") ||
            add_pkg_import(g, &pl, "stress-conditional", "ConditionalWidget") ||
            add_pkg_import(g, &pl, "stress-actions", "submitForm"))
            goto out;
        if (g->opt->big_n && add_pkg_import(g, &pl, "stress-big", "chunk0"))
            goto out;
        for (unsigned long p = 0; p < g->first_pages; p++) {
            ADD(&pl);
            import_app(im, path, F_PAGE, p, p % 3 == 1);
        }
        for (unsigned long d = g->det_head[g->n_hosts]; d != NONE; d = g->det_next[d]) {
            ADD(&pl);
            import_detour(g, im, path, d, &g->rng);
        }
    } else {
        if (g->n[F_PAGE]) {
            unsigned long p1 = rnd_below(&g->rng, g->n[F_PAGE]);
            unsigned long p2 = rnd_below(&g->rng, g->n[F_PAGE]);
            ADD(&pl);
            import_app(im, path, F_PAGE, p1, false);
            if (p2 != p1) {
                ADD(&pl);
                import_app(im, path, F_PAGE, p2, false);
            }
        }
        if (g->n[F_COMP]) {
            ADD(&pl);
            import_app(im, path, F_COMP, rnd_below(&g->rng, g->n[F_COMP]), false);
        }
    }
    char icons[1][96];
    gb_printf(b, "// Entry %lu of the synthetic app: a Cloudflare-style worker.\n", e);
    emit_icons(g, b, 1, icons);
    for (size_t j = 0; j < pl.n; j++)
        emit_import(b, &pl.im[j]);
    gb_put(b, "\nconst routes: Record<string, unknown> = {\n");
    for (size_t j = 0; j < pl.n; j++)
        gb_printf(b, "  \"/%s/%zu\": %s,\n", e ? "entry" : "app", j, pl.im[j].alias);
    if (g->opt->icons)
        gb_printf(b, "  \"/icon\": %s,\n", icons[0]);
    gb_put(
        b,
        "};\n\n"
        "export default {\n"
        "  async fetch(request: Request): Promise<Response> {\n"
        "    const url = new URL(request.url);\n"
        "    const found = url.pathname in routes;\n"
        "    return new Response(found ? \"ok\" : \"not found\", { status: found ? 200 : 404 });\n"
        "  },\n"
        "};\n");
    g->res->src_files++;
    rc = gen_out_file(g->o, path);
out:
    free(pl.im);
    return rc;
}

#undef ADD

static int write_top(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    gb_put(b, "{\n"
              "  \"name\": \"dscan-stress-app\",\n"
              "  \"private\": true,\n"
              "  \"type\": \"module\",\n"
              "  \"dependencies\": {\n");
    int last = g->opt->big_n ? P_BIG : P_BIG - 1;
    for (int p = 0; p <= last; p++)
        gb_printf(b, "    \"%s\": \"%s\"%s\n", pkgs[p].name, pkgs[p].version, p < last ? "," : "");
    gb_put(b, "  }\n}\n");
    if (gen_out_file(g->o, "package.json"))
        return -1;

    gb_put(b, "{\n"
              "  \"compilerOptions\": {\n"
              "    \"target\": \"ES2022\",\n"
              "    \"module\": \"ESNext\",\n"
              "    \"moduleResolution\": \"bundler\",\n"
              "    \"jsx\": \"react-jsx\",\n"
              "    \"strict\": true,\n"
              "    \"allowImportingTsExtensions\": true,\n"
              "    \"noEmit\": true,\n"
              "    \"baseUrl\": \".\",\n"
              "    \"paths\": { \"@/*\": [\"./src/*\"] }\n"
              "  },\n"
              "  \"include\": [\"src\"]\n"
              "}\n");
    if (gen_out_file(g->o, "tsconfig.json"))
        return -1;

    gb_put(b, "{\n  \"entries\": [");
    for (size_t e = 0; e < g->res->entries.n; e++)
        gb_printf(b, "%s\"%s\"", e ? ", " : "", g->res->entries.v[e]);
    gb_put(b, "]\n}\n");
    return gen_out_file(g->o, "dscan.json");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int gen_project(struct gen_out *o, const struct gen_opts *opt, struct gen_result *res)
{
    struct gen g = {.o = o, .opt = opt, .res = res, .rng = opt->seed};
    int rc = -1;

    unsigned long plain = opt->files - opt->directives;
    g.n[F_ACTION] = opt->directives / 5;
    g.n[F_COMP] = opt->directives - g.n[F_ACTION];
    g.n[F_LIB] = plain / 8;
    g.n[F_PAGE] = plain - g.n[F_LIB];
    g.first_pages = g.n[F_PAGE] < 24 ? g.n[F_PAGE] : 24;
    setup_pkgdirs(&g);

    // Detours: each hosted by a page, a client component or the worker
    // (chosen up front so the host can write its imports in one go).
    g.n_hosts = g.n[F_PAGE] + g.n[F_COMP];
    g.det_head = malloc((g.n_hosts + 1) * sizeof *g.det_head);
    g.det_next = malloc((opt->detours + 1) * sizeof *g.det_next);
    if (!g.det_head || !g.det_next) {
        snprintf(o->err, sizeof o->err, "out of memory");
        goto out;
    }
    for (unsigned long h = 0; h <= g.n_hosts; h++)
        g.det_head[h] = NONE;
    {
        uint64_t drng = opt->seed ^ 0x5deece66dULL;
        unsigned long *host_of = malloc((opt->detours + 1) * sizeof *host_of);
        if (!host_of) {
            snprintf(o->err, sizeof o->err, "out of memory");
            goto out;
        }
        for (unsigned long d = 0; d < opt->detours; d++)
            host_of[d] = rnd_below(&drng, g.n_hosts + 1); // n_hosts: the worker
        // Insert in reverse so each host's list runs in increasing order.
        for (unsigned long d = opt->detours; d-- > 0;) {
            g.det_next[d] = g.det_head[host_of[d]];
            g.det_head[host_of[d]] = d;
        }
        free(host_of);
    }

    if (write_react(&g) || write_icons(&g) || write_ui(&g) || write_conditional(&g) ||
        write_actions(&g))
        goto out;
    if (opt->big_n && write_big(&g))
        goto out;
    if (opt->pnpm && write_pnpm_links(&g, opt->big_n > 0))
        goto out;

    for (unsigned long e = 0; e <= opt->entries; e++)
        if (write_entry(&g, e))
            goto out;
    for (int k = 0; k < F_NKIND; k++)
        for (unsigned long i = 0; i < g.n[k]; i++)
            if (write_app_file(&g, (enum fkind)k, i))
                goto out;
    if (write_top(&g))
        goto out;

    qsort(res->client.v, res->client.n, sizeof *res->client.v, cmp_str);
    qsort(res->server.v, res->server.n, sizeof *res->server.v, cmp_str);
    rc = 0;
out:
    free(g.det_head);
    free(g.det_next);
    return rc;
}

void gen_command_line(struct gbuf *b, const struct gen_opts *opt, const char *dir)
{
    gb_printf(b,
              "dscan gen %s --icons %lu --files %lu --directives %lu --entries %lu --detours %lu",
              dir, opt->icons, opt->files, opt->directives, opt->entries, opt->detours);
    if (opt->big_n)
        gb_printf(b, " --big-files %lu:%lu", opt->big_n, opt->big_mb);
    if (!opt->pnpm)
        gb_put(b, " --no-pnpm");
    gb_printf(b, " --seed %llu", (unsigned long long)opt->seed);
}
