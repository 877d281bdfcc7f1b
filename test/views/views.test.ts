import type { ViewOutput } from '@slack/bolt';
import fc from 'fast-check';
import { checkMessageBlocks, checkView, describeViolation } from '../../src/emulator';
import { interactiveElements } from '../../src/emulator/blockTree';
import type { JsonObject } from '../../src/emulator/json';
import { readMessageContent } from '../../src/emulator/validation';
import { ACTION, actionIdPattern, CALLBACK } from '../../src/slack/actionIds';
import type { Message } from '../../src/slack/notifier/poster';
import { decidedModal, reviewCard, reviewedMessage, reviewModal } from '../../views/approvalViews';
import { clip, escapeText, message } from '../../views/blocks';
import { copyEndedMessage } from '../../views/copyEnded';
import { confirmationOf, copyModal, copyQueuedModal, preparingCopyModal } from '../../views/copyModal';
import { customerCard, customerCardRest } from '../../views/customerCard';
import { homeNotice, homeView } from '../../views/home';
import { jobEndedMessage, jobProgressMessage } from '../../views/jobMessages';
import { jobDetailBlocks, jobOverviewBlocks } from '../../views/jobStatus';
import { jobQueuedModal, migrationModal, migrationTitle, preparingModal } from '../../views/migrationModal';
import { noticeModal } from '../../views/notice';
import * as arb from '../support/arbitraries';

/**
 * Every view and message, built over generated directories, is one Slack accepts: the emulator's Block Kit checks
 * (src/emulator/blockKit.ts) are the oracle.
 */

const RUNS = { numRuns: 60 };

function expectValidMessage(m: Message): void {
  const violations = checkMessageBlocks(m.blocks ?? []).map(describeViolation);
  expect(violations).toEqual([]);
  expect(() => readMessageContent({ text: m.text, blocks: m.blocks })).not.toThrow();
}

function expectValidView(view: object): void {
  expect(checkView(view as JsonObject).map(describeViolation)).toEqual([]);
}

/** What Slack sends back of a modal the bot built: enough of ViewOutput for the builders that read it. */
const submitted = (title: string, metadata = 'p123'): ViewOutput =>
  ({
    id: 'V123',
    callback_id: CALLBACK.migrateCustomer,
    title: { type: 'plain_text', text: title },
    private_metadata: metadata,
  }) as ViewOutput;

describe('every view is valid for every directory', () => {
  it('the customer card, with any number of profiles, sites, warnings and next actions', () => {
    fc.assert(
      fc.property(arb.customerLookup, (lookup) => {
        const card = message(`Customer ${lookup.email}`, customerCard(lookup), customerCardRest(lookup));
        expectValidMessage(card);
        // Every button still reaches its listener, however many sites share its action.
        const known = Object.values(ACTION).map(actionIdPattern);
        for (const { element } of interactiveElements((card.blocks ?? []) as unknown as JsonObject[])) {
          expect(known.some((pattern) => pattern.test(String(element.action_id)))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('says how many parts a card too long for one message leaves out, and where to see them', () => {
    fc.assert(
      fc.property(arb.customerLookup, (lookup) => {
        const blocks = customerCard(lookup);
        const card = message('card', blocks, customerCardRest(lookup));
        if (blocks.length <= 50) return;
        expect(JSON.stringify(card.blocks?.at(-1))).toMatch(
          /… and \d+ more parts? not shown: an operator sees everything/,
        );
      }),
      RUNS,
    );
  });

  it('the migration modals: preparing, preview, queued', () => {
    fc.assert(
      fc.property(arb.migrationPreview, fc.boolean(), fc.option(arb.text), arb.job, (preview, offer, changed, job) => {
        const preview2 = migrationModal({
          callbackId: CALLBACK.migrateCustomer,
          pendingId: 'p123',
          preview,
          offerLicences: offer,
          ...(changed === null ? {} : { changed }),
        });
        expectValidView(preview2);
        expectValidView(preparingModal(preview.request));
        const view = submitted(migrationTitle(preview.request));
        expectValidView(jobQueuedModal(view, job, preview));
      }),
      RUNS,
    );
  });

  it('the copy modals: preparing, preview, changed, queued', () => {
    fc.assert(
      fc.property(arb.copyPreview, arb.copyPreview, arb.text, arb.job, (before, after, changed, job) => {
        expectValidView(preparingCopyModal());
        expectValidView(copyModal(after));
        expectValidView(copyModal(after, changed));
        expectValidView(copyQueuedModal(submitted('Copy customers'), job, confirmationOf(before)));
      }),
      RUNS,
    );
  });

  it('the review card, modals and DM of an imported group', () => {
    fc.assert(
      fc.property(
        arb.reviewSubject,
        arb.members,
        arb.decision,
        fc.option(arb.actor),
        (subject, members, decision, requestedBy) => {
          expectValidMessage(reviewCard(subject, requestedBy));
          expectValidMessage(reviewCard(subject, requestedBy, decision));
          expectValidMessage(reviewedMessage(subject, decision));
          expectValidView(reviewModal(subject, members));
          expectValidView(decidedModal(subject, members, decision));
        },
      ),
      RUNS,
    );
  });

  it("job messages: progress (a batch's, a sync's), end summaries, copy summaries with Fix duplicates", () => {
    fc.assert(
      fc.property(arb.jobStatus, arb.jobEnded, arb.jobActivity, ({ job, progress }, ended, activity) => {
        expectValidMessage(jobProgressMessage(job, progress));
        expectValidMessage(jobProgressMessage(job, progress, activity));
        expectValidMessage(jobEndedMessage(ended));
        expectValidMessage(copyEndedMessage({ ...ended, kind: 'copy-customers' }));
      }),
      RUNS,
    );
  });

  it('/migration-status: the overview and one job in detail, from 1 to 10,000 customers', () => {
    fc.assert(
      fc.property(arb.jobOverview, arb.jobDetail, fc.date({ noInvalidDate: true }), (overview, detail, now) => {
        expectValidMessage(message('Jobs', jobOverviewBlocks(overview, now)));
        expectValidMessage(message('Job', jobDetailBlocks(detail, now)));
      }),
      RUNS,
    );
  });

  it('App Home, for no site, one or many, and its notices', () => {
    fc.assert(
      fc.property(arb.homeContent, arb.text, (content, text) => {
        expectValidView(homeView(content));
        expectValidView(homeNotice(text));
      }),
      RUNS,
    );
  });

  it('notices and message texts of any length', () => {
    fc.assert(
      fc.property(arb.text, arb.text, (title, text) => {
        expectValidView(noticeModal(title, text));
        expectValidMessage(message(text.repeat(10), []));
      }),
      RUNS,
    );
  });
});

describe('clip', () => {
  it('never exceeds the limit in characters, never splits an emoji, an escape or a Slack token', () => {
    fc.assert(
      // Views clip escaped text, where every & begins an escape; a lone & left before the … is an escape split.
      fc.property(arb.text.map(escapeText), fc.integer({ min: 2, max: 200 }), (text, limit) => {
        const cut = clip(text, limit);
        expect([...cut].length).toBeLessThanOrEqual(limit);
        expect(cut).not.toMatch(/[\ud800-\udbff]$|&[a-z]*…$/);
        if ([...text].length <= limit) expect(cut).toBe(text);
        else expect(cut.endsWith('…')).toBe(true);
      }),
    );
    expect(clip('ab&amp;cd', 5)).toBe('ab…');
    expect(clip('see <@U123456> now', 10)).toBe('see …');
  });
});
