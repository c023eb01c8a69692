import { z } from 'zod';

/**
 * The IBM Telco Customer Churn attributes the baseline model reads, under the column names of the
 * data set (and of the ONNX model's inputs). Values keep the Telco spellings.
 */
export const TELCO_FEATURE_NAMES = [
  'gender',
  'SeniorCitizen',
  'Partner',
  'Dependents',
  'tenure',
  'PhoneService',
  'MultipleLines',
  'InternetService',
  'OnlineSecurity',
  'OnlineBackup',
  'DeviceProtection',
  'TechSupport',
  'StreamingTV',
  'StreamingMovies',
  'Contract',
  'PaperlessBilling',
  'PaymentMethod',
  'MonthlyCharges',
  'TotalCharges',
] as const;

export type TelcoFeatureName = (typeof TELCO_FEATURE_NAMES)[number];

/** Category spellings seen in the Telco data; the model card, not this list, decides what a model accepts. */
export const TELCO_CATEGORIES = {
  gender: ['Female', 'Male'],
  yesNo: ['No', 'Yes'],
  MultipleLines: ['No', 'No phone service', 'Yes'],
  InternetService: ['DSL', 'Fiber optic', 'No'],
  internetAddOn: ['No', 'No internet service', 'Yes'],
  Contract: ['Month-to-month', 'One year', 'Two year'],
  PaymentMethod: ['Bank transfer (automatic)', 'Credit card (automatic)', 'Electronic check', 'Mailed check'],
} as const;

const category = z.string().min(1);
const amount = z.number().finite().nonnegative();

/**
 * A complete feature vector. Categoricals are only required to be non-empty strings here: whether a
 * category is known is the model's business (the scorer checks it against the model card).
 */
export const telcoFeaturesSchema = z.object({
  gender: category,
  SeniorCitizen: z.union([z.literal(0), z.literal(1)]),
  Partner: category,
  Dependents: category,
  tenure: z.number().int().nonnegative(),
  PhoneService: category,
  MultipleLines: category,
  InternetService: category,
  OnlineSecurity: category,
  OnlineBackup: category,
  DeviceProtection: category,
  TechSupport: category,
  StreamingTV: category,
  StreamingMovies: category,
  Contract: category,
  PaperlessBilling: category,
  PaymentMethod: category,
  MonthlyCharges: amount,
  TotalCharges: amount,
});

export type TelcoFeatures = z.infer<typeof telcoFeaturesSchema>;
