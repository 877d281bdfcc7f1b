import { AsyncLocalStorage } from 'node:async_hooks';
import { log } from '../log';

/**
 * A job's lease while one of its chunks runs. The worker renews a job's lease before each chunk, but one chunk
 * may outlast the lease: a sync has a single item whose planning reads Atlassian for minutes. So the lease is
 * renewed on a timer while the chunk runs too, and once a renewal finds it lost (another worker took the job
 * over), the chunk writes nothing more: the job is the other worker's now, and running it twice would apply it
 * twice.
 *
 * The chunk is run in an AsyncLocalStorage so that the code it reaches (a planner reading page after page) can
 * ask about its lease without chunk.ts passing it down through every call.
 */

/** Thrown by code running in a chunk whose lease is lost; the worker then drops the chunk quietly. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
  constructor(readonly job: string) {
    super(`Job ${job} is another worker's now: its lease was lost while a chunk ran.`);
  }
}

/** The chunk the calling code runs for. */
export interface RunningChunk {
  readonly job: string;
  /** Set once a renewal found the lease no longer this worker's. */
  readonly lost: boolean;
}

const running = new AsyncLocalStorage<RunningChunk>();

/** The chunk the calling code runs for, or undefined outside a worker's chunk (a test calling a planner). */
export const runningChunk = (): RunningChunk | undefined => running.getStore();

/** Throws LeaseLost when the chunk the calling code runs for has lost its lease; outside a chunk, nothing. */
export function ensureLeaseHeld(): void {
  const chunk = running.getStore();
  if (chunk?.lost) throw new LeaseLost(chunk.job);
}

/**
 * Runs `chunk` while calling `renew` every `everyMs`; `renew` says whether the lease is still this worker's.
 * Returns whether it was lost meanwhile: then the chunk stopped at its first ensureLeaseHeld, or ended without
 * reaching one, and whatever it threw is the new holder's concern, not counted here. Otherwise errors are thrown.
 */
export async function whileLeased(
  job: string,
  renew: () => Promise<boolean>,
  everyMs: number,
  chunk: () => Promise<void>,
): Promise<{ lost: boolean }> {
  const lease = { job, lost: false };
  let renewing = false;
  const timer = setInterval(() => {
    // One renewal at a time: a slow database does not pile them up.
    if (renewing || lease.lost) return;
    renewing = true;
    renew()
      .then(
        (held) => {
          if (!held) {
            lease.lost = true;
            log.warn({ job }, 'the lease of a running chunk was lost; the chunk writes nothing more');
          }
        },
        // Not known to be lost: the next renewal tries again, and the lease holds until it lapses.
        (error: unknown) => log.warn({ err: error, job }, 'could not renew the lease of a running chunk'),
      )
      .finally(() => {
        renewing = false;
      });
  }, everyMs);
  try {
    await running.run(lease, chunk);
  } catch (error) {
    if (!lease.lost) throw error;
    // The job is another worker's: what failed here is not its failure to count.
    if (!(error instanceof LeaseLost)) log.warn({ err: error, job }, 'a chunk whose lease was lost failed');
  } finally {
    clearInterval(timer);
  }
  return { lost: lease.lost };
}
