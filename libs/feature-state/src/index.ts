export * from './history-types';
export * from './history';
export * from './features-message';
