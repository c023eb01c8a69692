import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { RISK_LEVELS, type RiskLevel } from '@churn/contracts';
import {
  attributesFromCsvRecord,
  BATCH_OUTPUT_COLUMNS,
  batchOutputRecord,
  describeIssues,
  ModelRegistryDir,
  OnnxChurnModel,
  businessScoringPolicy,
  type BatchOutputRecord,
} from '@churn/scoring';
import { loadFeatureSpec, TELCO_SPEC_PATH } from '@churn/feature-spec';
import type { CliContext } from '../cli-context';

interface ScoreOptions {
  readonly input: string;
  readonly output: string;
  readonly model?: string;
  readonly segments?: string;
  readonly explain: boolean;
}

/** Customers per onnxruntime call (with explanations each customer is ~1,000 model rows). */
const CHUNK = 512;

/** File names of the deployment guide's segment exports. */
const SEGMENT_FILES: Record<RiskLevel, string> = {
  critical: 'critical_risk_customers.csv',
  high: 'high_risk_customers.csv',
  medium: 'medium_risk_customers.csv',
  low: 'low_risk_customers.csv',
};

export function registerScoreCommand(program: Command, context: CliContext): void {
  program
    .command('score')
    .description('offline batch scoring of a Telco CSV: one output row per input row, same order, with risk, action, cost and top factors')
    .requiredOption('--input <csv>', 'CSV with the Telco columns (customerID, gender, …, TotalCharges; Churn ignored)')
    .requiredOption('--output <csv>', 'where to write the scores')
    .option('--model <dir>', 'model version directory (default: MODEL_DIR, else the registry\'s active version)')
    .option('--segments <dir>', 'also write critical/high/medium/low CSVs sorted by score and summary.json')
    .option('--no-explain', 'skip the top factors (much faster)')
    .action(async (options: ScoreOptions) => {
      const summary = await scoreCsv(options, context);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      if (summary.rejected > 0) process.stderr.write(`churn score: ${summary.rejected} row(s) refused; see the error column of ${options.output}\n`);
    });
}

export async function scoreCsv(options: ScoreOptions, context: CliContext) {
  const started = Date.now();
  const registry = new ModelRegistryDir();
  const dir = options.model ?? context.env['MODEL_DIR'] ?? registry.dirOf(registry.active() ?? '');
  const model = await OnnxChurnModel.load(dir);
  // The active spec's business section: the playbook's offers and the revenue feature, as the scorer uses them.
  const policy = businessScoringPolicy(loadFeatureSpec(context.env['FEATURE_SPEC_FILE'] ?? TELCO_SPEC_PATH).business);
  const records = parse(fs.readFileSync(options.input), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  const outputs: BatchOutputRecord[] = new Array(records.length);
  const valid: { index: number; row: (string | number)[] }[] = [];
  records.forEach((record, index) => {
    const customerId = record['customerID'] ?? String(index);
    const check = model.validator.check(attributesFromCsvRecord(model.card.features, record));
    if (check.ok) valid.push({ index, row: check.row });
    else outputs[index] = batchOutputRecord(customerId, null, describeIssues(check.issues));
  });
  for (let start = 0; start < valid.length; start += CHUNK) {
    const chunk = valid.slice(start, start + CHUNK);
    const scored = await model.score(
      chunk.map((c) => c.row),
      { explain: options.explain },
    );
    chunk.forEach(({ index, row }, i) => {
      const customerId = records[index]!['customerID'] ?? String(index);
      outputs[index] = batchOutputRecord(customerId, policy.assess(model, row, scored[i]!, customerId));
    });
    context.logger.debug({ done: start + chunk.length, total: valid.length }, 'scored');
  }
  fs.mkdirSync(path.dirname(path.resolve(options.output)), { recursive: true });
  fs.writeFileSync(options.output, stringify(outputs, { header: true, columns: [...BATCH_OUTPUT_COLUMNS] }));

  const byLevel = Object.fromEntries(RISK_LEVELS.map((l) => [l, [] as BatchOutputRecord[]])) as Record<RiskLevel, BatchOutputRecord[]>;
  for (const out of outputs) if (out.error === '') byLevel[out.risk_level as RiskLevel].push(out);
  const segments = Object.fromEntries(
    RISK_LEVELS.map((level) => {
      const rows = byLevel[level];
      return [level, { customers: rows.length, revenue_at_risk: sum(rows.map((r) => Number(r.revenue_at_risk))), programme_cost: sum(rows.map((r) => Number(r.intervention_cost))) }];
    }),
  );
  const summary = {
    model_version: model.version,
    input: options.input,
    rows: records.length,
    scored: valid.length,
    rejected: records.length - valid.length,
    explained: options.explain,
    explanation_path: options.explain ? model.explanationPath : null,
    segments,
    revenue_at_risk: sum(Object.values(segments).map((s) => s.revenue_at_risk)),
    programme_cost: sum(Object.values(segments).map((s) => s.programme_cost)),
    seconds: (Date.now() - started) / 1000,
  };
  if (options.segments) {
    fs.mkdirSync(options.segments, { recursive: true });
    for (const level of RISK_LEVELS) {
      const rows = [...byLevel[level]].sort((a, b) => Number(b.churn_probability) - Number(a.churn_probability));
      fs.writeFileSync(path.join(options.segments, SEGMENT_FILES[level]), stringify(rows, { header: true, columns: [...BATCH_OUTPUT_COLUMNS] }));
    }
    fs.writeFileSync(path.join(options.segments, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
  await model.close();
  return summary;
}

function sum(values: number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
}
