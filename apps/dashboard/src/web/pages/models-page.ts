import type { QualityFigures } from '../api';
import { confirmAction } from '../confirm-dialog';
import { claimedRoles, storedCredentials } from '../credentials';
import { el } from '../dom';
import { signsInWithProvider } from '../session';
import { DASH, formatDecimal, formatInteger, formatPercent, formatTime } from '../format';
import { describeError, emptyState, errorState, loadingState } from '../page-states';
import {
  activateModel,
  fetchLiveQuality,
  fetchModelRegistry,
  fetchRolloutArms,
  rollBack,
  rollOutModel,
  type LiveQuality,
  type ModelRegistry,
  type RolloutArm,
} from '../workspace-api';

type Registered = ModelRegistry['models'][number];

export interface ModelsPageHooks {
  /** Shows the outcome of an action where everyone sees it. */
  readonly toast: (message: string, kind: 'ok' | 'error') => void;
  /** Opens the sign-in dialog; resolves true when the person signed in. */
  readonly signIn: () => Promise<boolean>;
}

const NEEDS_ADMIN = 'needs-admin';

/**
 * The models page: champion, shadow and the version under rollout side by side with their live
 * quality, every registered version, and the admin actions (make champion, roll out a share, roll
 * back), each behind a confirmation. The scorer decides who may: the buttons are disabled, with the
 * reason, for a person whose token does not claim the admin role, and a refusal is explained here.
 */
