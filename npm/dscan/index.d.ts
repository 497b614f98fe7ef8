// Types of the dscan package (see README.md and the repository's SPEC.md).

export type Env = "worker" | "client";

export interface EnvOptions {
  /** Explicit resolve conditions, in order; import/require, default and the mode's condition always apply. */
  conditions?: string[];
  /** package.json fields tried, in order, when a package has no "exports". */
  mainFields?: string[];
}

export interface AliasEntry {
  /** Exact specifier or prefix followed by '/'. A RegExp is accepted only in the usual prefix forms (/^@\/(.*)$/ with "…/$1", /^@\// with "…/"). */
  find: string | RegExp;
  replacement: string;
}

/** SPEC §2's options in camelCase. Anything given here overrides ROOT/dscan.json (or `config`). */
export interface ScanOptions {
  /** Project root; default the current directory. */
  root?: string;
  /** A dscan.json to read instead of ROOT/dscan.json. */
  config?: string;
  /** Entry files, relative to root or absolute. Default: the config's, else src/worker.{tsx,ts,jsx,js}. */
  entries?: string[];
  /** Folder pre-scanned for directive files; default "src". */
  srcDir?: string;
  /** Skip the pre-scan: only what the entries reach. */
  noPrescan?: boolean;
  /** Precise mode (SPEC §4.10): only the directive modules a running app can reference (re-exports followed per name used). Not supported by createScanner yet. */
  precise?: boolean;
  /** Which of the development/production conditions applies; default "production". */
  mode?: "production" | "development";
  environments?: { worker?: EnvOptions; client?: EnvOptions };
  extensions?: string[];
  alias?: AliasEntry[] | Record<string, string>;
  /** Specifiers never resolved nor scanned. */
  external?: string[];
  tsconfig?: string;
  /** Worker threads of the native scan (dscan -j). */
  threads?: number;
  /** Aborting kills the native process; the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Add `report` to the result: cost by package and the barrels (SPEC §5a, `--report`). */
  report?: boolean;
  /** Also write the report as one self-contained HTML page to this file (`--report-html`). */
  reportHtml?: string;
  /** Add `why`: the import chain(s) to this file (relative to root) or package's modules (`--why`). */
  why?: string;
}

/** Files a package costs the scan (SPEC §5a). "(app)" is the root's own package. */
export interface PackageCost {
  name: string;
  version: string;
  files: number;
  bytes: number;
  modules: number;
  client: number;
  server: number;
}

/** A module whose re-exports reach 50 files or more. */
export interface Barrel {
  file: string;
  package: string;
  /** Files reached through its re-exports. */
  reached: number;
  /** Distinct names imported from it; ["*"] when some importer uses all. */
  importedNames: string[];
  /** Files that import it. */
  importers: number;
  /** Of `reached`, the files precise mode (SPEC §4.10) would reach through it. */
  needed: number;
}

/** One chain of `why`: steps from an entry or pre-scan root to `module`. */
export interface WhyChain {
  module: string;
  reached: boolean;
  root?: "entry" | "prescan";
  steps: { path: string; env: Env; importer?: string; specifier?: string; line?: number }[];
}

export interface Unresolved {
  specifier: string;
  /** Written as in the result lists. */
  importer: string;
  env: Env;
  reason?: string;
}

export interface Warning {
  severity?: "warning" | "error";
  code?: string;
  path?: string;
  line?: number;
  col?: number;
  message: string;
}

export interface ScanStats {
  modules: number;
  filesRead: number;
  bytesRead: number;
  duplicateReads: number;
  resolveCalls: number;
  statCalls: number;
  wallMs: number;
  peakRssKb: number;
  [key: string]: unknown;
}

export interface ScanResult {
  /** Absolute real path of the root. */
  root: string;
  /** "/src/a.tsx" inside root, absolute outside; sorted, no duplicates. */
  client: string[];
  server: string[];
  unresolved: Unresolved[];
  warnings: Warning[];
  stats: ScanStats;
  /** With `report: true` (or `reportHtml`): packages by files read, largest first, and the barrels. */
  report?: { packages: PackageCost[]; barrels: Barrel[] };
  /** With `why`: one chain per module asked about (none reached: one chain with reached false). */
  why?: WhyChain[];
}

/** Scans a project with the native core. Rejects with TypeError (bad options) or DscanError (scan impossible). */
export function scanDirectives(options?: ScanOptions): Promise<ScanResult>;

/** One list's change between two results of a scanner. */
export interface ListDelta {
  added: string[];
  removed: string[];
}

/** A scanner's result: the whole result, plus what changed since the last one. */
export interface ScannerResult extends ScanResult {
  delta: { client: ListDelta; server: ListDelta };
}

export interface ScannerOptions extends ScanOptions {
  /**
   * Asked for each import dscan left unresolved (once per import); an
   * absolute path of an existing file makes the scan go on from it in `env`
   * (SPEC §5b). RedwoodSDK's Vite plugin container's resolveId, for example.
   */
  resolveUnresolved?: (u: { specifier: string; importer: string; env: "worker" | "client" }) =>
    Promise<string | null | undefined> | string | null | undefined;
}

