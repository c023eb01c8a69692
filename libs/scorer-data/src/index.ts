export * from './prediction.repository';
export * from './prediction-history.repository';
export * from './model-version.repository';
