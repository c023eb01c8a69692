import { featureColumns, type FeatureSpec } from '@churn/feature-spec';

/** A training table whose header does not match its spec: the missing and the undeclared columns, named. */
export class TableColumnsError extends Error {
  readonly code = 'TABLE_COLUMNS_MISMATCH';
  constructor(
    readonly source: string,
    readonly missing: readonly string[],
    readonly extra: readonly string[],
  ) {
    super(
      [
        `${source} does not match its feature spec:`,
        ...(missing.length > 0 ? [`  missing column${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`] : []),
        ...(extra.length > 0 ? [`  column${extra.length === 1 ? '' : 's'} the spec does not declare: ${extra.join(', ')}`] : []),
      ].join('\n'),
    );
    this.name = 'TableColumnsError';
  }
}

/** The training table's column of each feature: an attribute's `column` (else its name), a computed feature's name. */
export function columnsOf(spec: FeatureSpec): { name: string; column: string; modelInput: boolean }[] {
  const attributeColumn = new Map(spec.attributes.map((a) => [a.name, a.column ?? a.name]));
  return featureColumns(spec).map((c) => ({ name: c.name, column: attributeColumn.get(c.name) ?? c.name, modelInput: c.modelInput }));
}

/**
 * The columns a training table for `spec` must have (the id, the label and every model input) and may
 * have (a feature the model does not read, e.g. an aggregate carried for later).
 */
export function trainingColumns(spec: FeatureSpec): { required: string[]; allowed: Set<string> } {
  const features = columnsOf(spec);
  const required = [spec.customer_id.column, ...(spec.label ? [spec.label.column] : []), ...features.filter((f) => f.modelInput).map((f) => f.column)];
  return { required, allowed: new Set([...required, ...features.map((f) => f.column)]) };
}

/**
 * Checks a training table's header against its spec. Every column must be declared: a column the spec
 * does not name is refused rather than ignored, because it is either a feature the spec forgot (the
 * model would silently go without it) or data that has no business in a training table.
 */
export function checkTrainingColumns(spec: FeatureSpec, header: readonly string[], source: string): void {
  const { required, allowed } = trainingColumns(spec);
  const present = new Set(header);
  const missing = required.filter((c) => !present.has(c));
  const extra = header.filter((c) => !allowed.has(c));
  if (missing.length > 0 || extra.length > 0) throw new TableColumnsError(source, missing, extra);
}
