import type { CopyRequest } from '../../accounts/copy';
import type { MigrationRequest } from '../../accounts/migration';
import type { JobHandler } from '../handler';
import { ensureLeaseHeld } from '../lease';
import { copyHandler } from './copy';
import { migrationHandler } from './migration';
import { type SyncRequest, syncHandler } from './sync';

/** Every request a job can be made of, and the handler of each kind. */
export type JobRequest = MigrationRequest | CopyRequest | SyncRequest;
export type JobKind = JobRequest['kind'];

/**
 * A plan made by a chunk that lost its lease meanwhile is dropped, whatever the kind: the job is another
 * worker's now, and storing the plan would have the chunk's writes follow (see lease.ts).
 */
function leased<R extends { kind: string }, P>(handler: JobHandler<R, P>): JobHandler<R, P> {
  return {
    ...handler,
    planner: async (request, stream) => {
      const planner = await handler.planner(request, stream);
      return {
        plan: async (emails) => {
          const outcomes = await planner.plan(emails);
          ensureLeaseHeld();
          return outcomes;
        },
        close: () => planner.close(),
      };
    },
  };
}

const handlers: { [K in JobKind]: JobHandler<Extract<JobRequest, { kind: K }>, unknown> } = {
  'migrate-to-account': leased(migrationHandler as JobHandler<MigrationRequest, unknown>),
  'make-portal-only': leased(migrationHandler as JobHandler<MigrationRequest, unknown>),
  'copy-customers': leased(copyHandler as JobHandler<CopyRequest, unknown>),
  sync: leased(syncHandler as JobHandler<SyncRequest, unknown>),
};

export function handlerFor(request: JobRequest): JobHandler<JobRequest, unknown> {
  return handlers[request.kind] as JobHandler<JobRequest, unknown>;
}
