import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { metricNames } from './promql';

/**
 * Checks the Grafana dashboards and the Prometheus rules offline (deploy/grafana/check.sh runs it):
 *  - every dashboard is JSON with what Grafana needs: uid (unique), title, panels with ids, gridPos,
 *    the provisioned Prometheus datasource and queries (refId, expr); variables it uses are defined;
 *  - every PromQL expression parses: the dashboards' expressions go into a temporary rules file as
 *    recording rules and `promtool check rules` reads it (the rules files themselves too);
 *  - every metric an expression selects exists: exported by the code (its name, or the histogram
 *    it is a _bucket/_sum/_count of, is a quoted string in apps/ or libs/ sources), recorded by a
 *    rule, or one of Prometheus's own series;
 *  - every alerting rule has a unit test in which it fires (deploy/prometheus/tests/);
 *  - every alerting rule has a runbook_url annotation naming a section (heading) of a docs/ page.
 * Exits 1 with one line per problem.
 */

type Json = Record<string, unknown>;

const GRAFANA_BUILTINS = new Set(['__rate_interval', '__interval', '__range', '__interval_ms', '__range_s', '__range_ms']);
/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']);
/** prom-client's collectDefaultMetrics() series (libs/observability). */
const DEFAULT_METRIC_PREFIXES = ['process_', 'nodejs_'];
/**
 * Metrics a rule selects before the code that exports them is merged, and who adds them. Once the
 * code defines one, the check fails until its entry is removed here, so the list cannot go stale.
 */
const AWAITED_METRICS = new Map<string, string>();

export interface Paths {
  readonly dashboards: string;
  readonly rules: string;
  readonly tests: string;
  readonly datasources: string;
  readonly sourceRoot: string;
}

