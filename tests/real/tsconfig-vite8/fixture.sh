#!/bin/bash
# fixture.sh DIR — writes the monorepo-shaped tree of test_tsconfig_vite8.sh
# into DIR, and the (specifier, importer) pairs to ask on stdout as
# "IMPORTER<TAB>SPECIFIER" lines (importers relative to DIR).
set -eu
D=$1
w() { mkdir -p "$D/$(dirname "$1")"; printf '%s\n' "$2" >"$D/$1"; }

w package.json '{"name": "mono", "private": true}'
# The root: a plain config (no include: everything below it) extending a base
# whose paths are relative to the base, not to the root config.
w tsconfig.base.json '{"compilerOptions": {"paths": {"~shared/*": ["./packages/shared/src/*"], "@/*": ["./root-at/*"]}}}'
w tsconfig.json '// JSONC, as tsc reads it
{"extends": "./tsconfig.base.json", "compilerOptions": {"strict": true,},}'
w root-at/x.ts 'export {}'
w scripts/i.ts 'export {}'
w packages/shared/src/x.ts 'export {}'
w packages/shared/src/y.tsx 'export {}'

# A solution-style app: references, each with its own include and paths.
w apps/web/tsconfig.json '{"files": [], "references": [{"path": "./tsconfig.app.json"}, {"path": "./tsconfig.worker.json"}]}'
w apps/web/tsconfig.app.json '{"extends": "../../tsconfig.base.json", "include": ["src/client"], "compilerOptions": {"paths": {"@/*": ["./src/client/*"]}}}'
w apps/web/tsconfig.worker.json '{"extends": "@acme/tsconfig/worker.json", "include": ["src/worker/**/*.ts"]}'
for f in src/client/i.ts src/client/x.ts src/client/j.js src/worker/i.ts src/worker/x.ts src/worker/deep/i.ts src/other/i.ts src/other/x.ts; do w "apps/web/$f" 'export {}'; done
w apps/web/src/worker/k.tsx 'export {}'

# A package extending the root base: paths relative to the base's directory.
w packages/ui/tsconfig.json '{"extends": "../../tsconfig.base.json", "include": ["src"]}'
w packages/ui/src/i.ts 'export {}'
w packages/ui/src/j.js 'export {}'
w packages/ui/scripts/i.ts 'export {}'

# A package extending a package's config: with its own baseUrl, the
# inherited paths resolve against that baseUrl.
w packages/api/tsconfig.json '{"extends": "@acme/tsconfig/base", "compilerOptions": {"baseUrl": "."}}'
w packages/api/src/i.ts 'export {}'
w packages/api/lib/x.ts 'export {}'
w packages/api/lib/z.ts 'export {}'
# Inherited paths without a baseUrl: relative to the config that declares them.
w packages/cfg/tsconfig.json '{"extends": "@acme/tsconfig/paths.json"}'
w packages/cfg/src/i.ts 'export {}'
w packages/cfg/src/x.ts 'export {}'

w node_modules/@acme/tsconfig/package.json '{"name": "@acme/tsconfig", "version": "1.0.0"}'
w node_modules/@acme/tsconfig/base.json '{"compilerOptions": {"paths": {"$lib/*": ["lib/*"]}}}'
w node_modules/@acme/tsconfig/paths.json '{"compilerOptions": {"paths": {"$pkg/*": ["./src/*"]}}}'
w node_modules/@acme/tsconfig/src/x.ts 'export {}'
w node_modules/@acme/tsconfig/worker.json '{"compilerOptions": {"paths": {"@/*": ["./wsrc/*"], "#w/*": ["../../../apps/web/src/worker/*"]}}}'
w node_modules/@acme/tsconfig/wsrc/x.ts 'export {}'

