export * from './database';
export * from './migrate';
export * from './repositories/processed-event.repository';
export * from './repositories/customer-state.repository';
export * from './repositories/prediction.repository';
export * from './repositories/outcome.repository';
export * from './repositories/customer-history.repository';
