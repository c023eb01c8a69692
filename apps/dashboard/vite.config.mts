import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The bundle goes to dist/web: dist/ also holds the compiled Node specs (tsc), which Vite must not wipe.
export default defineConfig({
  root: path.join(here, 'src', 'web'),
  // Relative asset URLs, so monitoring can serve the files from any path prefix.
  base: './',
  build: {
    outDir: path.join(here, 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 400,
    // Two pages: the dashboard, and the demo's sandbox outbox (what Slack, e-mail and the CRMs received).
    rollupOptions: { input: { main: path.join(here, 'src', 'web', 'index.html'), sandbox: path.join(here, 'src', 'web', 'sandbox.html') } },
  },
  server: {
    // `npx vite -c apps/dashboard/vite.config.mts`: the dev server talks to a running monitoring service.
    proxy: { '/v1': process.env['MONITORING_URL'] ?? 'http://127.0.0.1:3005' },
  },
});
