// Who the customer was at first contact, as the outcome breakdowns count it:
// the age groups' edges, the regions offered (England's, without the knowledge
// network's "national"), the caller stage's region through the machine and the
// record (optional, and absent on old records), and the columns a record gives.
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { stageGaps } from '../../shared/interaction/completion';
import { interactionEventSchema } from '../../shared/interaction/events';
import { interactionMachine, summaryOf } from '../../shared/interaction/machine';
import { customerRegions, interactionRecordSchema } from '../../shared/interaction/record';
import { ageGroupOf, regionGroupOf, regionGroups } from '../../shared/wire/dashboard';
import { dashboardColumns } from '../../server/storage/dashboard-columns';
import { completedRecord } from './desk-fixtures';

const at = '2026-11-20T10:00:00.000Z';

describe('age groups', () => {
  it('puts each age at first contact in its band, and an age not given (or never asked) apart', () => {
    const cases: [Parameters<typeof ageGroupOf>[0], string][] = [
      [12, '15_and_under'],
      [13, '15_and_under'],
      [15, '15_and_under'],
      [16, '16_to_17'],
      [17, '16_to_17'],
      [18, '18_and_over'],
      [24, '18_and_over'],
      ['not_given', 'not_given'],
      [null, 'not_given'],
    ];
    expect(cases.map(([age]) => [age, ageGroupOf(age)])).toEqual(cases);
  });
});

describe('regions', () => {
  it("offers England's nine regions and not given, never the knowledge network's national", () => {
    expect(customerRegions).toHaveLength(9);
    expect(customerRegions).not.toContain('national');
    expect(regionGroups).toEqual([...customerRegions, 'not_given']);
    expect(regionGroupOf(undefined)).toBe('not_given');
    expect(regionGroupOf('london')).toBe('london');
  });

  it('is set, changed and taken back to not given at the caller stage, without holding the stage up', () => {
    const actor = createActor(interactionMachine).start();
    actor.send({
      type: 'OFFERED',
      at,
      interactionId: crypto.randomUUID(),
      channel: 'voice',
      contactRef: 'c1',
    });
    actor.send({ type: 'ANSWER', at });
    actor.send({
      type: 'UPDATE_CALLER',
      at,
      callerType: 'young_person',
      age: 16,
      withinRemit: true,
    });
    // Who, age and remit are enough: the region is optional.
    expect(stageGaps(actor.getSnapshot().context, 'callerEligibility')).toEqual([]);
    expect(actor.getSnapshot().context.caller.region).toBeUndefined();
    actor.send({ type: 'UPDATE_CALLER', at, region: 'north-west' });
    expect(summaryOf(actor.getSnapshot().context).caller).toMatchObject({
      age: 16,
      region: 'north-west',
    });
    // Another field changed leaves the region as it was.
    actor.send({ type: 'UPDATE_CALLER', at, age: 17 });
    expect(actor.getSnapshot().context.caller.region).toBe('north-west');
    actor.send({ type: 'UPDATE_CALLER', at, region: null });
    expect('region' in actor.getSnapshot().context.caller).toBe(false);
    actor.stop();
  });

  it('refuses a region that is not one, in an event from a journal or a record', () => {
    expect(
      interactionEventSchema.safeParse({ type: 'UPDATE_CALLER', at, region: 'national' }).success,
    ).toBe(false);
    const record = completedRecord(crypto.randomUUID());
    const withRegion = (region: unknown) => ({
      ...record,
      summary: { ...record.summary, caller: { ...record.summary.caller, region } },
    });
    expect(interactionRecordSchema.safeParse(withRegion('atlantis')).success).toBe(false);
    expect(interactionRecordSchema.parse(withRegion('south-west')).summary.caller.region).toBe(
      'south-west',
    );
  });
});

describe('the columns a record gives', () => {
  it('reads the age group and region from the caller stage; an old record without a region is not given', () => {
    const record = completedRecord(crypto.randomUUID());
    const old = interactionRecordSchema.parse(JSON.parse(JSON.stringify(record)));
    expect(old.summary.caller.region).toBeUndefined();
    expect(dashboardColumns(old)).toMatchObject({
      customer_age_group: ageGroupOf(record.summary.caller.age),
      customer_region: 'not_given',
    });
    const told = {
      ...record,
      summary: {
        ...record.summary,
        caller: { ...record.summary.caller, age: 17, region: 'london' as const },
      },
    };
    expect(dashboardColumns(told)).toMatchObject({
      customer_age_group: '16_to_17',
      customer_region: 'london',
    });
  });
});
