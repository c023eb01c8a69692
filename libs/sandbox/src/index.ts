export * from './fake-http.server';
export * from './crm/fake-salesforce';
export * from './crm/fake-hubspot';
export * from './notifications/fake-slack.server';
export * from './notifications/slack-payload.validator';
export * from './notifications/fake-smtp.server';
export * from './outbox';
export * from './integration-sandbox';
