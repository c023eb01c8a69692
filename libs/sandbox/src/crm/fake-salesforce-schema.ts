/** One field of a fake sObject, as `describe` reports it. */
export interface FakeFieldDefinition {
  readonly name: string;
  readonly type: string;
  /** Usable as an upsert key. */
  readonly externalId?: boolean;
  /** Must be set when a record is created (not nillable, not defaulted): Account.Name, Contact.LastName. */
  readonly requiredOnCreate?: boolean;
}

const CHURN_FIELDS: FakeFieldDefinition[] = [
  { name: 'Customer_Id__c', type: 'string', externalId: true },
  { name: 'Churn_Risk_Score__c', type: 'double' },
  { name: 'Churn_Probability__c', type: 'double' },
  { name: 'Churn_Risk_Category__c', type: 'picklist' },
  { name: 'Retention_Action__c', type: 'string' },
  { name: 'Churn_Scored_At__c', type: 'datetime' },
];

/**
 * The objects of a fresh fake org: the standard fields crm-sync touches (and the required ones it
 * must not forget) plus the custom fields an admin creates for it with their default names.
 */
export function defaultSalesforceSchema(): Map<string, Map<string, FakeFieldDefinition>> {
  const objects: Record<string, FakeFieldDefinition[]> = {
    Account: [{ name: 'Id', type: 'id' }, { name: 'Name', type: 'string', requiredOnCreate: true }, { name: 'OwnerId', type: 'reference' }, ...CHURN_FIELDS],
    Contact: [
      { name: 'Id', type: 'id' },
      { name: 'LastName', type: 'string', requiredOnCreate: true },
      { name: 'FirstName', type: 'string' },
      { name: 'AccountId', type: 'reference' },
      { name: 'OwnerId', type: 'reference' },
      ...CHURN_FIELDS,
    ],
    Task: [
      { name: 'Id', type: 'id' },
      { name: 'Subject', type: 'combobox' },
      { name: 'Priority', type: 'picklist' },
      { name: 'Status', type: 'picklist' },
      { name: 'ActivityDate', type: 'date' },
      { name: 'Description', type: 'textarea' },
      { name: 'OwnerId', type: 'reference' },
      { name: 'WhatId', type: 'reference' },
      { name: 'WhoId', type: 'reference' },
      { name: 'TaskSubtype', type: 'picklist' },
      { name: 'IsClosed', type: 'boolean' },
      { name: 'CompletedDateTime', type: 'datetime' },
      { name: 'CreatedDate', type: 'datetime' },
      { name: 'LastModifiedDate', type: 'datetime' },
      { name: 'Churn_Alert_Id__c', type: 'string', externalId: true },
    ],
  };
  return new Map(Object.entries(objects).map(([object, fields]) => [object, new Map(fields.map((f) => [f.name, f]))]));
}

/** Fields Salesforce sets itself: a write naming one is refused (INVALID_FIELD_FOR_INSERT_UPDATE). */
export const SYSTEM_FIELDS = new Set(['IsClosed', 'CompletedDateTime', 'CreatedDate', 'LastModifiedDate']);

/** Task Status values of a fresh org, and the ones that count as closed (IsClosed). */
export const TASK_STATUSES = new Set(['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred']);
export const CLOSED_TASK_STATUSES = new Set(['Completed']);

/** `describe` of one object, in the shape jsforce's `sobject(…).describe()` returns. */
export function describeOf(object: string, fields: ReadonlyMap<string, FakeFieldDefinition>) {
  return {
    name: object,
    label: object,
    custom: false,
    createable: true,
    updateable: true,
    fields: [...fields.values()].map((f) => ({
      name: f.name,
      label: f.name,
      type: f.type,
      custom: f.name.endsWith('__c'),
      externalId: Boolean(f.externalId),
      idLookup: Boolean(f.externalId) || f.name === 'Id',
      nillable: !f.requiredOnCreate && f.name !== 'Id',
      createable: f.name !== 'Id',
      updateable: f.name !== 'Id' && !SYSTEM_FIELDS.has(f.name),
      defaultedOnCreate: f.name === 'OwnerId',
    })),
  };
}
