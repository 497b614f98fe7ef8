#!/usr/bin/env node
// gen-realapp.mjs OUTDIR [--components N] [--directives N] [--seed N] [--force]
//
// Writes a realistic RedwoodSDK-layout app (src/worker.tsx, src/app/pages/**,
// src/app/components/**, "use client" components, "use server" action files,
// shared modules imported from both sides, tsconfig "@/*" paths) that depends
// on real npm packages shipping "use client" files and interesting exports
// maps (lucide-react's 1,866-icon barrel, @radix-ui/*, sonner, vaul, cmdk...).
//
// Unlike `dscan gen` (synthetic, no install), this app is installed for real
// with pnpm from the pinned lockfile in ./template, so the reference scan
// (bench/reference/rwsdk-scan.mjs) and dscan see exactly the same store.
//
// --components N : number of source files under src/ (default 626)
// --directives N : how many of them carry a directive (default 268)
// Output is a pure function of the options (seeded PRNG, no clock, no fs order).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------- options ----------
function parseArgs(argv) {
  const o = { out: null, components: 626, directives: 268, seed: 1, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) usage(`${a} needs a non-negative integer`);
      return v;
    };
    if (a === "--components" || a === "--files") o.components = num();
    else if (a === "--directives") o.directives = num();
    else if (a === "--seed") o.seed = num();
    else if (a === "--force") o.force = true;
    else if (a === "-h" || a === "--help") usage();
    else if (a.startsWith("-")) usage(`unknown option ${a}`);
    else if (!o.out) o.out = a;
    else usage(`unexpected argument ${a}`);
  }
  if (!o.out) usage("OUTDIR is required");
  return o;
}
function usage(msg) {
  if (msg) console.error(`gen-realapp: ${msg}`);
  console.error("usage: gen-realapp.mjs OUTDIR [--components N] [--directives N] [--seed N] [--force]");
  process.exit(2);
}

