export * from './prng';
export * from './saas-parameters';
export * from './saas-event';
export * from './saas-customer';
export * from './customer-simulation';
export * from './saas-business';
