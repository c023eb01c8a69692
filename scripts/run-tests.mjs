#!/usr/bin/env node
// Runs the compiled specs of one project with Node's test runner.
//   node scripts/run-tests.mjs <projectRoot> unit          -> dist/**/*.spec.js (not *.int.spec.js)
//   node scripts/run-tests.mjs <projectRoot> integration   -> dist/**/*.int.spec.js, through libs/testing's run-integration
// Node 20's runner has no glob support and does not know the .spec.js suffix, hence this file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PROJECT_DIRS = ['libs', 'apps'];

/** `all` means every project under libs/ and apps/. */
function projectRoots(arg) {
  if (arg !== 'all') return [arg];
  return PROJECT_DIRS.flatMap((dir) =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name)),
  );
}

export function findSpecs(projectRoot, kind) {
  const dist = path.join(projectRoot, 'dist');
  if (!fs.existsSync(dist)) return [];
  const files = fs.readdirSync(dist, { recursive: true }).map(String).sort();
  return (
    files
      .filter((file) => file.endsWith('.spec.js'))
      // Fault tests (*.chaos.spec.js) need the chaos runner: `npm run test:chaos`.
      .filter((file) => !file.endsWith('.chaos.spec.js'))
      .filter((file) => (kind === 'integration') === file.endsWith('.int.spec.js'))
      .map((file) => path.join(dist, file))
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [projectRoot, kind = 'unit'] = process.argv.slice(2);
  if (!projectRoot || !['unit', 'integration'].includes(kind)) {
    console.error('usage: run-tests.mjs <projectRoot|all> unit|integration');
    process.exit(2);
  }
  if (kind === 'integration') {
    // Integration specs need the broker and the database: the runner brings up the test stack.
    const roots = projectRoot === 'all' ? [] : [projectRoot];
    const result = spawnSync(process.execPath, ['libs/local-stack/dist/run-integration.js', ...roots], { stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
  const specs = projectRoots(projectRoot).flatMap((root) => findSpecs(root, kind));
  if (specs.length === 0) {
    console.log(`${projectRoot}: no ${kind} specs`);
    process.exit(0);
  }
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...specs], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
