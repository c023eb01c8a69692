import { el } from '../dom';
import { formatInteger, formatMoney, formatPercent, formatPValue, formatRange } from '../format';
import { emptyState, errorState, loadingState } from '../page-states';
import { hrefOf } from '../router';
import { fetchExperiment, fetchExperimentNames, type ExperimentArm, type ExperimentReport } from '../workspace-api';

/**
 * Retention experiments: each arm's size and churn rate (95 % Wilson interval), each treatment arm
 * against the control (uplift, 95 % CI, p-value), and each arm's progress towards the minimum sample.
 */
export async function renderExperimentsPage(container: HTMLElement, selected: string | null): Promise<void> {
  const heading = el('h2', { class: 'page-title', tabindex: -1 }, 'Experiments');
  const body = el('div', {}, loadingState('the experiments'));
  container.replaceChildren(
    heading,
    el(
      'p',
      { class: 'intro' },
      'Arms as the scorer assigns them; churn among each arm’s targeted customers with a labelled outcome; each treatment against the control holdout.',
    ),
    body,
  );
  const retry = () => void renderExperimentsPage(container, selected);
  let names: string[];
  try {
    names = await fetchExperimentNames();
  } catch (error) {
    body.replaceChildren(errorState('the experiments', error, retry));
    return;
  }
  if (names.length === 0) {
    body.replaceChildren(emptyState('No experiment yet: predictions carry an experiment once the scorer runs with EXPERIMENT_NAME set.'));
    return;
  }
  const name = selected ?? names[0]!;
  const picker = el(
    'nav',
    { class: 'tabs', 'aria-label': 'Experiments' },
    el(
      'ul',
      {},
      ...names.map((n) =>
        el(
          'li',
          {},
          el(
            'a',
            { href: hrefOf({ page: 'experiments', name: n }), 'aria-current': n === name ? 'page' : undefined, 'data-testid': `experiment-link-${n}` },
            n,
          ),
        ),
      ),
    ),
  );
  const report = el('div', {}, loadingState(`experiment “${name}”`));
  body.replaceChildren(picker, report);
  try {
    report.replaceChildren(...experimentReport(await fetchExperiment(name)));
  } catch (error) {
    report.replaceChildren(errorState(`experiment “${name}”`, error, retry));
  }
}

function experimentReport(report: ExperimentReport): HTMLElement[] {
  const armsTable = el(
    'table',
    { 'data-testid': 'experiment-arms' },
    el('caption', {}, `Arms of “${report.name}”`),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Arm', 'Assigned', 'With outcome', 'Targeted', 'Churned', 'Churn rate', '95 % interval', 'Revenue retained', 'Cost'].map((h, i) =>
          el('th', { scope: 'col', class: i === 0 ? '' : 'num' }, h),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...report.arms.map((a) =>
        el(
          'tr',
          { 'data-testid': `arm-${a.arm}` },
          el('th', { scope: 'row' }, a.arm),
          num(formatInteger(a.customers), a.customers),
          num(formatInteger(a.with_outcome), a.with_outcome),
          num(formatInteger(a.targeted), a.targeted),
          num(formatInteger(a.churned), a.churned),
          num(formatPercent(a.churn_rate), a.churn_rate, 'churn-rate'),
          num(formatRange(a.churn_rate_ci95, formatPercent), null),
          num(formatMoney(a.revenue_retained), a.revenue_retained),
          num(formatMoney(a.cost), a.cost),
        ),
      ),
    ),
  );
  const comparisons =
    report.comparisons.length === 0
      ? emptyState('No comparison: the experiment has no control arm to compare against.')
      : el(
          'table',
          { 'data-testid': 'experiment-comparisons' },
          el('caption', {}, 'Each treatment arm against the control'),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Arm', 'Uplift (control − arm churn)', '95 % CI', 'p-value', 'Verdict'].map((h, i) =>
                el('th', { scope: 'col', class: i === 0 || i === 4 ? '' : 'num' }, h),
              ),
            ),
          ),
          el(
            'tbody',
            {},
            ...report.comparisons.map((c) =>
              el(
                'tr',
                { 'data-testid': `comparison-${c.arm}` },
                el('th', { scope: 'row' }, `${c.arm} vs ${c.against}`),
                num(formatPercent(c.difference), c.difference, 'uplift'),
                num(formatRange(c.ci95, formatPercent), null),
                num(formatPValue(c.p_value), c.p_value, 'p-value'),
                el('td', {}, verdict(c.significant, c.underpowered)),
              ),
            ),
          ),
        );
  return [
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'arms-title' },
      el('div', { class: 'panel-head' }, el('h3', { id: 'arms-title' }, 'Arms')),
      el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Arms table' }, armsTable),
    ),
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'comparisons-title' },
      el('div', { class: 'panel-head' }, el('h3', { id: 'comparisons-title' }, 'Uplift')),
      el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Comparisons table' }, comparisons),
    ),
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'progress-title' },
      el(
        'div',
        { class: 'panel-head' },
        el('h3', { id: 'progress-title' }, 'Progress towards the minimum sample'),
        el('span', { class: 'muted' }, `${formatInteger(report.minimum_per_arm)} targeted customers with an outcome per arm`),
      ),
      el('ul', { class: 'progress-list' }, ...report.arms.map((a) => progressOf(a, report.minimum_per_arm))),
      ...(report.warnings.length > 0
        ? [el('ul', { class: 'warnings', 'data-testid': 'experiment-warnings' }, ...report.warnings.map((w) => el('li', {}, w)))]
        : []),
    ),
  ];
}

function progressOf(arm: ExperimentArm, minimum: number): HTMLElement {
  const id = `progress-${arm.arm}`;
  const share = minimum > 0 ? Math.min(1, arm.targeted / minimum) : 1;
  return el(
    'li',
    {},
    el('label', { for: id }, `${arm.arm}: ${formatInteger(arm.targeted)} of ${formatInteger(minimum)}`),
    el('progress', { id, max: minimum, value: Math.min(arm.targeted, minimum), 'data-testid': id, 'data-value': share }, formatPercent(share, 0)),
  );
}

function verdict(significant: boolean, underpowered: boolean): HTMLElement {
  if (underpowered) return el('span', { class: 'badge badge-estimate' }, 'too few yet');
  return significant ? el('span', { class: 'badge badge-measured' }, 'significant (p < 0.05)') : el('span', { class: 'badge badge-medium' }, 'not significant');
}

function num(text: string, raw: number | null, testid?: string): HTMLElement {
  return el('td', { class: 'num', 'data-value': raw === null ? '' : String(raw), 'data-testid': testid }, text);
}
