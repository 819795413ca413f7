import { defineConfig } from "vite";

// Served by the storage service under /ui/; every asset URL is relative to that base.
export default defineConfig({
  base: "/ui/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:8085", "/openapi.json": "http://127.0.0.1:8085" } },
});
