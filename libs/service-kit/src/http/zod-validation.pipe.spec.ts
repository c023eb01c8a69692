import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ValidationError } from '../errors/validation-error';
import { ZodValidationPipe } from './zod-validation.pipe';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ValidationError, String(error));
    return error.errors.map((e) => e.field);
  }
  assert.fail('expected a ValidationError');
}

describe('ZodValidationPipe', () => {
  const query = new ZodValidationPipe(z.strictObject({ from: z.string().date(), page: z.coerce.number().int().min(1).optional() }));

  it('names each refused field by its path, and each unknown key of a strict object', () => {
    assert.deepEqual(fieldsOf(() => query.transform({ from: 'yesterday', page: '0', window: '7d', sort: 'x' }, { type: 'query' })).sort(), [
      'from',
      'page',
      'sort',
      'window',
    ]);
  });

  it('names a bare path parameter by its name, and a body that is not an object as the part it is', () => {
    assert.deepEqual(
      fieldsOf(() => new ZodValidationPipe(z.enum(['hubspot'])).transform('zoho', { type: 'param', data: 'crm' })),
      ['crm'],
    );
    assert.deepEqual(
      fieldsOf(() => query.transform('nothing', { type: 'body' })),
      ['(body)'],
    );
  });

  it('passes a valid value through, parsed', () => {
    assert.deepEqual(query.transform({ from: '2026-03-01', page: '2' }, { type: 'query' }), { from: '2026-03-01', page: 2 });
  });
});
