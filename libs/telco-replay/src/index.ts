export * from './telco-row';
export * from './telco-history';
