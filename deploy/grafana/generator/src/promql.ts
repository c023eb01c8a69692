/**
 * The metric names a PromQL expression selects: what is left once strings, label matchers, range
 * and subquery brackets, grouping clauses, functions, operators, numbers and durations are skipped.
 * Parsing proper is promtool's job (validate.ts); this only has to find the names.
 */
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'atan2',
  'inf',
  'nan',
  'start',
  'end',
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  let i = 0;
  const skipString = () => {
    const quote = expr[i];
    i++;
    while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' ? 2 : 1;
    i++;
  };
  /** Skips from an opening bracket to its match, strings inside included. */
  const skipBalanced = (open: string, close: string) => {
    let depth = 0;
    while (i < expr.length) {
      const c = expr[i]!;
      if (c === '"' || c === "'" || c === '`') {
        skipString();
        continue;
      }
      if (c === open) depth++;
      if (c === close && --depth === 0) {
        i++;
        return;
      }
      i++;
    }
  };
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '"' || c === "'" || c === '`') skipString();
    else if (c === '{') skipBalanced('{', '}');
    else if (c === '[') skipBalanced('[', ']');
    else if (c === '#') while (i < expr.length && expr[i] !== '\n') i++;
    else if (/[0-9.]/.test(c)) while (i < expr.length && /[0-9a-zA-Z_.]/.test(expr[i]!)) i++;
    else if (c === '$') {
      i++;
      while (i < expr.length && /[a-zA-Z0-9_]/.test(expr[i]!)) i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const start = i;
      while (i < expr.length && /[a-zA-Z0-9_:]/.test(expr[i]!)) i++;
      const word = expr.slice(start, i);
      let j = i;
      while (j < expr.length && /\s/.test(expr[j]!)) j++;
      const followedByParen = expr[j] === '(';
      if (GROUPING.has(word) && followedByParen) {
        i = j;
        skipBalanced('(', ')');
      } else if (!followedByParen && !AGGREGATIONS.has(word) && !KEYWORDS.has(word.toLowerCase())) {
        names.add(word);
      }
    } else i++;
  }
  return [...names].sort();
}
