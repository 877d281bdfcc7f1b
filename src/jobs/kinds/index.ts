import type { CopyRequest } from '../../accounts/copy';
import type { MigrationRequest } from '../../accounts/migration';
import type { JobHandler } from '../handler';
import { copyHandler } from './copy';
import { migrationHandler } from './migration';
import { type SyncRequest, syncHandler } from './sync';

/** Every request a job can be made of, and the handler of each kind. */
export type JobRequest = MigrationRequest | CopyRequest | SyncRequest;
export type JobKind = JobRequest['kind'];

const handlers: { [K in JobKind]: JobHandler<Extract<JobRequest, { kind: K }>, unknown> } = {
  'migrate-to-account': migrationHandler as JobHandler<MigrationRequest, unknown>,
  'make-portal-only': migrationHandler as JobHandler<MigrationRequest, unknown>,
  'copy-customers': copyHandler as JobHandler<CopyRequest, unknown>,
  sync: syncHandler as JobHandler<SyncRequest, unknown>,
};

export function handlerFor(request: JobRequest): JobHandler<JobRequest, unknown> {
  return handlers[request.kind] as JobHandler<JobRequest, unknown>;
}
