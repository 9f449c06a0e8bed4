// Builds the web app into client/dist, which the Express server serves (server/app.ts).
// Everything is bundled: no CDN fonts or scripts at run time, so it works on a closed network.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The modeler chunk (bpmn-js + properties panel, ~450 kB gzipped) loads only on its page.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // `npm run dev:client` next to `npm run dev`: the API is proxied to the server.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
