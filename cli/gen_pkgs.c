/* `dscan gen`'s small packages and the node_modules layout: react (a
 * CommonJS stand-in with a "react-server" condition), @stress/ui,
 * stress-conditional and stress-actions (why each is there: gen_project.c),
 * where each package's files go, and pnpm's store with its symlinks. The
 * icon package is in gen_icons.c, stress-big in gen_big.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_project.h"

const struct gen_pkg gen_pkgs[P_N] = {
    [P_REACT] = {"react", "19.1.0", "", {-1}},
    [P_ICONS] = {"stress-icons", "0.544.0", "_react@19.1.0", {P_REACT, -1}},
    [P_UI] = {"@stress/ui", "2.3.1", "_react@19.1.0", {P_REACT, P_COND, -1}},
    [P_COND] = {"stress-conditional", "1.4.0", "_react@19.1.0", {P_REACT, -1}},
    [P_ACTIONS] = {"stress-actions", "0.9.0", "", {-1}},
    [P_BIG] = {"stress-big", "1.0.0", "", {-1}},
};

static void store_name(char *out, size_t cap, enum pkg_id p)
{
    char name[128];
    snprintf(name, sizeof name, "%s", gen_pkgs[p].name);
    for (char *c = name; *c; c++)
        if (*c == '/')
            *c = '+';
    snprintf(out, cap, "%s@%s%s", name, gen_pkgs[p].version, gen_pkgs[p].peer);
}

/* Writes g->o->buf as file `rel` under package p's folder. */
int gen_pkg_file(struct gen *g, enum pkg_id p, const char *rel)
{
    char path[GEN_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", g->pkgdir[p], rel);
    g->res->pkg_files++;
    return gen_out_file(g->o, path);
}

/* Records package p's file `rel` as a planted client or server file. */
int gen_plant_pkg(struct gen *g, struct gen_list *l, enum pkg_id p, const char *rel)
{
    char path[GEN_PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", g->pkgdir[p], rel);
    return gen_list_add(g->o, l, "/", path);
}

void gen_license(struct gbuf *b, const struct gen_pkg *p)
{
    gb_printf(b,
              "/**\n"
              " * @license %s v%s - ISC\n"
              " *\n"
              " * Written by dscan gen as a stand-in for a real package.\n"
              " */\n\n",
              p->name, p->version);
}

int gen_pkg_text(struct gen *g, enum pkg_id p, const char *rel, const char *text)
{
    gen_license(&g->o->buf, &gen_pkgs[p]);
    gb_put(&g->o->buf, text);
    return gen_pkg_file(g, p, rel);
}

/* ---- react (CommonJS, like the real package) ---- */

int gen_write_react(struct gen *g)
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
    if (gen_pkg_file(g, P_REACT, "package.json"))
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
        if (gen_pkg_file(g, P_REACT, entries[i][0]))
            return -1;
        for (int dev = 0; dev < 2; dev++) {
            const char *mode = dev ? "development" : "production";
            bool jsx = strstr(entries[i][1], "jsx") != NULL;
            bool server = strstr(entries[i][1], "react-server") != NULL;
            gen_license(b, &gen_pkgs[P_REACT]);
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
            if (gen_pkg_file(g, P_REACT, rel))
                return -1;
        }
    }
    return 0;
}

/* ---- @stress/ui: "use client" components behind an export * barrel ---- */

static const char *const ui_parts[][2] = {
    {"button", "Button"}, {"dialog", "Dialog"},   {"tooltip", "Tooltip"},
    {"tabs", "Tabs"},     {"popover", "Popover"}, {"toast", "Toast"},
};

int gen_write_ui(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct gen_pkg *p = &gen_pkgs[P_UI];

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
    if (gen_pkg_file(g, P_UI, "package.json"))
        return -1;

    gb_put(b, "export function cx(...names) {\n"
              "  return names.filter(Boolean).join(\" \");\n"
              "}\n");
    if (gen_pkg_file(g, P_UI, "dist/utils.js"))
        return -1;

    char rel[96];
    for (size_t i = 0; i < N_OF(ui_parts); i++) {
        bool tooltip = !strcmp(ui_parts[i][0], "tooltip");
        gb_printf(b, "\"use client\";\n");
        gen_license(b, p);
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
        if (gen_pkg_file(g, P_UI, rel) || gen_plant_pkg(g, &g->res->client, P_UI, rel))
            return -1;
    }

    gen_license(b, p);
    for (size_t i = 0; i < N_OF(ui_parts); i++)
        gb_printf(b, "export * from \"./%s.js\";\n", ui_parts[i][0]);
    return gen_pkg_file(g, P_UI, "dist/index.js");
}

/* ---- stress-conditional: exports that differ between the two sides ---- */

