import fc from 'fast-check';
import type { CopyCounts, CopyPlan, CopyPreview, CopyRequest } from '../../src/accounts/copy';
import type { CustomerLookup, NextAction, PortalProfileView } from '../../src/accounts/lookup';
import type { MigrationCounts, MigrationPlan, MigrationPreview, MigrationRequest } from '../../src/accounts/migration';
import type { Actor } from '../../src/accounts/models';
import type { SiteWarnings } from '../../src/accounts/siteWarnings';
import type { ActivityReport } from '../../src/jobs/activity';
import type { JobEndedEvent } from '../../src/jobs/finish';
import type { JobDoc, JobOutcome, JobState } from '../../src/jobs/models';
import type { ItemResult, JobDetail, JobOverview, JobStatus } from '../../src/jobs/overview';
import type { JobProgress } from '../../src/jobs/progress';
import type { Decision, Member, ReviewSubject } from '../../views/approvalViews';
import type { HomeContent, PendingApproval } from '../../views/home';

/**
 * fast-check arbitraries for what views and parsers meet in a real directory: people's names and emails in any
 * script, Slack's markup characters, long texts, many sites and profiles, jobs of one customer or ten thousand.
 */

/** Pieces that break naive builders: markup, Slack tokens, emoji with joiners, RTL, combining marks, controls. */
export const NASTY = [
  '<',
  '>',
  '&',
  '*',
  '_',
  '~',
  '`',
  '|',
  '<@U123|x>',
  '<#C1|c>',
  '<mailto:a@b.co|a@b.co>',
  '<!channel>',
  '&amp;',
  '&lt;',
  '👩🏽‍💻',
  '🇪🇺',
  '\u202e',
  'مرحبا',
  'שלום',
  'e\u0301',
  'Z̷̢͎̈́a̵̙̍l̶g̸o',
  '\u0000',
  '\u0007',
  '\n',
  '\t',
  '$' + '{x}',
  '{"$ne":1}',
  '$where',
  'x'.repeat(80),
];

/** Any text people may type or a directory may hold: short, long (past every Slack limit), or made of NASTY. */
export const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...NASTY, 'é', 'a'), fc.integer({ min: 100, max: 6000 }))
      .map(([piece, n]) => piece.repeat(n)),
  },
);

export const siteId = fc.oneof(fc.constantFrom('acme', 'acme-eu'), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,40}$/));
export const sites = (max = 120) => fc.uniqueArray(siteId, { maxLength: max });

/** Emails as a directory stores them: valid, in any case, sometimes as long as allowed. */
export const email = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((e) => e.toUpperCase()),
  fc.constantFrom('jsmith@abc.com', 'JSmith@ABC.com'),
);

const id = fc.stringMatching(/^[a-z0-9:-]{1,60}$/);
const date = fc.date({
  min: new Date('2020-01-01T00:00:00Z'),
  max: new Date('2030-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const count = fc.oneof(fc.constantFrom(0, 1, 10_000), fc.nat({ max: 100_000 }));
const keys = fc.array(fc.stringMatching(/^[A-Z]{1,10}-[1-9][0-9]{0,5}$/), { maxLength: 30 });
const words = fc.array(text, { maxLength: 12 });

export const actor: fc.Arbitrary<Actor> = fc.record({
  kind: fc.constantFrom('slack', 'cli', 'system'),
  id: fc.stringMatching(/^U[A-Z0-9]{2,12}$/),
  name: text,
});

/** Which sync last saw a record: none (a site not connected), not yet, or a sync. */
const seenBy = fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ job: id, readAt: date }));

const profile: fc.Arbitrary<PortalProfileView> = fc.record({
  id,
  site: siteId,
  email,
  displayName: text,
  status: fc.constantFrom('active', 'inactive'),
  invitedToProduct: fc.option(date),
  migratedTo: fc.option(id),
  migratedAt: fc.option(date),
  requestCount: count,
  seenBy,
});

const nextAction: fc.Arbitrary<NextAction> = fc.record({
  kind: fc.constantFrom('migrate', 'make-portal-only', 'restore-site-access'),
  site: siteId,
});

/** What /customer shows: zero to very many profiles and sites, migrated and duplicate ones, the same action on many sites. */
export const customerLookup: fc.Arbitrary<CustomerLookup> = fc.record({
  email,
  portalProfiles: fc.array(profile, { maxLength: 150 }),
  account: fc.option(
    fc.record({
      id,
      email,
      displayName: text,
      emailVerified: fc.boolean(),
      status: fc.constantFrom('active', 'inactive', 'closed'),
      sites: fc.array(
        fc.record({
          site: siteId,
          siteAccess: fc.boolean(),
          products: words,
          roles: words,
          groups: words,
          admin: fc.boolean(),
          requestCount: count,
          seenBy,
        }),
        { maxLength: 120 },
      ),
      billing: fc.record({
        sites: fc.array(fc.record({ site: siteId, licensedProducts: words, jsmAgent: fc.boolean() }), {
          maxLength: 60,
        }),
        guard: fc.boolean(),
      }),
    }),
  ),
  partial: fc.array(text, { maxLength: 5 }),
  warnings: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('duplicate' as const), site: siteId, message: text }),
      fc.record({ kind: fc.constant('invited-not-migrated' as const), site: siteId, message: text }),
      fc.record({ kind: fc.constant('email-not-verified' as const), message: text }),
    ),
    { maxLength: 150 },
  ),
  nextActions: fc.array(nextAction, { maxLength: 120 }),
});

