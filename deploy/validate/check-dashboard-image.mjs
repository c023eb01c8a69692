// The monitoring image ships the dashboard where the monitoring service looks for it:
//   node deploy/validate/check-dashboard-image.mjs [Dockerfile]
// The path is not written down here: it is the default of MONITORING_DASHBOARD_DIR in the compiled
// monitoring config (apps/monitoring/dist/config.js, DEFAULT_DASHBOARD_DIR, resolved from the
// compiled file's own directory), taken relative to the repository, whose layout the images keep
// under their WORKDIR. The build script's output directory is read from build-web.sh likewise.
// Checks: the stage that runs apps/monitoring has a COPY --from=<stage> to that path; the stage it
// copies from runs apps/dashboard/scripts/build-web.sh and the source is the script's output there.
// Prints one line per problem, exits 1 when there is any. Needs the TypeScript build (bootstrap).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineage, readDockerfile } from './dockerfile.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerfile = path.resolve(process.argv[2] ?? path.join(root, 'Dockerfile'));
const label = path.relative(root, dockerfile) || dockerfile;
const BUILD_SCRIPT = 'apps/dashboard/scripts/build-web.sh';
const problems = [];

const compiled = path.join(root, 'apps/monitoring/dist/config.js');
if (!fs.existsSync(compiled)) {
  console.log(`  ✗ ${label}: ${path.relative(root, compiled)} is missing: run scripts/bootstrap.sh (the TypeScript build) first`);
  process.exit(1);
}
const { DEFAULT_DASHBOARD_DIR } = createRequire(import.meta.url)(compiled);
const servedFrom = path.relative(root, DEFAULT_DASHBOARD_DIR);

// build-web.sh: here=<apps/dashboard>, out="$here/<dir>"
const script = fs.readFileSync(path.join(root, BUILD_SCRIPT), 'utf8');
const outMatch = /^out="\$here\/([^"]+)"$/m.exec(script);
const builtTo = outMatch ? path.join('apps/dashboard', outMatch[1]) : undefined;
if (!builtTo) problems.push(`${BUILD_SCRIPT}: cannot read its output directory (a line out="$here/…")`);
else if (builtTo !== servedFrom) problems.push(`${BUILD_SCRIPT} builds into ${builtTo}, but monitoring serves ${servedFrom}`);

const stages = readDockerfile(dockerfile);
const monitoring = stages.find((s) => s.cmd.includes('apps/monitoring/dist/main.js'));
if (!monitoring) problems.push(`${label}: no stage runs apps/monitoring/dist/main.js`);
else {
  const copies = lineage(stages, monitoring.name).flatMap((s) => s.copies);
  const app = copies.find((c) => c.dest.endsWith('/apps/monitoring'));
  const imageRoot = app ? path.posix.dirname(path.posix.dirname(app.dest)) : (monitoring.copies[0]?.workdir ?? '/');
  const expected = path.posix.join(imageRoot, servedFrom);
  const bundle = copies.find((c) => c.dest === expected || c.dest === `${expected}/`);
  if (!bundle) {
    problems.push(
      `${label}: stage ${monitoring.name} copies nothing to ${expected}, where monitoring serves the dashboard from (MONITORING_DASHBOARD_DIR's default), so / answers 503`,
    );
  } else {
    const source = stages.find((s) => s.name === bundle.from);
    const built =
      source &&
      lineage(stages, source.name)
        .flatMap((s) => s.runs)
        .find((r) => r.command.includes(BUILD_SCRIPT));
    if (!source) problems.push(`${label}: stage ${monitoring.name} copies ${expected} from ${bundle.from ?? 'the build context'}, not from a build stage`);
    else if (!built) problems.push(`${label}: stage ${source.name} never runs ${BUILD_SCRIPT}, so ${bundle.sources.join(' ')} is not the dashboard's bundle`);
    else if (!bundle.sources.some((s) => path.posix.resolve('/', s) === path.posix.join(built.workdir, builtTo ?? servedFrom))) {
      problems.push(
        `${label}: stage ${monitoring.name} copies ${bundle.sources.join(' ')} from ${source.name}; ${BUILD_SCRIPT} builds into ${path.posix.join(built.workdir, builtTo ?? servedFrom)}`,
      );
    }
  }
}
for (const problem of problems) console.log(`  ✗ ${problem}`);
process.exit(problems.length ? 1 : 0);
