import type { Attribute } from '../attribute.schema';
import type { FeatureSpec } from '../feature-spec.schema';

interface NamedField {
  readonly name: string;
  readonly field: string;
}

/** A spec indexed by event type, for folding events one by one without scanning the spec each time. */
export interface CompiledSpec {
  readonly attributesBy: ReadonlyMap<string, readonly Attribute[]>;
  /** Event types whose earliest occurrence a months_since_first feature counts from. */
  readonly firstOf: ReadonlySet<string>;
  readonly sumsBy: ReadonlyMap<string, readonly NamedField[]>;
  readonly countsBy: ReadonlyMap<string, readonly string[]>;
}

const compiled = new WeakMap<FeatureSpec, CompiledSpec>();

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function compileSpec(spec: FeatureSpec): CompiledSpec {
  const cached = compiled.get(spec);
  if (cached) return cached;
  const attributesBy = new Map<string, Attribute[]>();
  const firstOf = new Set<string>();
  const sumsBy = new Map<string, NamedField[]>();
  const countsBy = new Map<string, string[]>();
  for (const attribute of spec.attributes) push(attributesBy, attribute.set_by.event_type, attribute);
  for (const derived of spec.derived) {
    if (derived.kind === 'months_since_first') firstOf.add(derived.event_type);
    else if (derived.kind === 'lifetime_sum') push(sumsBy, derived.event_type, { name: derived.name, field: derived.field });
    else push(countsBy, derived.event_type, derived.name);
  }
  const result: CompiledSpec = { attributesBy, firstOf, sumsBy, countsBy };
  compiled.set(spec, result);
  return result;
}