const migrationCounts: fc.Arbitrary<MigrationCounts> = fc.record({
  requestsMoved: count,
  accountsCreated: count,
  portalCustomersCreated: count,
  licencesRevoked: count,
});

const migrationRequest: fc.Arbitrary<MigrationRequest> = fc.record({
  kind: fc.constantFrom('migrate-to-account', 'make-portal-only'),
  site: siteId,
  target: fc.oneof(
    fc.record({ emails: fc.array(email, { minLength: 1, maxLength: 50 }) }),
    fc.constantFrom({ selector: 'invited-not-migrated' as const }, { selector: 'eligible-for-portal-only' as const }),
  ),
  revokeLicences: fc.boolean(),
});

const migrationPlan: fc.Arbitrary<MigrationPlan> = fc.oneof(
  fc.record({
    kind: fc.constant('migrate-to-account' as const),
    site: siteId,
    email,
    displayName: text,
    portalCustomer: id,
    account: id,
    createAccount: fc.boolean(),
    requests: keys,
    participantOf: keys,
    group: text,
    createGroup: fc.boolean(),
    grantSiteAccess: fc.boolean(),
    warnings: words,
  }),
  fc.record({
    kind: fc.constant('make-portal-only' as const),
    site: siteId,
    email,
    displayName: text,
    account: id,
    portalCustomer: id,
    createPortalCustomer: fc.boolean(),
    requests: keys,
    participantOf: keys,
    revokedProducts: words,
    removedRoles: words,
    removedGroups: words,
    warnings: words,
  }),
) as fc.Arbitrary<MigrationPlan>;

const previewItem = fc.oneof(fc.record({ email, plan: migrationPlan }), fc.record({ email, refused: text }));

export const migrationPreview: fc.Arbitrary<MigrationPreview> = fc.record({
  request: migrationRequest,
  targets: count,
  planned: count,
  refused: count,
  counts: migrationCounts,
  sample: fc.array(previewItem, { maxLength: 10 }),
  refusals: fc.array(fc.record({ email, refused: text }), { maxLength: 10 }),
  fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
});

const copyCounts: fc.Arbitrary<CopyCounts> = fc.record({
  copiedPortalOnly: count,
  copiedInactive: count,
  customerRoleGranted: count,
  siteAccessOff: count,
  importedToGroup: count,
  duplicates: count,
  alreadyOnDestination: count,
  needsAction: count,
});

/** Project keys as /copy-customers accepts them, up to as many as it accepts. */
export const projectKeys = fc.array(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,9}$/), { minLength: 1, maxLength: 50 });

const copyRequest: fc.Arbitrary<CopyRequest> = fc.record(
  { kind: fc.constant('copy-customers' as const), from: siteId, to: siteId, projects: projectKeys },
  { requiredKeys: ['kind', 'from', 'to'] },
);

const copyPlan: fc.Arbitrary<CopyPlan> = fc.record({
  kind: fc.constant('copy-customers' as const),
  from: siteId,
  to: siteId,
  email,
  displayName: text,
  case: fc.constantFrom(
    'portal-only',
    'customer-role',
    'imported-group',
    'duplicate',
    'site-access-off',
    'already-on-destination',
  ),
  source: fc.constantFrom('portal-only', 'atlassian-account'),
  destination: fc.constantFrom('portal-only', 'atlassian-account', 'none', 'both'),
  portalCustomer: fc.option(fc.record({ id, copyOf: id, status: fc.constantFrom('active', 'inactive') })),
  grantRole: fc.option(id),
  grantSiteAccess: fc.boolean(),
  importToGroup: fc.option(id),
  duplicateOf: fc.option(id),
  notes: words,
});

export const copyPreview: fc.Arbitrary<CopyPreview> = fc.record({
  request: copyRequest,
  customers: count,
  planned: count,
  refused: count,
  counts: copyCounts,
  sample: fc.array(copyPlan, { maxLength: 10 }),
  attention: fc.array(copyPlan, { maxLength: 10 }),
  refusals: fc.array(fc.record({ email, refused: text }), { maxLength: 10 }),
  fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
});

export const jobId = fc.stringMatching(/^j[a-z0-9]{7}$/);
const jobState: fc.Arbitrary<JobState> = fc.constantFrom(
  'creating',
  'queued',
  'running',
  'succeeded',
  'partly-succeeded',
  'failed',
  'cancelled',
) as fc.Arbitrary<JobState>;

