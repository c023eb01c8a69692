import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { RISK_LEVELS, type RiskLevel } from '@churn/contracts';
import {
  attributesFromCsvRecord,
  batchOutputColumns,
  batchOutputRecord,
  cardFeatureSpec,
  describeIssues,
  featureColumnsOf,
  ModelRegistryDir,
  OnnxChurnModel,
  businessScoringPolicy,
  type BatchOutputRecord,
} from '@churn/scoring';
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
    .description(
      "offline batch scoring of a customer table with a model trained on any spec: one output row per input row, same order, keyed by the spec's id column, with risk, action, cost and top factors",
    )
    .requiredOption('--input <csv>', "CSV with the model spec's id column and one column per model input (other columns, e.g. the label, are ignored)")
    .requiredOption('--output <csv>', 'where to write the scores')
    .option('--model <dir>', "model version directory (default: MODEL_DIR, else the registry's active version)")
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
  try {
    return await scoreWith(model, options, context, started);
  } finally {
    await model.close();
  }
}

async function scoreWith(model: OnnxChurnModel, options: ScoreOptions, context: CliContext, started: number) {
  const block = cardFeatureSpec(model.card);
  const { spec } = block;
  const idColumn = spec.customer_id.column;
  const columns = batchOutputColumns(idColumn);
  const records = readInput(options.input, [idColumn, ...featureColumnsOf(model.card.features)]);
  // The model's spec's business section: the playbook's offers and the revenue feature, as the scorer uses them.
  const policy = businessScoringPolicy(spec.business);
  const outputs: BatchOutputRecord[] = new Array(records.length);
  const valid: { index: number; row: (string | number)[] }[] = [];
  records.forEach((record, index) => {
    const customerId = record[idColumn]!;
    const check = model.validator.check(attributesFromCsvRecord(model.card.features, record));
    if (check.ok) valid.push({ index, row: check.row });
    else outputs[index] = batchOutputRecord(customerId, null, describeIssues(check.issues), idColumn);
  });
  for (let start = 0; start < valid.length; start += CHUNK) {
    const chunk = valid.slice(start, start + CHUNK);
    const scored = await model.score(
      chunk.map((c) => c.row),
      { explain: options.explain },
    );
    chunk.forEach(({ index, row }, i) => {
      const customerId = records[index]![idColumn]!;
      outputs[index] = batchOutputRecord(customerId, policy.assess(model, row, scored[i]!, customerId), '', idColumn);
    });
    context.logger.debug({ done: start + chunk.length, total: valid.length }, 'scored');
  }
  fs.mkdirSync(path.dirname(path.resolve(options.output)), { recursive: true });
  fs.writeFileSync(options.output, stringify(outputs, { header: true, columns }));

  const byLevel = Object.fromEntries(RISK_LEVELS.map((l) => [l, [] as BatchOutputRecord[]])) as Record<RiskLevel, BatchOutputRecord[]>;
  for (const out of outputs) if (out.error === '') byLevel[out.risk_level as RiskLevel].push(out);
  const segments = Object.fromEntries(
    RISK_LEVELS.map((level) => {
      const rows = byLevel[level];
      return [
        level,
        {
          customers: rows.length,
          revenue_at_risk: sum(rows.map((r) => Number(r.revenue_at_risk))),
          programme_cost: sum(rows.map((r) => Number(r.intervention_cost))),
        },
      ];
    }),
  );
  const summary = {
    model_version: model.version,
    feature_spec: { name: block.name, hash: block.hash },
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
      fs.writeFileSync(path.join(options.segments, SEGMENT_FILES[level]), stringify(rows, { header: true, columns }));
    }
    fs.writeFileSync(path.join(options.segments, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
  return summary;
}

/** The input's records; refused, with the missing columns named, when it lacks the id or a model input's column. */
function readInput(file: string, required: readonly string[]): Record<string, string>[] {
  const content = fs.readFileSync(file);
  const [header = []] = parse(content, { to_line: 1, bom: true }) as string[][];
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new InputColumnsError(file, missing);
  return parse(content, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
}

/** The table to score lacks columns the model reads. */
export class InputColumnsError extends Error {
  readonly code = 'INPUT_COLUMNS_MISSING';
  constructor(
    readonly source: string,
    readonly missing: readonly string[],
  ) {
    super(`${source} lacks column${missing.length === 1 ? '' : 's'} the model reads: ${missing.join(', ')}`);
    this.name = 'InputColumnsError';
  }
}

function sum(values: number[]): number {
  return Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
}
