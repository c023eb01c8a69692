import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { FeatureSpecError, featureColumns, loadFeatureSpec, parseFeatureSpec, specHash } from '@churn/feature-spec';
import type { CliContext } from '../cli-context';
import { readCustomerTable } from '../spec/customer-table';
import { draftToYaml, inferSpec } from '../spec/infer-spec';

interface InferOptions {
  readonly data: string;
  readonly id: string;
  readonly label: string;
  readonly out: string;
  readonly force: boolean;
  readonly maxCategories: string;
}

export function registerSpecCommand(program: Command, _context: CliContext): void {
  const spec = program.command('spec').description('feature specifications: draft one from a customer table, validate one');

  spec
    .command('infer')
    .description('draft a feature spec from a customer table (CSV), for a person to review and edit')
    .requiredOption('--data <csv>', 'the customer table: a header, then one row per customer')
    .requiredOption('--id <column>', 'the column holding the customer id (unique per row)')
    .requiredOption('--label <column>', 'the column saying whether the customer churned (yes/no, true/false, 1/0 or y/n)')
    .requiredOption('--out <file>', 'where to write the draft (YAML)')
    .option('--max-categories <n>', 'a column with more distinct values than this is drafted open-ended, with this cap', '20')
    .option('--force', 'overwrite --out if it exists', false)
    .action((options: InferOptions) => {
      process.stdout.write(`${inferSpecFile(options)}\n`);
    });

  spec
    .command('validate')
    .description('check a feature spec: every problem with its place in the file (exit 1), or "valid" and its hash')
    .argument('<file>', 'the spec (YAML)')
    .action((file: string) => {
      try {
        const loaded = loadFeatureSpec(file);
        const columns = featureColumns(loaded);
        process.stdout.write(
          `valid: ${file} (${columns.length} features, ${columns.filter((c) => c.modelInput).length} of them model inputs)\nsha256 ${specHash(loaded)}\n`,
        );
      } catch (error) {
        if (!(error instanceof FeatureSpecError)) throw error;
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      }
    });
}

/** Writes the draft of `--data` to `--out` (checked by the loader first) and says what it wrote. */
export function inferSpecFile(options: InferOptions): string {
  const maxListedCategories = Number(options.maxCategories);
  if (!Number.isInteger(maxListedCategories) || maxListedCategories < 2)
    throw new Error(`--max-categories must be a whole number of at least 2 (got "${options.maxCategories}")`);
  if (fs.existsSync(options.out) && !options.force)
    throw new Error(`${options.out} exists: a draft never overwrites a spec someone may have edited (--force to replace it)`);
  const table = readCustomerTable(fs.readFileSync(options.data), options.data);
  const draft = inferSpec(table, { idColumn: options.id, labelColumn: options.label, maxListedCategories });
  const yaml = draftToYaml(draft);
  // The draft must load as it is: a person edits it from a valid start.
  const spec = parseFeatureSpec(yaml, options.out);
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  fs.writeFileSync(options.out, yaml);
  return [
    `wrote ${options.out}: ${spec.attributes.length} attributes from ${table.rows.length} customers (id ${options.id}, label ${options.label} = "${spec.label?.positive}" means churned)`,
    ...draft.notes.map((note) => `  review ${note}`),
    `review the draft, then: bin/churn spec validate ${options.out}`,
  ].join('\n');
}
