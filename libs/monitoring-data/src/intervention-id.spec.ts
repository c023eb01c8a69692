import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interventionId, type NewIntervention } from './intervention.repository';

const CALL: NewIntervention = { customer_id: 'C-1', performed_by: 'ana', performed_at: '2026-02-01T10:00:00Z', action: 'retention call', cost: 25 };

describe('interventionId: the same intervention sent again has the same id', () => {
  it('without a source key: from customer, the instant (whatever its notation), action and who', () => {
    assert.equal(
      interventionId('import', CALL),
      interventionId('import', { ...CALL, performed_at: '2026-02-01T12:00:00.000+02:00', cost: 30, channel: 'phone' }),
    );
    assert.equal(interventionId('api', CALL), interventionId('import', CALL), 'a JSON record and a file row are one key space');
    assert.notEqual(interventionId('import', CALL), interventionId('import', { ...CALL, performed_by: 'bo' }));
    assert.notEqual(interventionId('import', CALL), interventionId('import', { ...CALL, action: 'discount' }));
    assert.notEqual(interventionId('import', CALL), interventionId('import', { ...CALL, performed_at: '2026-02-01T10:00:01Z' }));
  });

  it('with a source key: from the key alone, within its source’s key space', () => {
    const keyed = { ...CALL, source_key: 'T-42' };
    assert.equal(interventionId('import', keyed), interventionId('api', { ...keyed, performed_at: '2026-02-02T00:00:00Z', action: 'edited' }));
    assert.notEqual(interventionId('salesforce', keyed), interventionId('hubspot', keyed), 'each CRM has its own task ids');
    assert.notEqual(interventionId('import', keyed), interventionId('import', CALL));
  });
});
