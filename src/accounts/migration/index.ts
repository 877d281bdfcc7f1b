import { createHash } from 'node:crypto';
import type { OperationContext } from '../context';
import { eligibleAccounts } from '../eligibility';
import { emailKey, isEmail } from '../email';
import { invalid } from '../errors';
import { PortalCustomer, type SiteDoc } from '../models';
import { requireSite, requireWritableSite } from '../sites';
import {
  addCounts,
  countsOf,
  emptyCounts,
  type MigrationCounts,
  type MigrationKind,
  type MigrationPlan,
  type PlanOutcome,
  type ToAccountPlan,
  type ToPortalOnlyPlan,
} from './plan';
import { lookupReader, type SiteReader, streamingReader } from './reads';
import { applyToAccount, planToAccount } from './toAccount';
import { applyToPortalOnly, planToPortalOnly } from './toPortalOnly';

export * from './plan';

/** Who a migration is for: a list of emails, or a selector over one site (DOMAIN.md operations 7 and 8). */
export type MigrationTarget =
  | { emails: string[] }
  | { selector: 'invited-not-migrated' } // portal-only customers of the site invited to a product, not migrated
  | { selector: 'eligible-for-portal-only' }; // accounts "Mark all as portal-only" would mark

export interface MigrationRequest {
  kind: MigrationKind;
  site: string;
  target: MigrationTarget;
  revokeLicences?: boolean;
}

const PLAN_CHUNK = 500;
const SELECTOR_KIND: Record<string, MigrationKind> = {
  'invited-not-migrated': 'migrate-to-account',
  'eligible-for-portal-only': 'make-portal-only',
};

export const describeTarget = (target: MigrationTarget) =>
  'emails' in target
    ? target.emails.length === 1
      ? (target.emails[0] ?? '')
      : `${target.emails.length} emails`
    : target.selector === 'invited-not-migrated'
      ? 'every invited-but-not-migrated customer'
      : 'every account eligible for portal-only';

/** The emails a request is about, validated: bad emails are named, duplicates dropped, selectors resolved. */
export async function resolveTargets(request: MigrationRequest): Promise<string[]> {
  const site = await requireSite(request.site);
  const { target } = request;
  if ('emails' in target) {
    const emails = target.emails.map((e) => e.trim()).filter(Boolean);
    const bad = emails.filter((e) => !isEmail(e));
    if (bad.length)
      throw invalid(
        `${bad.map((e) => `"${e}"`).join(', ')} ${bad.length === 1 ? 'is not an email address' : 'are not email addresses'}.`,
      );
    if (emails.length === 0) throw invalid('Give at least one email address.');
    const unique = new Map(emails.map((e) => [emailKey(e), e]));
    return [...unique.values()];
  }
  if (SELECTOR_KIND[target.selector] !== request.kind) {
    throw invalid(`The selector "${target.selector}" does not apply to ${request.kind}.`);
  }
  if (target.selector === 'invited-not-migrated') {
    const invited = await PortalCustomer.find(
      { site: site._id, status: 'active', invitedToProduct: { $ne: null } },
      { email: 1 },
    )
      .sort({ emailKey: 1 })
      .lean();
    return invited.map((p) => p.email);
  }
  const emails: string[] = [];
  for await (const batch of eligibleAccounts(site._id)) emails.push(...batch.map((a) => a.email));
  return emails;
}

export function planMigrations(
  site: SiteDoc,
  kind: MigrationKind,
  emails: readonly string[],
  options: { revokeLicences?: boolean } = {},
  reader: SiteReader = lookupReader(site._id),
): Promise<Map<string, PlanOutcome>> {
  return kind === 'migrate-to-account'
    ? planToAccount(site, emails, reader)
    : planToPortalOnly(site, emails, { revokeLicences: options.revokeLicences ?? false }, reader);
}

/** Plans a migration job's customers chunk by chunk (see JobHandler.planner). */
export interface MigrationPlanner {
  plan(emails: readonly string[]): Promise<Map<string, PlanOutcome>>;
  close(): Promise<void>;
}

/**
 * With `stream` (a job of several chunks), the site is read once for the whole job (see streamingReader); else
 * each chunk looks up its own emails, index lookups on MongoDB.
 */
export async function migrationPlanner(request: MigrationRequest, stream: boolean): Promise<MigrationPlanner> {
  // A site connected to Atlassian since the job was queued is read-only: its migrations are refused here too.
  const site = await requireWritableSite(request.site);
  const reader = stream ? await streamingReader(site._id) : lookupReader(site._id);
  return { plan: (emails) => planMigrations(site, request.kind, emails, request, reader), close: reader.close };
}

/** Applies plans of one kind and site; returns the emails that failed, with why. */
export function applyMigrations(kind: MigrationKind, plans: readonly MigrationPlan[], context: OperationContext) {
  return kind === 'migrate-to-account'
    ? applyToAccount(plans as ToAccountPlan[], context)
    : applyToPortalOnly(plans as ToPortalOnlyPlan[], context);
}

export interface PreviewItem {
  email: string;
  plan?: MigrationPlan;
  refused?: string;
}

/** What a migration or batch would do, without writing anything. */
export interface MigrationPreview {
  request: MigrationRequest;
  targets: number;
  planned: number;
  refused: number;
  counts: MigrationCounts;
  /** The first items, for people to read; counts cover all. */
  sample: PreviewItem[];
  /** The first refusals, with their reasons. */
  refusals: PreviewItem[];
  /** Changes when anything the run would do changes; a stale confirmation is detected by comparing it. */
  fingerprint: string;
}

export async function previewMigration(request: MigrationRequest, sampleSize = 10): Promise<MigrationPreview> {
  const site = await requireSite(request.site);
  const emails = await resolveTargets(request);
  const hash = createHash('sha256').update(JSON.stringify(request));
  const preview: MigrationPreview = {
    request,
    targets: emails.length,
    planned: 0,
    refused: 0,
    counts: emptyCounts(),
    sample: [],
    refusals: [],
    fingerprint: '',
  };
  const reader = emails.length > PLAN_CHUNK ? await streamingReader(site._id) : lookupReader(site._id);
  try {
    for (let i = 0; i < emails.length; i += PLAN_CHUNK) {
      const outcomes = await planMigrations(site, request.kind, emails.slice(i, i + PLAN_CHUNK), request, reader);
      for (const [key, outcome] of outcomes) {
        hash.update(JSON.stringify([key, outcome]));
        const item: PreviewItem =
          'plan' in outcome
            ? { email: outcome.plan.email, plan: outcome.plan }
            : { email: key, refused: outcome.refused };
        if ('plan' in outcome) {
          preview.planned++;
          addCounts(preview.counts, countsOf(outcome.plan));
        } else {
          preview.refused++;
          if (preview.refusals.length < sampleSize) preview.refusals.push(item);
        }
        if (preview.sample.length < sampleSize) preview.sample.push(item);
      }
    }
  } finally {
    await reader.close();
  }
  preview.fingerprint = hash.digest('hex').slice(0, 16);
  return preview;
}
