import { z } from 'zod';
import { FIXED_PAYLOADS } from '@churn/contracts';

/** What a payload field holds, as far as a spec check needs to know. */
export interface PayloadFieldType {
  readonly type: 'string' | 'number' | 'boolean' | 'other';
  /** The values an enumerated field allows (e.g. a ticket's severity). */
  readonly values?: readonly string[];
}

type JsonSchemaProperty = { type?: string; enum?: string[] };

// The payloads the contract fixes, so that a spec naming one of their fields can be checked. Sign-up and
// subscription payloads are not among them: they carry the business's own attributes, whatever a spec
// declares. Read through the payloads' JSON Schema: the public way to ask zod what a field holds.
const fieldTypes = new Map<string, Map<string, PayloadFieldType>>(
  Object.entries(FIXED_PAYLOADS).map(([type, schema]: [string, z.ZodType]) => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchemaProperty> };
    const fields = Object.entries(json.properties ?? {}).map(([field, property]): [string, PayloadFieldType] => {
      const kind = property.type === 'string' || property.type === 'number' || property.type === 'boolean' ? property.type : 'other';
      return [field, property.enum ? { type: kind, values: property.enum } : { type: kind }];
    });
    return [type, new Map(fields)];
  }),
);

/** The fields of a payload the contract fixes, or undefined for an event type whose payload is the business's own. */
export function fixedPayloadFields(eventType: string): ReadonlyMap<string, PayloadFieldType> | undefined {
  return fieldTypes.get(eventType);
}
