export * from './test-env';
export * from './topic-probe';
export * from './builders';
// The protocol fakes live in @churn/sandbox (the demo runs them too); specs keep importing them from here.
export * from '@churn/sandbox';
export * from './config-checks';
export * from './bearer-tokens';
export * from './metric-sum';
export * from './pdf-text';
export * from './eventually';
export * from './predictions';
export * from './problem-answer';
export * from './features';
export * from './alerts';
export * from './crm-activities';
export * from './openapi-answers';
export * from './model-registry';
