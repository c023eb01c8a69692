import fs from 'node:fs';
import type { Express } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { MonitoringConfig } from './config';

/** Serves the built dashboard (apps/dashboard) at `/`; without a build, `/` says how to make one. */
export function configureMonitoringHttp(app: NestExpressApplication, config: MonitoringConfig): void {
  const dir = config.MONITORING_DASHBOARD_DIR;
  if (fs.existsSync(`${dir}/index.html`)) {
    app.useStaticAssets(dir, { index: 'index.html', maxAge: 0 });
    return;
  }
  (app.getHttpAdapter().getInstance() as Express).get('/', (_req, res) =>
    res.status(503).type('text/plain').send(`dashboard not built: no index.html in ${dir} (run: bash apps/dashboard/scripts/build-web.sh)\n`),
  );
}
