export * from './alert.repository';
export * from './alerting-churn.repository';
export * from './alerting-score.repository';
export * from './alerting-model-alert.repository';
export * from './alerting-queue.repository';
export * from './notification.repository';
