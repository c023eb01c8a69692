import type { z } from 'zod';

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

interface Declared {
  readonly type: string;
  readonly modelInput: boolean;
  readonly categories?: readonly string[];
  readonly booleanValues?: readonly unknown[];
}

/** The spec's features by name, as far as the business section needs them (read defensively: parts may be malformed). */
function declaredFeatures(spec: Loose): Map<string, Declared> {
  const out = new Map<string, Declared>();
  for (const attribute of list(spec['attributes'])) {
    if (!isObject(attribute) || typeof attribute['name'] !== 'string') continue;
    const type = String(attribute['type']);
    out.set(attribute['name'], {
      type,
      modelInput: attribute['model_input'] !== false,
      ...(Array.isArray(attribute['categories']) ? { categories: attribute['categories'].map(String) } : {}),
      ...(type === 'boolean' ? { booleanValues: [attribute['true_value'] ?? 1, attribute['false_value'] ?? 0] } : {}),
    });
  }
  for (const section of ['derived', 'aggregates']) {
    for (const feature of list(spec[section])) {
      if (isObject(feature) && typeof feature['name'] === 'string') out.set(feature['name'], { type: 'numeric', modelInput: feature['model_input'] !== false });
    }
  }
  return out;
}

/**
 * The business section names features of this spec, of a type that fits: revenue is a number, a
 * numeric cohort has ascending bands and one label more than bands, a playbook rule's driver is a model
 * input and its conditions can hold.
 */
export function checkBusiness(spec: unknown, ctx: z.RefinementCtx): void {
  if (!isObject(spec) || !isObject(spec['business'])) return;
  const business = spec['business'];
  const features = declaredFeatures(spec);
  const report = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path: ['business', ...path] });
  const unknown = (name: string) => `"${name}" is not a feature of this spec`;

  const revenue = business['monthly_revenue'];
  if (typeof revenue === 'string') {
    const feature = features.get(revenue);
    if (!feature) report(unknown(revenue), ['monthly_revenue']);
    else if (feature.type !== 'numeric') report(`"${revenue}" is ${feature.type}: revenue must be a numeric feature`, ['monthly_revenue']);
  }

  const dimensions = new Set<string>(['risk_level']);
  list(business['cohorts']).forEach((cohort, i) => {
    if (!isObject(cohort) || typeof cohort['feature'] !== 'string') return;
    const name = typeof cohort['name'] === 'string' ? cohort['name'] : cohort['feature'].toLowerCase();
    if (dimensions.has(name))
      report(`cohort dimension "${name}" is already taken${name === 'risk_level' ? ' (by the risk level, always reported)' : ''}: give another name`, [
        'cohorts',
        i,
        'name',
      ]);
    dimensions.add(name);
    const feature = features.get(cohort['feature']);
    if (!feature) return report(unknown(cohort['feature']), ['cohorts', i, 'feature']);
    const bands = cohort['bands'];
    const labels = cohort['labels'];
    if (feature.type !== 'numeric') {
      if (bands !== undefined)
        report(`bands are for numeric features; "${cohort['feature']}" is ${feature.type} (one cohort per value)`, ['cohorts', i, 'bands']);
      if (labels !== undefined) report('labels name the bands of a numeric feature', ['cohorts', i, 'labels']);
      return;
    }
    if (!Array.isArray(bands)) return report(`"${cohort['feature']}" is numeric: give bands (the cohorts' upper bounds)`, ['cohorts', i, 'bands']);
    bands.forEach((bound, j) => {
      if (j > 0 && typeof bound === 'number' && typeof bands[j - 1] === 'number' && bound <= (bands[j - 1] as number))
        report('bands must be ascending', ['cohorts', i, 'bands', j]);
    });
    if (Array.isArray(labels) && labels.length !== bands.length + 1)
      report(`needs ${bands.length + 1} labels (one per band and one above the last bound), got ${labels.length}`, ['cohorts', i, 'labels']);
  });

  list(business['playbook']).forEach((rule, i) => {
    if (!isObject(rule)) return;
    if (typeof rule['factor'] === 'string') {
      const factor = features.get(rule['factor']);
      if (!factor) report(unknown(rule['factor']), ['playbook', i, 'factor']);
      else if (!factor.modelInput) report(`"${rule['factor']}" is not a model input: it is never a top factor`, ['playbook', i, 'factor']);
    }
    if (!isObject(rule['when'])) return;
    for (const [name, value] of Object.entries(rule['when'])) {
      const feature = features.get(name);
      if (!feature) report(unknown(name), ['playbook', i, 'when', name]);
      else if (feature.categories && !feature.categories.includes(String(value)))
        report(`"${String(value)}" is not a category of ${name} (${feature.categories.join(', ')})`, ['playbook', i, 'when', name]);
      else if (feature.booleanValues && !feature.booleanValues.includes(value))
        report(`${name} is spelled ${feature.booleanValues.map((v) => JSON.stringify(v)).join(' or ')} in the vector`, ['playbook', i, 'when', name]);
      else if (feature.type === 'numeric' && typeof value !== 'number') report(`${name} is numeric: compare it with a number`, ['playbook', i, 'when', name]);
    }
  });
}
