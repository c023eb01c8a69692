import fs from 'node:fs';
import path from 'node:path';
import { AuditLogRepository, Database } from '@churn/db';
import { ModelVersionRepository, type ModelVersionRow } from '@churn/scorer-data';
import { getOrCreateCounter, getOrCreateGauge, type Logger, type Registry } from '@churn/observability';
import { UNNAMED_SPEC } from '@churn/feature-spec';
import {
  cardSpecRef,
  ModelRegistryDir,
  noVersionOfSpec,
  OnnxChurnModel,
  telcoFeatureSpecBlock,
  versionSpecMismatch,
  type AdditivityCheck,
  type ExplanationPath,
  type SpecRef,
} from '@churn/scoring';
import { ModelRegistryError } from './model-registry-error';
import type { ScorerConfig } from '../config';
import { SpecMismatchError, specMismatchCounter } from './spec-mismatch';

/** What one batch scores with: taken once at the start of a batch, so a swap never splits a batch. */
export interface ActiveModels {
  readonly champion: OnnxChurnModel;
  readonly shadow: OnnxChurnModel | null;
  /** The version serving the customers whose hash falls below `share` (servedByRollout); the champion serves the others. */
  readonly rollout: { readonly model: OnnxChurnModel; readonly share: number } | null;
}

/** How a loaded version computes explanations, and the load-time additivity check behind it. */
export interface ExplanationInfo {
  readonly method: string;
  readonly path: ExplanationPath;
  readonly additivity: AdditivityCheck | null;
}

function explanationInfo(model: OnnxChurnModel): ExplanationInfo {
  const method = (model.card.explanation as { method?: unknown }).method;
  return { method: typeof method === 'string' ? method : 'sampled_shapley', path: model.explanationPath, additivity: model.additivity };
}

type Role = 'champion' | 'shadow' | 'rollout';
const AUDIT_ACTION: Readonly<Record<Role, string>> = { champion: 'model.activate', shadow: 'model.shadow', rollout: 'model.rollout' };
/** Where a version was about to be served from: an admin's request, the start, or another instance's assignment seen by the poll. */
type Source = 'api' | 'startup' | 'poll';

/** What an admin's change of role carries besides the version: the share asked for (a rollout's, or 1 for a promotion through the rollout endpoint) and why. */
interface RoleChange {
  readonly share?: number;
  readonly reason?: string;
}

/** Old sessions are released this long after a swap, when no batch can still be using them. */
const RELEASE_DELAY_MS = 60_000;

/**
 * The instance's view of the model registry. Which version is champion or shadow lives in
 * `model_versions` (shared by every instance); the files come from the registry directory (or
 * MODEL_DIR). Each instance polls the table and swaps its in-memory sessions between batches.
 * Only versions trained on the scorer's own feature spec (FEATURE_SPEC_FILE) are ever served: the
 * vectors on the stream are of that spec, and a model of another spec would read them wrongly.
 */
export class ModelRegistryService {
  private readonly versions = new ModelVersionRepository();
  private readonly audit = new AuditLogRepository();
  private readonly dir: ModelRegistryDir;
  private pinned: { version: string; dir: string } | null = null;
  private models!: ActiveModels;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | null = null;
  private failedLoads = new Set<string>();
  private readonly metrics;
  /** The spec this scorer runs: every served version must have been trained on it. */
  readonly activeSpec: SpecRef & { readonly file: string };
  /** Names of the specs this instance knows, by hash, for readable refusals. */
  private readonly specNames = new Map<string, string>();

