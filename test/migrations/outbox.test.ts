import { claimEvents, LostRound, OutboxEvent, publishOnce } from '../../src/outbox';
import { clearDatabase, useTestDatabase } from '../support/database';

useTestDatabase('outbox');
beforeEach(clearDatabase);

const policy = { maxAttempts: 3, baseMs: 5_000 };
const delivery = async (id: string) => (await OutboxEvent.findById(id).lean())?.delivery;
const due = (id: string) => OutboxEvent.updateOne({ _id: id }, { $set: { 'delivery.nextAttemptAt': new Date() } });

describe('outbox', () => {
  it('records a fact once, however often it is published', async () => {
    const first = await publishOnce('job:j1', 'job.ended', { outcome: 'succeeded' });
    const again = await publishOnce('job:j1', 'job.ended', { outcome: 'failed' });
    expect(again.payload).toEqual({ outcome: 'succeeded' });
    expect(again.at).toEqual(first.at);
    expect(await OutboxEvent.countDocuments()).toBe(1);
  });

  it('hands each round of an event to one consumer, however many claim it at once', async () => {
    for (const id of ['e1', 'e2', 'e3']) await publishOnce(id, 'job.ended', {});
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((c) => claimEvents(c, { leaseMs: 60_000 })));
    const taken = claims.flat().map((r) => r.event._id);
    expect(taken.sort()).toEqual(['e1', 'e2', 'e3']);
    const [round] = claims.flat();
    if (!round) throw new Error('no round');
    expect(await round.holds()).toBe(true);
    await round.record('C0TEAM', null, policy);
    expect(await round.finish(policy)).toBe('delivered');
    expect(await delivery(round.event._id)).toMatchObject({ state: 'delivered', deliveredAt: expect.any(Date) });
    await due(round.event._id);
    expect((await claimEvents('e', { leaseMs: 1 })).map((r) => r.event._id)).not.toContain(round.event._id);
  });

  it('offers a round again when its consumer died holding it, and the stalled one changes nothing after', async () => {
    await publishOnce('e1', 'job.ended', {});
    const [stalled] = await claimEvents('crashed', { leaseMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const [retaken] = await claimEvents('restarted', { leaseMs: 60_000 });
    expect(retaken?.event._id).toBe('e1');
    expect(await stalled?.holds()).toBe(false);
    await expect(stalled?.record('C0TEAM', null, policy)).rejects.toBeInstanceOf(LostRound);
    await retaken?.record('C0TEAM', null, policy);
    expect((await delivery('e1'))?.recipients).toMatchObject([{ id: 'C0TEAM', state: 'sent', attempts: 1 }]);
  });

  it('retries only the recipients that failed in a way a retry may fix, with backoff, up to the cap', async () => {
    await publishOnce('e1', 'job.ended', {});
    let [round] = await claimEvents('n');
    await round?.record('C0OK', null, policy);
    await round?.record('C0GONE', { error: 'not_in_channel', permanent: true }, policy);
    await round?.record('C0FLAKY', { error: 'internal_error', permanent: false }, policy);
    expect(await round?.finish(policy)).toBe('pending');
    const after = await delivery('e1');
    expect(after?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 4_000);
    expect(after?.recipients.map((r) => [r.id, r.state])).toEqual([
      ['C0OK', 'sent'],
      ['C0GONE', 'dead'],
      ['C0FLAKY', 'retrying'],
    ]);
    expect(await claimEvents('n')).toEqual([]); // not due yet

    for (const attempt of [2, 3]) {
      await due('e1');
      [round] = await claimEvents('n');
      expect(round?.recipient('C0OK')?.state).toBe('sent');
      const entry = await round?.record('C0FLAKY', { error: 'internal_error', permanent: false }, policy);
      expect(entry).toMatchObject({ attempts: attempt, state: attempt < 3 ? 'retrying' : 'dead' });
      await round?.finish(policy);
    }
    expect(await delivery('e1')).toMatchObject({ state: 'undeliverable', round: 3 });
  });
});
