import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { recordAudit } from '../audit';
import type { OperationContext } from '../context';
import { invalid } from '../errors';
import { requireNoneConnected } from '../sites';
import { checkSnapshot } from './check';
import { type Snapshot, snapshotSchema } from './format';
import { describeProblems, type LocatedProblem, parseJsonText } from './locate';
import { DirectoryWriter, membershipsFromGroups } from './writer';

const MAX_REPORTED = 20;

export interface LoadResult {
  /** Documents inserted or changed, per collection; empty when the directory already matched the file. */
  changed: Record<string, number>;
  counts: Record<'sites' | 'portalCustomers' | 'accounts' | 'groups' | 'requests', number>;
}

/** Parses and checks snapshot text; throws one DomainError listing every problem with its line and field. */
export async function parseSnapshot(text: string, source: string): Promise<Snapshot> {
  let json: unknown;
  try {
    json = parseJsonText(text);
  } catch (error) {
    throw invalid(`${source} is not valid JSON: ${(error as Error).message}.`);
  }
  const parsed = snapshotSchema.safeParse(json);
  const problems: LocatedProblem[] = parsed.success
    ? await checkSnapshot(parsed.data)
    : parsed.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)),
        message: issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : issue.message,
      }));
  if (problems.length > 0 || !parsed.success) {
    const lines = describeProblems(text, problems.slice(0, MAX_REPORTED));
    const more = problems.length > MAX_REPORTED ? `\n  … and ${problems.length - MAX_REPORTED} more` : '';
    throw invalid(`${source} was not loaded (nothing was written):\n  ${lines.join('\n  ')}${more}`);
  }
  return parsed.data;
}

/**
 * `accounts load <file>`: validates the whole snapshot before writing anything, then upserts every record by
 * its natural key, referenced records first. Loading the same file again changes nothing and is not audited.
 */
export async function loadSnapshotFile(path: string, context: OperationContext): Promise<LoadResult> {
  const snapshot = await parseSnapshot(await readFile(path, 'utf8'), basename(path));
  await requireNoneConnected(snapshot.sites.map((site) => site.id));
  const writer = new DirectoryWriter(snapshot.organization);
  await writer.organizationRecord();
  await writer.sites(snapshot.sites);
  await writer.accounts(snapshot.accounts, membershipsFromGroups(snapshot.groups));
  await writer.portalCustomers(snapshot.portalCustomers);
  await writer.groups(snapshot.groups);
  await writer.requests(snapshot.requests);
  const counts = {
    sites: snapshot.sites.length,
    portalCustomers: snapshot.portalCustomers.length,
    accounts: snapshot.accounts.length,
    groups: snapshot.groups.length,
    requests: snapshot.requests.length,
  };
  if (writer.total > 0) {
    await recordAudit(context, {
      action: 'directory.load',
      target: snapshot.organization.id,
      site: null,
      summary: `Loaded ${basename(path)}: ${writer.total} documents inserted or changed.`,
      changes: { ...writer.changed },
    });
  }
  return { changed: writer.changed, counts };
}