interface Expression {
  readonly where: string;
  readonly expr: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The uids of the datasources the provisioning files declare. */
function provisionedDatasources(dir: string): Set<string> {
  const uids = new Set<string>();
  for (const file of yamlFiles(dir)) {
    const doc = parse(fs.readFileSync(file, 'utf8')) as { datasources?: Array<{ uid?: string }> };
    for (const ds of doc.datasources ?? []) if (ds.uid) uids.add(ds.uid);
  }
  return uids;
}

export function checkDashboards(paths: Paths, problems: string[]): Expression[] {
  const expressions: Expression[] = [];
  const datasources = provisionedDatasources(paths.datasources);
  const files = fs
    .readdirSync(paths.dashboards)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) problems.push(`${paths.dashboards}: no dashboards`);
  const uids = new Map<string, string>();
  for (const file of files) {
    const at = path.join(paths.dashboards, file);
    let d: Json;
    try {
      d = JSON.parse(fs.readFileSync(at, 'utf8')) as Json;
    } catch (error) {
      problems.push(`${file}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    const uid = d['uid'];
    if (typeof uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(uid))
      problems.push(`${file}: uid must be 1-40 characters of [a-zA-Z0-9_-], got ${JSON.stringify(uid)}`);
    else if (uids.has(uid)) problems.push(`${file}: uid ${uid} is also the uid of ${uids.get(uid)}`);
    else uids.set(uid, file);
    if (typeof d['title'] !== 'string' || d['title'] === '') problems.push(`${file}: no title`);
    if (typeof d['schemaVersion'] !== 'number') problems.push(`${file}: no schemaVersion`);
    const templating = d['templating'];
    const variables = new Set<string>();
    for (const v of isObject(templating) && Array.isArray(templating['list']) ? (templating['list'] as Json[]) : []) {
      if (typeof v['name'] === 'string') variables.add(v['name']);
      const definition = typeof v['definition'] === 'string' ? v['definition'] : '';
      const selector = /^label_values\((.+),\s*[a-zA-Z_][a-zA-Z0-9_]*\)$/.exec(definition);
      if (selector) expressions.push({ where: `${file} variable ${String(v['name'])}`, expr: selector[1]! });
    }
    const panels = d['panels'];
    if (!Array.isArray(panels) || panels.length === 0) {
      problems.push(`${file}: no panels`);
      continue;
    }
    const ids = new Set<unknown>();
    for (const panel of panels as Json[]) {
      const name = `${file} panel ${JSON.stringify(panel['title'] ?? panel['id'])}`;
      if (typeof panel['id'] !== 'number' || ids.has(panel['id'])) problems.push(`${name}: id missing or not unique`);
      ids.add(panel['id']);
      if (typeof panel['type'] !== 'string') problems.push(`${name}: no type`);
      const grid = panel['gridPos'];
      if (!isObject(grid) || !['h', 'w', 'x', 'y'].every((k) => typeof grid[k] === 'number')) problems.push(`${name}: gridPos needs h, w, x, y`);
      if (panel['type'] === 'row') continue;
      if (typeof panel['title'] !== 'string' || panel['title'] === '') problems.push(`${name}: no title`);
      const ds = panel['datasource'];
      if (!isObject(ds) || ds['type'] !== 'prometheus' || typeof ds['uid'] !== 'string' || !datasources.has(ds['uid']))
        problems.push(
          `${name}: datasource must be a provisioned Prometheus datasource (${[...datasources].join(', ') || 'none provisioned'}), got ${JSON.stringify(ds)}`,
        );
      const targets = panel['targets'];
      if (!Array.isArray(targets) || targets.length === 0) {
        problems.push(`${name}: no targets`);
        continue;
      }
      const refIds = new Set<unknown>();
      for (const target of targets as Json[]) {
        const ref = target['refId'];
        if (typeof ref !== 'string' || refIds.has(ref)) problems.push(`${name}: a target has no refId or a duplicate one`);
        refIds.add(ref);
        const expr = target['expr'];
        if (typeof expr !== 'string' || expr.trim() === '') {
          problems.push(`${name} target ${String(ref)}: no expr`);
          continue;
        }
        for (const [, variable] of expr.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
          if (!GRAFANA_BUILTINS.has(variable!) && !variables.has(variable!))
            problems.push(`${name} target ${ref}: uses $${variable}, which the dashboard does not define`);
        }
        expressions.push({ where: `${name} target ${String(ref)}`, expr });
      }
    }
  }
  return expressions;
}

/** What Grafana would put in place of its own variables, so that promtool can parse the expression. */
export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?__(rate_interval|interval|range)\}?/g, '5m');
}

function runPromtool(args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('promtool', args, { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('promtool not found on PATH: apt-get install -y prometheus (Debian package; provides promtool)');
  }
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Parses every dashboard expression with promtool, as recording rules of a temporary rules file. */
export function parseWithPromtool(expressions: readonly Expression[], problems: string[]): void {
  if (expressions.length === 0) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churn-grafana-'));
  try {
    const rules = expressions.map((e, i) => ({ record: `dashboard_expression:${i}`, expr: substituteGrafanaVariables(e.expr) }));
    const file = path.join(dir, 'dashboard-expressions.yml');
    fs.writeFileSync(file, stringify({ groups: [{ name: 'dashboard-expressions', rules }] }));
    const { ok, output } = runPromtool(['check', 'rules', file]);
    if (ok) return;
    // promtool names the failing rule: `rule 3, "dashboard_expression:2"` (0-based in the record name).
    const failing = [...output.matchAll(/dashboard_expression:(\d+)/g)].map((m) => Number(m[1]));
    for (const i of new Set(failing)) problems.push(`${expressions[i]!.where}: PromQL does not parse: ${expressions[i]!.expr}`);
    problems.push(`promtool check rules on the dashboards' expressions failed:\n${output}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface RuleFacts {
  readonly expressions: Expression[];
  readonly records: Set<string>;
  readonly alerts: Map<string, string>;
  /** Alert name → its runbook_url annotation (undefined when it has none). */
  readonly runbooks: Map<string, string | undefined>;
}

export function readRules(dir: string): RuleFacts {
  const facts: RuleFacts = { expressions: [], records: new Set(), alerts: new Map(), runbooks: new Map() };
  for (const file of yamlFiles(dir)) {
    type Rule = { record?: string; alert?: string; expr: string; annotations?: Record<string, string> };
    const doc = parse(fs.readFileSync(file, 'utf8')) as { groups?: Array<{ name: string; rules?: Rule[] }> };
    for (const group of doc.groups ?? []) {
      for (const rule of group.rules ?? []) {
        const name = rule.record ?? rule.alert ?? '?';
        facts.expressions.push({ where: `${path.basename(file)} rule ${name}`, expr: String(rule.expr) });
        if (rule.record) facts.records.add(rule.record);
        if (rule.alert) facts.alerts.set(rule.alert, path.basename(file));
        if (rule.alert) facts.runbooks.set(rule.alert, rule.annotations?.['runbook_url']);
      }
    }
  }
  return facts;
}

/** Alerts that some unit test expects to fire (a non-empty exp_alerts). */
export function testedAlerts(dir: string): Set<string> {
  const tested = new Set<string>();
  for (const file of yamlFiles(dir)) {
    const doc = parse(fs.readFileSync(file, 'utf8')) as { tests?: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }> };
    for (const test of doc.tests ?? []) for (const t of test.alert_rule_test ?? []) if ((t.exp_alerts ?? []).length > 0) tested.add(t.alertname);
  }
  return tested;
}

/** Every .ts source (specs excluded) of apps/* and libs/*, concatenated: where metric names are defined. */
export function sourceText(root: string): string {
  const chunks: string[] = [];
  for (const top of ['apps', 'libs']) {
    const base = path.join(root, top);
    if (!fs.existsSync(base)) continue;
    for (const project of fs.readdirSync(base)) {
      const src = path.join(base, project, 'src');
      if (!fs.existsSync(src)) continue;
      for (const file of fs.readdirSync(src, { recursive: true }).map(String)) {
        if (file.endsWith('.ts') && !file.endsWith('.spec.ts')) chunks.push(fs.readFileSync(path.join(src, file), 'utf8'));
      }
    }
  }
  return chunks.join('\n');
}

export function checkMetricNames(expressions: readonly Expression[], records: Set<string>, source: string, problems: string[]): void {
  const defaultMetrics = source.includes('collectDefaultMetrics(');
  const defined = (name: string) => {
    const candidates = [name, name.replace(/_(bucket|sum|count)$/, '')];
    return candidates.some((n) => source.includes(`'${n}'`) || source.includes(`"${n}"`));
  };
  for (const { where, expr } of expressions) {
    for (const name of metricNames(expr)) {
      if (AWAITED_METRICS.has(name)) {
        if (defined(name))
          problems.push(`${where}: ${name} is now defined in the code: remove it from AWAITED_METRICS in deploy/grafana/generator/src/validate.ts`);
        continue;
      }
      if (records.has(name) || PROMETHEUS_SERIES.has(name)) continue;
      if (defaultMetrics && DEFAULT_METRIC_PREFIXES.some((p) => name.startsWith(p))) continue;
      if (name.includes(':')) problems.push(`${where}: ${name} looks like a recording rule, but no rule records it`);
      else if (!defined(name)) problems.push(`${where}: metric ${name} is not defined anywhere in apps/*/src or libs/*/src`);
    }
  }
}

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every alert's runbook_url is docs/<page>.md#<anchor>, and that page has a heading with that anchor. */
export function checkRunbooks(runbooks: ReadonlyMap<string, string | undefined>, root: string, problems: string[]): void {
  for (const [alert, url] of runbooks) {
    const match = /^(docs\/[\w./-]+\.md)#([\w-]+)$/.exec(url ?? '');
    if (!match) {
      problems.push(`alert ${alert}: runbook_url must be docs/<page>.md#<section>, got ${JSON.stringify(url)}`);
      continue;
    }
    const page = path.join(root, match[1]!);
    if (!fs.existsSync(page)) {
      problems.push(`alert ${alert}: runbook_url ${url}: ${match[1]} does not exist`);
      continue;
    }
    const anchors = [...fs.readFileSync(page, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => headingAnchor(m[1]!));
    if (!anchors.includes(match[2]!)) problems.push(`alert ${alert}: runbook_url ${url}: ${match[1]} has no section #${match[2]}`);
  }
}

export function validate(paths: Paths): string[] {
  const problems: string[] = [];
  const dashboardExpressions = checkDashboards(paths, problems);
  parseWithPromtool(dashboardExpressions, problems);
  const rules = readRules(paths.rules);
  const check = runPromtool(['check', 'rules', ...yamlFiles(paths.rules)]);
  if (!check.ok) problems.push(`promtool check rules ${paths.rules} failed:\n${check.output}`);
  checkMetricNames([...dashboardExpressions, ...rules.expressions], rules.records, sourceText(paths.sourceRoot), problems);
  const tested = testedAlerts(paths.tests);
  for (const [alert, file] of rules.alerts)
    if (!tested.has(alert)) problems.push(`${file}: alert ${alert} has no unit test in ${paths.tests} that expects it to fire`);
  checkRunbooks(rules.runbooks, paths.sourceRoot, problems);
  return problems;
}

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return path.resolve(i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback);
}

if (require.main === module) {
  const grafana = path.join(__dirname, '..', '..');
  const repo = path.join(grafana, '..', '..');
  const paths: Paths = {
    dashboards: argument('dashboards', path.join(grafana, 'dashboards')),
    datasources: argument('datasources', path.join(grafana, 'provisioning', 'datasources')),
    rules: argument('rules', path.join(repo, 'deploy', 'prometheus', 'rules')),
    tests: argument('tests', path.join(repo, 'deploy', 'prometheus', 'tests')),
    sourceRoot: argument('source-root', repo),
  };
  try {
    const problems = validate(paths);
    if (problems.length > 0) {
      for (const p of problems) process.stderr.write(`✗ ${p}\n`);
      process.stderr.write(`grafana/prometheus validation: ${problems.length} problem(s)\n`);
      process.exit(1);
    }
    process.stdout.write(`grafana/prometheus validation: ok (${paths.dashboards}, ${paths.rules})\n`);
  } catch (error) {
    process.stderr.write(`✗ ${(error as Error).message}\n`);
    process.exit(1);
  }
}