export async function renderModelsPage(container: HTMLElement, hooks: ModelsPageHooks): Promise<void> {
  const notice = el('div', { id: 'models-notice', 'aria-live': 'polite' });
  const body = el('div', {}, loadingState('the models'));
  container.replaceChildren(el('h2', { class: 'page-title', tabindex: -1 }, 'Models'), notice, body);
  const reload = () => renderModelsPage(container, hooks);
  let registry: ModelRegistry;
  let quality: LiveQuality[];
  let arms: RolloutArm[];
  try {
    [registry, quality, arms] = await Promise.all([fetchModelRegistry(), fetchLiveQuality(), fetchRolloutArms()]);
  } catch (error) {
    body.replaceChildren(errorState('the models', error, () => void reload()));
    return;
  }
  if (registry.models.length === 0) {
    body.replaceChildren(emptyState('No model version is registered: train one (`npm run train`) and start the scorer.'));
    return;
  }
  const permission = adminPermission();
  const act = async (run: (token: string) => Promise<unknown>, done: string) => {
    const credentials = storedCredentials();
    if (!credentials) return;
    try {
      await run(credentials.token);
      hooks.toast(`${done} by ${credentials.name}.`, 'ok');
      await reload();
    } catch (error) {
      notice.replaceChildren(el('p', { class: 'banner', role: 'alert', 'data-testid': 'models-refused' }, `Refused: ${describeError(error)}.`));
      hooks.toast(`Refused: ${describeError(error)}.`, 'error');
    }
  };
  body.replaceChildren(
    servingSideBySide(registry, quality, arms),
    el(
      'section',
      { class: 'panel', 'aria-labelledby': 'versions-title' },
      el(
        'div',
        { class: 'panel-head' },
        el('h3', { id: 'versions-title' }, 'Registered versions'),
        permissionNote(permission, hooks, () => void reload()),
      ),
      el(
        'div',
        { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Registered versions table' },
        versionsTable(registry, quality, permission, act),
      ),
    ),
  );
}

type Permission = { allowed: true } | { allowed: false; reason: string };

function adminPermission(): Permission {
  const credentials = storedCredentials();
  const withSession = signsInWithProvider();
  if (!credentials)
    return { allowed: false, reason: `Changing which model serves needs the admin role: sign in ${withSession ? 'as an admin' : 'with an admin token'}.` };
  if (claimedRoles(credentials.token).includes('admin')) return { allowed: true };
  return {
    allowed: false,
    reason: `Changing which model serves needs the admin role; ${credentials.name}${withSession ? ' does not have it' : "'s token lacks it"}.`,
  };
}

function permissionNote(permission: Permission, hooks: ModelsPageHooks, reload: () => void): HTMLElement {
  if (permission.allowed) return el('span', { class: 'muted' }, 'Each action asks for confirmation and is audited by the scorer.');
  const note = el('span', { id: NEEDS_ADMIN, class: 'needs-admin', 'data-testid': 'models-needs-admin' }, permission.reason, ' ');
  if (!storedCredentials()) {
    const button = el('button', { type: 'button', class: 'secondary-dark' }, 'Sign in');
    button.addEventListener('click', () => void hooks.signIn().then((ok) => ok && reload()));
    note.append(button);
  }
  return note;
}

const ROLE_NAMES: Readonly<Record<'champion' | 'shadow' | 'rollout', string>> = { champion: 'Champion', shadow: 'Shadow', rollout: 'Canary (rollout)' };

/** One card per serving role, each with its live figures on the customers it serves (the rollout's arms) or scores (shadow). */
function servingSideBySide(registry: ModelRegistry, quality: LiveQuality[], arms: RolloutArm[]): HTMLElement {
  const serving = (['champion', 'rollout', 'shadow'] as const).flatMap((role) => {
    const model = registry.models.find((m) => m.role === role);
    return model ? [{ role, model }] : [];
  });
  return el(
    'section',
    { class: 'serving-grid', 'aria-label': 'Serving models' },
    ...serving.map(({ role, model }) => {
      const arm = arms.find((a) => a.model_version === model.version);
      const live = arm?.quality?.windows.all?.overall ?? liveFigures(quality, model.version, role === 'shadow' ? 'shadow' : 'champion');
      const share =
        role === 'rollout'
          ? (registry.rollout?.share ?? model.rollout_share)
          : role === 'champion' && registry.rollout
            ? 1 - (registry.rollout.share ?? 0)
            : role === 'champion'
              ? 1
              : null;
      return el(
        'article',
        { class: `panel serving serving-${role}`, 'data-testid': `serving-${role}`, 'data-version': model.version },
        el('h3', {}, ROLE_NAMES[role], ' ', el('code', {}, model.version)),
        el(
          'p',
          { class: 'muted' },
          share === null
            ? 'scores live traffic; never alerts or writes to a CRM'
            : `serves ${formatPercent(share, 0)} of customers${arm ? ` · ${formatInteger(arm.customers)} in the exposure window` : ''}`,
        ),
        qualityFacts(live, model),
      );
    }),
  );
}

function liveFigures(quality: LiveQuality[], version: string, role: 'champion' | 'shadow'): QualityFigures | undefined {
  return quality.find((q) => q.model_version === version && q.role === role)?.windows.all?.overall;
}

function qualityFacts(live: QualityFigures | undefined, model: Registered): HTMLElement {
  const row = (label: string, value: string, testid?: string) => [el('dt', {}, label), el('dd', { 'data-testid': testid }, value)];
  const labelled = live && live.count > 0;
  return el(
    'dl',
    { class: 'facts facts-2' },
    ...row('Outcomes', formatInteger(live?.count ?? 0)),
    ...row('Live ROC-AUC', labelled ? formatDecimal(live.roc_auc) : DASH, `live-roc-auc-${model.version}`),
    ...row('Live PR-AUC', labelled ? formatDecimal(live.pr_auc) : DASH),
    ...row('Live Brier', labelled ? formatDecimal(live.brier) : DASH),
    ...row('Holdout ROC-AUC', formatDecimal(model.holdout_metrics?.roc_auc)),
    ...row('Since', model.activated_at ? formatTime(model.activated_at) : DASH),
  );
}

type Act = (run: (token: string) => Promise<unknown>, done: string) => Promise<void>;

function versionsTable(registry: ModelRegistry, quality: LiveQuality[], permission: Permission, act: Act): HTMLElement {
  const sorted = [...registry.models].sort((a, b) => roleRank(a.role) - roleRank(b.role) || b.registered_at.localeCompare(a.registered_at));
  return el(
    'table',
    { 'data-testid': 'model-versions' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Version', 'Role', 'Type', 'Holdout ROC-AUC', 'Live ROC-AUC', 'Registered', 'Actions'].map((h, i) =>
          el('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : '' }, h),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...sorted.map((m) => {
        const live = liveFigures(quality, m.version, m.role === 'shadow' ? 'shadow' : 'champion');
        return el(
          'tr',
          { 'data-testid': `model-row-${m.version}`, 'data-role': m.role },
          el('th', { scope: 'row' }, el('code', {}, m.version)),
          el('td', {}, el('span', { class: `badge badge-role-${m.role}` }, m.role === 'rollout' ? `rollout ${formatPercent(m.rollout_share, 0)}` : m.role)),
          el('td', {}, m.model_type ?? DASH),
          el('td', { class: 'num' }, formatDecimal(m.holdout_metrics?.roc_auc)),
          el('td', { class: 'num' }, live && live.count > 0 ? formatDecimal(live.roc_auc) : DASH),
          el('td', {}, formatTime(m.registered_at)),
          el('td', { class: 'actions-cell' }, ...actionsFor(m, registry, permission, act)),
        );
      }),
    ),
  );
}

