import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

// The web app lives in web/; `npx vite build --config web/vite.config.ts` writes web/dist, which the
// server serves as static files with an SPA fallback to index.html.
const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

// During `vite` dev, everything the server owns is forwarded to it.
const apiTarget = process.env.MANBING_API_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/api', '/fhir', '/health', '/docs', '/openapi.json'];
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  proxied.map((prefix) => [prefix, { target: apiTarget, changeOrigin: false }]),
);

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // antd + react are one vendor chunk of roughly 1 MB; later screens are split per route.
    chunkSizeWarningLimit: 1600,
  },
  server: { port: 5173, strictPort: false, proxy },
  preview: { port: 4173, proxy },
});
