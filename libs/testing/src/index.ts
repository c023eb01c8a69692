export * from './test-env';
export * from './topic-probe';
export * from './builders';
