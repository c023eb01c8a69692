import type { MessageVector } from '@churn/contracts';
import { UNNAMED_SPEC } from '@churn/feature-spec';
import { telcoFeatureSpecBlock } from './model-card';

/** A feature spec as the scorer's checks name it: its name and its hash (`specHash`). */
export interface SpecRef {
  readonly name: string;
  readonly hash: string;
}

/** The first 12 hex digits: enough to tell specs apart in a message, as git abbreviates commits. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** `telco (9f8e7d6c5b4a)`, or `an unknown spec (1a2b3c4d5e6f)` for a hash the caller has no name for. */
export function specLabel(hash: string, name: string | undefined): string {
  return `${name ?? 'an unknown spec'} (${shortHash(hash)})`;
}

/**
 * The spec of a model card, parsed or as `model_versions` stores it: its `feature_spec`'s name and hash,
 * or the Telco spec for a card written before cards recorded their spec (those models read the Telco
 * columns only). Reads two fields, so it is cheap enough for every batch.
 */
export function cardSpecRef(card: unknown): SpecRef {
  const block = (card as { feature_spec?: { name?: unknown; hash?: unknown } } | null)?.feature_spec;
  if (block && typeof block.hash === 'string') return { name: typeof block.name === 'string' ? block.name : UNNAMED_SPEC, hash: block.hash };
  const telco = telcoFeatureSpecBlock();
  return { name: telco.name, hash: telco.hash };
}

/** The hash of the spec a message's vector was computed under: its spec_hash; a version 1 message is the Telco vector. */
export function messageSpecHash(vector: MessageVector): string {
  return vector.specHash ?? telcoFeatureSpecBlock().hash;
}

/**
 * Why a model must not score a vector computed under the spec `hash`, or null when it is the model's
 * spec. The values of another spec's vector may carry the same names and still mean something else
 * (another window, another filter), so the hash decides, never the names.
 */
export function vectorSpecMismatch(
  model: { readonly version: string; readonly spec: SpecRef },
  hash: string,
  nameOf: (hash: string) => string | undefined,
): string | null {
  if (hash === model.spec.hash) return null;
  return `vector of spec ${specLabel(hash, nameOf(hash))}, model ${model.version} reads spec ${specLabel(model.spec.hash, model.spec.name)}: not scored`;
}

/** Why `version` (trained on `spec`) must not become champion or shadow of a scorer running `active`, or null. */
export function versionSpecMismatch(version: string, spec: SpecRef, active: SpecRef): string | null {
  if (spec.hash === active.hash) return null;
  return `model ${version} was trained on spec ${specLabel(spec.hash, spec.name)}; this scorer runs spec ${specLabel(active.hash, active.name)} (FEATURE_SPEC_FILE)`;
}

/** The one message a scorer stops with when no registered version is of the spec it runs. */
export function noVersionOfSpec(
  active: SpecRef & { readonly file: string },
  versions: readonly { readonly version: string; readonly spec: SpecRef }[],
): string {
  const bySpec = new Map<string, string[]>();
  for (const { version, spec } of versions) {
    const label = specLabel(spec.hash, spec.name);
    bySpec.set(label, [...(bySpec.get(label) ?? []), version]);
  }
  const held =
    versions.length === 0
      ? 'the registry holds no model version'
      : `the registry holds ${[...bySpec].map(([label, names]) => `${names.join(', ')} of spec ${label}`).join('; ')}`;
  return (
    `no model version is of the spec this scorer runs, ${specLabel(active.hash, active.name)} from FEATURE_SPEC_FILE ${active.file}: ${held}. ` +
    `Train a model on that spec (bin/churn train --spec ${active.file}) or run the scorer with the spec of a version`
  );
}