/** A persistent scanner: one `dscan serve` process keeping the graph (SPEC §5b). */
export interface Scanner {
  /** A full scan. */
  scan(): Promise<ScannerResult>;
  /** Re-reads only `changed` (edited or added) and what `removed` affects; stats.filesRead counts this call's reads. */
  update(paths?: { changed?: string[]; removed?: string[] }): Promise<ScannerResult>;
  /** Ends the process; idempotent. Later calls reject. */
  close(): Promise<void>;
  /** The serve process's pid, or null when none runs. */
  readonly pid: number | null;
}

/** Starts a scanner (nothing is scanned until scan() or update()). Calls are queued; a crashed process is restarted by the next call with a full scan. */
export function createScanner(options?: ScannerOptions): Promise<Scanner>;

/** resolveUnresolved through Vite environments' pluginContainer.resolveId (by environment name). */
export function pluginResolver(environments: Record<string, unknown>): ScannerOptions["resolveUnresolved"];

/** Structural subset of Vite's ResolvedConfig that is read. */
export interface ViteResolvedConfigLike {
  root: string;
  mode?: string;
  isProduction?: boolean;
  resolve?: { alias?: AliasEntry[]; extensions?: string[] };
}

/** Structural subset of a Vite Environment that is read. */
export interface ViteEnvironmentLike {
  name?: string;
  config: {
    resolve?: {
      conditions?: string[];
      mainFields?: string[];
      extensions?: string[];
      alias?: AliasEntry[];
      builtins?: (string | RegExp)[];
    };
    build?: { rollupOptions?: { input?: unknown }; rolldownOptions?: { input?: unknown } };
  };
  plugins?: readonly { name?: string; resolveId?: unknown }[];
}

export interface RunDirectivesScanArgs {
  rootConfig: ViteResolvedConfigLike;
  /** Vite's environments by name (builder.environments); "worker" and "client" are read. */
  environments: Record<string, ViteEnvironmentLike>;
  clientFiles: Set<string>;
  serverFiles: Set<string>;
  /** Default: the worker environment's build input, as rwsdk. */
  entries?: string[];
  /** Accepted for compatibility with rwsdk; ignored. */
  esbuildOptions?: unknown;
}

export interface RunDirectivesScanResult {
  unresolved: Unresolved[];
  /** dscan's warnings, preceded by one "unmapped" warning per item of `unmapped`. */
  warnings: Warning[];
  stats: Partial<ScanStats>;
  /** What the Vite config asked for that dscan cannot do (plugins' resolveId, other RegExp aliases). */
  unmapped: string[];
}

/** Drop-in for RedwoodSDK's runDirectivesScan: fills clientFiles/serverFiles with paths written as rwsdk writes them. */
export function runDirectivesScan(args: RunDirectivesScanArgs): Promise<RunDirectivesScanResult>;

/** The mapping runDirectivesScan uses: Vite's resolved config → scanDirectives options. */
export function viteToDscanOptions(args: Pick<RunDirectivesScanArgs, "rootConfig" | "environments" | "entries">): {
  options: ScanOptions & { root: string; entries: string[] };
  unmapped: string[];
};

/** Vite alias forms → dscan's string-prefix aliases, and what could not be translated. */
export function translateAlias(alias: AliasEntry[] | Record<string, string> | null | undefined): {
  alias: { find: string; replacement: string }[];
  unmapped: string[];
};

/** The argv and the `--options-json -` object (sent on stdin) scanDirectives would use (for tests and debugging). */
export function buildInvocation(options?: ScanOptions): {
  args: string[];
  optionsJson: Record<string, unknown> | null;
  root: string;
  signal?: AbortSignal;
};

/** rwsdk's normalizeModulePath for a real absolute path. */
export function normalizeModulePath(absPath: string, root: string): string;

/** $DSCAN_BINARY, else this platform's prebuilt package (@dscan/<platform>-<arch>), else one built from the bundled sources at first use (synchronously, once; throws an Error with code "DSCAN_NO_BINARY" and a one-line message when that cannot be done). */
export function binaryPath(): string;

/** One module that entered or left a list, or moved between them (`dscan diff`, SPEC §5a). */
export interface DiffResult {
  added: { path: string; list: "client" | "server" }[];
  removed: { path: string; list: "client" | "server" }[];
  moved: { path: string; from: "client" | "server"; to: "client" | "server" }[];
  /** Any of the three lists is non-empty (`dscan diff` would exit 1). */
  changed: boolean;
}

/**
 * `dscan diff` for CI baselines: what moved from `a` (the baseline) to `b`.
 * Each is a result (scanDirectives' or `dscan scan --json`'s, parsed) or the
 * path of a JSON file holding one. Throws a TypeError for bad input.
 */
export function diff(a: Pick<ScanResult, "client" | "server"> | string, b: Pick<ScanResult, "client" | "server"> | string): DiffResult;

export class DscanError extends Error {
  exitCode?: number;
  stderr?: string;
}
