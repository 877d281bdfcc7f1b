import { checkMessageBlocks, checkView, describeViolation, type Violation } from '../../src/emulator';

const x = (length: number) => 'x'.repeat(length);
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
const button = (fields: object = {}) => ({ type: 'button', text: plain('Go'), action_id: 'go', ...fields });
const option = (text: string, value = 'v') => ({ text: plain(text), value });
const select = (fields: object) => ({ type: 'static_select', action_id: 'pick', options: [option('A')], ...fields });
const section = (fields: object) => ({ type: 'section', ...fields });
const actions = (elements: object[]) => ({ type: 'actions', elements });
const input = (fields: object = {}) => ({
  type: 'input',
  label: plain('Email'),
  element: { type: 'plain_text_input', action_id: 'value' },
  ...fields,
});
const modal = (fields: object = {}) => ({
  type: 'modal',
  title: plain('Lookup'),
  submit: plain('Find'),
  blocks: [input()],
  ...fields,
});

describe('Block Kit limits in messages', () => {
  it.each<[string, object[], Violation]>([
    ['section text over 3000', [section({ text: mrkdwn(x(3001)) })], at('/blocks/0/text/text', 'less than 3001')],
    [
      'more than 10 section fields',
      [section({ fields: Array(11).fill(mrkdwn('a')) })],
      at('/blocks/0/fields', '10 items'),
    ],
    [
      'a section field over 2000',
      [section({ fields: [mrkdwn(x(2001))] })],
      at('/blocks/0/fields/0/text', 'less than 2001'),
    ],
    ['header text over 150', [{ type: 'header', text: plain(x(151)) }], at('/blocks/0/text/text', 'less than 151')],
    ['a mrkdwn header', [{ type: 'header', text: mrkdwn('Hi') }], at('/blocks/0/text/type', 'valid enum value')],
    [
      'more than 10 context elements',
      [{ type: 'context', elements: Array(11).fill(mrkdwn('a')) }],
      at('/blocks/0/elements', '10 items'),
    ],
    [
      'more than 25 actions elements',
      [actions(Array.from({ length: 26 }, (_, i) => button({ action_id: `b${i}` })))],
      at('/blocks/0/elements', '25 items'),
    ],
    [
      'button text over 75',
      [actions([button({ text: plain(x(76)) })])],
      at('/blocks/0/elements/0/text/text', 'less than 76'),
    ],
    [
      'a mrkdwn button text',
      [actions([button({ text: mrkdwn('Go') })])],
      at('/blocks/0/elements/0/text/type', 'valid enum value'),
    ],
    [
      'button value over 2000',
      [actions([button({ value: x(2001) })])],
      at('/blocks/0/elements/0/value', 'less than 2001'),
    ],
    [
      'button url over 3000',
      [actions([button({ url: `https://${x(3000)}` })])],
      at('/blocks/0/elements/0/url', 'less than 3001'),
    ],
    [
      'option text over 75',
      [section({ text: mrkdwn('a'), accessory: select({ options: [option(x(76))] }) })],
      at('/blocks/0/accessory/options/0/text/text', 'less than 76'),
    ],
    [
      'more than 100 options',
      [section({ text: mrkdwn('a'), accessory: select({ options: Array(101).fill(option('A')) }) })],
      at('/blocks/0/accessory/options', '100 items'),
    ],
    ['input label over 2000', [input({ label: plain(x(2001)) })], at('/blocks/0/label/text', 'less than 2001')],
    [
      'placeholder over 150',
      [input({ element: { type: 'plain_text_input', placeholder: plain(x(151)) } })],
      at('/blocks/0/element/placeholder/text', 'less than 151'),
    ],
    [
      'block_id over 255',
      [section({ text: mrkdwn('a'), block_id: x(256) })],
      at('/blocks/0/block_id', 'less than 256'),
    ],
    [
      'action_id over 255',
      [actions([button({ action_id: x(256) })])],
      at('/blocks/0/elements/0/action_id', 'less than 256'),
    ],
    [
      'a repeated block_id',
      [section({ text: mrkdwn('a'), block_id: 'b' }), section({ text: mrkdwn('b'), block_id: 'b' })],
      at('/blocks/1/block_id', 'unique'),
    ],
    [
      'a repeated action_id in one block',
      [actions([button(), button()])],
      at('/blocks/0/elements/1/action_id', 'unique'),
    ],
    [
      'an unknown block type',
      [{ type: 'sectoin', text: mrkdwn('a') }],
      at('/blocks/0/type', 'unsupported block type: sectoin'),
    ],
    [
      'an unknown element type',
      [actions([{ type: 'knob', action_id: 'k' }])],
      at('/blocks/0/elements/0/type', 'unsupported element type: knob'),
    ],
    ['an empty section text', [section({ text: mrkdwn('') })], at('/blocks/0/text/text', 'more than 0 characters')],
    [
      'an empty context element',
      [{ type: 'context', elements: [mrkdwn('')] }],
      at('/blocks/0/elements/0/text', 'more than 0'),
    ],
    [
      'a section with neither text nor fields',
      [section({})],
      at('/blocks/0', 'missing required field: text or fields'),
    ],
    [
      'emoji on a mrkdwn text',
      [section({ text: { ...mrkdwn('a'), emoji: true } })],
      at('/blocks/0/text/emoji', 'not allowed in a mrkdwn text object'),
    ],
    [
      'verbatim on a plain_text header',
      [{ type: 'header', text: { ...plain('a'), verbatim: true } }],
      at('/blocks/0/text/verbatim', 'not allowed in a plain_text text object'),
    ],
  ])('rejects %s', (_name, blocks, expected) => {
    expect(checkMessageBlocks(blocks)).toEqual([expect.objectContaining(expected)]);
  });

  it('rejects more than 50 blocks', () => {
    const blocks = Array(51).fill({ type: 'divider' });
    expect(checkMessageBlocks(blocks)).toEqual([{ pointer: '/blocks', message: 'no more than 50 items allowed' }]);
  });

  it('accepts every limit at its exact value', () => {
    const blocks = [
      section({ text: mrkdwn(x(3000)), fields: Array(10).fill(mrkdwn(x(2000))), block_id: x(255) }),
      { type: 'header', text: plain(x(150)) },
      { type: 'context', elements: Array(10).fill(mrkdwn('a')) },
      actions([button({ text: plain(x(75)), value: x(2000), action_id: x(255) })]),
      section({ text: mrkdwn('a'), accessory: select({ options: Array(100).fill(option(x(75))) }) }),
      input({ label: plain(x(2000)), element: { type: 'plain_text_input', placeholder: plain(x(150)) } }),
      ...Array(44).fill({ type: 'divider' }),
    ];
    expect(blocks).toHaveLength(50);
    expect(checkMessageBlocks(blocks)).toEqual([]);
  });

  it('reports every violation, not just the first', () => {
    const violations = checkMessageBlocks([
      { type: 'header', text: plain(x(151)) },
      actions([button({ text: plain(x(76)), value: x(2001) })]),
    ]);
    expect(violations.map((violation) => violation.pointer)).toEqual([
      '/blocks/0/text/text',
      '/blocks/1/elements/0/text/text',
      '/blocks/1/elements/0/value',
    ]);
  });

  it('counts characters as Slack does: an emoji is one', () => {
    expect(checkMessageBlocks([{ type: 'header', text: plain('🙂'.repeat(150)) }])).toEqual([]);
  });

  it("describes a violation as Slack's response_metadata does", () => {
    const [violation] = checkMessageBlocks([section({ text: mrkdwn(x(3001)) })]);
    expect(violation && describeViolation(violation)).toBe(
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    );
  });
});

