export * from './crm-outbox.repository';
export * from './crm-integration.repository';
export * from './crm-readback.repository';
