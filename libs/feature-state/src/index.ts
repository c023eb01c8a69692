export * from './customer-state';
export * from './history-types';
export * from './feature-state';
export * from './behaviour';
export * from './history';
export * from './features-message';
