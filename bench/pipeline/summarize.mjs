#!/usr/bin/env node
// Markdown tables of one or more pipeline-bench result files (for bench/README.md).
//   node bench/pipeline/summarize.mjs bench/results/pipeline/last-run.json [other-run.json …]
import fs from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) files.push('bench/results/pipeline/last-run.json');
const fmt = (x) => (x === null || x === undefined ? '—' : typeof x === 'number' ? x.toLocaleString('en-US') : String(x));
const settingsOf = (r) =>
  Object.entries(r.service_env ?? {})
    .filter(([, v]) => v !== '(default)')
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || 'defaults';
const out = [];
for (const file of files) {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  out.push(`### ${settingsOf(r)} — ${r.started} (load ${r.load_before} → ${r.load_after})`, '', `\`${r.command}\``, '');
  if (r.ceiling_kafkajs) {
    out.push(
      `Ceiling (${r.mean_event_bytes}-byte messages, 6 partitions): kafkajs produce→consume **${fmt(r.ceiling_kafkajs.produce_consume_msgs_per_s)} msg/s** (produce alone ${fmt(r.ceiling_kafkajs.produce_msgs_per_s)}); ` +
        `Kafka's ProducerPerformance ${fmt(r.ceiling_jvm_tools?.producer_records_per_s)} records/s, ConsumerPerformance ${fmt(r.ceiling_jvm_tools?.consumer_records_per_s)} records/s.`,
      '',
    );
  }
  out.push(
    '| explanations | offered events/s | sent events/s | predictions/s | event → prediction p50 / p95 / p99 ms | event → features p99 ms | runs (p99 each) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of r.settings) {
    for (const f of s.fixed_rate) {
      const m = f.median;
      out.push(
        `| ${s.stream_explanations ? 'on' : 'off'} | ${fmt(f.offered_events_per_s)} | ${fmt(m.achieved_send_events_per_s)} | ${fmt(m.predictions_per_s_during_send)} | ${fmt(m.p50_ms)} / ${fmt(m.p95_ms)} / **${fmt(m.p99_ms)}** | ${fmt(m.features_p99_ms)} | ${f.runs.map((x) => fmt(x.latency_ms.p99)).join(', ')} |`,
      );
    }
  }
  out.push(
    '',
    '| explanations | saturation: events/s (to the last prediction) | predictions/s | incl. alerting, crm-sync, monitoring caught up | ratio to the ceiling | published at (events/s) | runs (events/s) |',
    '|---|---|---|---|---|---|---|',
  );
  for (const s of r.settings) {
    if (!s.saturation) continue;
    const m = s.saturation.median;
    out.push(
      `| ${s.stream_explanations ? 'on' : 'off'} | **${fmt(m.events_per_s)}** | ${fmt(m.predictions_per_s)} | ${fmt(m.events_per_s_incl_downstream)} | ${fmt(s.saturation.ratio_to_ceiling)} | ${s.saturation.runs.map((x) => fmt(Math.round(x.events / x.publish_s))).join(', ')} | ${s.saturation.runs.map((x) => fmt(x.events_per_s)).join(', ')} |`,
    );
  }
  // CPU per component: the saturation runs (median of runs), and the 1,000 events/s runs.
  const components = ['ingest', 'scorer', 'alerting', 'crm-sync', 'monitoring', 'broker', 'postgres', 'bench'];
  out.push('', `| CPU s per 1,000 events (cores busy) | ${components.join(' | ')} | total |`, `|---|${components.map(() => '---').join('|')}|---|`);
  for (const s of r.settings) {
    const rows = [['saturation', s.saturation?.runs ?? []], ...s.fixed_rate.map((f) => [`${fmt(f.offered_events_per_s)}/s`, f.runs])];
    for (const [label, runs] of rows) {
      if (runs.length === 0) continue;
      const med = (key, field) => {
        const xs = runs.map((x) => x[field][key]).sort((a, b) => a - b);
        return xs.length % 2 ? xs[(xs.length - 1) / 2] : Number(((xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2).toFixed(3));
      };
      const total = components.reduce((n, c) => n + (med(c, 'cpu_s_per_1000_events') ?? 0), 0);
      const totalCores = components.reduce((n, c) => n + (med(c, 'cores_busy') ?? 0), 0);
      out.push(
        `| ${label}, explanations ${s.stream_explanations ? 'on' : 'off'} | ${components.map((c) => `${fmt(med(c, 'cpu_s_per_1000_events'))} (${fmt(med(c, 'cores_busy'))})`).join(' | ')} | ${total.toFixed(3)} (${totalCores.toFixed(2)}) |`,
      );
    }
  }
  out.push('');
}
process.stdout.write(`${out.join('\n')}\n`);
