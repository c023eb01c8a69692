import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCsvRows } from './csv-rows';
import { INTERVENTION_KIND, OUTCOME_KIND } from './record-kinds';
import { inputsFromCsv, validateRecords } from './record-validation';
import { UnreadableRecordsError } from './row-problems';

const NOW = new Date('2026-03-01T00:00:00Z');

function check<T>(kind: typeof OUTCOME_KIND | typeof INTERVENTION_KIND, csv: string) {
  const read = readCsvRows(csv, kind.columns);
  const converted = inputsFromCsv(kind.columns, read.rows);
  const validated = validateRecords(kind as never, converted.inputs, NOW) as { records: { line: number | null; record: T }[]; problems: typeof read.problems };
  return {
    records: validated.records,
    problems: [...read.problems, ...converted.problems, ...validated.problems].map((p) => `${p.line}:${p.field}:${p.code}`),
  };
}

describe('people’s records: every bad row named with its line and field', () => {
  it('lists each problem of an intervention file: malformed and missing fields, negative cost, future date, a duplicate row, a short row', () => {
    const csv = [
      'customer_id,performed_by,performed_at,action,cost,channel',
      'C-1,ana,2026-02-01T10:00:00Z,call,25,phone',
      'C-2,ana,2026-02-01T10:00:00Z,call,-5,',
      'C-3,,2026-02-01T10:00:00Z,call,5,',
      'C-4,ana,2027-01-01T00:00:00Z,call,5,',
      'C-5,ana,yesterday,call,abc,',
      'C-1,ana,2026-02-01T10:00:00.000Z,call,25,email',
      'C-6,ana',
    ].join('\n');
    const { records, problems } = check(INTERVENTION_KIND, csv);
    assert.deepEqual(problems.sort(), [
      '3:cost:negative_cost',
      '4:performed_by:missing_field',
      '5:performed_at:future_date',
      '6:cost:malformed_field',
      '6:performed_at:malformed_field',
      '7:(row):duplicate_row',
      '8:(row):malformed_row',
    ]);
    assert.deepEqual(
      records.map((r) => r.line),
      [2],
    );
  });

  it('reads outcome booleans and numbers from cells and refuses an unknown column at line 1', () => {
    const good = check(OUTCOME_KIND, 'customer_id,churned,observed_at,intervention_cost\nC-1,Yes,2026-02-01T00:00:00Z,12.5\nC-2,false,2026-02-01T00:00:00Z,');
    assert.deepEqual(good.problems, []);
    assert.deepEqual(
      good.records.map((r) => r.record),
      [
        { customer_id: 'C-1', churned: true, observed_at: '2026-02-01T00:00:00Z', intervention_cost: 12.5 },
        { customer_id: 'C-2', churned: false, observed_at: '2026-02-01T00:00:00Z' },
      ],
    );
    assert.deepEqual(check(OUTCOME_KIND, 'customer_id,churned,observed_at,colour\nC-1,true,2026-02-01T00:00:00Z,red').problems, ['1:colour:unknown_field']);
    assert.deepEqual(check(OUTCOME_KIND, 'customer_id,observed_at\nC-1,2026-02-01T00:00:00Z').problems, ['1:churned:missing_field']);
  });

  it('takes an outcome as the same record when its outcome id is: given, or derived from customer and time to the millisecond', () => {
    const csv = [
      'customer_id,churned,observed_at,outcome_id',
      'C-1,true,2026-02-01T00:00:00Z,',
      'C-1,true,2026-02-01T00:00:00.000+00:00,',
      'C-1,false,2026-02-01T00:00:00Z,crm-17',
      'C-2,false,2026-02-02T00:00:00Z,crm-17',
    ].join('\n');
    assert.deepEqual(check(OUTCOME_KIND, csv).problems, ['3:(row):duplicate_row', '5:(row):duplicate_row']);
    assert.deepEqual(
      check(OUTCOME_KIND, 'customer_id,churned,observed_at,source\nC-1,true,2026-02-01T00:00:00Z,feed').problems,
      ['1:source:unknown_field'],
      'the path sets the source',
    );
  });

  it('refuses a NUL character in a text field (Postgres text cannot hold it) with its field', () => {
    const inputs = [{ line: null, fields: { customer_id: 'C-\u0000', churned: true, observed_at: '2026-02-01T00:00:00Z' } }];
    const { records, problems } = validateRecords(OUTCOME_KIND, inputs, NOW);
    assert.deepEqual(records, []);
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.field}:${p.code}`),
      ['null:customer_id:malformed_field'],
    );
  });

  it('refuses a file without rows as unreadable', () => {
    assert.throws(() => readCsvRows('customer_id,churned,observed_at\n', OUTCOME_KIND.columns), UnreadableRecordsError);
  });
});
