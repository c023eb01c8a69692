// Latency-versus-offered-load chart of the pipeline benchmark, rendered headless to SVG with Vega-Lite.
//   node bench/pipeline/chart.mjs [out.svg] [[--label TEXT] results.json …]
// The renderer (vega + vega-lite, pure JavaScript, no canvas) is not a dependency of the platform: it
// is installed once, pinned, into .churn/bench-tools/ by npm (nothing in the root package.json or
// node_modules changes) the first time a chart is drawn.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..', '..');
const TOOLS = { vega: '6.2.0', 'vega-lite': '6.4.1' };

async function loadVega() {
  const dir = path.join(process.env.CHURN_STATE_DIR ?? path.join(root, '.churn'), 'bench-tools');
  const entry = (name) => path.join(dir, 'node_modules', name, 'package.json');
  const installed = Object.entries(TOOLS).every(
    ([name, version]) => fs.existsSync(entry(name)) && JSON.parse(fs.readFileSync(entry(name), 'utf8')).version === version,
  );
  if (!installed) {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "churn-bench-tools", "private": true }\n');
    const run = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', ...Object.entries(TOOLS).map(([n, v]) => `${n}@${v}`)], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`could not install the chart renderer into ${dir}: ${run.stderr.slice(-500)}`);
  }
  const load = async (name) => {
    const pkg = JSON.parse(fs.readFileSync(entry(name), 'utf8'));
    const rel = typeof pkg.exports === 'object' ? (pkg.exports['.']?.import ?? pkg.exports['.']?.default ?? pkg.module) : pkg.module;
    return import(pathToFileURL(path.join(dir, 'node_modules', name, typeof rel === 'string' ? rel : pkg.main)).href);
  };
  return { vega: await load('vega'), vegaLite: await load('vega-lite') };
}

/**
 * One line per percentile, x = offered events/s, y = event → prediction latency (log scale); one panel
 * per explanation setting (columns) and consumer settings (rows). `points`: [{ explanations, offered, achieved, percentile, ms }].
 */
export async function renderLatencyChart(points, subtitle, rowOrder = undefined) {
  const { vega, vegaLite } = await loadVega();
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Churn Radar pipeline: event → prediction latency vs offered load (dashed: the 500 ms p99 target)',
      subtitle,
      fontSize: 14,
      anchor: 'start',
    },
    data: { values: points },
    facet: {
      column: { field: 'explanations', type: 'nominal', title: 'explanations on the stream (STREAM_EXPLANATIONS)' },
      row: {
        field: 'config',
        type: 'nominal',
        title: null,
        ...(rowOrder ? { sort: rowOrder } : {}),
        header: { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelLimit: 700, labelFontWeight: 'bold' },
      },
    },
    spec: {
      width: 300,
      height: 240,
      layer: [
        { mark: { type: 'line', point: true } },
        {
          transform: [{ filter: 'datum.percentile === "p99"' }],
          mark: { type: 'rule', strokeDash: [4, 4], color: '#999' },
          encoding: { y: { datum: 500 }, x: null, color: null },
        },
      ],
      encoding: {
        x: { field: 'offered', type: 'quantitative', title: 'offered load (events/s)', scale: { zero: true } },
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms, log scale)', scale: { type: 'log' } },
        color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p95', 'p99'], scale: { scheme: 'category10' } },
        tooltip: [{ field: 'config' }, { field: 'percentile' }, { field: 'offered' }, { field: 'achieved' }, { field: 'ms' }],
      },
    },
    config: { background: 'white', font: 'sans-serif' },
  };
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

// node bench/pipeline/chart.mjs OUT.svg RESULTS.json [MORE-RESULTS.json …]: one chart of several runs (e.g.
// default and tuned consumer settings), one row each, in the order given, each told apart by its consumer
// settings — or by `--label TEXT` before its file (runs whose settings read the same, e.g. "default" before
// and after a default changed).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [output = path.join(root, 'bench/results/pipeline/latency-vs-load.svg'), ...args] = process.argv.slice(2);
  const inputs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--label') inputs.push({ label: args[++i], file: args[++i] });
    else inputs.push({ file: args[i] });
  }
  if (inputs.length === 0) inputs.push({ file: path.join(root, 'bench/results/pipeline/last-run.json') });
  const all = inputs.map(({ label, file }) => ({ label, r: JSON.parse(fs.readFileSync(file, 'utf8')) }));
  const rowOf = ({ label, r }) => `${label ?? r.chart_points[0]?.config ?? ''}, run of ${r.started.slice(11, 16)} UTC`;
  fs.writeFileSync(
    output,
    await renderLatencyChart(
      all.flatMap((x) => x.r.chart_points.map((p) => ({ ...p, config: rowOf(x) }))),
      all.map((x) => `${rowOf(x)}: ${x.r.chart_subtitle}`),
      all.map(rowOf),
    ),
  );
  process.stdout.write(`${output}\n`);
}
