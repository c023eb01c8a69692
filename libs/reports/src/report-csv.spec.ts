import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { reportCsv } from './report-csv';
import { sampleReport } from './report-spec-fixture';

/** The rows of one block: from its title row to the blank row after it. */
function block(rows: string[][], title: string): string[][] {
  const start = rows.findIndex((r) => r[0] === title);
  assert.ok(start >= 0, `no block "${title}"`);
  const end = rows.findIndex((r, i) => i > start && r.every((c) => c === ''));
  return rows.slice(start + 1, end < 0 ? undefined : end);
}

describe('report CSV', () => {
  const text = reportCsv(sampleReport());
  const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];

  it('is one UTF-8 file with a byte-order mark and CRLF rows, as Excel opens it', () => {
    assert.ok(text.startsWith('\uFEFF'));
    assert.ok(text.includes('\r\n'));
  });

  it('writes every table as a block with its header, in reading order', () => {
    const titles = rows.filter((r, i) => i === 0 || rows[i - 1]!.every((c) => c === '')).map((r) => r[0]);
    assert.deepEqual(titles, [
      'Summary',
      'Risk distribution',
      'Top 2 at-risk customers',
      'Alert SLA',
      'Interventions by action',
      'Interventions by source',
      'Return on the retention programme',
      'Model quality',
      'Experiments: arms',
      'Experiments: each arm against control',
    ]);
  });

  it('keeps figures raw: counts, fractions and the change against the previous period', () => {
    const risk = block(rows, 'Risk distribution');
    assert.deepEqual(risk[0], ['level', 'customers', 'share', 'previous customers', 'previous share', 'change', 'share change', 'revenue at risk']);
    assert.deepEqual(risk[1], ['critical', '1', '0.1', '0', '0', '1', '0.1', '1200']);
    assert.deepEqual(risk[3], ['medium', '3', '0.3', '2', '0.25', '1', String(0.3 - 0.25), '3600']);
    assert.deepEqual(risk[5], ['all', '10', '1', '8', '1', '2', '', '12000']);
  });

  it('lists the top customers with their drivers and recommended action', () => {
    const top = block(rows, 'Top 2 at-risk customers');
    assert.equal(top.length, 3);
    assert.equal(top[1]![1], 'C-0001');
    assert.equal(top[1]![6], 'call within 24 h and offer a 12-month contract');
    assert.equal(top[1]![8], 'contract = Month-to-month (+0.210); tenure_months = 2 (+0.150)');
  });

  it('writes an empty figure as an empty cell and ROI as figure/value rows', () => {
    const sla = block(rows, 'Alert SLA');
    assert.deepEqual(sla[3], ['medium', '168', '0', '0', '', '', '0', '0', '0', '0']);
    const roi = new Map(block(rows, 'Return on the retention programme').map((r) => [r[0], r[1]]));
    assert.equal(roi.get('programme cost'), '230');
    assert.equal(roi.get('net benefit'), '730');
    assert.equal(roi.get('cost basis'), 'mixed');
  });
});
