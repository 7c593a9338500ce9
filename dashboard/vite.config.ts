import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Static files for the API server to serve at `/` (`--dashboard-dir`, default dashboard/dist). `vite` (dev) proxies
// the API to a local API server on :8888.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/apis': 'http://127.0.0.1:8888',
      '/api': 'http://127.0.0.1:8888',
    },
  },
});
