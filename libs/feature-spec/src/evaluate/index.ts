export * from './evaluator-types';
export * from './apply-event';
export * from './feature-vector';
export * from './aggregate-values';
export * from './exact-decimal';
export * from './vector-sections';
export * from './windowed-events';
