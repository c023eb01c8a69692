import { Inject, Injectable } from '@nestjs/common';
import { getOrCreateCounter, getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import { ScoringPolicy, type Assessment, type ExplanationPath, type FeatureIssue, type FeatureRow, type OnnxChurnModel } from '@churn/scoring';
import { LOGGER, METRICS_REGISTRY, ValidationError } from '@churn/service-kit';
import { ModelRegistryService } from '../models/model-registry.service';

export interface BatchItem {
  readonly customerId: string;
  readonly attributes: unknown;
}

export interface PredictionAnswer extends Assessment {
  readonly customer_id: string | null;
  readonly model_version: string;
  readonly baseline: number;
  readonly contributions: Record<string, number>;
  /** How the contributions were computed (`additive_logit` fast path or `full_evaluation`); same values either way. */
  readonly explanation_path: ExplanationPath;
}

/** Customers per ONNX call in a batch request: output starts flowing after the first chunk. */
const CHUNK = 256;

/** On-demand scoring: one customer, or a batch streamed back chunk by chunk. Nothing is stored or published. */
@Injectable()
export class PredictService {
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly models: ModelRegistryService,
    private readonly policy: ScoringPolicy,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: PredictService.name });
    this.metrics = {
      requests: getOrCreateCounter(registry, {
        name: 'scorer_http_predictions_total',
        help: 'Customers scored over HTTP, by endpoint and result.',
        labelNames: ['endpoint', 'result'] as const,
      }),
      duration: getOrCreateHistogram(registry, {
        name: 'scorer_http_predict_duration_seconds',
        help: 'Scoring time of one HTTP request, by endpoint.',
        labelNames: ['endpoint'] as const,
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30, 120],
      }),
    };
  }

  async predictOne(customerId: string | undefined, attributes: unknown): Promise<PredictionAnswer> {
    const end = this.metrics.duration.startTimer({ endpoint: 'predict' });
    const { champion } = this.models.current();
    const check = champion.validator.check(attributes);
    if (!check.ok) {
      this.metrics.requests.inc({ endpoint: 'predict', result: 'invalid' });
      throw new ValidationError(check.issues.map((i) => ({ field: `features.${i.field}`, message: i.message })));
    }
    const [scored] = await champion.score([check.row], { explain: true });
    const assessment = this.policy.assess(champion, check.row, scored!, customerId ?? '');
    this.metrics.requests.inc({ endpoint: 'predict', result: 'ok' });
    end();
    return {
      customer_id: customerId ?? null,
      model_version: champion.version,
      ...assessment,
      experiment: customerId ? assessment.experiment : null,
      baseline: champion.baseline,
      contributions: Object.fromEntries(champion.featureNames.map((name, j) => [name, scored!.contributions![j]!])),
      explanation_path: champion.explanationPath,
    };
  }

  /** Validates every row first (one 400 naming rows and fields), then yields results chunk by chunk, in order. */
  prepareBatch(items: readonly BatchItem[]): { model: OnnxChurnModel; rows: FeatureRow[] } {
    const { champion } = this.models.current();
    const rows: FeatureRow[] = [];
    const issues: { field: string; message: string }[] = [];
    items.forEach((item, index) => {
      const check = champion.validator.check(item.attributes);
      if (check.ok) rows.push(check.row);
      else if (issues.length < 50) issues.push(...check.issues.map((i: FeatureIssue) => ({ field: `[${index}].${i.field}`, message: i.message })));
    });
    if (issues.length > 0) {
      this.metrics.requests.inc({ endpoint: 'batch', result: 'invalid' }, items.length);
      throw new ValidationError(issues);
    }
    return { model: champion, rows };
  }

  async *scoreBatch(
    model: OnnxChurnModel,
    items: readonly BatchItem[],
    rows: readonly FeatureRow[],
    explain: boolean,
  ): AsyncGenerator<{ customerId: string; assessment: Assessment }[]> {
    const end = this.metrics.duration.startTimer({ endpoint: 'batch' });
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      const scored = await model.score(chunk, { explain });
      yield chunk.map((row, i) => {
        const customerId = items[start + i]!.customerId;
        return { customerId, assessment: this.policy.assess(model, row, scored[i]!, customerId) };
      });
    }
    this.metrics.requests.inc({ endpoint: 'batch', result: 'ok' }, rows.length);
    this.logger.info({ rows: rows.length, model_version: model.version, explain }, 'batch scored');
    end();
  }
}
