export * from './paths';
export * from './process-utils';
export * from './kafka-broker';
export * from './kafka-version';
export * from './embedded-postgres';
export * from './local-stack';
export * from './service-processes';
export * from './stack-control';