  constructor(
    private readonly database: Database,
    private readonly config: ScorerConfig,
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.dir = new ModelRegistryDir(config.MODEL_REGISTRY_DIR);
    const active = config.FEATURE_SPEC_FILE;
    this.activeSpec = { name: active.spec.name ?? UNNAMED_SPEC, hash: active.hash, file: active.file };
    const telco = telcoFeatureSpecBlock();
    this.rememberSpec(telco);
    this.rememberSpec(this.activeSpec);
    this.metrics = {
      specMismatch: specMismatchCounter(registry),
      swaps: getOrCreateCounter(registry, { name: 'scorer_model_swaps_total', help: 'Model sessions swapped in, by role.', labelNames: ['role'] as const }),
      loadFailures: getOrCreateCounter(registry, { name: 'scorer_model_load_failures_total', help: 'Model versions that could not be loaded.', labelNames: ['version'] as const }),
      active: getOrCreateGauge(registry, { name: 'scorer_model_active_info', help: '1 for the version serving each role on this instance.', labelNames: ['role', 'version'] as const }),
      rolloutShare: getOrCreateGauge(registry, {
        name: 'scorer_rollout_share',
        help: 'Share of live customers (0-1) the version under rollout serves on this instance; absent without a rollout.',
        labelNames: ['version'] as const,
      }),
      explanationPath: getOrCreateGauge(registry, {
        name: 'scorer_explanation_path_info',
        help: '1 for how each serving version computes explanations on this instance (additive_logit fast path or full_evaluation).',
        labelNames: ['role', 'version', 'path'] as const,
      }),
    };
  }

