import type { z } from 'zod';

const SECTIONS = ['attributes', 'derived', 'aggregates'] as const;

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Checks across the spec's sections: feature names unique across attributes, derived features and
 * aggregates; training-table columns unique and distinct from the id and label columns; at least one
 * model input. Reads the input defensively: it runs even when parts of it are malformed.
 */
export function checkNamesAndColumns(spec: unknown, ctx: z.RefinementCtx): void {
  if (!isObject(spec)) return;
  const idColumn = isObject(spec['customer_id']) ? text(spec['customer_id']['column']) : undefined;
  const labelColumn = isObject(spec['label']) ? text(spec['label']['column']) : undefined;
  if (idColumn !== undefined && idColumn === labelColumn)
    ctx.addIssue({ code: 'custom', message: `is also customer_id.column ("${idColumn}")`, path: ['label', 'column'] });
  const names = new Map<string, string>();
  const columns = new Map<string, string>();
  let modelInputs = 0;
  let features = 0;
  for (const section of SECTIONS) {
    const list = spec[section];
    if (!Array.isArray(list)) continue;
    list.forEach((feature: unknown, i) => {
      if (!isObject(feature)) return;
      features++;
      if (feature['model_input'] !== false) modelInputs++;
      const where = `${section}[${i}]`;
      const name = text(feature['name']);
      if (name === undefined) return;
      const first = names.get(name);
      if (first) ctx.addIssue({ code: 'custom', message: `"${name}" is also ${first}.name: feature names must be unique`, path: [section, i, 'name'] });
      else names.set(name, where);
      // Attributes and derived features are columns of a training table; aggregates are computed from events only.
      if (section === 'aggregates') return;
      const column = (section === 'attributes' ? text(feature['column']) : undefined) ?? name;
      const at = section === 'attributes' && text(feature['column']) ? 'column' : 'name';
      if (column === idColumn)
        ctx.addIssue({ code: 'custom', message: `"${column}" is the customer_id column: an id is never a feature`, path: [section, i, at] });
      else if (column === labelColumn)
        ctx.addIssue({ code: 'custom', message: `"${column}" is the label column: the label is never a feature`, path: [section, i, at] });
      const firstColumn = columns.get(column);
      if (firstColumn && !first) ctx.addIssue({ code: 'custom', message: `column "${column}" is also ${firstColumn}'s`, path: [section, i, at] });
      else if (!firstColumn) columns.set(column, where);
    });
  }
  if (features > 0 && modelInputs === 0) ctx.addIssue({ code: 'custom', message: 'no feature is a model input (every one has model_input: false)', path: [] });
  if (features === 0) ctx.addIssue({ code: 'custom', message: 'declares no feature: give attributes, derived features or aggregates', path: [] });
}
