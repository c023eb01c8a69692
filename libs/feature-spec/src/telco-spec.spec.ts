import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  behaviourSchema,
  CustomerEventTypes,
  signedUpPayload,
  subscriptionChangedPayload,
  TELCO_CATEGORIES,
  TELCO_FEATURE_NAMES,
  telcoFeaturesSchema,
} from '@churn/contracts';
import { loadFeatureSpec } from './load-feature-spec';
import { featureColumns } from './spec-features';
import { TELCO_SPEC_PATH } from './telco-spec';

/** Which of the contracts' category lists each string feature of the Telco vector takes its values from. */
const CATEGORY_GROUP: Record<string, keyof typeof TELCO_CATEGORIES> = {
  gender: 'gender',
  Partner: 'yesNo',
  Dependents: 'yesNo',
  PhoneService: 'yesNo',
  PaperlessBilling: 'yesNo',
  MultipleLines: 'MultipleLines',
  InternetService: 'InternetService',
  OnlineSecurity: 'internetAddOn',
  OnlineBackup: 'internetAddOn',
  DeviceProtection: 'internetAddOn',
  TechSupport: 'internetAddOn',
  StreamingTV: 'internetAddOn',
  StreamingMovies: 'internetAddOn',
  Contract: 'Contract',
  PaymentMethod: 'PaymentMethod',
};

type JsonProperty = { type?: string; anyOf?: { const?: unknown }[] };
const properties = (schema: z.ZodType) =>
  (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, JsonProperty> }).properties;

/** What the contract's vector holds for a feature: a number, or a string. */
function contractKind(property: JsonProperty): 'number' | 'string' {
  if (property.type === 'string') return 'string';
  if (property.type === 'number' || property.type === 'integer') return 'number';
  if (property.anyOf?.every((option) => typeof option.const === 'number')) return 'number';
  throw new Error(`unexpected contract property ${JSON.stringify(property)}`);
}

const sorted = (values: readonly (string | number)[]) => [...values].map(String).sort();

describe('the Telco spec (specs/telco.yaml)', () => {
  const spec = loadFeatureSpec(TELCO_SPEC_PATH);
  const columns = featureColumns(spec);

  it('validates, and names the Telco file’s id and label columns', () => {
    assert.equal(spec.name, 'telco');
    assert.deepEqual(spec.customer_id, { column: 'customerID' });
    assert.deepEqual(spec.label, { column: 'Churn', positive: 'Yes' });
  });

  it('has exactly the model inputs of the contracts’ Telco vector', () => {
    const inputs = columns.filter((c) => c.modelInput).map((c) => c.name);
    assert.deepEqual([...inputs].sort(), [...TELCO_FEATURE_NAMES].sort());
    assert.deepEqual(Object.keys(telcoFeaturesSchema.shape).sort(), [...TELCO_FEATURE_NAMES].sort());
  });

  it('gives each input the type and categories the contracts define', () => {
    const contract = properties(telcoFeaturesSchema);
    const groupsUsed = new Set<string>();
    for (const name of TELCO_FEATURE_NAMES) {
      const kind = contractKind(contract[name]!);
      const attribute = spec.attributes.find((a) => a.name === name);
      if (!attribute) {
        // Derived features are numbers.
        assert.equal(kind, 'number', name);
        assert.ok(
          spec.derived.some((d) => d.name === name),
          `${name} is neither an attribute nor a derived feature`,
        );
        continue;
      }
      if (attribute.type === 'numeric') {
        assert.equal(kind, 'number', name);
        continue;
      }
      // What the vector holds: a category, or a boolean's spelling.
      const values = attribute.type === 'categorical' ? attribute.categories : [attribute.true_value, attribute.false_value];
      assert.ok(values, `${name} is a closed categorical`);
      const vectorKind = values.every((v) => typeof v === 'number') ? 'number' : 'string';
      assert.equal(vectorKind, kind, `${name}: the spec's vector holds a ${vectorKind}, the contract's a ${kind}`);
      if (kind === 'number') {
        // SeniorCitizen: the contract allows exactly 0 and 1.
        const allowed = contract[name]!.anyOf!.map((option) => String(option.const)).sort();
        assert.deepEqual(sorted(values), allowed, name);
      } else {
        const group = CATEGORY_GROUP[name];
        assert.ok(group, `${name}: no category list of the contracts is known for it`);
        groupsUsed.add(group);
        assert.deepEqual(sorted(values), sorted(TELCO_CATEGORIES[group]), name);
      }
    }
    assert.deepEqual([...groupsUsed].sort(), Object.keys(TELCO_CATEGORIES).sort(), 'every category list of the contracts is used');
  });

  it('sets each attribute from the payload field of the contracts’ events that carries it, and uses every such field once', () => {
    const payloads = {
      [CustomerEventTypes.signedUp]: properties(signedUpPayload),
      [CustomerEventTypes.subscriptionChanged]: properties(subscriptionChangedPayload),
    };
    const expectedType = { numeric: 'number', boolean: 'boolean', categorical: 'string' } as const;
    const used: string[] = [];
    for (const attribute of spec.attributes) {
      const payload = payloads[attribute.set_by.event_type as keyof typeof payloads];
      assert.ok(payload, `${attribute.name}: set by ${attribute.set_by.event_type}, which carries no Telco attribute`);
      const field = payload[attribute.set_by.field];
      assert.ok(field, `${attribute.name}: ${attribute.set_by.event_type} has no field ${attribute.set_by.field}`);
      assert.equal(field.type, expectedType[attribute.type], `${attribute.name}: ${attribute.set_by.field}`);
      used.push(`${attribute.set_by.event_type}.${attribute.set_by.field}`);
    }
    const all = Object.entries(payloads).flatMap(([type, fields]) => Object.keys(fields).map((f) => `${type}.${f}`));
    assert.deepEqual([...used].sort(), all.sort());
  });

  it('derives tenure from sign-up and TotalCharges from the paid invoices, to the cent', () => {
    assert.deepEqual(
      spec.derived.map(({ description: _description, ...rest }) => rest),
      [
        { name: 'tenure', kind: 'months_since_first', event_type: CustomerEventTypes.signedUp, model_input: true },
        { name: 'TotalCharges', kind: 'lifetime_sum', event_type: CustomerEventTypes.invoicePaid, field: 'amount', decimals: 2, model_input: true },
      ],
    );
  });

  it('declares the behavioural aggregates the features message carries, none of them a model input', () => {
    assert.deepEqual(spec.aggregates.map((a) => a.name).sort(), Object.keys(behaviourSchema.shape).sort());
    assert.ok(spec.aggregates.every((a) => !a.model_input));
    const byName = new Map(spec.aggregates.map((a) => [a.name, a]));
    assert.equal(byName.get('payment_failures_90d')?.window_days, 90);
    assert.equal(byName.get('support_tickets_30d')?.event_type, CustomerEventTypes.supportTicketOpened);
    assert.deepEqual(
      (({ kind, measure, event_type, field, window_days, decimals }) => ({ kind, measure, event_type, field, window_days, decimals }))(
        byName.get('usage_trend')!,
      ),
      { kind: 'trend', measure: 'sum', event_type: CustomerEventTypes.usageReported, field: 'quantity', window_days: 30, decimals: 4 },
    );
  });
});
