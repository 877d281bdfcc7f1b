import { charCount, isJsonObject, type JsonObject } from './json';

/**
 * Block Kit's documented limits (docs.slack.dev/reference/block-kit), checked the way Slack checks them: every
 * violation is reported, each with a JSON pointer into the request, so a test can assert on exactly what broke.
 */

/** One broken rule: where it is (a JSON pointer into the request) and what is wrong, worded as Slack words it. */
export interface Violation {
  pointer: string;
  message: string;
}

/** Limits on a whole surface; the limits inside blocks are in the tables below. */
export const SURFACE_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  /** chat.* answer `msg_too_long` beyond this. */
  messageText: 40_000,
  /** chat.* answer `too_many_attachments` beyond this. */
  messageAttachments: 100,
};

/** `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`, as in Slack's response_metadata. */
export function describeViolation(violation: Violation): string {
  return `${violation.message} [json-pointer:${violation.pointer}]`;
}

export function checkMessageBlocks(blocks: readonly unknown[]): Violation[] {
  return checkBlocks(blocks, '/blocks', SURFACE_LIMITS.messageBlocks);
}

/** A modal or App Home view, as given to views.open, views.push, views.update, views.publish or in an ack. */
export function checkView(view: JsonObject): Violation[] {
  const rules = view.type === 'modal' ? MODAL : view.type === 'home' ? HOME : undefined;
  if (rules === undefined) return [{ pointer: '/view/type', message: 'must be a valid enum value' }];
  const violations = rules.flatMap((check) => check(view, '/view'));
  if (!Array.isArray(view.blocks)) return [...violations, missing('blocks', '/view')];
  violations.push(...checkBlocks(view.blocks, '/view/blocks', SURFACE_LIMITS.viewBlocks));
  const hasInputs = view.blocks.some((block) => isJsonObject(block) && block.type === 'input');
  if (view.type === 'modal' && hasInputs && view.submit == null) {
    violations.push({
      pointer: '/view',
      message: 'missing required field: submit (a modal with input blocks needs one)',
    });
  }
  return violations;
}

type Check = (node: JsonObject, at: string) => Violation[];
type ItemCheck = (item: unknown, at: string) => Violation[];

const tooLong = (max: number) => `must be less than ${max + 1} characters`;
const tooMany = (max: number) => `no more than ${max} items allowed`;
const missing = (field: string, at: string): Violation => ({
  pointer: at,
  message: `missing required field: ${field}`,
});
const notAn = (kind: string, at: string): Violation => ({ pointer: at, message: `must be an ${kind}` });

const PLAIN = { plainOnly: true };
const PLAIN_REQUIRED = { plainOnly: true, required: true };
const ID_MAX = 255;

/** A string field of at most `max` characters. */
function chars(field: string, max: number): Check {
  return (node, at) => {
    const value = node[field];
    if (value === undefined || value === null) return [];
    if (typeof value !== 'string') return [{ pointer: `${at}/${field}`, message: 'must be a string' }];
    return charCount(value) > max ? [{ pointer: `${at}/${field}`, message: tooLong(max) }] : [];
  };
}

/** A text object field, `{ type: 'plain_text' | 'mrkdwn', text }`, whose text is at most `max` characters. */
function text(field: string, max: number, rule: { plainOnly?: boolean; required?: boolean } = {}): Check {
  return (node, at) => {
    const value = node[field];
    if (value === undefined || value === null) return rule.required ? [missing(field, at)] : [];
    return textObject(value, `${at}/${field}`, max, rule.plainOnly);
  };
}

function textObject(value: unknown, at: string, max: number, plainOnly = false): Violation[] {
  if (!isJsonObject(value)) return [notAn('object', at)];
  const types = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !types.includes(value.type)) {
    return [{ pointer: `${at}/type`, message: 'must be a valid enum value' }];
  }
  if (typeof value.text !== 'string') return [missing('text', at)];
  const violations: Violation[] = [];
  // A text object's text is 1 to `max` characters; `emoji` belongs to plain_text and `verbatim` to mrkdwn.
  const length = charCount(value.text);
  if (length === 0) violations.push({ pointer: `${at}/text`, message: 'must be more than 0 characters' });
  if (length > max) violations.push({ pointer: `${at}/text`, message: tooLong(max) });
  const foreign = value.type === 'plain_text' ? 'verbatim' : 'emoji';
  if (value[foreign] !== undefined) {
    violations.push({ pointer: `${at}/${foreign}`, message: `not allowed in a ${value.type} text object` });
  }
  return violations;
}

const textItem =
  (max: number): ItemCheck =>
  (item, at) =>
    textObject(item, at, max);

/** An array field of at most `max` items, each checked by `each`. */
function list(field: string, max: number, each: ItemCheck, required = false): Check {
  return (node, at) => {
    const value = node[field];
    if (value === undefined) return required ? [missing(field, at)] : [];
    if (!Array.isArray(value)) return [notAn('array', `${at}/${field}`)];
    const itemViolations = value.flatMap((item, index) => each(item, `${at}/${field}/${index}`));
    return value.length > max
      ? [{ pointer: `${at}/${field}`, message: tooMany(max) }, ...itemViolations]
      : itemViolations;
  };
}

/** A single nested object, such as a section's accessory or an input's element. */
function child(field: string, each: ItemCheck, required = false): Check {
  return (node, at) => {
    if (node[field] === undefined) return required ? [missing(field, at)] : [];
    return each(node[field], `${at}/${field}`);
  };
}

/** Fields of an object item, such as an option: the item must be an object, then each check applies. */
function fields(...checks: Check[]): ItemCheck {
  return (item, at) => (isJsonObject(item) ? checks.flatMap((check) => check(item, at)) : [notAn('object', at)]);
}

