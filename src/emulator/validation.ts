import { checkMessageBlocks, checkView, describeViolation, SURFACE_LIMITS } from './blockKit';
import { invalidArgument, SlackApiError } from './errors';
import { charCount, isJsonObject, type JsonObject } from './json';
import type { MessageContent } from './state/messages';

/**
 * A message's text, blocks and attachments from chat.* arguments, a response_url body or a slash command's ack,
 * checked as Slack checks them. Throws a SlackApiError with Slack's error name.
 */
export function readMessageContent(fields: JsonObject): MessageContent {
  const text = typeof fields.text === 'string' ? fields.text : '';
  const blocks = jsonArray(fields.blocks, 'invalid_blocks_format');
  const attachments = jsonArray(fields.attachments, 'invalid_attachments');
  if (text === '' && blocks.length === 0 && attachments.length === 0) throw new SlackApiError('no_text');
  if (charCount(text) > SURFACE_LIMITS.messageText) throw new SlackApiError('msg_too_long');
  if (attachments.length > SURFACE_LIMITS.messageAttachments) throw new SlackApiError('too_many_attachments');
  const violations = checkMessageBlocks(blocks).map(describeViolation);
  // chat.* list the violations twice: bare in `errors`, and prefixed `[ERROR]` in response_metadata.messages.
  if (violations.length > 0) throw new SlackApiError('invalid_blocks', violations, { errors: violations });
  return { text, blocks: blocks.filter(isJsonObject), attachments: attachments.filter(isJsonObject) };
}

/** A view for views.* or a view_submission ack, checked as Slack checks it (views.* answer `invalid_arguments`). */
export function readView(value: unknown): JsonObject {
  if (value === undefined) throw invalidArgument('view', 'missing required field: view');
  if (!isJsonObject(value)) throw invalidArgument('view', 'must be an object');
  const violations = checkView(value);
  if (violations.length > 0) throw new SlackApiError('invalid_arguments', violations.map(describeViolation));
  return value;
}

/** Absent means empty; anything but an array (such as JSON that failed to parse) is the given format error. */
function jsonArray(value: unknown, formatError: string): unknown[] {
  if (value === undefined || value === '') return [];
  if (!Array.isArray(value)) throw new SlackApiError(formatError);
  return value;
}