# allowJs: .js importers are owned too; `exclude` hands a file to the root.
w packages/js/tsconfig.json '{"compilerOptions": {"allowJs": true, "paths": {"@/*": ["./src/*"]}}, "exclude": ["src/legacy"]}'
for f in src/i.js src/i.mjs src/x.ts src/legacy/i.ts src/legacy/x.ts; do w "packages/js/$f" 'export {}'; done
# Not a TypeScript or JS extension: an .mdx importer is owned by no config
# (even with allowJs; vite-tsconfig-paths, which Vite 7 apps use, differs).
w packages/js/src/doc.mdx '# doc'
# `files` alone: only the files listed are owned.
w packages/files/tsconfig.json '{"files": ["src/main.ts"], "compilerOptions": {"paths": {"@/*": ["./src/*"]}}}'
for f in src/main.ts src/other.ts src/x.ts; do w "packages/files/$f" 'export {}'; done
# A glob with an extension, and "?".
w packages/glob/tsconfig.json '{"include": ["src/**/*.mts", "src/?.ts"], "compilerOptions": {"paths": {"@/*": ["./src/*"]}}}'
for f in src/a.mts src/b.ts src/bb.ts src/x.ts src/deep/c.mts; do w "packages/glob/$f" 'export {}'; done

# Pattern choice: an exact key first, else the longest prefix only (no
# fallback to other matching patterns, unlike vite-tsconfig-paths).
w packages/pat/tsconfig.json '{"compilerOptions": {"paths": {"exact": ["./e.ts"], "ex*": ["./w/*"], "a/*": ["./none/*"], "a/b*": ["./a/*"]}}}'
for f in i.ts e.ts w/act.ts a/c.ts a/x.ts; do w "packages/pat/$f" 'export {}'; done

# A package with no tsconfig of its own: the root's.
w packages/plain/src/i.ts 'export {}'
# A file inside node_modules never uses tsconfig paths.
w node_modules/dep/package.json '{"name": "dep", "version": "1.0.0", "main": "index.js"}'
w node_modules/dep/index.js 'export {}'
w node_modules/dep/src/i.ts 'export {}'

# The mode condition (SPEC §4.6): only through "development|production".
w node_modules/moded/package.json '{"name": "moded", "version": "1.0.0", "exports": {"development": "./dev.js", "production": "./prod.js", "default": "./d.js"}}'
for f in dev.js prod.js d.js; do w "node_modules/moded/$f" 'export {}'; done

cat <<'PAIRS'
scripts/i.ts	~shared/x
scripts/i.ts	@/x
scripts/i.ts	moded
packages/plain/src/i.ts	~shared/y
packages/plain/src/i.ts	@/x
apps/web/src/client/i.ts	@/x
apps/web/src/client/j.js	@/x
apps/web/src/client/i.ts	~shared/x
apps/web/src/worker/i.ts	@/x
apps/web/src/worker/deep/i.ts	@/x
apps/web/src/worker/k.tsx	@/x
apps/web/src/worker/i.ts	#w/x
apps/web/src/other/i.ts	@/x
apps/web/src/other/i.ts	~shared/x
packages/ui/src/i.ts	~shared/x
packages/ui/src/j.js	~shared/y
packages/ui/src/i.ts	@/x
packages/ui/scripts/i.ts	~shared/x
packages/ui/scripts/i.ts	@/x
packages/ui/scripts/i.ts	moded
packages/api/src/i.ts	$lib/x
packages/api/src/i.ts	lib/z
packages/cfg/src/i.ts	$pkg/x
packages/js/src/i.js	@/x
packages/js/src/i.mjs	@/x
packages/js/src/legacy/i.ts	@/x
packages/js/src/doc.mdx	@/x
packages/files/src/main.ts	@/x
packages/files/src/other.ts	@/x
packages/glob/src/a.mts	@/x
packages/glob/src/deep/c.mts	@/x
packages/glob/src/b.ts	@/x
packages/glob/src/bb.ts	@/x
packages/glob/src/x.ts	@/x
packages/pat/i.ts	exact
packages/pat/i.ts	exact.ts
packages/pat/i.ts	exbct
packages/pat/i.ts	a/bc
packages/pat/i.ts	a/x
node_modules/dep/src/i.ts	~shared/x
node_modules/dep/index.js	@/x
PAIRS
