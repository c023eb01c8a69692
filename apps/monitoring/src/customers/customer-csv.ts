import { stringify } from 'csv-stringify/sync';
import type { CustomerListRow } from '@churn/monitoring-data';
import type { CustomerSpecView, FeatureValue } from './customer-spec-view';

const FIXED_COLUMNS = [
  'customer_id',
  'risk_score',
  'risk_level',
  'churn_probability',
  'score_change',
  'revenue_at_risk',
  'model_version',
  'scored_at',
  'alert_state',
  'alert_level',
  'alert_due_at',
  'experiment_name',
  'experiment_arm',
  'crm_task_open',
] as const;

/** The export's header: the list's fields, then every attribute of the active spec as `attr.<name>` (the filter's spelling). */
export function customerCsvColumns(spec: CustomerSpecView): string[] {
  return [...FIXED_COLUMNS, ...spec.attributeNames.map((name) => `attr.${name}`)];
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab / carriage return) as a formula; attribute
 * values come from outside systems, so such text is prefixed with a quote (OWASP, "CSV Injection").
 */
export function spreadsheetSafe(value: FeatureValue | undefined): string | number | null {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return value ?? null;
}

/** CSV lines (RFC 4180, CRLF) of a batch of list rows, with the header first when asked. */
export function customerCsvChunk(spec: CustomerSpecView, rows: readonly CustomerListRow[], withHeader: boolean): string {
  const records = rows.map((r) => [
    spreadsheetSafe(r.customer_id),
    r.risk_score,
    r.risk_level,
    r.churn_probability,
    r.score_change,
    r.revenue_at_risk,
    spreadsheetSafe(r.model_version),
    r.scored_at.toISOString(),
    r.alert_state,
    r.alert_level,
    r.alert_due_at?.toISOString() ?? null,
    spreadsheetSafe(r.experiment_name),
    spreadsheetSafe(r.experiment_arm),
    r.crm_task_open ? 'true' : 'false',
    ...spec.attributeNames.map((name) => spreadsheetSafe(r.attributes?.[name])),
  ]);
  return stringify(withHeader ? [customerCsvColumns(spec), ...records] : records, { record_delimiter: 'windows' });
}
