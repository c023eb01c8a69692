import { z } from 'zod';
import type { ReferenceHistogram } from '@churn/analytics';

const numericHistogram = z.object({ kind: z.literal('numeric'), edges: z.array(z.number()).min(2), counts: z.array(z.number()) });
const categoricalHistogram = z.object({ kind: z.literal('categorical'), categories: z.array(z.string()), counts: z.array(z.number()) });
const histogram = z.discriminatedUnion('kind', [numericHistogram, categoricalHistogram]);

/** The parts of a model card (models/<v>/model-card.json, as `model-registry` carries it) monitoring reads. */
const cardSchema = z.object({
  thresholds: z
    .object({ decision_threshold: z.number().min(0).max(1) })
    .partial()
    .optional(),
  selected: z.object({ selected: z.string().optional(), name: z.string().optional() }).optional(),
  cv_metrics: z
    .object({ candidates: z.record(z.string(), z.object({ summary: z.object({ roc_auc: z.object({ mean: z.number() }) }).partial() }).partial()) })
    .partial()
    .optional(),
  reference_histograms: z
    .object({ features: z.record(z.string(), histogram), score: numericHistogram.optional() })
    .partial()
    .optional(),
});

export interface ModelCardFacts {
  readonly version: string;
  /** Probability at or above which a customer is predicted to churn (accuracy, precision, recall, F1). */
  readonly decisionThreshold: number;
  /** Mean cross-validated ROC-AUC of the selected candidate: the baseline of the performance-drift check. */
  readonly cvRocAuc: number | undefined;
  readonly featureHistograms: Readonly<Record<string, ReferenceHistogram>>;
  readonly scoreHistogram: ReferenceHistogram | undefined;
}

/** Used for a version whose card monitoring has not seen (no `model-registry` change has carried it). */
export const DEFAULT_DECISION_THRESHOLD = 0.5;

/** Reads what monitoring needs from a card, tolerating cards that lack parts (they then get no drift or performance check). */
export function modelCardFacts(version: string, card: unknown): ModelCardFacts {
  const parsed = cardSchema.safeParse(card);
  const c = parsed.success ? parsed.data : {};
  const selected = c.selected?.selected ?? c.selected?.name;
  return {
    version,
    decisionThreshold: c.thresholds?.decision_threshold ?? DEFAULT_DECISION_THRESHOLD,
    cvRocAuc: selected ? c.cv_metrics?.candidates?.[selected]?.summary?.roc_auc?.mean : undefined,
    featureHistograms: c.reference_histograms?.features ?? {},
    scoreHistogram: c.reference_histograms?.score,
  };
}
