import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wholeCalendarMonths } from '@churn/contracts';
import { loadFeatureSpec } from '@churn/feature-spec';
import { groupByCustomer, pointInTimeTable } from './point-in-time-table';
import { businessEvents, generateSaasBusiness } from './saas-business';
import { SaasEventTypes } from './saas-event';
import { SAAS_SPEC_PATH } from './saas-spec-paths';

const DAY = 86_400_000;

/** The generator and specs/saas.yaml together: what the evaluator makes of the synthetic events. */
describe('the synthetic customer table under specs/saas.yaml', () => {
  const business = generateSaasBusiness({ customers: 400, seed: 31 });
  const endMs = Date.parse(business.referenceTime);
  const snapshotMs = endMs - 90 * DAY;
  const snapshotTime = new Date(snapshotMs).toISOString();
  const spec = loadFeatureSpec(SAAS_SPEC_PATH);
  const table = pointInTimeTable(groupByCustomer(businessEvents(business)), spec, { snapshotTime, dataEndTime: business.referenceTime });
  const column = (name: string) => table.header.indexOf(name);
  const byId = new Map(business.customers.map((c) => [c.profile.customerId, c]));

  it('has a row for every customer active at the snapshot, each with every attribute and derived feature', () => {
    const active = business.customers.filter((c) => c.profile.signedUpAtMs <= snapshotMs && (c.cancelledAtMs === undefined || c.cancelledAtMs > snapshotMs));
    assert.deepEqual(table.rows.map((row) => row[0]).sort(), active.map((c) => c.profile.customerId).sort());
    assert.deepEqual(table.withoutVector, []);
    const required = [...spec.attributes.map((a) => a.name), ...spec.derived.map((d) => d.name)].map(column);
    for (const row of table.rows) for (const i of required) assert.notEqual(row[i], '', `${row[0]}: ${table.header[i]}`);
  });

  it('labels a customer yes exactly when its cancellation takes effect in the 90 days after the snapshot', () => {
    for (const row of table.rows) {
      const cancelled = byId.get(row[0]!)!.cancelledAtMs;
      const expected = cancelled !== undefined && cancelled > snapshotMs && cancelled <= snapshotMs + 90 * DAY ? 'yes' : 'no';
      assert.equal(row[row.length - 1], expected, row[0]);
    }
  });

  it('counts what the generator emitted: logins in the 30 days before the snapshot, tenure since sign-up, the plan then', () => {
    for (const row of table.rows) {
      const customer = byId.get(row[0]!)!;
      const known = customer.events.filter((e) => Date.parse(e.occurred_at) <= snapshotMs);
      const logins = known.filter((e) => e.event_type === SaasEventTypes.userLoggedIn && Date.parse(e.occurred_at) > snapshotMs - 30 * DAY).length;
      assert.equal(row[column('logins_30d')], String(logins), row[0]);
      assert.equal(row[column('tenure_months')], String(wholeCalendarMonths(new Date(customer.profile.signedUpAtMs), new Date(snapshotMs))), row[0]);
      const plan = known.filter((e) => e.event_type === SaasEventTypes.subscriptionChanged && e.payload['plan'] !== undefined).pop()!.payload['plan'];
      assert.equal(row[column('plan')], plan, row[0]);
    }
  });
});