/** A job of 1 to 10,000 customers (and sometimes more), in any state. */
export const job: fc.Arbitrary<JobDoc> = fc
  .record({
    _id: jobId,
    key: text,
    request: fc.oneof(migrationRequest, copyRequest),
    description: text,
    requestedBy: actor,
    requestedAt: date,
    state: jobState,
    total: fc.oneof(fc.constantFrom(1, 10_000), fc.integer({ min: 1, max: 200_000 })),
    startedAt: fc.option(date),
    endedAt: fc.option(date),
  })
  .map((j) => ({
    ...j,
    kind: j.request.kind,
    site: j.request.kind === 'copy-customers' ? j.request.to : j.request.site,
    lease: null,
  }));

/** Progress whose parts add up to its total. */
export const progressOf = (total: number): fc.Arbitrary<JobProgress> =>
  fc.tuple(fc.nat({ max: total }), fc.nat({ max: total }), fc.nat({ max: total })).map(([a, b, c]) => {
    const succeeded = Math.min(a, total);
    const refused = Math.min(b, total - succeeded);
    const failed = Math.min(c, total - succeeded - refused);
    const done = succeeded + refused + failed;
    return { total, done, pending: total - done, succeeded, refused, failed };
  });

export const jobStatus: fc.Arbitrary<JobStatus> = job.chain((j) =>
  progressOf(j.total).map((progress) => ({ job: j, progress })),
);

/** What a running sync says it is doing: any words, any counts. */
export const jobActivity: fc.Arbitrary<ActivityReport> = fc.record({
  doing: text,
  counts: fc.dictionary(text, count, { maxKeys: 8 }),
  step: fc.nat({ max: 10 }),
  steps: fc.integer({ min: 1, max: 10 }),
});

const itemResult: fc.Arbitrary<ItemResult> = fc.record({
  email,
  state: fc.constantFrom('pending', 'succeeded', 'refused', 'failed'),
  reason: fc.option(text),
  note: fc.option(text),
});

export const jobDetail: fc.Arbitrary<JobDetail> = fc
  .record({
    status: jobStatus,
    items: fc.array(itemResult, { maxLength: 40 }),
    more: count,
  })
  .map(({ status, items, more }) => ({ ...status, items, more }));

export const jobOverview: fc.Arbitrary<JobOverview> = fc.record({
  active: fc.array(jobStatus, { maxLength: 10 }),
  ended: fc.array(jobStatus, { maxLength: 10 }),
});

const outcome: fc.Arbitrary<JobOutcome> = fc.constantFrom(
  'succeeded',
  'partly-succeeded',
  'failed',
  'cancelled',
  'stale',
);

export const jobEnded: fc.Arbitrary<JobEndedEvent> = fc
  .record({
    job,
    outcome,
    reason: fc.option(text),
    refused: count,
    failed: count,
    notProcessed: count,
    counts: fc.dictionary(
      fc.constantFrom(
        ...Object.keys({
          requestsMoved: 0,
          accountsCreated: 0,
          duplicates: 0,
          needsAction: 0,
          importedToGroup: 0,
          copiedPortalOnly: 0,
        }),
      ),
      count,
    ),
    items: fc.array(
      fc.record({
        email,
        state: fc.constantFrom('succeeded', 'refused', 'failed', 'pending'),
        reason: fc.option(text),
        note: fc.option(text),
        counts: fc.dictionary(fc.constantFrom('requestsMoved', 'accountsCreated'), count),
      }),
      { maxLength: 10 },
    ),
    endedAt: date,
    durationMs: fc.nat({ max: 10 * 86_400_000 }),
  })
  .map(({ job: j, ...rest }) => ({
    ...rest,
    jobId: j._id,
    kind: j.kind,
    site: j.site,
    description: j.description,
    requestedBy: j.requestedBy,
    total: j.total,
    succeeded: Math.max(0, j.total - rest.refused - rest.failed),
    startedAt: j.startedAt,
  }));

export const reviewSubject: fc.Arbitrary<ReviewSubject> = fc.record({
  groupId: id,
  site: siteId,
  group: text,
  sourceSite: siteId,
  memberCount: count,
});

export const members: fc.Arbitrary<Member[]> = fc.array(fc.record({ email, displayName: text }), { maxLength: 50 });

export const decision: fc.Arbitrary<Decision> = fc.record({
  state: fc.constantFrom('approved', 'rejected'),
  by: fc.record({ id: fc.stringMatching(/^U[A-Z0-9]{2,12}$/), name: text }),
  at: date,
  reason: text,
});

const approval: fc.Arbitrary<PendingApproval> = fc.record({
  groupId: text,
  canReview: fc.boolean(),
  site: siteId,
  group: text,
  sourceSite: siteId,
  memberCount: count,
});

const warningTally = fc.record({ count, sample: fc.array(email, { maxLength: 10 }) });
const siteWarnings: fc.Arbitrary<SiteWarnings> = fc.record({
  site: siteId,
  invitedNotMigrated: warningTally,
  duplicates: warningTally,
});

/** App Home for someone who sees no site, one, or very many, with many approvals and warnings. */
export const homeContent: fc.Arbitrary<HomeContent> = fc.record({
  sites: sites(),
  approvals: fc.array(approval, { maxLength: 60 }),
  jobs: jobOverview,
  warnings: fc.array(siteWarnings, { maxLength: 120 }),
  undelivered: fc.array(text, { maxLength: 60 }),
  now: date,
});
