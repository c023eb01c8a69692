export * from './processed-event.repository';
export * from './customer-state.repository';
export * from './customer-history.repository';
