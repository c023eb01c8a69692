import { z } from 'zod';
import { EVENT_TYPE_PATTERN } from '@churn/contracts';

/**
 * A feature's name: the key of the feature vector, the ONNX model's input and, for training tables,
 * the column (unless an attribute names another one). An identifier, so that every consumer —
 * Python, SQL, ONNX — can use it unquoted.
 */
export const featureName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'must be an identifier: a letter or _ then letters, digits or _ (at most 100 characters)')
  .describe('Name of the feature: its key in the feature vector and the model input it feeds. Unique across attributes, derived features and aggregates.');

/** An event type as the envelope's `event_type` spells it: dot-separated lower-case words. */
export const eventType = z
  .string()
  .regex(EVENT_TYPE_PATTERN, 'must be an event type such as subscription.changed (dot-separated lower-case words)')
  .describe('An event type of the customer-events topic, as its envelope spells it (e.g. subscription.changed).');

/** A field of an event's payload (top level). */
export const payloadField = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'must be a payload field name (a letter or _ then letters, digits or _)')
  .describe("A top-level field of the event's payload.");

/** Whether the model reads the feature, or it is computed and carried alongside only. */
export const modelInput = z
  .boolean()
  .default(true)
  .describe(
    "Whether the model reads this feature (default true). False: computed and carried with the vector, but no model input — how the Telco spec keeps the behavioural aggregates today's model does not read.",
  );

/** Rounding of a computed value, in decimal places (half up). */
export const decimals = z
  .number()
  .int('must be a whole number of decimal places')
  .min(0, 'must be 0 or more')
  .max(10, 'must be at most 10')
  .optional()
  .describe('Round the computed value to this many decimal places (half up); unrounded when absent.');

export const description = z.string().min(1).optional().describe('What the feature means, for people reading the spec.');
