// Builds the dashboard into @mcpproxy/server's dist-ui, served at /ui/.
// Everything is bundled (no CDN): the dashboard works air-gapped.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/ui/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../server/dist-ui", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // Inline nothing as data: URLs: the CSP allows only 'self' for scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