// ---------- deterministic PRNG (mulberry32) ----------
function rng(seed) {
  let a = (seed * 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (arr) => arr[int(arr.length)];
  const pickN = (arr, n) => {
    const copy = arr.slice();
    const out = [];
    while (out.length < n && copy.length) out.push(copy.splice(int(copy.length), 1)[0]);
    return out;
  };
  return { next, int, pick, pickN, chance: (p) => next() < p };
}

// ---------- vocabulary ----------
// Icon names that exist in lucide-react 0.544.0 (checked against its barrel).
const ICONS = `Activity AlarmClock AlertCircle Archive ArrowDown ArrowLeft ArrowRight ArrowUp
AtSign Award BarChart3 Battery Bell Bike Bold Book Bookmark Box Briefcase Bug Building
Calculator Calendar Camera Car Check CheckCircle ChevronDown ChevronLeft ChevronRight
ChevronUp ChevronsUpDown Circle Clipboard Clock Cloud Code Coffee Cog Columns Command
Compass Copy CreditCard Crop Database Delete Download Edit Eye EyeOff File FileText
Film Filter Flag Folder FolderOpen Gift GitBranch Globe Grid3x3 GripVertical Hash
Headphones Heart HelpCircle Home Image Inbox Info Italic Key Laptop Layers Layout
LifeBuoy Link List Loader2 Lock LogIn LogOut Mail Map MapPin Maximize Menu MessageSquare
Mic Minimize Minus Monitor Moon MoreHorizontal MoreVertical Music Package PanelLeft
Paperclip Pause Pencil Phone PieChart Play Plus Power Printer Radio RefreshCw Repeat
Save Scissors Search Send Server Settings Share Shield ShoppingCart Sidebar Slash
Smartphone Smile Sparkles Star Sun Table Tag Target Terminal ThumbsUp Trash Trash2
TrendingUp Truck Tv Type Umbrella Underline Unlock Upload User UserPlus Users Video
Wallet Wand2 Watch Wifi Wind X XCircle Zap ZoomIn ZoomOut`.split(/\s+/);

// shadcn/ui-like wrappers. pkg: what the file imports; client: whether shadcn
// marks it "use client".
const UI = [
  { name: "accordion", client: true, imp: `import * as AccordionPrimitive from "@radix-ui/react-accordion";`, use: "AccordionPrimitive.Root", icons: ["ChevronDown"] },
  { name: "alert-dialog", client: true, imp: `import * as AlertDialogPrimitive from "@radix-ui/react-alert-dialog";`, use: "AlertDialogPrimitive.Root", uiDeps: ["button"] },
  { name: "aspect-ratio", client: true, imp: `import * as AspectRatioPrimitive from "@radix-ui/react-aspect-ratio";`, use: "AspectRatioPrimitive.Root" },
  { name: "avatar", client: true, imp: `import * as AvatarPrimitive from "@radix-ui/react-avatar";`, use: "AvatarPrimitive.Root" },
  { name: "badge", client: false, imp: `import { Slot } from "@radix-ui/react-slot";`, use: "Slot", cva: true },
  { name: "breadcrumb", client: false, imp: `import { Slot } from "@radix-ui/react-slot";`, use: "Slot", icons: ["ChevronRight", "MoreHorizontal"] },
  { name: "button", client: false, imp: `import { Slot } from "@radix-ui/react-slot";`, use: "Slot", cva: true },
  { name: "calendar", client: true, imp: `import { DayPicker } from "react-day-picker";`, use: "DayPicker", icons: ["ChevronLeft", "ChevronRight"], uiDeps: ["button"] },
  { name: "card", client: false, imp: ``, use: `"div"` },
  { name: "carousel", client: true, imp: `import useEmblaCarousel from "embla-carousel-react";`, use: "useEmblaCarousel", icons: ["ArrowLeft", "ArrowRight"], uiDeps: ["button"] },
  { name: "chart", client: true, imp: `import * as RechartsPrimitive from "recharts";`, use: "RechartsPrimitive.ResponsiveContainer" },
  { name: "checkbox", client: true, imp: `import * as CheckboxPrimitive from "@radix-ui/react-checkbox";`, use: "CheckboxPrimitive.Root", icons: ["Check"] },
  { name: "collapsible", client: true, imp: `import * as CollapsiblePrimitive from "@radix-ui/react-collapsible";`, use: "CollapsiblePrimitive.Root" },
  { name: "command", client: true, imp: `import { Command as CommandPrimitive } from "cmdk";`, use: "CommandPrimitive", icons: ["Search"], uiDeps: ["dialog"] },
  { name: "context-menu", client: true, imp: `import * as ContextMenuPrimitive from "@radix-ui/react-context-menu";`, use: "ContextMenuPrimitive.Root", icons: ["Check", "ChevronRight", "Circle"] },
  { name: "dialog", client: true, imp: `import * as DialogPrimitive from "@radix-ui/react-dialog";`, use: "DialogPrimitive.Root", icons: ["X"] },
  { name: "drawer", client: true, imp: `import { Drawer as DrawerPrimitive } from "vaul";`, use: "DrawerPrimitive.Root" },
  { name: "dropdown-menu", client: true, imp: `import * as DropdownMenuPrimitive from "@radix-ui/react-dropdown-menu";`, use: "DropdownMenuPrimitive.Root", icons: ["Check", "ChevronRight", "Circle"] },
  { name: "form", client: true, imp: `import { Controller, FormProvider, useFormContext } from "react-hook-form";\nimport { Slot } from "@radix-ui/react-slot";`, use: "FormProvider", uiDeps: ["label"] },
  { name: "hover-card", client: true, imp: `import * as HoverCardPrimitive from "@radix-ui/react-hover-card";`, use: "HoverCardPrimitive.Root" },
  { name: "input", client: false, imp: ``, use: `"input"` },
  { name: "input-otp", client: true, imp: `import { OTPInput, OTPInputContext } from "input-otp";`, use: "OTPInput", icons: ["Minus"] },
  { name: "label", client: true, imp: `import * as LabelPrimitive from "@radix-ui/react-label";`, use: "LabelPrimitive.Root", cva: true },
  { name: "menubar", client: true, imp: `import * as MenubarPrimitive from "@radix-ui/react-menubar";`, use: "MenubarPrimitive.Root", icons: ["Check", "ChevronRight", "Circle"] },
  { name: "navigation-menu", client: false, imp: `import * as NavigationMenuPrimitive from "@radix-ui/react-navigation-menu";`, use: "NavigationMenuPrimitive.Root", icons: ["ChevronDown"], cva: true },
  { name: "pagination", client: false, imp: ``, use: `"nav"`, icons: ["ChevronLeft", "ChevronRight", "MoreHorizontal"], uiDeps: ["button"] },
  { name: "popover", client: true, imp: `import * as PopoverPrimitive from "@radix-ui/react-popover";`, use: "PopoverPrimitive.Root" },
  { name: "progress", client: true, imp: `import * as ProgressPrimitive from "@radix-ui/react-progress";`, use: "ProgressPrimitive.Root" },
  { name: "radio-group", client: true, imp: `import * as RadioGroupPrimitive from "@radix-ui/react-radio-group";`, use: "RadioGroupPrimitive.Root", icons: ["Circle"] },
  { name: "resizable", client: true, imp: `import * as ResizablePrimitive from "react-resizable-panels";`, use: "ResizablePrimitive", icons: ["GripVertical"] },
  { name: "scroll-area", client: true, imp: `import * as ScrollAreaPrimitive from "@radix-ui/react-scroll-area";`, use: "ScrollAreaPrimitive.Root" },
  { name: "select", client: true, imp: `import * as SelectPrimitive from "@radix-ui/react-select";`, use: "SelectPrimitive.Root", icons: ["Check", "ChevronDown", "ChevronUp"] },
  { name: "separator", client: true, imp: `import * as SeparatorPrimitive from "@radix-ui/react-separator";`, use: "SeparatorPrimitive.Root" },
  { name: "sheet", client: true, imp: `import * as SheetPrimitive from "@radix-ui/react-dialog";`, use: "SheetPrimitive.Root", icons: ["X"], cva: true },
  { name: "skeleton", client: false, imp: ``, use: `"div"` },
  { name: "slider", client: true, imp: `import * as SliderPrimitive from "@radix-ui/react-slider";`, use: "SliderPrimitive.Root" },
  { name: "sonner", client: true, imp: `import { Toaster as SonnerToaster, toast } from "sonner";\nimport { useTheme } from "next-themes";`, use: "SonnerToaster" },
  { name: "switch", client: true, imp: `import * as SwitchPrimitives from "@radix-ui/react-switch";`, use: "SwitchPrimitives.Root" },
  { name: "table", client: false, imp: ``, use: `"table"` },
  { name: "tabs", client: true, imp: `import * as TabsPrimitive from "@radix-ui/react-tabs";`, use: "TabsPrimitive.Root" },
  { name: "textarea", client: false, imp: ``, use: `"textarea"` },
  { name: "toast", client: true, imp: `import * as ToastPrimitives from "@radix-ui/react-toast";`, use: "ToastPrimitives.Root", icons: ["X"], cva: true },
  { name: "toggle", client: true, imp: `import * as TogglePrimitive from "@radix-ui/react-toggle";`, use: "TogglePrimitive.Root", cva: true },
  { name: "toggle-group", client: true, imp: `import * as ToggleGroupPrimitive from "@radix-ui/react-toggle-group";`, use: "ToggleGroupPrimitive.Root", uiDeps: ["toggle"] },
  { name: "tooltip", client: true, imp: `import * as TooltipPrimitive from "@radix-ui/react-tooltip";`, use: "TooltipPrimitive.Provider" },
];

const AREAS = ["dashboard", "settings", "billing", "users", "projects", "reports", "inbox",
  "calendar", "analytics", "admin", "auth", "marketing", "teams", "invoices", "support", "docs"];
const NOUNS = ["List", "Table", "Card", "Panel", "Form", "Dialog", "Header", "Toolbar", "Chart",
  "Summary", "Filters", "Row", "Detail", "Editor", "Picker", "Menu", "Badge", "Empty", "Stats", "Feed"];
const ADJ = ["Recent", "Active", "Pending", "Archived", "Shared", "Team", "Member", "Usage",
  "Monthly", "Weekly", "Quick", "Bulk", "Inline", "Compact", "Global", "Primary"];

const pascal = (s) => s.split(/[-_/]/).map((w) => w[0].toUpperCase() + w.slice(1)).join("");
const camel = (s) => { const p = pascal(s); return p[0].toLowerCase() + p.slice(1); };

// ---------- model ----------
// A module: {path (relative to src/), kind, directive, exports:[name], body()}
function buildModel(opt) {
  const r = rng(opt.seed);
  const mods = [];
  const add = (m) => { mods.push(m); return m; };

  // Fixed infrastructure: entry, document, shared libs (imported from both sides).
  const fixed = {
    worker: add({ path: "worker.tsx", kind: "worker" }),
    client: add({ path: "client.tsx", kind: "clientEntry" }),
    document: add({ path: "app/Document.tsx", kind: "document" }),
    headers: add({ path: "app/headers.ts", kind: "headers" }),
    utils: add({ path: "lib/utils.ts", kind: "utils", exports: ["cn"] }),
    format: add({ path: "lib/format.ts", kind: "format", exports: ["formatDate", "formatRelative"] }),
    schemas: add({ path: "lib/schemas.ts", kind: "schemas", exports: ["idSchema", "emailSchema"] }),
    db: add({ path: "lib/db.ts", kind: "db", exports: ["db"] }),
    types: add({ path: "lib/types.ts", kind: "types" }),
    // MDX content: rwsdk compiles .mdx in its scan; imports in ESM blocks count,
    // imports inside code fences do not.
    welcome: add({ path: "app/content/welcome.mdx", kind: "mdx", exports: ["Welcome"] }),
    changelog: add({ path: "app/content/changelog.mdx", kind: "mdx", exports: ["Changelog"] }),
    query: add({ path: "app/providers/QueryProvider.tsx", kind: "queryProvider", directive: "use client", exports: ["QueryProvider"] }),
    theme: add({ path: "app/providers/ThemeProvider.tsx", kind: "themeProvider", directive: "use client", exports: ["ThemeProvider"] }),
  };
  const budget = Math.max(opt.components, mods.length + 2);
  // UI kit: as many shadcn components as the size allows.
  const uiCount = Math.min(UI.length, Math.max(2, Math.floor(budget * 0.08)));
  const ui = UI.slice(0, uiCount).map((u) => add({
    path: `app/components/ui/${u.name}.tsx`, kind: "ui", ui: u,
    directive: u.client ? "use client" : null, exports: [pascal(u.name)],
  }));
  const uiByName = new Map(ui.map((m) => [m.ui.name, m]));

  let dirUsed = mods.filter((m) => m.directive).length;
  let dirLeft = Math.max(0, opt.directives - dirUsed);
  let left = budget - mods.length;
  // Feature files per area; each area gets pages, components, actions, hooks, libs.
  const areas = AREAS.slice(0, Math.max(1, Math.min(AREAS.length, Math.round(left / 35))));
  const byArea = new Map(areas.map((a) => [a, { pages: [], comps: [], actions: [], hooks: [], libs: [], server: [] }]));
  let n = 0;
  const usedNames = new Set();
  const uniqueName = (base) => {
    let name = base, k = 2;
    while (usedNames.has(name)) name = base + k++;
    usedNames.add(name);
    return name;
  };
  // Each area starts with one page and one actions file so every area is routed.
  for (const a of areas) {
    if (left <= 0) break;
    const page = add({ path: `app/pages/${a}/${pascal(a)}Page.tsx`, kind: "page", area: a, exports: [pascal(a) + "Page"] });
    byArea.get(a).pages.push(page); left--;
  }
  // Fill the rest: directive files first decide their kind by the budget ratio.
  while (left > 0) {
    const a = areas[n++ % areas.length];
    const g = byArea.get(a);
    const wantDirective = dirLeft > 0 && r.next() < dirLeft / left;
    let m;
    if (wantDirective) {
      if (r.chance(0.14)) {
        const name = uniqueName(`${camel(a)}${r.pick(["Actions", "Mutations", "Server", "Api"])}`);
        m = add({ path: `app/pages/${a}/${name}.ts`, kind: "actions", area: a, directive: "use server",
          exports: [`save${pascal(a)}${g.actions.length}`, `delete${pascal(a)}${g.actions.length}`] });
        g.actions.push(m);
      } else {
        const name = uniqueName(`${r.pick(ADJ)}${pascal(a)}${r.pick(NOUNS)}`);
        const ext = r.chance(0.06) ? "jsx" : "tsx";
        m = add({ path: `app/components/${a}/${name}.${ext}`, kind: "clientComp", area: a, directive: "use client", exports: [name] });
        g.comps.push(m);
      }
      dirLeft--;
    } else {
      const roll = r.next();
      if (roll < 0.12) {
        const name = uniqueName(`${pascal(a)}${r.pick(["Overview", "Detail", "Edit", "New", "Index", "History"])}Page`);
        m = add({ path: `app/pages/${a}/${name}.tsx`, kind: "page", area: a, exports: [name] });
        g.pages.push(m);
      } else if (roll < 0.42) {
        const name = uniqueName(`${r.pick(ADJ)}${pascal(a)}${r.pick(NOUNS)}`);
        m = add({ path: `app/components/${a}/${name}.tsx`, kind: "serverComp", area: a, exports: [name] });
        g.server.push(m);
      } else if (roll < 0.58) {
        const name = uniqueName(`use${pascal(a)}${r.pick(["Query", "State", "Filters", "Selection", "Form", "Data"])}`);
        m = add({ path: `app/hooks/${a}/${name}.ts`, kind: "hook", area: a, exports: [name] });
        g.hooks.push(m);
      } else {
        const name = uniqueName(`${camel(a)}${r.pick(["Utils", "Helpers", "Constants", "Validation", "Mappers", "Selectors"])}`);
        const ext = r.chance(0.1) ? "js" : "ts";
        m = add({ path: `app/lib/${a}/${name}.${ext}`, kind: "lib", area: a, exports: [`${name}Fn`, `${name.toUpperCase()}_VERSION`] });
        g.libs.push(m);
      }
    }
    left--;
  }

  // ---------- wire imports (decided here, in order, so output is deterministic) ----------
  const allComps = mods.filter((m) => m.kind === "clientComp");
  const allServer = mods.filter((m) => m.kind === "serverComp");
  const allActions = mods.filter((m) => m.kind === "actions");
  const allLibs = mods.filter((m) => m.kind === "lib");
  const allHooks = mods.filter((m) => m.kind === "hook");
  const uiClient = ui.filter((m) => m.directive);
  const pickArea = (list, area, k) => {
    const local = list.filter((m) => m.area === area);
    const pool = local.length && r.chance(0.75) ? local : list;
    return r.pickN(pool, Math.min(k, pool.length));
  };
  for (const m of mods) {
    // How the directive is written: mostly "use client";, sometimes with single
    // quotes, no semicolon, or after a license comment (all valid prologues).
    m.dirStyle = m.directive ? r.pick(["dq", "dq", "dq", "dq", "dq", "dq", "sq", "nosemi", "comment"]) : null;
    m.imports = [];   // [{mod, names, style}]  style: alias|relative
    m.icons = [];
    m.pkgs = [];      // raw import lines for npm packages
    const style = () => (r.chance(0.7) ? "alias" : "relative");
    const imp = (target, names) => { if (target && target !== m) m.imports.push({ mod: target, names: names ?? [target.exports[0]], style: style() }); };
    switch (m.kind) {
      case "ui":
        for (const d of m.ui.uiDeps ?? []) if (uiByName.has(d)) imp(uiByName.get(d));
        imp(fixed.utils, ["cn"]);
        m.icons = m.ui.icons ?? [];
        break;
      case "clientComp":
        for (const u of r.pickN(ui, 1 + r.int(4))) imp(u);
        m.icons = r.pickN(ICONS, 1 + r.int(4));
        imp(fixed.utils, ["cn"]);
        if (r.chance(0.35)) for (const h of pickArea(allHooks, m.area, 1)) imp(h);
        if (r.chance(0.45)) for (const a of pickArea(allActions, m.area, 1)) imp(a, [a.exports[0]]);
        if (r.chance(0.3)) imp(fixed.format, ["formatDate"]);
        if (r.chance(0.2)) imp(fixed.schemas, ["emailSchema"]);
        if (r.chance(0.3)) for (const l of pickArea(allLibs, m.area, 1)) imp(l, [l.exports[0]]);
        // client components nest other client components (earlier ones: no cycles needed, but allowed)
        if (r.chance(0.3)) for (const c of pickArea(allComps, m.area, 1)) imp(c);
        if (r.chance(0.15)) m.pkgs.push(r.pick([
          `import { useQuery } from "@tanstack/react-query";`,
          `import { useForm } from "react-hook-form";\nimport { zodResolver } from "@hookform/resolvers/zod";`,
          `import { toast } from "sonner";`,
          `import { motion } from "motion/react";`,
        ]));
        if (r.chance(0.08)) m.css = true;
        if (r.chance(0.05)) m.lazy = r.pick(allComps);
        break;
      case "serverComp":
        for (const c of pickArea(allComps, m.area, r.int(3))) imp(c);
        for (const u of r.pickN(ui.filter((u) => !u.directive), r.int(3))) imp(u);
        if (r.chance(0.4)) imp(fixed.db, ["db"]);
        if (r.chance(0.4)) imp(fixed.format, ["formatRelative"]);
        if (r.chance(0.3)) for (const l of pickArea(allLibs, m.area, 1)) imp(l, [l.exports[0]]);
        m.icons = r.chance(0.4) ? r.pickN(ICONS, 1 + r.int(2)) : [];
        break;
      case "page": {
        const g = byArea.get(m.area);
        for (const c of pickArea(allComps, m.area, 1 + r.int(4))) imp(c);
        for (const s of pickArea(allServer, m.area, r.int(4))) imp(s);
        for (const u of r.pickN(uiClient, r.int(3))) imp(u);
        for (const a of g.actions.slice(0, 1)) imp(a, [a.exports[1]]);
        imp(fixed.db, ["db"]);
        if (r.chance(0.3)) imp(fixed.schemas, ["idSchema"]);
        m.typeImport = true;
        break;
      }
      case "actions":
        imp(fixed.db, ["db"]);
        imp(fixed.schemas, ["idSchema"]);
        if (r.chance(0.5)) for (const l of pickArea(allLibs, m.area, 1)) imp(l, [l.exports[0]]);
        break;
      case "hook":
        if (r.chance(0.5)) for (const l of pickArea(allLibs, m.area, 1)) imp(l, [l.exports[0]]);
        if (r.chance(0.4)) m.pkgs.push(`import { useQuery } from "@tanstack/react-query";`);
        break;
      case "lib":
        if (r.chance(0.5)) m.pkgs.push(r.pick([
          `import { format } from "date-fns";`, `import { z } from "zod";`, `import { clsx } from "clsx";`,
        ]));
        // a few libs chain to another lib (depth)
        if (r.chance(0.3)) { const o = r.pick(allLibs); if (o !== m && allLibs.indexOf(o) < allLibs.indexOf(m)) imp(o, [o.exports[0]]); }
        break;
      case "mdx":
        imp(r.pick(uiClient));
        break;
      case "document":
        imp(fixed.theme); imp(fixed.query);
        if (uiByName.has("sonner")) imp(uiByName.get("sonner"));
        if (uiByName.has("tooltip")) imp(uiByName.get("tooltip"));
        break;
    }
  }
  // Anything with a directive that nothing imports is still found by the pre-scan;
  // plain modules nothing imports are dead code, as in real apps. Make sure every
  // page is routed from the worker.
  fixed.worker.pages = mods.filter((m) => m.kind === "page");
  const firstPage = fixed.worker.pages[0];
  if (firstPage) for (const c of [fixed.welcome, fixed.changelog]) firstPage.imports.push({ mod: c, names: null, style: "alias", mdx: true });
  return { mods, fixed };
}

// ---------- rendering ----------
function spec(from, to, style) {
  const noExt = to.path.replace(/\.(tsx|ts|jsx|js|mdx)$/, "");
  if (style === "alias") return "@/" + noExt;
  let rel = path.posix.relative(path.posix.dirname(from.path), noExt);
  if (!rel.startsWith(".")) rel = "./" + rel;
  return rel;
}
function importLines(m) {
  const lines = [];
  for (const { mod, names, style, mdx } of m.imports) {
    const s = spec(m, mod, style);
    if (mdx) { lines.push(`import ${mod.exports[0]} from "${s}.mdx";`); continue; }
    lines.push(`import { ${[...new Set(names)].join(", ")} } from "${s}";`);
  }
  if (m.icons.length) lines.push(`import { ${m.icons.join(", ")} } from "lucide-react";`);
  lines.push(...m.pkgs);
  return lines;
}
// Local names bound by import lines ("import X", "import * as X", "{ a, b as c }").
function bindingsOf(text) {
  const out = [];
  for (const [, clause] of text.matchAll(/import\s+(.+?)\s+from\s/g)) {
    for (const part of clause.replace(/[{}]/g, ",").split(",")) {
      const p = part.trim().replace(/^type\s+/, "");
      if (!p || part.trim().startsWith("type ")) continue;
      const m = /(?:\bas\s+)?(\w+)$/.exec(p);
      if (m) out.push(m[1]);
    }
  }
  return out;
}
// Reference every imported binding once so that nothing is "unused": esbuild
// drops unused imports from TypeScript files (they might be types), so the
// reference would not follow them while dscan does.
function usesOf(m) {
  const names = [];
  for (const { names: ns, mod, mdx } of m.imports) names.push(...(mdx ? [mod.exports[0]] : ns));
  names.push(...m.icons);
  for (const line of m.pkgs) names.push(...bindingsOf(line));
  return [...new Set(names)];
}
const isTs = (m) => /\.tsx?$/.test(m.path);

function render(m, model) {
  const d = !m.directive ? ""
    : m.dirStyle === "sq" ? `'${m.directive}';\n\n`
    : m.dirStyle === "nosemi" ? `"${m.directive}"\n\n`
    : m.dirStyle === "comment" ? `/**\n * Copyright (c) Example Corp.\n * SPDX-License-Identifier: MIT\n */\n// ${m.directive === "use client" ? "runs in the browser" : "server functions"}\n"${m.directive}";\n\n`
    : `"${m.directive}";\n\n`;
  const lines = importLines(m);
  const uses = usesOf(m);
  const ts = isTs(m);
  const propsT = ts ? ": { className?: string; children?: React.ReactNode }" : "";
  switch (m.kind) {
    case "worker": {
      const pages = m.pages;
      return `import { defineApp } from "rwsdk/worker";
import { render, route, prefix } from "rwsdk/router";
import { Document } from "@/app/Document";
import { setCommonHeaders } from "@/app/headers";
${pages.map((p) => `import { ${p.exports[0]} } from "${spec(m, p, "alias")}";`).join("\n")}

export type AppContext = { user?: { id: string } };

export default defineApp([
  setCommonHeaders(),
  render(Document, [
${pages.map((p) => `    route("/${p.area}/${p.exports[0].toLowerCase()}", ${p.exports[0]}),`).join("\n")}
  ]),
]);
`;
    }
    case "clientEntry":
      return `import { initClient } from "rwsdk/client";\n\ninitClient();\n`;
    case "headers":
      return `import type { RouteMiddleware } from "rwsdk/router";

export const setCommonHeaders = (): RouteMiddleware => ({ response }) => {
  response.headers.set("X-Content-Type-Options", "nosniff");
};
`;
    case "document":
      return `${lines.join("\n")}
import stylesUrl from "./styles.css?url";

export const Document = ({ children }: { children: React.ReactNode }) => (
  <html lang="en">
    <head>
      <meta charSet="utf-8" />
      <link rel="stylesheet" href={stylesUrl} />
      <link rel="modulepreload" href="/src/client.tsx" />
    </head>
    <body>
      <ThemeProvider>
        <QueryProvider>{children}</QueryProvider>
      </ThemeProvider>
      {[${uses.filter((u) => !["ThemeProvider", "QueryProvider"].includes(u)).join(", ")}].length}
      <script>import("/src/client.tsx")</script>
    </body>
  </html>
);
`;
    case "utils":
      return `import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
`;
    case "format":
      return `import { format, formatDistanceToNow } from "date-fns";

export const formatDate = (d: Date | number) => format(d, "yyyy-MM-dd");
export const formatRelative = (d: Date | number) => formatDistanceToNow(d, { addSuffix: true });
`;
    case "schemas":
      return `import { z } from "zod";

export const idSchema = z.string().min(1);
export const emailSchema = z.string().email();
export type Id = z.infer<typeof idSchema>;
`;
    case "db":
      return `import { env } from "cloudflare:workers";
import type { Row } from "@/lib/types";

// A stand-in for a D1/Durable Object client; only here to be imported.
export const db = {
  async all(table: string): Promise<Row[]> {
    return [{ id: table, createdAt: Date.now(), env: String(Object.keys(env ?? {}).length) }];
  },
};
`;
    case "mdx": {
      const [{ mod }] = m.imports;
      const title = m.exports[0];
      return `import { ${mod.exports[0]} } from "${spec(m, mod, "alias")}";

export const meta = { title: "${title}" };

# ${title}

Some *content* with a component: <${mod.exports[0]} />

\`\`\`tsx
// inside a code fence: not an import of this module
import { Nope } from "not-a-real-package";
\`\`\`
`;
    }
    case "types":
      return `export interface Row { id: string; createdAt: number; env?: string }\nexport type Maybe<T> = T | null;\n`;
    case "queryProvider":
      return `${d}import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(() => new QueryClient());
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
`;
    case "themeProvider":
      return `${d}import { ThemeProvider as NextThemesProvider } from "next-themes";

export function ThemeProvider({ children }: { children: React.ReactNode }) {
  return <NextThemesProvider attribute="class" defaultTheme="system">{children}</NextThemesProvider>;
}
`;
    case "ui": {
      const u = m.ui, name = m.exports[0];
      const cva = u.cva ? `import { cva, type VariantProps } from "class-variance-authority";\n` : "";
      const variants = u.cva ? `\nexport const ${camel(u.name)}Variants = cva("inline-flex items-center", {\n  variants: { size: { sm: "h-8", md: "h-9", lg: "h-10" } },\n  defaultVariants: { size: "md" },\n});\n` : "";
      return `${d}import * as React from "react";
${u.imp ? u.imp + "\n" : ""}${cva}${lines.join("\n")}
${variants}
export function ${name}({ className, children }${propsT}) {
  const parts = [${[...bindingsOf(u.imp), ...uses].join(", ") || u.use}];
  return <div data-slot="${u.name}" className={cn("${u.name}", className)} data-parts={parts.length}>{children}</div>;
}
`;
    }
    case "clientComp": {
      const name = m.exports[0];
      const css = m.css ? `import "./${name}.css";\n` : "";
      const lazy = m.lazy && m.lazy !== m
        ? `\nconst Lazy = React.lazy(() => import("${spec(m, m.lazy, "alias")}").then((mod) => ({ default: mod.${m.lazy.exports[0]} })));\n`
        : "";
      return `${d}import * as React from "react";
import { useState } from "react";
${lines.join("\n")}
${css}${lazy}
// import { Ghost } from "./does-not-exist"; (a commented-out import must not be followed)
export function ${name}({ className, children }${propsT}) {
  const [open, setOpen] = useState(false);
  const parts = [${uses.join(", ")}];
  return (
    <div className={cn("${camel(name)}", className)} onClick={() => setOpen(!open)} data-parts={parts.length}>
      {children}
    </div>
  );
}
`;
    }
    case "serverComp": {
      const name = m.exports[0];
      return `${lines.join("\n")}

export async function ${name}({ className, children }${propsT}) {
  const parts = [${uses.join(", ")}];
  return <section className={className} data-parts={parts.length}>{children}</section>;
}
`;
    }
    case "page": {
      const name = m.exports[0];
      return `${lines.join("\n")}
import type { RequestInfo } from "rwsdk/worker";

export async function ${name}({ ctx }: RequestInfo) {
  const parts = [${uses.join(", ")}];
  return (
    <main data-user={String(ctx)} data-parts={parts.length}>
      <h1>${name}</h1>
    </main>
  );
}
`;
    }
    case "actions": {
      const [a, b] = m.exports;
      return `${d}${lines.join("\n")}
import { requestInfo } from "rwsdk/worker";

export async function ${a}(formData: FormData) {
  const id = idSchema.parse(formData.get("id"));
  return { ok: true, id, rows: (await db.all("${m.area}")).length, url: requestInfo.request.url };
}

export async function ${b}(id: string) {
  return { ok: true, id: idSchema.parse(id), extra: [${usesOf(m).join(", ")}].length };
}
`;
    }
    case "hook": {
      const name = m.exports[0];
      return `import { useState, useEffect } from "react";
${lines.join("\n")}

export function ${name}<T>(initial${ts ? ": T" : ""}) {
  const [value, setValue] = useState(initial);
  useEffect(() => { void [${usesOf(m).join(", ")}]; }, []);
  return [value, setValue] as const;
}
`;
    }
    case "lib": {
      const [fn, ver] = m.exports;
      const tsT = ts ? ": string" : "";
      return `${lines.join("\n")}

export const ${ver} = ${m.path.length};
export function ${fn}(input${tsT}) {
  const deps = [${usesOf(m).join(", ")}];
  return \`\${input}:\${deps.length}\`;
}
`;
    }
  }
  throw new Error("unknown kind " + m.kind);
}

// ---------- write ----------
function main() {
  const opt = parseArgs(process.argv.slice(2));
  const out = path.resolve(opt.out);
  if (fs.existsSync(out) && fs.readdirSync(out).filter((f) => f !== "node_modules").length && !opt.force)
    usage(`${out} is not empty (use --force)`);
  const { mods } = buildModel(opt);
  const write = (rel, text) => {
    const p = path.join(out, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  };
  if (opt.force) fs.rmSync(path.join(out, "src"), { recursive: true, force: true });
  for (const m of mods) {
    write("src/" + m.path, render(m));
    if (m.css) write("src/" + m.path.replace(/[^/]+$/, m.exports[0] + ".css"), `.x{color:red}\n`);
  }
  write("src/app/styles.css", `@import "tailwindcss";\n`);
  // Pinned package.json, lockfile and pnpm settings come from the template.
  for (const f of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "tsconfig.json"])
    fs.copyFileSync(path.join(HERE, "template", f), path.join(out, f));
  write(".gitignore", "node_modules\n");
  const nDir = mods.filter((m) => m.directive).length;
  const nClient = mods.filter((m) => m.directive === "use client").length;
  console.error(`gen-realapp: wrote ${mods.length} source files (${nDir} with directives: ${nClient} client, ${nDir - nClient} server) to ${out}`);
}
main();
