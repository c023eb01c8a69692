import { z } from 'zod';
import { checkAttributeSource, checkBooleanEncoding, checkCategorical, reporter } from './element-checks';
import { description, eventType, featureName, modelInput, payloadField } from './common.schema';

/** Which event sets an attribute: the latest such event by `occurred_at` wins (an older one arriving late changes nothing). */
export const attributeSource = z
  .strictObject({
    event_type: eventType.describe('The event type whose payload carries the value (e.g. subscription.changed).'),
    field: payloadField.describe('The payload field holding the value.'),
  })
  .describe("Where the attribute's value comes from. Last write wins by the event's occurred_at: a late, older event does not overwrite a newer value.");

const attributeBase = {
  name: featureName,
  column: z
    .string()
    .min(1, 'must not be empty')
    .optional()
    .describe('The training table\'s column holding this attribute, when it is not spelled as the name (e.g. "Monthly Spend" for monthly_spend).'),
  set_by: attributeSource,
  optional: z
    .boolean()
    .default(false)
    .describe(
      'Whether a customer without a value yet still gets a feature vector (the value is then missing). False (the default): no vector until every non-optional attribute has been set, as today.',
    ),
  model_input: modelInput,
  description,
};

/** A number as the event carries it. */
export const numericAttribute = z
  .strictObject({
    ...attributeBase,
    type: z.literal('numeric').describe('A number, used as is.'),
  })
  .superRefine((value, ctx) => checkAttributeSource(value, reporter(ctx)))
  .describe('A numeric attribute.');

const encodedValue = z.union([z.string().min(1), z.number()]);

/** A yes/no fact; the vector carries it as `true_value` / `false_value` (1 and 0 unless the model was trained on other spellings). */
export const booleanAttribute = z
  .strictObject({
    ...attributeBase,
    type: z.literal('boolean').describe('A yes/no fact: the payload carries true or false.'),
    true_value: encodedValue
      .default(1)
      .describe('How the vector spells true (default 1). The Telco model reads "Yes" for Partner, Dependents, PhoneService and PaperlessBilling.'),
    false_value: encodedValue
      .default(0)
      .describe('How the vector spells false (default 0); must differ from true_value and be of the same kind (both numbers or both strings).'),
  })
  .superRefine((value, ctx) => {
    checkBooleanEncoding(value, reporter(ctx));
    checkAttributeSource(value, reporter(ctx));
  })
  .describe('A boolean attribute.');

/**
 * One of a set of values. Closed: `categories` lists every value the model knows (a value outside it is
 * refused). Open-ended: no list; the `max_categories` most frequent values of the training data are
 * kept and every other value falls into the `other` bucket.
 */
export const categoricalAttribute = z
  .strictObject({
    ...attributeBase,
    type: z.literal('categorical').describe('One value of a set of strings.'),
    categories: z
      .array(z.string().min(1, 'must not be empty'))
      .optional()
      .describe(
        'Closed categorical: every value the attribute can take, as the payload spells it (at least 2, no repeats). Give either categories or max_categories.',
      ),
    max_categories: z
      .number()
      .int('must be a whole number')
      .min(2, 'must be at least 2')
      .max(1000, 'must be at most 1000')
      .optional()
      .describe(
        'Open-ended categorical: how many of the most frequent values (in the training data) keep their own category; the rest fall into `other`. Give either categories or max_categories.',
      ),
    other: z
      .string()
      .min(1, 'must not be empty')
      .optional()
      .describe('Open-ended categorical: the bucket every value beyond max_categories falls into (default "other"). Only with max_categories.'),
  })
  .superRefine((value, ctx) => {
    checkCategorical(value, reporter(ctx));
    checkAttributeSource(value, reporter(ctx));
  })
  .describe('A categorical attribute, closed (categories) or open-ended (max_categories and an other bucket).');

/** A customer attribute set by an event, kept as the latest value by event time. */
export const attributeSchema = z
  .discriminatedUnion('type', [numericAttribute, booleanAttribute, categoricalAttribute], {
    error: (issue) => (issue.code === 'invalid_union' ? 'type must be numeric, boolean or categorical' : undefined),
  })
  .describe('An attribute of the customer, set by an event payload field, last write wins by event time.');

export type Attribute = z.infer<typeof attributeSchema>;
