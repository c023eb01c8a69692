import fs from 'node:fs';
import path from 'node:path';
import { DASHBOARDS } from './dashboards';

/**
 * Writes deploy/grafana/dashboards/<name>.json for every dashboard of dashboards.ts.
 *   node deploy/grafana/generator/dist/generate.js [outDir]
 * (check.sh writes into a temporary directory and diffs it against the committed files).
 */
export function renderDashboards(): Array<{ file: string; text: string }> {
  return Object.entries(DASHBOARDS).map(([name, build]) => ({ file: `${name}.json`, text: `${JSON.stringify(build(), null, 2)}\n` }));
}

if (require.main === module) {
  const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'dashboards'));
  fs.mkdirSync(outDir, { recursive: true });
  for (const { file, text } of renderDashboards()) {
    fs.writeFileSync(path.join(outDir, file), text);
    process.stdout.write(`wrote ${path.join(outDir, file)}\n`);
  }
}