int gen_write_conditional(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct gen_pkg *p = &gen_pkgs[P_COND];

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
    if (gen_pkg_file(g, P_COND, "package.json"))
        return -1;

    if (gen_pkg_text(g, P_COND, "dist/server.js",
                     "// What the worker side gets (react-server): a server component that\n"
                     "// renders a client provider.\n"
                     "import { createElement } from \"react\";\n"
                     "import { ConditionalProvider } from \"./provider.js\";\n\n"
                     "export function ConditionalWidget(props) {\n"
                     "  return createElement(ConditionalProvider, props);\n"
                     "}\n"))
        return -1;

    gb_put(b, "\"use client\";\n");
    gen_license(b, p);
    gb_put(b, "// Found only through the worker side (server.js imports it).\n"
              "import { createElement, useState } from \"react\";\n\n"
              "export function ConditionalProvider(props) {\n"
              "  const [value] = useState(0);\n"
              "  return createElement(\"div\", { ...props, \"data-value\": value });\n"
              "}\n");
    if (gen_pkg_file(g, P_COND, "dist/provider.js") ||
        gen_plant_pkg(g, &g->res->client, P_COND, "dist/provider.js") ||
        gen_plant_pkg(g, &g->res->only_worker, P_COND, "dist/provider.js"))
        return -1;

    gb_put(b, "'use client';\n");
    gen_license(b, p);
    gb_put(b, "// What the client side gets (browser condition).\n"
              "import { createElement, useState } from \"react\";\n\n"
              "export function ConditionalWidget(props) {\n"
              "  const [open, setOpen] = useState(false);\n"
              "  return createElement(\"button\", { ...props, onClick: () => setOpen(!open) });\n"
              "}\n");
    if (gen_pkg_file(g, P_COND, "dist/browser.js") ||
        gen_plant_pkg(g, &g->res->client, P_COND, "dist/browser.js") ||
        gen_plant_pkg(g, &g->res->only_client, P_COND, "dist/browser.js"))
        return -1;

    gb_put(b, "\"use client\";\n");
    return gen_pkg_text(
        g, P_COND, "dist/index.js",
        "// The default export condition: neither side of a correct scan reaches it\n"
        "// (the worker matches react-server first, the client browser), so a scan\n"
        "// that lists this file resolved a condition wrongly.\n"
        "import { createElement } from \"react\";\n\n"
        "export function ConditionalWidget(props) {\n"
        "  return createElement(\"span\", props);\n"
        "}\n");
}

/* ---- stress-actions: "use server" under react-server, and #imports ---- */

int gen_write_actions(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct gen_pkg *p = &gen_pkgs[P_ACTIONS];

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
    if (gen_pkg_file(g, P_ACTIONS, "package.json"))
        return -1;

    gb_put(b, "\"use server\";\n");
    gen_license(b, p);
    gb_put(b, "import { db } from \"#db\";\n\n"
              "export async function submitForm(data) {\n"
              "  return db.put(JSON.stringify(data));\n"
              "}\n");
    if (gen_pkg_file(g, P_ACTIONS, "dist/actions.server.js") ||
        gen_plant_pkg(g, &g->res->server, P_ACTIONS, "dist/actions.server.js") ||
        gen_plant_pkg(g, &g->res->only_worker, P_ACTIONS, "dist/actions.server.js"))
        return -1;

    if (gen_pkg_text(
            g, P_ACTIONS, "dist/actions.client.js",
            "export async function submitForm(data) {\n"
            "  const res = await fetch(\"/__actions/submitForm\", { method: \"POST\", body: JSON.stringify(data) });\n"
            "  return res.json();\n"
            "}\n"))
        return -1;

    gb_put(b, "export const db = { put: async (value) => value.length, kind: \"workerd\" };\n");
    if (gen_pkg_file(g, P_ACTIONS, "dist/db.workerd.js"))
        return -1;
    gb_put(b, "export const db = { put: async (value) => value.length, kind: \"node\" };\n");
    return gen_pkg_file(g, P_ACTIONS, "dist/db.js");
}

/* ---- node_modules layout ----------------------------------------------- */

void gen_setup_pkgdirs(struct gen *g)
{
    char store[160];
    for (int p = 0; p < P_N; p++) {
        store_name(store, sizeof store, p);
        if (g->opt->pnpm)
            snprintf(g->pkgdir[p], sizeof g->pkgdir[p], "node_modules/.pnpm/%s/node_modules/%s",
                     store, gen_pkgs[p].name);
        else
            snprintf(g->pkgdir[p], sizeof g->pkgdir[p], "node_modules/%s", gen_pkgs[p].name);
    }
}

static int link_to(struct gen *g, const char *link, const char *target)
{
    char dir[GEN_PATH_MAX], text[GEN_PATH_MAX];
    gen_dir_of(dir, sizeof dir, link);
    gen_rel_path(text, sizeof text, dir, target, false);
    return gen_out_symlink(g->o, text, link);
}

/* pnpm's symlinks: node_modules/<name> for the app's direct dependencies,
 * .pnpm/<store>/node_modules/<dep> for each package's dependencies, and
 * .pnpm/node_modules/<name> (pnpm's hoisted folder). */
int gen_write_pnpm_links(struct gen *g, bool with_big)
{
    char link[GEN_PATH_MAX], store[160];
    for (int p = 0; p < P_N; p++) {
        if (p == P_BIG && !with_big)
            continue;
        snprintf(link, sizeof link, "node_modules/%s", gen_pkgs[p].name);
        if (link_to(g, link, g->pkgdir[p]))
            return -1;
        snprintf(link, sizeof link, "node_modules/.pnpm/node_modules/%s", gen_pkgs[p].name);
        if (link_to(g, link, g->pkgdir[p]))
            return -1;
        store_name(store, sizeof store, p);
        for (int k = 0; gen_pkgs[p].deps[k] >= 0; k++) {
            int d = gen_pkgs[p].deps[k];
            snprintf(link, sizeof link, "node_modules/.pnpm/%s/node_modules/%s", store,
                     gen_pkgs[d].name);
            if (link_to(g, link, g->pkgdir[d]))
                return -1;
        }
    }
    return 0;
}
