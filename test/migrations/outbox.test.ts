import { claimEvents, markDelivered, markFailed, markSent, OutboxEvent, publishOnce } from '../../src/outbox';
import { clearDatabase, useTestDatabase } from '../support/database';

useTestDatabase('outbox');
beforeEach(clearDatabase);

describe('outbox', () => {
  it('records a fact once, however often it is published', async () => {
    const first = await publishOnce('job:j1', 'job.ended', { outcome: 'succeeded' });
    const again = await publishOnce('job:j1', 'job.ended', { outcome: 'failed' });
    expect(again.payload).toEqual({ outcome: 'succeeded' });
    expect(again.at).toEqual(first.at);
    expect(await OutboxEvent.countDocuments()).toBe(1);
  });

  it('hands an event to one consumer at a time, oldest first, until it is delivered', async () => {
    await publishOnce('e1', 'job.ended', {});
    await publishOnce('e2', 'job.ended', {});
    const taken = await claimEvents('notifier-a', { leaseMs: 60_000 });
    expect(taken.map((e) => e._id)).toEqual(['e1', 'e2']);
    expect(await claimEvents('notifier-b')).toEqual([]);
    await markDelivered('e1', 'notifier-a');
    expect((await OutboxEvent.findById('e1').lean())?.delivery).toMatchObject({
      state: 'delivered',
      deliveredAt: expect.any(Date),
    });
  });

  it('offers an event again when its consumer died holding it (a restart loses nothing)', async () => {
    await publishOnce('e1', 'job.ended', {});
    await claimEvents('crashed', { leaseMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const retaken = await claimEvents('restarted');
    expect(retaken.map((e) => e._id)).toEqual(['e1']);
    await markSent('e1', 'C0TEAM');
    expect((await OutboxEvent.findById('e1').lean())?.delivery.sent).toEqual(['C0TEAM']);
  });

  it('retries a failed delivery later, with backoff, and never a delivered one', async () => {
    await publishOnce('e1', 'job.ended', {});
    await claimEvents('n');
    await markFailed('e1', 'n', 'ratelimited');
    const failed = await OutboxEvent.findById('e1').lean();
    expect(failed?.delivery).toMatchObject({ state: 'pending', attempts: 1, lastError: 'ratelimited', lease: null });
    expect(failed?.delivery.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 4_000);
    expect(await claimEvents('n')).toEqual([]);
    await OutboxEvent.updateOne({ _id: 'e1' }, { $set: { 'delivery.nextAttemptAt': new Date() } });
    expect((await claimEvents('n')).map((e) => e._id)).toEqual(['e1']);
    await markDelivered('e1', 'n');
    await OutboxEvent.updateOne({ _id: 'e1' }, { $set: { 'delivery.nextAttemptAt': new Date(0) } });
    expect(await claimEvents('n')).toEqual([]);
  });
});
