export * from './database';
export * from './migrate';
export * from './repositories/outcome-id';
export * from './repositories/audit-log.repository';
export * from './repositories/topic-outbox.repository';
export * from './repositories/job-run.repository';
