// Type check of index.d.ts against real Vite types (tests/real/test_npm.sh runs tsc on it).
import type { ViteBuilder, ResolvedConfig } from "vite";
import { runDirectivesScan } from "dscan";
declare const builder: ViteBuilder;
declare const cfg: ResolvedConfig;
const clientFiles = new Set<string>(), serverFiles = new Set<string>();
await runDirectivesScan({ rootConfig: builder.config, environments: builder.environments, clientFiles, serverFiles, entries: ["src/worker.tsx"] });
await runDirectivesScan({ rootConfig: cfg, environments: builder.environments, clientFiles, serverFiles });
