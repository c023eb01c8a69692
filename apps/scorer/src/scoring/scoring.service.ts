import { Inject, Injectable } from '@nestjs/common';
import { messageVector, Topics, type CustomerFeaturesMessage, type Prediction } from '@churn/contracts';
import { Database } from '@churn/db';
import { PredictionRepository, type StoredPrediction } from '@churn/scorer-data';
import { TopicProducer, type BatchOutcome, type ConsumedMessage } from '@churn/kafka';
import { getOrCreateCounter, getOrCreateHistogram, type Logger, type Registry } from '@churn/observability';
import {
  cardSpecRef,
  describeIssues,
  messageSpecHash,
  ScoringPolicy,
  servedByRollout,
  vectorSpecMismatch,
  type FeatureRow,
  type OnnxChurnModel,
} from '@churn/scoring';
import { LOGGER, METRICS_REGISTRY, SERVICE_CONFIG } from '@churn/service-kit';
import type { ScorerConfig } from '../config';
import { ModelRegistryService } from '../models/model-registry.service';
import { specMismatchCounter } from '../models/spec-mismatch';
import { predictionIdOf } from './prediction-id';

type Message = ConsumedMessage<CustomerFeaturesMessage>;
/** Who made a prediction: the champion, the version under rollout (for its share of customers), or the shadow. */
type ScoringRole = 'champion' | 'rollout' | 'shadow';

/**
 * Scores a batch of feature messages in one ONNX run per model (champion and the version under rollout
 * with explanations, shadow without). A customer whose rollout point (libs/scoring `servedByRollout`)
 * falls below the rollout's share is served by the rollout's version, the others by the champion; both
 * go to `predictions` and are acted on, stored with role `champion` (served) and their own
 * model_version. A message whose vector is of another feature spec than the champion's is dead-lettered
 * (SPEC_MISMATCH) before any value of it is read, and the shadow skips those not of its own. It stores every prediction with the feature vector it used, and publishes the new ones
 * before the transaction commits: a crash re-delivers, and the deterministic prediction id makes
 * the second attempt insert nothing and publish nothing.
 */
@Injectable()
export class ScoringService {
  private readonly predictions = new PredictionRepository();
  private readonly logger: Logger;
  private readonly metrics;

