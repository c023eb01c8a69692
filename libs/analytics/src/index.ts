export * from './classification-metrics';
export * from './drift';
export * from './experiment';
export * from './roi';
export * from './seeded-random';
