/* `dscan gen`'s stress-icons: lucide-react's layout. A barrel re-exports N
 * icon files, each importing createIcon -> Icon -> react; reaching the
 * barrel from both sides visits 2N modules, the shape behind the original
 * OOM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_project.h"

/* package.json: exports shaped like lucide-react's (the barrel, and each icon by path). */
static int icons_package_json(struct gen *g, const struct gen_pkg *p)
{
    struct gbuf *b = &g->o->buf;

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
    return gen_pkg_file(g, P_ICONS, "package.json");
}

/* The CommonJS stub and the ES build's default attributes and utils. */
static int icons_helpers(struct gen *g)
{
    if (gen_pkg_text(
            g, P_ICONS, "dist/cjs/stress-icons.cjs",
            "'use strict';\n\n"
            "// The CommonJS build is not part of the scan: nothing in this project requires it.\n"
            "exports.createIcon = function createIcon(name) {\n"
            "  throw new Error(\"stress-icons: the CommonJS build is a stub (\" + name + \")\");\n"
            "};\n"))
        return -1;

    if (gen_pkg_text(g, P_ICONS, "dist/esm/defaultAttributes.js",
                     "var defaultAttributes = {\n"
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
                     "export { defaultAttributes as default };\n"))
        return -1;

    return gen_pkg_text(
        g, P_ICONS, "dist/esm/shared/src/utils.js",
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
}

/* Icon.js and createIcon.js: the two modules every icon file reaches. */
static int icons_component(struct gen *g)
{
    if (gen_pkg_text(
            g, P_ICONS, "dist/esm/Icon.js",
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
            "export { Icon as default };\n"))
        return -1;

    return gen_pkg_text(
        g, P_ICONS, "dist/esm/createIcon.js",
        "import { forwardRef, createElement } from 'react';\n"
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
}

/* Icon i: its kebab-case file under dist/esm/icons/ with a few random paths. */
static int icon_file(struct gen *g, const struct gen_pkg *p, unsigned long i)
{
    struct gbuf *b = &g->o->buf;
    char kebab[96], pascal[96], rel[160];

    gen_icon_names(i, kebab, sizeof kebab, pascal, sizeof pascal);
    gen_license(b, p);
    gb_put(b, "import createIcon from '../createIcon.js';\n\nconst __iconNode = [\n");
    unsigned long parts = 1 + gen_rnd_below(&g->rng, 3);
    for (unsigned long k = 0; k < parts; k++) {
        unsigned long x = gen_rnd_below(&g->rng, 20) + 2, y = gen_rnd_below(&g->rng, 20) + 2;
        unsigned long w = gen_rnd_below(&g->rng, 9) + 1, h = gen_rnd_below(&g->rng, 9) + 1;
        gb_printf(b, "  [\"path\", { d: \"M%lu %luh%lu v%lu l-%lu %lu\", key: \"k%08lx\" }]%s\n", x,
                  y, w, h, w / 2 + 1, h / 2 + 1,
                  (unsigned long)(gen_rnd_next(&g->rng) & 0xffffffffUL), k + 1 < parts ? "," : "");
    }
    gb_printf(b,
              "];\n"
              "const %s = createIcon(\"%s\", __iconNode);\n\n"
              "export { __iconNode, %s as default };\n",
              pascal, kebab, pascal);
    snprintf(rel, sizeof rel, "dist/esm/icons/%s.js", kebab);
    return gen_pkg_file(g, P_ICONS, rel);
}

int gen_write_icons(struct gen *g)
{
    struct gbuf *b = &g->o->buf;
    const struct gen_pkg *p = &gen_pkgs[P_ICONS];
    char kebab[96], pascal[96];

    if (icons_package_json(g, p) || icons_helpers(g) || icons_component(g))
        return -1;
    for (unsigned long i = 0; i < g->opt->icons; i++)
        if (icon_file(g, p, i))
            return -1;

    // The barrel, as lucide-react's: three names for each icon.
    gen_license(b, p);
    for (unsigned long i = 0; i < g->opt->icons; i++) {
        gen_icon_names(i, kebab, sizeof kebab, pascal, sizeof pascal);
        gb_printf(b,
                  "export { default as %s, default as %sIcon, default as Stress%s } from "
                  "'./icons/%s.js';\n",
                  pascal, pascal, pascal, kebab);
    }
    gb_put(b, "export { default as createIcon } from './createIcon.js';\n"
              "export { default as Icon } from './Icon.js';\n");
    return gen_pkg_file(g, P_ICONS, "dist/esm/stress-icons.js");
}