  constructor(
    private readonly database: Database,
    private readonly producer: TopicProducer,
    private readonly models: ModelRegistryService,
    private readonly policy: ScoringPolicy,
    @Inject(SERVICE_CONFIG) private readonly config: ScorerConfig,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.logger = logger.child({ context: ScoringService.name });
    this.metrics = {
      specMismatch: specMismatchCounter(registry),
      scored: getOrCreateCounter(registry, {
        name: 'scorer_predictions_total',
        help: 'Predictions by model version, role, risk level and result (new, duplicate).',
        labelNames: ['model_version', 'role', 'risk_level', 'result'] as const,
      }),
      rejected: getOrCreateCounter(registry, {
        name: 'scorer_features_rejected_total',
        help: 'Feature vectors refused by the model card check, by model role.',
        labelNames: ['role'] as const,
      }),
      inference: getOrCreateHistogram(registry, {
        name: 'scorer_inference_duration_seconds',
        help: 'ONNX inference (with explanations for the champion) per batch, by role.',
        labelNames: ['role'] as const,
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
    };
  }

  async score(messages: readonly Message[]): Promise<BatchOutcome> {
    const { champion, shadow, rollout } = this.models.current();
    const scoredAt = new Date().toISOString();
    const deadLetters: NonNullable<BatchOutcome['deadLetters']>[number][] = [];
    const accepted: { message: Message; row: FeatureRow; specHash: string }[] = [];
    const rolledOut: { message: Message; row: FeatureRow; specHash: string }[] = [];
    const nameOf = (hash: string) => this.models.specName(hash);
    for (const message of messages) {
      // The model serving this customer judges its vector: a refusal names that model.
      const served = rollout !== null && servedByRollout(message.value.customer_id, rollout.share);
      const model = served ? rollout.model : champion;
      const role: ScoringRole = served ? 'rollout' : 'champion';
      const vector = messageVector(message.value);
      const specHash = messageSpecHash(vector);
      const mismatch = vectorSpecMismatch({ version: model.version, spec: cardSpecRef(model.card) }, specHash, nameOf);
      if (mismatch) {
        this.metrics.specMismatch.inc({ role, source: 'stream' });
        this.logger.warn(
          { customer_id: message.value.customer_id, source_event_id: message.value.source_event_id, reason: mismatch },
          'feature vector of another spec refused',
        );
        deadLetters.push({ message, code: 'SPEC_MISMATCH', reason: mismatch });
        continue;
      }
      const check = model.validator.check(vector.features);
      if (check.ok) {
        (served ? rolledOut : accepted).push({ message, row: check.row, specHash });
        continue;
      }
      this.metrics.rejected.inc({ role });
      const reason = `model ${model.version}: ${describeIssues(check.issues)}`;
      this.logger.warn({ customer_id: message.value.customer_id, source_event_id: message.value.source_event_id, reason }, 'feature vector refused');
      deadLetters.push({ message, code: 'FEATURES_INVALID', reason });
    }
    const stored = [
      ...(await this.predict(champion, 'champion', accepted, scoredAt, this.config.STREAM_EXPLANATIONS)),
      ...(rollout ? await this.predict(rollout.model, 'rollout', rolledOut, scoredAt, this.config.STREAM_EXPLANATIONS) : []),
    ];
    let shadowStored: Scored[] = [];
    if (shadow) {
      const shadowOf = { version: shadow.version, spec: cardSpecRef(shadow.card) };
      let otherSpec = 0;
      // The shadow shadows every served customer, whichever model serves it.
      const shadowAccepted = [...accepted, ...rolledOut].flatMap(({ message, specHash }) => {
        // The registry serves champion and shadow of the scorer's spec only, so this refuses nothing unless the two ever differ.
        if (vectorSpecMismatch(shadowOf, specHash, nameOf)) {
          otherSpec += 1;
          return [];
        }
        const check = shadow.validator.check(messageVector(message.value).features);
        if (!check.ok) this.metrics.rejected.inc({ role: 'shadow' });
        return check.ok ? [{ message, row: check.row }] : [];
      });
      if (otherSpec > 0) {
        this.metrics.specMismatch.inc({ role: 'shadow', source: 'stream' }, otherSpec);
        this.logger.warn({ shadow: shadow.version, skipped: otherSpec }, 'shadow skipped vectors of another spec than its own');
      }
      shadowStored = await this.predict(shadow, 'shadow', shadowAccepted, scoredAt, false);
    }
    await this.database.transaction(async (tx) => {
      const fresh = await this.predictions.insertNew(
        tx,
        [...stored, ...shadowStored].map((s) => s.stored),
      );
      const publish = (rows: Scored[]) => rows.map((r) => r.stored.prediction).filter((p) => fresh.has(p.prediction_id));
      await this.producer.send(
        Topics.predictions,
        publish(stored).map((value) => ({ key: value.customer_id, value })),
      );
      if (shadowStored.length > 0) {
        await this.producer.send(
          Topics.predictionsShadow,
          publish(shadowStored).map((value) => ({ key: value.customer_id, value })),
        );
      }
      for (const {
        stored: { prediction },
        role,
      } of [...stored, ...shadowStored]) {
        const result = fresh.has(prediction.prediction_id) ? 'new' : 'duplicate';
        this.metrics.scored.inc({ model_version: prediction.model_version, role, risk_level: prediction.risk_level, result });
        this.logger.debug({ customer_id: prediction.customer_id, prediction_id: prediction.prediction_id, role, result }, 'scored');
      }
    });
    return { deadLetters };
  }

  private async predict(
    model: OnnxChurnModel,
    role: ScoringRole,
    accepted: readonly { message: Message; row: FeatureRow }[],
    scoredAt: string,
    explain: boolean,
  ): Promise<Scored[]> {
    if (accepted.length === 0) return [];
    const end = this.metrics.inference.startTimer({ role });
    const scored = await model.score(
      accepted.map((a) => a.row),
      { explain },
    );
    end();
    // A served prediction is stored as `champion` whichever version made it: the table's role says whether it was acted on.
    const storedRole = role === 'shadow' ? 'shadow' : 'champion';
    return accepted.map(({ message, row }, i) => {
      const value = message.value;
      const assessment = this.policy.assess(model, row, scored[i]!, value.customer_id);
      const features = model.validator.toMessageRecord(row);
      const prediction: Prediction = {
        prediction_id: predictionIdOf(value.source_event_id, model.version, storedRole),
        customer_id: value.customer_id,
        model_version: model.version,
        ...assessment,
        // Shadow predictions are never acted on: no arm, so nothing downstream mistakes them for treatment.
        experiment: role === 'shadow' ? null : assessment.experiment,
        source_event_id: value.source_event_id,
        as_of: value.as_of,
        scored_at: scoredAt,
        features,
      };
      return { role, stored: { prediction, role: storedRole, features } };
    });
  }
}

/** A prediction as stored, and the role that made it (the metrics tell the rollout from the champion). */
interface Scored {
  readonly role: ScoringRole;
  readonly stored: StoredPrediction;
}
