import path from 'node:path';
import { featureColumns, loadFeatureSpec, specHash, TELCO_SPEC_PATH, type ActiveFeatureSpec, type Attribute } from '@churn/feature-spec';

export type FeatureValue = string | number | null;

/** An attribute the list may filter on, as a filter picker needs it: closed categoricals list their categories. */
export interface FilterableAttribute {
  readonly name: string;
  readonly type: 'numeric' | 'boolean' | 'categorical';
  readonly categories?: readonly string[];
}

/** A feature of the active spec as the customer page shows it. */
export interface CustomerFeatureColumn {
  readonly name: string;
  /** Attributes are what events set about the customer; behaviour is derived from the event history (derived features, aggregates). */
  readonly kind: 'attribute' | 'behaviour';
  readonly section: 'attributes' | 'derived' | 'aggregates';
  readonly type: 'numeric' | 'boolean' | 'categorical';
}

let telcoHash: string | undefined;

/** The Telco spec's hash: what a version 1 features message (no hash of its own) was computed under. */
function telcoSpecHash(): string {
  telcoHash ??= specHash(loadFeatureSpec(TELCO_SPEC_PATH));
  return telcoHash;
}

/**
 * The active feature spec as the customer read model needs it: which features a vector holds and of
 * which kind, which attributes the list may filter on and how their values are spelled, and which
 * attributes are text (categoricals, what `q=` searches).
 */
export class CustomerSpecView {
  readonly hash: string;
  readonly name: string;
  readonly columns: readonly CustomerFeatureColumn[];
  private readonly attributesByName: ReadonlyMap<string, Attribute>;
  private readonly textAttributes: readonly string[];

  constructor(active: ActiveFeatureSpec) {
    this.hash = active.hash;
    this.name = active.spec.name ?? path.basename(active.file);
    this.columns = featureColumns(active.spec).map((c) => ({
      name: c.name,
      kind: c.section === 'attributes' ? 'attribute' : 'behaviour',
      section: c.section,
      type: c.type,
    }));
    this.attributesByName = new Map(active.spec.attributes.map((a) => [a.name, a]));
    this.textAttributes = active.spec.attributes.filter((a) => a.type === 'categorical').map((a) => a.name);
  }

  get attributeNames(): string[] {
    return [...this.attributesByName.keys()];
  }

  /** Every attribute of the spec, in the spec's order, with its categories when the categorical is closed. */
  get filterableAttributes(): FilterableAttribute[] {
    return [...this.attributesByName.values()].map((a) =>
      a.type === 'categorical' && a.categories ? { name: a.name, type: a.type, categories: [...a.categories] } : { name: a.name, type: a.type },
    );
  }

  attribute(name: string): Attribute | undefined {
    return this.attributesByName.get(name);
  }

  /** The hash a vector was computed under: its own, or the Telco spec's for a version 1 message. */
  vectorHash(messageHash: string | null): string {
    return messageHash ?? telcoSpecHash();
  }

  /** The text attributes' values, lower-cased and joined: what `q=` matches a substring of. */
  searchText(features: Readonly<Record<string, FeatureValue>>): string {
    return this.textAttributes
      .map((name) => features[name])
      .filter((v): v is string => typeof v === 'string' && v.length > 0)
      .join(' ')
      .toLowerCase();
  }

  /** The attributes of the active spec in a vector (null when the vector lacks one). */
  attributesOf(features: Readonly<Record<string, FeatureValue>> | null): Record<string, FeatureValue> {
    return Object.fromEntries(this.attributeNames.map((name) => [name, features?.[name] ?? null]));
  }
}