  /** Registers the versions found on disk, settles the champion, loads the models. */
  async start(): Promise<void> {
    const found = this.dir.versions().map((version) => ({ version, card: this.dir.readCard(version) }));
    if (this.config.MODEL_DIR) {
      const dir = path.resolve(this.config.MODEL_DIR);
      const card = JSON.parse(fs.readFileSync(path.join(dir, 'model-card.json'), 'utf8')) as { version?: string };
      if (!card.version) throw new Error(`MODEL_DIR ${dir}: model-card.json has no version`);
      this.pinned = { version: card.version, dir };
      if (!found.some((f) => f.version === card.version)) found.push({ version: card.version, card });
    }
    const fresh = await this.database.transaction((tx) => this.versions.registerNew(tx, found, 'scorer:startup'));
    if (fresh.size > 0) this.logger.info({ versions: [...fresh] }, 'registered model versions');
    const specOf = new Map((await this.versions.list(this.database)).map((row) => [row.version, cardSpecRef(row.card)]));
    for (const spec of specOf.values()) this.rememberSpec(spec);
    const ofActiveSpec = (version: string | null): version is string => version !== null && specOf.get(version)?.hash === this.activeSpec.hash;
    const { champion } = await this.versions.assignments(this.database);
    let pointer = this.pinned?.version ?? this.dir.active();
    if (pointer !== null && !ofActiveSpec(pointer)) {
      this.refusedAtStart(pointer, specOf.get(pointer), this.pinned ? 'MODEL_DIR' : 'the registry\'s active version');
      pointer = null;
    }
    // MODEL_DIR is an operator's explicit choice; a newly trained active version takes over; otherwise the table decides.
    if (pointer && (this.pinned !== null || champion === null || fresh.has(pointer)) && champion !== pointer) {
      await this.setRole(pointer, 'champion', this.pinned ? 'scorer:MODEL_DIR' : 'scorer:startup', 'startup');
    } else if (!ofActiveSpec(champion)) {
      if (champion !== null) this.refusedAtStart(champion, specOf.get(champion), 'the registry\'s champion');
      // No champion of this spec: the active version if it is of it, else the newest version of it this instance has.
      const fallback = pointer ?? [...specOf.keys()].filter((v) => ofActiveSpec(v) && this.dir.has(v)).sort().at(-1);
      if (fallback === undefined) throw new Error(noVersionOfSpec(this.activeSpec, [...specOf].map(([version, spec]) => ({ version, spec }))));
      await this.setRole(fallback, 'champion', 'scorer:startup', 'startup: the champion was not of the active feature spec');
    }
    const assigned = await this.versions.assignments(this.database);
    let championModel: OnnxChurnModel;
    try {
      championModel = await this.load(assigned.champion ?? pointer ?? '', 'champion', 'startup');
    } catch (error) {
      if (!pointer || pointer === assigned.champion) throw error;
      // The table names a version whose files this instance does not have: serve the registry's active one.
      this.logger.error({ err: error, champion: assigned.champion, serving: pointer }, 'champion not loadable here; serving the active version');
      championModel = await this.load(pointer, 'champion', 'startup');
    }
    const shadow = assigned.shadow ? await this.load(assigned.shadow, 'shadow', 'startup').catch((error: unknown) => this.loadFailed(assigned.shadow!, error)) : null;
    // A rollout this instance cannot load is not served here: its customers get the champion, and the failure is counted.
    const rolloutModel = assigned.rollout ? await this.load(assigned.rollout.version, 'rollout', 'startup').catch((error: unknown) => this.loadFailed(assigned.rollout!.version, error)) : null;
    this.install({ champion: championModel, shadow, rollout: rolloutModel && assigned.rollout ? { model: rolloutModel, share: assigned.rollout.share } : null });
    this.timer = setInterval(() => void this.sync().catch((error: unknown) => this.logger.warn({ err: error }, 'model registry poll failed')), this.config.MODEL_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  current(): ActiveModels {
    return this.models;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.syncing?.catch(() => undefined);
    await this.models?.champion.close();
    await this.models?.shadow?.close();
    await this.models?.rollout?.model.close();
  }

  /** Picks up a change of champion, shadow or rollout (version or share) made by any instance; loads before it swaps. */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  async list(): Promise<(ModelVersionRow & { files_present: boolean; serving: Role | null; explanation: ExplanationInfo | null })[]> {
    const rows = await this.versions.list(this.database);
    const { champion, shadow, rollout } = this.models;
    const serving: [Role, OnnxChurnModel | null | undefined][] = [['champion', champion], ['shadow', shadow], ['rollout', rollout?.model]];
    return rows.map((row) => {
      const [role, model] = serving.find(([, m]) => m?.version === row.version) ?? [null, null];
      return {
        ...row,
        files_present: this.dir.has(row.version) || this.pinned?.version === row.version,
        serving: role,
        explanation: model ? explanationInfo(model) : null,
      };
    });
  }

  /**
   * Admin operation: make `version` champion, shadow or the version under rollout (at `share`, strictly
   * between 0 and 1), audited, then swap on this instance at once.
   */
  async assign(version: string, role: Role, actor: string, change: RoleChange = {}): Promise<ActiveModels> {
    const row = await this.versions.find(this.database, version);
    if (!row) throw new ModelRegistryError('MODEL_NOT_FOUND', `model version ${version} is not registered`);
    if (role !== 'champion' && row.role === 'champion') {
      throw new ModelRegistryError('MODEL_IS_CHAMPION', `${version} is the champion; it cannot ${role === 'shadow' ? 'shadow' : 'be rolled out beside'} itself`);
    }
    const mismatch = versionSpecMismatch(version, cardSpecRef(row.card), this.activeSpec);
    if (mismatch) await this.refuse(version, role, actor, mismatch);
    // Load first: a version whose files are missing or broken never becomes champion.
    await this.load(version, role, 'api').then(
      (m) => m.close(),
      async (error: unknown) => {
        // The files on disk may record another spec than the card registered under this version.
        if (error instanceof SpecMismatchError) await this.refuse(version, role, actor, error.message);
        throw new ModelRegistryError('MODEL_NOT_LOADABLE', (error as Error).message);
      },
    );
    await this.setRole(version, role, actor, 'api', change);
    await this.sync();
    return this.models;
  }

  /**
   * Admin operation: serve `share` of live customers with `version`. 0 rolls the rollout of that version
   * back; 1 promotes it: it becomes champion as an activation does, and serves everyone.
   */
  async rollout(version: string, share: number, actor: string, reason: string | undefined): Promise<ActiveModels> {
    if (share === 1) return this.assign(version, 'champion', actor, { share, reason });
    if (share > 0) return this.assign(version, 'rollout', actor, { share, reason });
    const { rollout } = await this.versions.assignments(this.database);
    if (rollout?.version !== version) throw new ModelRegistryError('NOT_UNDER_ROLLOUT', `${version} is not under rollout${rollout ? ` (${rollout.version} is)` : ''}`);
    await this.rollback(actor, reason ?? 'share set to 0');
    return this.models;
  }

  /** Admin operation: end the rollout in one call (the champion serves everyone), audited with who and why. */
  async rollback(actor: string, reason: string): Promise<{ version: string; share: number } | null> {
    const ended = await this.database.transaction(async (tx) => {
      const before = await this.versions.endRollout(tx, actor);
      if (before) {
        const { champion } = await this.versions.assignments(tx);
        await this.audit.record(tx, {
          actor,
          action: 'model.rollout.rollback',
          subject: `model:${before.version}`,
          details: { version: before.version, previous_share: before.share, share: 0, champion, reason },
        });
      }
      return before;
    });
    if (ended) this.logger.warn({ version: ended.version, previous_share: ended.share, actor, reason }, 'rollout rolled back: the champion serves every customer');
    await this.sync();
    return ended;
  }

  /** The name of a spec this instance knows by its hash (the active one, the Telco one, those of registered versions). */
  specName(hash: string): string | undefined {
    return this.specNames.get(hash);
  }

  private rememberSpec(spec: SpecRef): void {
    this.specNames.set(spec.hash, spec.name);
  }

  /** An admin asked to serve a version of another spec: counted, logged, audited as refused, answered 409. */
  private async refuse(version: string, role: Role, actor: string, reason: string): Promise<never> {
    this.metrics.specMismatch.inc({ role, source: 'api' });
    this.logger.warn({ version, role, actor, reason }, 'model assignment refused: another feature spec');
    await this.database.transaction((tx) =>
      this.audit.record(tx, {
        actor,
        action: `${AUDIT_ACTION[role]}.refused`,
        subject: `model:${version}`,
        details: { version, role, code: 'SPEC_MISMATCH', reason, active_spec: { name: this.activeSpec.name, hash: this.activeSpec.hash } },
      }),
    );
    throw new ModelRegistryError('SPEC_MISMATCH', reason);
  }

  /** A version the start would have made champion is of another spec: said loudly, counted, left as it is. */
  private refusedAtStart(version: string, spec: SpecRef | undefined, what: string): void {
    this.metrics.specMismatch.inc({ role: 'champion', source: 'startup' });
    const reason = versionSpecMismatch(version, spec ?? cardSpecRef(null), this.activeSpec);
    this.logger.error({ version, reason }, `${what} ${version} is of another feature spec; not made champion`);
  }

  private async setRole(version: string, role: Role, actor: string, via: string, change: RoleChange = {}): Promise<void> {
    const { share, reason } = change;
    await this.database.transaction(async (tx) => {
      const before = await this.versions.assignments(tx);
      if (role === 'champion') await this.versions.makeChampion(tx, version, actor);
      else if (role === 'shadow') await this.versions.makeShadow(tx, version, actor);
      else await this.versions.startRollout(tx, version, share!, actor);
      await this.audit.record(tx, {
        actor,
        action: AUDIT_ACTION[role],
        subject: `model:${version}`,
        details: {
          version,
          role,
          via,
          ...(share !== undefined ? { share } : {}),
          // Share 1: the version becomes champion; whether it was the one under rollout is worth reading later.
          ...(role === 'champion' && share === 1 ? { promoted_from_rollout: before.rollout?.version === version } : {}),
          ...(reason ? { reason } : {}),
          previous_champion: before.champion,
          previous_shadow: before.shadow,
          previous_rollout: before.rollout,
        },
      });
    });
    this.logger.info({ version, role, actor, via, share }, 'model role changed');
  }

  private async doSync(): Promise<void> {
    const assigned = await this.versions.assignments(this.database);
    const current = this.models;
    let champion = current.champion;
    let shadow = current.shadow;
    if (assigned.champion && assigned.champion !== champion.version && !this.failedLoads.has(assigned.champion)) {
      champion = (await this.load(assigned.champion, 'champion', 'poll').catch((error: unknown) => this.loadFailed(assigned.champion!, error))) ?? champion;
    }
    if ((assigned.shadow ?? null) !== (shadow?.version ?? null) && !(assigned.shadow && this.failedLoads.has(assigned.shadow))) {
      shadow = assigned.shadow ? ((await this.load(assigned.shadow, 'shadow', 'poll').catch((error: unknown) => this.loadFailed(assigned.shadow!, error))) ?? shadow) : null;
    }
    let rollout = current.rollout;
    const wanted = assigned.rollout;
    if (wanted === null) rollout = null;
    else if (wanted.version === rollout?.model.version) rollout = wanted.share === rollout.share ? rollout : { model: rollout.model, share: wanted.share };
    else if (!this.failedLoads.has(wanted.version)) {
      // Until the new version is loaded, nobody is served by the old one: its customers go back to the champion.
      const model = await this.load(wanted.version, 'rollout', 'poll').catch((error: unknown) => this.loadFailed(wanted.version, error));
      rollout = model ? { model, share: wanted.share } : null;
    } else rollout = null;
    if (champion === current.champion && shadow === current.shadow && rollout === current.rollout) return;
    this.install({ champion, shadow, rollout });
    const serving = [champion, shadow, rollout?.model];
    const retired = [current.champion, current.shadow, current.rollout?.model].filter((m): m is OnnxChurnModel => m != null && !serving.includes(m));
    setTimeout(() => retired.forEach((m) => void m.close().catch(() => undefined)), RELEASE_DELAY_MS).unref();
  }

  private install(models: ActiveModels): void {
    const previous = this.models;
    this.models = models;
    this.metrics.active.reset();
    this.metrics.active.set({ role: 'champion', version: models.champion.version }, 1);
    if (models.shadow) this.metrics.active.set({ role: 'shadow', version: models.shadow.version }, 1);
    this.metrics.explanationPath.reset();
    this.metrics.explanationPath.set({ role: 'champion', version: models.champion.version, path: models.champion.explanationPath }, 1);
    if (models.shadow) this.metrics.explanationPath.set({ role: 'shadow', version: models.shadow.version, path: models.shadow.explanationPath }, 1);
    this.metrics.rolloutShare.reset();
    if (models.rollout) {
      const { model, share } = models.rollout;
      this.metrics.active.set({ role: 'rollout', version: model.version }, 1);
      this.metrics.explanationPath.set({ role: 'rollout', version: model.version, path: model.explanationPath }, 1);
      this.metrics.rolloutShare.set({ version: model.version }, share);
    }
    if (previous?.champion !== models.champion) this.metrics.swaps.inc({ role: 'champion' });
    if (previous?.shadow !== models.shadow) this.metrics.swaps.inc({ role: 'shadow' });
    if (previous?.rollout?.model !== models.rollout?.model) this.metrics.swaps.inc({ role: 'rollout' });
    this.logger.info({ champion: models.champion.version, shadow: models.shadow?.version ?? null, rollout: models.rollout ? { version: models.rollout.model.version, share: models.rollout.share } : null }, 'serving models');
  }

  /** Loads a version to serve in `role`; a version of another spec than the active one is closed and refused. */
  private async load(version: string, role: Role, source: Source): Promise<OnnxChurnModel> {
    const dir = this.pinned?.version === version ? this.pinned.dir : this.dir.dirOf(version);
    const model = await OnnxChurnModel.load(dir, { validation: { rangeTolerance: this.config.FEATURE_RANGE_TOLERANCE } });
    if (model.version !== version) {
      await model.close();
      throw new Error(`${dir} holds version ${model.version}, not ${version}`);
    }
    const mismatch = versionSpecMismatch(version, cardSpecRef(model.card), this.activeSpec);
    if (mismatch) {
      await model.close();
      // The API counts its own refusals (it checks the registered card first).
      if (source !== 'api') this.metrics.specMismatch.inc({ role, source });
      throw new SpecMismatchError(mismatch);
    }
    this.failedLoads.delete(version);
    this.logger.info({ version, explanation: explanationInfo(model) }, model.explanationPath === 'additive_logit' ? 'explanations: additive-logit fast path (additivity verified at load)' : 'explanations: full evaluation');
    return model;
  }

  private loadFailed(version: string, error: unknown): null {
    this.failedLoads.add(version);
    if (error instanceof SpecMismatchError) {
      this.logger.error({ version, reason: error.message }, 'model version of another feature spec not served; keeping the current one');
      return null;
    }
    this.metrics.loadFailures.inc({ version });
    this.logger.error({ err: error, version }, 'cannot load model version; keeping the current one');
    return null;
  }
}
