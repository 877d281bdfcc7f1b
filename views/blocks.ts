import type { types } from '@slack/bolt';

/**
 * Small Block Kit builders shared by every view. Views are pure functions from data to blocks: no I/O here.
 * Text that comes from people (names, emails, reasons) goes through `escapeText`, so it cannot inject markup.
 */
export type Block = types.KnownBlock;
export type Modal = types.ModalView;
export type Home = types.HomeView;
export type Button = types.Button;

const SECTION_LIMIT = 3000;

/** Escapes the three characters Slack's mrkdwn treats as markup. */
export const escapeText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const clip = (text: string, limit: number) => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`);

export const plain = (text: string, limit = 75): types.PlainTextElement => ({
  type: 'plain_text',
  text: clip(text, limit),
  emoji: true,
});

export const header = (text: string): Block => ({ type: 'header', text: plain(text, 150) });

export const section = (mrkdwn: string, accessory?: types.SectionBlock['accessory']): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: clip(mrkdwn, SECTION_LIMIT) },
  ...(accessory ? { accessory } : {}),
});

export const fields = (items: string[]): Block => ({
  type: 'section',
  fields: items.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: clip(text, 2000) })),
});

export const context = (...texts: string[]): Block => ({
  type: 'context',
  elements: texts.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: clip(text, SECTION_LIMIT) })),
});

export const divider = (): Block => ({ type: 'divider' });

export const actions = (blockId: string, elements: types.ActionsBlockElement[]): Block => ({
  type: 'actions',
  block_id: blockId,
  elements: elements.slice(0, 25),
});

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: plain(text),
    action_id: actionId,
    value: clip(value, 2000),
    ...(style ? { style } : {}),
  };
}

/** A modal; title, submit and close are cut to Slack's 24 characters. */
export function modal(options: {
  callbackId: string;
  title: string;
  blocks: Block[];
  submit?: string;
  close?: string;
  privateMetadata?: string;
  externalId?: string;
}): Modal {
  return {
    type: 'modal',
    callback_id: options.callbackId,
    title: plain(options.title, 24),
    ...(options.submit ? { submit: plain(options.submit, 24) } : {}),
    close: plain(options.close ?? 'Close', 24),
    blocks: options.blocks.slice(0, 100),
    ...(options.privateMetadata ? { private_metadata: options.privateMetadata } : {}),
    ...(options.externalId ? { external_id: options.externalId } : {}),
  };
}

/** Slack shows <!date^…> in each reader's own time zone, with the fallback text where it cannot. */
export const slackDate = (date: Date, format = '{date_short_pretty} {time}') =>
  `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString()}>`;
