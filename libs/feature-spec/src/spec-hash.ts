import { createHash } from 'node:crypto';
import type { FeatureSpec } from './feature-spec.schema';

/** JSON with every object's keys sorted: one spelling per value, whatever order the file used. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The spec without its descriptions (prose for people) and its business section (how the retention
 * team reads the features: revenue, cohorts, playbook): neither changes a feature.
 */
function withoutProse(spec: FeatureSpec): unknown {
  const strip = <T extends { description?: string | undefined }>({ description: _description, ...rest }: T) => rest;
  const { business: _business, ...features } = spec;
  return { ...strip(features), attributes: spec.attributes.map(strip), derived: spec.derived.map(strip), aggregates: spec.aggregates.map(strip) };
}

/**
 * sha256 (hex) of the validated spec in canonical JSON. Defaults are applied before hashing, so a spec
 * that spells a default out hashes as one that leaves it implicit; comments, descriptions, key order and
 * formatting do not count, nor does the business section; the order of features in a list does (it is the order of the vector).
 */
export function specHash(spec: FeatureSpec): string {
  return createHash('sha256')
    .update(canonicalJson(withoutProse(spec)))
    .digest('hex');
}
