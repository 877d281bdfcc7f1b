import fc from 'fast-check';
import { commands } from '../../commands';
import { isSiteId } from '../../commands/words';
import { isEmail } from '../../src/accounts/email';
import { readMessageContent } from '../../src/emulator/validation';
import { commandWords, unescapeWord } from '../../src/slack/handle';
import { ROLES } from '../../src/slack/roles';
import * as arb from '../support/arbitraries';

/**
 * Hostile input: every command's parser, given any text (Slack escapes, $-operators, very long words, control
 * characters, emoji, NUL), gives a sentence or a request whose every part is validated, and never throws.
 */

/** Words people (or attackers) type into a slash command. */
const word = fc.oneof(
  arb.email,
  arb.siteId,
  arb.jobId,
  arb.text,
  arb.email.map((e) => `<mailto:${e}|${e}>`),
  fc.constantFrom(
    '<@U0ADMIN0001|ada>',
    '<@U123|Ada Lee>',
    '<#C0GENERAL01|general>',
    '<!subteam^S123|@team>',
    '<!channel>',
    '<https://evil.example|click>',
    '{"$ne":1}',
    '{"$where":"sleep(1000)"}',
    '$where',
    '$ne',
    '--invited',
    'here',
    'on',
    'off',
    'help',
    'a&amp;b@example.com',
    '&lt;@U123&gt;',
    '\u0000',
    'x'.repeat(10_000),
    ...ROLES,
    'grant',
    'revoke',
    'list',
    'subscribe',
    'unsubscribe',
    'approvers',
    'HELP,IT',
  ),
);
const space = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u3000');
const commandText = fc.oneof(
  fc.array(fc.tuple(word, space), { maxLength: 8 }).map((parts) => parts.map(([w, s]) => w + s).join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const mention = fc.stringMatching(/^U[A-Z0-9]{2,10}$/).map((id) => `<@${id}|someone>`);
const sites = fc.array(arb.siteId, { maxLength: 2 });
const emails = fc.array(arb.email, { minLength: 1, maxLength: 4 });
const among = (...choices: string[]) => fc.constantFrom(...choices).map((choice) => [choice]);

/** Words shaped as each command's usage, so that the valid requests are reached too, hostile words mixed in. */
const SHAPED: Record<string, fc.Arbitrary<string[]>> = {
  '/customer': emails.map((e) => e.slice(0, 1)),
  '/migrate-customer': fc.oneof(
    fc.tuple(emails, sites).map(([e, s]) => [...e, ...s]),
    arb.siteId.map((site) => ['--invited', site]),
  ),
  '/make-portal-only': fc.tuple(emails, arb.siteId).map(([e, s]) => [...e, s]),
  '/mark-portal-only': arb.siteId.map((s) => [s]),
  '/site-access': fc.tuple(arb.email, among('on', 'off'), arb.siteId).map(([e, [state = ''], s]) => [e, state, s]),
  '/accounts-admin': fc.oneof(
    fc
      .tuple(among('grant', 'revoke'), mention, fc.constantFrom(...ROLES), sites)
      .map(([[verb = ''], user, role, s]) => [verb, user, role, ...s.slice(0, 1)]),
    fc.tuple(fc.constantFrom(...ROLES), sites).map(([role, s]) => ['list', role, ...s.slice(0, 1)]),
    fc
      .tuple(
        among('subscribe', 'unsubscribe', 'approvers'),
        fc.constantFrom('<#C0GENERAL01|general>', 'here'),
        arb.siteId,
      )
      .map(([[verb = ''], channel, site]) => [verb, channel, site]),
  ),
  '/copy-customers': fc
    .tuple(arb.siteId, arb.siteId, fc.option(arb.projectKeys))
    .map(([from, to, projects]) => [from, to, ...(projects ? [projects.join(',')] : [])]),
  '/migration-status': fc.tuple(arb.jobId, fc.boolean()).map(([id, csv]) => (csv ? [id, 'csv'] : [id])),
};

/** Shaped words, some replaced by hostile ones, joined by any kind of space. */
const shapedText = (name: string) =>
  fc
    .tuple(SHAPED[name] ?? fc.constant([]), fc.array(fc.option(word, { freq: 4 }), { maxLength: 6 }), space)
    .map(([words, swaps, gap]) => words.map((w, i) => swaps[i] ?? w).join(gap));

/** Every part of a request is a validated string (or a boolean, a number, null): no object from people's words. */
function expectNoOperators(value: unknown): void {
  if (value === null || ['string', 'boolean', 'number', 'undefined'].includes(typeof value)) return;
  if (Array.isArray(value)) {
    for (const item of value) expectNoOperators(item);
    return;
  }
  expect(typeof value).toBe('object');
  for (const [key, item] of Object.entries(value as object)) {
    expect(key.startsWith('$')).toBe(false);
    expectNoOperators(item);
  }
}

const USER = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL = /^([CGD][A-Z0-9]{2,}|here)$/;
const JOB_ID = /^j[a-z0-9]{7}$/;
const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;
const siteOrNull = (site: unknown) => site === null || (typeof site === 'string' && isSiteId(site));
const allEmails = (emails: unknown) =>
  Array.isArray(emails) && emails.length > 0 && emails.every((e) => typeof e === 'string' && isEmail(e));

/** What a valid request of each command looks like, checked apart from the parsers' own code. */
const VALID: Record<string, (r: Record<string, unknown>) => boolean> = {
  '/customer': (r) => typeof r.email === 'string' && isEmail(r.email),
  '/migrate-customer': (r) => {
    const target = r.target as Record<string, unknown>;
    return (
      r.kind === 'migrate-to-account' &&
      siteOrNull(r.site) &&
      ('emails' in target ? allEmails(target.emails) : target.selector === 'invited-not-migrated' && r.site !== null)
    );
  },
  '/make-portal-only': (r) =>
    r.kind === 'make-portal-only' &&
    typeof r.site === 'string' &&
    isSiteId(r.site) &&
    allEmails((r.target as { emails?: unknown }).emails),
  '/mark-portal-only': (r) => r.kind === 'make-portal-only' && typeof r.site === 'string' && isSiteId(r.site),
  '/site-access': (r) =>
    typeof r.email === 'string' && isEmail(r.email) && typeof r.site === 'string' && isSiteId(r.site),
  '/accounts-admin': (r) => {
    if (r.verb === 'grant' || r.verb === 'revoke') {
      return USER.test(String(r.user)) && (ROLES as readonly unknown[]).includes(r.role) && siteOrNull(r.site);
    }
    if (r.verb === 'list')
      return (r.role === null || (ROLES as readonly unknown[]).includes(r.role)) && siteOrNull(r.site);
    return (
      ['subscribe', 'unsubscribe', 'approvers'].includes(String(r.verb)) &&
      CHANNEL.test(String(r.channel)) &&
      siteOrNull(r.site) &&
      r.site !== null
    );
  },
  '/copy-customers': (r) =>
    typeof r.from === 'string' &&
    typeof r.to === 'string' &&
    isSiteId(r.from) &&
    isSiteId(r.to) &&
    r.from !== r.to &&
    (r.projects === undefined ||
      (Array.isArray(r.projects) && r.projects.length <= 50 && r.projects.every((p) => PROJECT_KEY.test(String(p))))),
  '/migration-status': (r) =>
    r.job === undefined
      ? r.csv === undefined
      : JOB_ID.test(String(r.job)) && [undefined, true].includes(r.csv as boolean),
};

describe('every command reads any text into a sentence or a valid request', () => {
  it('knows every command', () => {
    expect(commands.map((c) => c.name).sort()).toEqual(Object.keys(VALID).sort());
  });

  for (const command of commands) {
    it(`${command.name}`, () => {
      const seen = { problems: 0, requests: 0 };
      fc.assert(
        fc.property(fc.oneof(commandText, shapedText(command.name)), (text) => {
          const words = commandWords(text);
          const parsed = command.parse(words);
          seen['problem' in parsed ? 'problems' : 'requests']++;
          if ('problem' in parsed) {
            // One short sentence that cannot mention anyone or break the ack Slack shows.
            expect(parsed.problem.length).toBeGreaterThan(0);
            expect([...parsed.problem].length).toBeLessThan(400);
            expect(parsed.problem).not.toMatch(/[<\p{Cc}]/u);
            const ack = `${parsed.problem}\nUsage: \`${command.name} ${command.usage}\``;
            expect(() => readMessageContent({ text: ack })).not.toThrow();
          } else {
            expectNoOperators(parsed.request);
            expect(VALID[command.name]?.(parsed.request as Record<string, unknown>)).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
      // Both outcomes were reached, so neither half of the property held vacuously.
      expect(seen.problems).toBeGreaterThan(0);
      expect(seen.requests).toBeGreaterThan(0);
    });
  }
});

describe('the words of a slash command', () => {
  it("undoes Slack's escapes, keeping a token with spaces as one word", () => {
    expect(commandWords('<mailto:jsmith@abc.com|jsmith@abc.com>  acme')).toEqual(['jsmith@abc.com', 'acme']);
    expect(commandWords('grant <@U0ADMIN0001|Ada Lee> viewer')).toEqual(['grant', 'U0ADMIN0001', 'viewer']);
    expect(commandWords('subscribe <#C0GENERAL01|general> acme')).toEqual(['subscribe', 'C0GENERAL01', 'acme']);
    expect(commandWords('a&amp;b@example.com &lt;x&gt;')).toEqual(['a&b@example.com', '<x>']);
    expect(commandWords(' \t\n ')).toEqual([]);
  });

  it('never throws, and gives words without spaces (a token aside)', () => {
    fc.assert(
      fc.property(commandText, (text) => {
        for (const w of commandWords(text)) expect(w.length).toBeGreaterThan(0);
        expect(typeof unescapeWord(text)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
