import { defineConfig } from "vite";
import { redwood } from "rwsdk/vite";
import { cloudflare } from "@cloudflare/vite-plugin";
import tailwindcss from "@tailwindcss/vite";
import mdx from "@mdx-js/rollup";
import { fileURLToPath } from "node:url";

export default defineConfig({
  environments: { ssr: {} },
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  plugins: [
    cloudflare({ viteEnvironment: { name: "worker" } }),
    redwood(),
    tailwindcss(),
    mdx(),
  ],
});