function roleRank(role: Registered['role']): number {
  return ['champion', 'rollout', 'shadow', 'registered'].indexOf(role);
}

function actionButton(label: string, testid: string, permission: Permission, onClick: () => void, disabledWhy?: string): HTMLButtonElement {
  const blocked = disabledWhy !== undefined || !permission.allowed;
  const button = el(
    'button',
    {
      type: 'button',
      class: 'small',
      'data-testid': testid,
      disabled: blocked,
      'aria-describedby': !permission.allowed ? NEEDS_ADMIN : undefined,
      title: disabledWhy ?? (permission.allowed ? undefined : permission.reason),
    },
    label,
  );
  button.addEventListener('click', onClick);
  return button;
}

function actionsFor(model: Registered, registry: ModelRegistry, permission: Permission, act: Act): HTMLElement[] {
  if (model.role === 'champion') return [el('span', { class: 'muted' }, 'serving')];
  const missing = model.files_present ? undefined : 'Its files are not on this scorer instance.';
  const buttons = [
    actionButton('Make champion', `activate-${model.version}`, permission, () => void confirmActivate(model, registry, act), missing),
    actionButton(
      model.role === 'rollout' ? 'Change share' : 'Roll out…',
      `rollout-${model.version}`,
      permission,
      () => void confirmRollout(model, act),
      missing,
    ),
  ];
  if (model.role === 'rollout')
    buttons.push(actionButton('Roll back', `rollback-${model.version}`, permission, () => void confirmRollback(model, registry, act)));
  return buttons;
}

async function confirmActivate(model: Registered, registry: ModelRegistry, act: Act): Promise<void> {
  const champion = registry.models.find((m) => m.role === 'champion')?.version ?? 'none';
  const answer = await confirmAction({
    title: `Make ${model.version} the champion?`,
    body: [el('p', {}, `It replaces ${champion} for every customer within the scorers' poll interval, and every alert and CRM score comes from it.`)],
    confirmLabel: 'Make champion',
  });
  if (answer) await act((token) => activateModel(model.version, token), `${model.version} made champion`);
}

async function confirmRollout(model: Registered, act: Act): Promise<void> {
  const current = model.rollout_share === null ? 10 : Math.round(model.rollout_share * 100);
  const answer = await confirmAction({
    title: `Roll out ${model.version}?`,
    body: [el('p', {}, 'It serves this share of live customers (chosen by customer hash); the champion serves the rest. 100 % makes it the champion.')],
    confirmLabel: 'Roll out',
    fields: [
      el(
        'label',
        { for: 'confirm-share' },
        'Share of customers (%)',
        el('input', {
          id: 'confirm-share',
          name: 'share',
          type: 'number',
          min: 1,
          max: 100,
          step: 1,
          value: current,
          required: true,
          'data-testid': 'confirm-share',
        }),
      ),
      el(
        'label',
        { for: 'confirm-reason' },
        'Reason (kept in the audit log)',
        el('input', { id: 'confirm-reason', name: 'reason', maxlength: 500, required: true, 'data-testid': 'confirm-reason' }),
      ),
    ],
  });
  if (!answer) return;
  const share = Number(answer.get('share')) / 100;
  await act((token) => rollOutModel(model.version, share, String(answer.get('reason')), token), `${model.version} rolled out to ${formatPercent(share, 0)}`);
}

async function confirmRollback(model: Registered, registry: ModelRegistry, act: Act): Promise<void> {
  const champion = registry.models.find((m) => m.role === 'champion')?.version ?? 'the champion';
  const answer = await confirmAction({
    title: `Roll back ${model.version}?`,
    body: [el('p', {}, `The rollout ends: ${champion} serves every customer again.`)],
    confirmLabel: 'Roll back',
    fields: [
      el(
        'label',
        { for: 'confirm-reason' },
        'Reason (kept in the audit log)',
        el('input', { id: 'confirm-reason', name: 'reason', maxlength: 500, required: true, 'data-testid': 'confirm-reason' }),
      ),
    ],
  });
  if (answer) await act((token) => rollBack(String(answer.get('reason')), token), `${model.version} rolled back`);
}