describe('Block Kit limits in views', () => {
  it('accepts a well-formed modal and App Home', () => {
    expect(checkView(modal())).toEqual([]);
    expect(checkView({ type: 'home', blocks: [section({ text: mrkdwn('Hi') })] })).toEqual([]);
  });

  it.each<[string, object, Violation]>([
    ['a title over 24', modal({ title: plain(x(25)) }), at('/view/title/text', 'less than 25')],
    ['a mrkdwn title', modal({ title: mrkdwn('Lookup') }), at('/view/title/type', 'valid enum value')],
    ['no title', modal({ title: undefined }), at('/view', 'missing required field: title')],
    ['a submit over 24', modal({ submit: plain(x(25)) }), at('/view/submit/text', 'less than 25')],
    ['a close over 24', modal({ close: plain(x(25)) }), at('/view/close/text', 'less than 25')],
    [
      'private_metadata over 3000',
      modal({ private_metadata: x(3001) }),
      at('/view/private_metadata', 'less than 3001'),
    ],
    ['callback_id over 255', modal({ callback_id: x(256) }), at('/view/callback_id', 'less than 256')],
    ['more than 100 blocks', modal({ blocks: Array(101).fill({ type: 'divider' }) }), at('/view/blocks', '100 items')],
    [
      'a block over its limit',
      modal({ blocks: [{ type: 'header', text: plain(x(151)) }] }),
      at('/view/blocks/0/text/text', 'less than 151'),
    ],
    ['inputs without a submit button', modal({ submit: undefined }), at('/view', 'missing required field: submit')],
    ['an unknown view type', { type: 'popup', blocks: [] }, at('/view/type', 'valid enum value')],
  ])('rejects %s', (_name, view, expected) => {
    expect(checkView(view as Record<string, unknown>)).toEqual([expect.objectContaining(expected)]);
  });

  it('allows 100 blocks in a view', () => {
    expect(checkView(modal({ blocks: Array(100).fill({ type: 'divider' }), submit: undefined }))).toEqual([]);
  });
});

/** A violation at `pointer` whose message contains `words`. */
function at(pointer: string, words: string): Violation {
  return { pointer, message: expect.stringContaining(words) };
}
