import type { types } from '@slack/bolt';
import { nthActionId } from '../src/slack/actionIds';
import type { Message } from '../src/slack/notifier/poster';
import { plural } from '../src/text';

/**
 * Small Block Kit builders shared by every view. Views are pure functions from data to blocks: no I/O here.
 * Text that comes from people (names, emails, reasons) goes through `escapeText`, so it cannot inject markup.
 *
 * They are valid by construction, whatever the directory holds: every text is cut to Slack's limit for its place,
 * lists are cut to Slack's counts, the action ids of a block and the block ids of a surface are made unique, and
 * a surface with more blocks than Slack takes ends with "… and N more" saying where the rest is.
 */
export type Block = types.KnownBlock;
export type Modal = types.ModalView;
export type Home = types.HomeView;
export type Button = types.Button;

/** Slack's limits (docs.slack.dev/reference/block-kit), in characters as Slack counts them (code points). */
export const LIMIT = {
  sectionText: 3000,
  headerText: 150,
  /** Button text, option text and description, and other short plain texts. */
  shortText: 75,
  buttonValue: 2000,
  inputInitial: 3000,
  fieldText: 2000,
  fields: 10,
  contextText: 2000,
  contextElements: 10,
  actionsElements: 25,
  /** Modal title, submit and close. */
  viewTitle: 24,
  privateMetadata: 3000,
  messageText: 40_000,
  messageBlocks: 50,
  viewBlocks: 100,
};

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export const escapeText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * Cuts text to `limit` characters, ending with "…". It cuts between code points (an emoji is never halved) and
 * never inside an escape (`&amp;`) or a Slack token (`<@U123>`, `<!date^…|…>`), which would show as garbage.
 */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const chars = [...text];
  if (chars.length <= limit) return text;
  const cut = chars
    .slice(0, limit - 1)
    .join('')
    .replace(/&[a-z#0-9]*$|<[^>]*$/, '');
  return `${cut}…`;
}

/** Slack refuses empty texts: a text built from empty data says so with a dash. */
const nonEmpty = (text: string) => (text.trim() === '' ? '—' : text);

const fitText = (text: string, limit: number) => clip(nonEmpty(text), limit);

export const plain = (text: string, limit = LIMIT.shortText): types.PlainTextElement => ({
  type: 'plain_text',
  text: fitText(text, limit),
  emoji: true,
});

const mrkdwn = (text: string, limit: number): types.MrkdwnElement => ({ type: 'mrkdwn', text: fitText(text, limit) });

export const header = (text: string): Block => ({ type: 'header', text: plain(text, LIMIT.headerText) });

export const section = (text: string, accessory?: types.SectionBlock['accessory']): Block => ({
  type: 'section',
  text: mrkdwn(text, LIMIT.sectionText),
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): Block => ({
  type: 'section',
  fields: (items.length ? items : ['—']).slice(0, LIMIT.fields).map((text) => mrkdwn(text, LIMIT.fieldText)),
});

export const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: (texts.length ? texts : ['—'])
    .slice(0, LIMIT.contextElements)
    .map((text) => mrkdwn(text, LIMIT.contextText)),
});

export const divider = (): Block => ({ type: 'divider' });

/**
 * An actions block: its first 25 elements, and an element whose action id repeats an earlier one's in the block
 * gets the next of `nthActionId`'s ids (the listeners match them all).
 */
export function actions(blockId: string, elements: types.ActionsBlockElement[]): Block {
  const seen = new Map<string, number>();
  const unique = elements.slice(0, LIMIT.actionsElements).map((element) => {
    if (!('action_id' in element) || element.action_id === undefined) return element;
    const n = (seen.get(element.action_id) ?? 0) + 1;
    seen.set(element.action_id, n);
    return n === 1 ? element : { ...element, action_id: nthActionId(element.action_id, n) };
  });
  return { type: 'actions', block_id: blockId, elements: unique };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: plain(text),
    action_id: actionId,
    value: clip(value, LIMIT.buttonValue),
    ...(style ? { style } : {}),
  };
}

/** Lines grouped into as few sections as Slack's 3000 characters per section allow; a longer line is cut. */
export function linesToSections(lines: string[]): Block[] {
  const texts: string[] = [];
  let chunk = '';
  for (const line of lines.map((l) => clip(l, LIMIT.sectionText))) {
    if (chunk && [...chunk].length + [...line].length + 1 > LIMIT.sectionText) {
      texts.push(chunk);
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) texts.push(chunk);
  return texts.map((text) => section(text));
}

/**
 * Blocks for a surface that holds `max`: when there are more, the first `max - 1` and a last one saying how many
 * are left out and where to see them (`rest`, such as "`/migration-status j4k9m2x7` lists every customer").
 * Repeated block ids get a suffix, since Slack wants them unique within a message or view.
 */
export function fitBlocks(blocks: Block[], max: number, rest?: string): Block[] {
  const kept =
    blocks.length <= max
      ? blocks
      : [
          ...blocks.slice(0, max - 1),
          context(`… and ${plural(blocks.length - (max - 1), 'more part')} not shown${rest ? `: ${rest}` : ''}.`),
        ];
  const seen = new Map<string, number>();
  return kept.map((block) => {
    if (!block.block_id) return block;
    const n = (seen.get(block.block_id) ?? 0) + 1;
    seen.set(block.block_id, n);
    return n === 1 ? block : { ...block, block_id: `${block.block_id}.${n}` };
  });
}

/** A message: its notification text cut to Slack's 40,000 characters, and at most 50 blocks. */
export function message(text: string, blocks: Block[], rest?: string): Message {
  return { text: fitText(text, LIMIT.messageText), blocks: fitBlocks(blocks, LIMIT.messageBlocks, rest) };
}

/** The App Home tab: at most 100 blocks. */
export const home = (blocks: Block[], rest?: string): Home => ({
  type: 'home',
  blocks: fitBlocks(blocks, LIMIT.viewBlocks, rest),
});

/**
 * A modal; title, submit and close are cut to Slack's 24 characters, and blocks to 100. private_metadata is data
 * the submission reads back, so it is never cut: a caller that could exceed 3000 characters must store it elsewhere.
 */
export function modal(options: {
  callbackId: string;
  title: string;
  blocks: Block[];
  submit?: string;
  close?: string;
  privateMetadata?: string;
  externalId?: string;
  /** Where to see what does not fit, when the blocks are more than a modal holds. */
  rest?: string;
}): Modal {
  const metadata = options.privateMetadata;
  if (metadata && [...metadata].length > LIMIT.privateMetadata) {
    throw new Error(`private_metadata of ${options.callbackId} is over ${LIMIT.privateMetadata} characters`);
  }
  return {
    type: 'modal',
    callback_id: options.callbackId,
    title: plain(options.title, LIMIT.viewTitle),
    ...(options.submit ? { submit: plain(options.submit, LIMIT.viewTitle) } : {}),
    close: plain(options.close ?? 'Close', LIMIT.viewTitle),
    blocks: fitBlocks(options.blocks, LIMIT.viewBlocks, options.rest),
    ...(metadata ? { private_metadata: metadata } : {}),
    ...(options.externalId ? { external_id: options.externalId } : {}),
  };
}

/** Slack shows <!date^…> in each reader's own time zone, with the fallback text where it cannot. */
export const slackDate = (date: Date, format = '{date_short_pretty} {time}') =>
  `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString()}>`;
