/**
 * Every Kafka topic of the platform. No other file names a topic as a string literal.
 * Names are binding (shared/design/contract.md).
 */
export const Topics = {
  customerEvents: 'customer-events',
  customerEventsDlq: 'customer-events.dlq',
  customerFeatures: 'customer-features',
  customerFeaturesDlq: 'customer-features.dlq',
  predictions: 'predictions',
  predictionsShadow: 'predictions.shadow',
  alerts: 'alerts',
  outcomes: 'outcomes',
  outcomesDlq: 'outcomes.dlq',
  modelAlerts: 'model-alerts',
  interventions: 'interventions',
  interventionsDlq: 'interventions.dlq',
  crmSyncDlq: 'crm-sync.dlq',
  // Not in contract v1's table: alerting and monitoring also need somewhere to park what they
  // cannot process from `predictions` and `alerts`, rather than dropping it.
  alertingDlq: 'alerting.dlq',
  monitoringDlq: 'monitoring.dlq',
  alertUpdates: 'alert-updates',
  alertUpdatesDlq: 'alert-updates.dlq',
  alertNotifications: 'alert-notifications',
  crmActivity: 'crm-activity',
  modelRegistry: 'model-registry',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  readonly name: TopicName;
  readonly partitions: number;
  /** Retention in milliseconds; dead letters are kept longer so that an operator can re-drive them. */
  readonly retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Partition counts allow up to six instances of a consumer group to share a topic. */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: Topics.customerEvents, partitions: 6, retentionMs: 7 * DAY_MS },
  { name: Topics.customerFeatures, partitions: 6, retentionMs: 7 * DAY_MS },
  { name: Topics.predictions, partitions: 6, retentionMs: 7 * DAY_MS },
  { name: Topics.predictionsShadow, partitions: 6, retentionMs: 7 * DAY_MS },
  { name: Topics.alerts, partitions: 3, retentionMs: 7 * DAY_MS },
  { name: Topics.outcomes, partitions: 3, retentionMs: 7 * DAY_MS },
  { name: Topics.modelAlerts, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.interventions, partitions: 3, retentionMs: 7 * DAY_MS },
  { name: Topics.interventionsDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.customerEventsDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.customerFeaturesDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.outcomesDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.crmSyncDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.alertingDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.monitoringDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.alertUpdates, partitions: 3, retentionMs: 7 * DAY_MS },
  { name: Topics.alertUpdatesDlq, partitions: 1, retentionMs: 30 * DAY_MS },
  { name: Topics.alertNotifications, partitions: 3, retentionMs: 7 * DAY_MS },
  { name: Topics.crmActivity, partitions: 3, retentionMs: 7 * DAY_MS },
  // One partition: every change is keyed alike, and its order is the registry's.
  { name: Topics.modelRegistry, partitions: 1, retentionMs: 30 * DAY_MS },
];
