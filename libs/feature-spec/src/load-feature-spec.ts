import fs from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { FeatureSpecError } from './feature-spec.error';
import { featureSpecSchema, type FeatureSpec } from './feature-spec.schema';

/** A path in the file as people write it: `attributes[3].categories`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = formatPath(issue.path);
  // zod's "Invalid input: expected string, received undefined" means the field was left out.
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
  const message = missing ? `is required (${issue.expected})` : issue.message.replace(/^Invalid input: /, '');
  return at ? `${at}: ${message}` : message;
}

/**
 * Parses and validates a spec's YAML text. Throws FeatureSpecError listing every problem: YAML syntax
 * errors with their line and column, then every schema problem with its path in the file.
 */
export function parseFeatureSpec(text: string, source = 'feature spec'): FeatureSpec {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new FeatureSpecError(
      source,
      document.errors.map((error) => {
        // The message's first line: the rest is a snippet of the file, which the position locates already.
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        const position = error.linePos?.[0];
        return position ? `line ${position.line}, column ${position.col}: ${message}` : message;
      }),
    );
  }
  const raw: unknown = document.toJS();
  if (raw === null || raw === undefined) throw new FeatureSpecError(source, ['the file is empty: a spec needs version, customer_id and its features']);
  const result = featureSpecSchema.safeParse(raw);
  if (!result.success) throw new FeatureSpecError(source, result.error.issues.map(describeIssue));
  return result.data;
}

/** Reads and validates a spec file (see parseFeatureSpec). */
export function loadFeatureSpec(path: string): FeatureSpec {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new FeatureSpecError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseFeatureSpec(text, path);
}
