export * from './test-env';
export * from './topic-probe';
export * from './builders';
export * from './crm-fakes/fake-http';
export * from './crm-fakes/fake-salesforce';
export * from './crm-fakes/fake-hubspot';
export * from './notification-fakes/fake-slack.server';
export * from './notification-fakes/fake-smtp.server';
