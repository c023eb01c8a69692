export * from './paths';
export * from './process-utils';
export * from './kafka-broker';
export * from './embedded-postgres';
export * from './postgres-system-user';
export * from './local-stack';
export * from './service-processes';
export * from './stack-control';
