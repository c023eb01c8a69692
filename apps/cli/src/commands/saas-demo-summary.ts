import { SAAS_DEMO_RANGE_TOLERANCE, SAAS_DEMO_TRAINER_CONFIG, type SaasDemoSummary } from './saas-demo';
import { streamEqualsBatch } from './stream-batch-check';
import { sandboxLines, type RunningPlatform } from './up.command';

/** The SaaS demo's summary, in the Telco demo's style; every line says the data is SYNTHETIC so that no figure is quoted as a real business's. */
export function formatSaasSummary(summary: SaasDemoSummary, platform: RunningPlatform): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const { model, streamBatch: check } = summary;
  const verdict = streamEqualsBatch(check)
    ? `stream = batch: ${count(check.compared)} customers, max |difference| ${check.maxDifference.toExponential(1)} (tolerance ${check.tolerance})`
    : `stream ≠ batch: ${count(check.mismatches.length)} differ beyond ${check.tolerance} of ${count(check.compared)} compared, ${count(check.missingFromStream.length)} table rows not streamed`;
  const lines = [
    'Churn Radar demo — SYNTHETIC SaaS business — summary',
    `  customers generated     ${count(summary.customers)} (SYNTHETIC)`,
    `  events replayed         ${count(summary.events)} (SYNTHETIC)`,
    `  point-in-time table     ${count(summary.tableRows)} customers active at ${summary.snapshot}, ${count(summary.churners)} cancel in the 90 days after (SYNTHETIC)`,
    `  model                   ${model.version}: ${model.candidate}, trainer config ${summary.trainerConfig} (SYNTHETIC data${summary.trainerConfig === SAAS_DEMO_TRAINER_CONFIG ? '; the small config: fewer trees and folds than the default' : ''})`,
    `  CV ROC-AUC              ${model.cvRocAuc.toFixed(4)} over ${model.cvFolds} folds of the development split (SYNTHETIC data)`,
    `  held-out ROC-AUC        ${model.holdoutRocAuc.toFixed(4)} on ${count(model.holdoutRows)} of ${count(model.trainingRows)} customers kept out of training (SYNTHETIC data)`,
    `  rescored as of          ${summary.snapshot}: ${count(summary.rescored)} feature vectors published, ${count(check.notInTable.length)} of them of customers cancelled before it (not in the table) (SYNTHETIC)`,
    `  ${verdict} (SYNTHETIC)`,
    `  churns derived          ${count(summary.derivedChurns)} churned outcomes from the replay's cancellations (ingest; no outcome feed) (SYNTHETIC)`,
    `  dead letters            ${count(summary.deadLetters)} (the scorer accepting numbers up to ${SAAS_DEMO_RANGE_TOLERANCE}× their training range beyond it) (SYNTHETIC replay)`,
  ];
  return ['', ...lines, '', ...platform.services.map((s) => `  ${s.name.padEnd(10)} http://127.0.0.1:${s.port}`), ...sandboxLines(platform), ''].join('\n');
}