const option = fields(
  text('text', 75, { required: true }),
  chars('value', 150),
  text('description', 75),
  chars('url', 3000),
);
const optionGroup = fields(text('label', 75, PLAIN_REQUIRED), list('options', 100, option, true));
const options = (max: number) => list('options', max, option);
const placeholder = text('placeholder', 150, PLAIN);

const SELECT: Check[] = [placeholder, options(100), list('option_groups', 100, optionGroup)];
const PICKER: Check[] = [placeholder];

/** Interactive elements Slack knows, and the limits on each. Every element's action_id is at most 255 characters. */
const ELEMENTS: Record<string, Check[]> = {
  button: [text('text', 75, PLAIN_REQUIRED), chars('value', 2000), chars('url', 3000)],
  workflow_button: [text('text', 75, PLAIN_REQUIRED)],
  overflow: [options(5)],
  checkboxes: [options(10)],
  radio_buttons: [options(10)],
  static_select: SELECT,
  multi_static_select: SELECT,
  external_select: PICKER,
  multi_external_select: PICKER,
  users_select: PICKER,
  multi_users_select: PICKER,
  conversations_select: PICKER,
  multi_conversations_select: PICKER,
  channels_select: PICKER,
  multi_channels_select: PICKER,
  datepicker: PICKER,
  timepicker: PICKER,
  datetimepicker: [],
  plain_text_input: [placeholder, chars('initial_value', 3000)],
  email_text_input: PICKER,
  url_text_input: PICKER,
  number_input: PICKER,
  rich_text_input: PICKER,
  file_input: [],
  image: [chars('image_url', 3000), chars('alt_text', 2000)],
};

function element(item: unknown, at: string): Violation[] {
  if (!isJsonObject(item)) return [notAn('object', at)];
  const checks = typeof item.type === 'string' ? ELEMENTS[item.type] : undefined;
  if (checks === undefined)
    return [{ pointer: `${at}/type`, message: `unsupported element type: ${String(item.type)}` }];
  return [chars('action_id', ID_MAX), ...checks].flatMap((check) => check(item, at));
}

/** Context blocks hold images and text objects only. */
function contextElement(item: unknown, at: string): Violation[] {
  return isJsonObject(item) && item.type === 'image' ? element(item, at) : textObject(item, at, 3000);
}

/** Slack routes an action by block_id and action_id, so the action_ids within one block must differ. */
const uniqueActionIds: Check = (node, at) => {
  const elements = Array.isArray(node.elements) ? node.elements : [];
  return duplicates(elements, 'action_id').map((index) => ({
    pointer: `${at}/elements/${index}/action_id`,
    message: 'must be unique within the block',
  }));
};

/** A section shows its text, its fields, or both: one of them is required. */
const textOrFields: Check = (node, at) =>
  node.text == null && node.fields == null ? [missing('text or fields', at)] : [];

/** Block types Slack knows, and the limits on each. Every block's block_id is at most 255 characters. */
const BLOCKS: Record<string, Check[]> = {
  actions: [list('elements', 25, element, true), uniqueActionIds],
  context: [list('elements', 10, contextElement, true)],
  divider: [],
  file: [],
  header: [text('text', 150, PLAIN_REQUIRED)],
  image: [chars('image_url', 3000), chars('alt_text', 2000), text('title', 2000, PLAIN)],
  input: [text('label', 2000, PLAIN_REQUIRED), text('hint', 2000, PLAIN), child('element', element, true)],
  markdown: [chars('text', 12_000)],
  rich_text: [],
  section: [text('text', 3000), list('fields', 10, textItem(2000)), child('accessory', element), textOrFields],
  table: [],
  video: [chars('title_url', 3000), text('title', 200, PLAIN_REQUIRED), text('description', 200, PLAIN)],
};

const MODAL: Check[] = [
  text('title', 24, PLAIN_REQUIRED),
  text('submit', 24, PLAIN),
  text('close', 24, PLAIN),
  chars('private_metadata', 3000),
  chars('callback_id', ID_MAX),
  chars('external_id', ID_MAX),
];
const HOME: Check[] = [chars('private_metadata', 3000), chars('callback_id', ID_MAX), chars('external_id', ID_MAX)];

function checkBlocks(blocks: readonly unknown[], at: string, max: number): Violation[] {
  const violations: Violation[] = blocks.length > max ? [{ pointer: at, message: tooMany(max) }] : [];
  blocks.forEach((block, index) => {
    violations.push(...checkBlock(block, `${at}/${index}`));
  });
  for (const index of duplicates(blocks, 'block_id')) {
    violations.push({ pointer: `${at}/${index}/block_id`, message: 'must be unique within the message or view' });
  }
  return violations;
}

function checkBlock(block: unknown, at: string): Violation[] {
  if (!isJsonObject(block)) return [notAn('object', at)];
  const checks = typeof block.type === 'string' ? BLOCKS[block.type] : undefined;
  if (checks === undefined)
    return [{ pointer: `${at}/type`, message: `unsupported block type: ${String(block.type)}` }];
  return [chars('block_id', ID_MAX), ...checks].flatMap((check) => check(block, at));
}

/** Indexes of the items whose `field` repeats an earlier item's. */
function duplicates(items: readonly unknown[], field: string): number[] {
  const seen = new Set<unknown>();
  const repeated: number[] = [];
  items.forEach((item, index) => {
    const value = isJsonObject(item) ? item[field] : undefined;
    if (typeof value !== 'string') return;
    if (seen.has(value)) repeated.push(index);
    seen.add(value);
  });
  return repeated;
}
