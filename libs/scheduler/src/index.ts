export * from './job-names';
export * from './job-errors';
export * from './job-metrics';
export * from './scheduler-config';
export * from './job-scheduler';
