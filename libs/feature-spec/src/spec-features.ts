import type { FeatureSpec } from './feature-spec.schema';

/** A feature as the model sees it. */
export interface FeatureColumn {
  readonly name: string;
  readonly section: 'attributes' | 'derived' | 'aggregates';
  readonly type: 'numeric' | 'boolean' | 'categorical';
  /** Closed categoricals: every category. */
  readonly categories?: readonly string[];
  readonly modelInput: boolean;
}

/** Every feature of a spec in order (attributes, derived, aggregates); derived features and aggregates are numbers. */
export function featureColumns(spec: FeatureSpec): FeatureColumn[] {
  return [
    ...spec.attributes.map((a): FeatureColumn => ({
      name: a.name,
      section: 'attributes',
      type: a.type,
      ...(a.type === 'categorical' && a.categories ? { categories: a.categories } : {}),
      modelInput: a.model_input,
    })),
    ...spec.derived.map((d): FeatureColumn => ({ name: d.name, section: 'derived', type: 'numeric', modelInput: d.model_input })),
    ...spec.aggregates.map((a): FeatureColumn => ({ name: a.name, section: 'aggregates', type: 'numeric', modelInput: a.model_input })),
  ];
}
