import { invalidArgument, SlackApiError } from '../errors';
import { isJsonObject } from '../json';
import { slackFile } from '../wire';
import { requireString, stringArg } from './args';
import { postable } from './chat';
import type { ApiHandler, ApiMethod } from './types';

/** Step 1 of files upload v2: hands out the emulator's own upload URL for the bytes (step 2). */
const getUploadURLExternal: ApiHandler = (args, ctx) => {
  const filename = stringArg(args, 'filename');
  if (filename === undefined) throw invalidArgument('filename', 'missing required field: filename');
  const length = Number(args.length);
  if (!Number.isInteger(length) || length < 1) throw invalidArgument('length', 'must be a positive integer');
  const file = ctx.workspace.files.reserve(filename, length, ctx.config.bot.userId);
  return { upload_url: `${ctx.baseUrl}/upload/${file.id}`, file_id: file.id };
};

/**
 * Step 3: completes uploaded files and, with a channel, shares them there in one message, whose text is the
 * initial_comment. Slack would also accept blocks for that message; the bot does not use them, so they are left out.
 */
const completeUploadExternal: ApiHandler = (args, ctx) => {
  const entries = Array.isArray(args.files) ? args.files.filter(isJsonObject) : [];
  if (entries.length === 0) throw invalidArgument('files', 'missing required field: files');
  const { files, messages, directory } = ctx.workspace;
  const uploads = entries.map((entry) => {
    const file = files.get(String(entry.id));
    if (file === undefined || file.status === 'awaiting_upload') throw new SlackApiError('file_not_found');
    return { file, title: typeof entry.title === 'string' ? entry.title : undefined };
  });
  const channelId = stringArg(args, 'channel_id') ?? stringArg(args, 'channels');
  const channel = channelId === undefined ? undefined : directory.find(channelId);
  if (channelId !== undefined && channel === undefined) throw new SlackApiError('invalid_channel');
  if (channel !== undefined) postable(channel, ctx);
  for (const { file, title } of uploads) files.complete(file, title);
  if (channel !== undefined) {
    const comment = stringArg(args, 'initial_comment');
    const shared = uploads.map(({ file }) => slackFile({ ...file, channels: [channel.id] }, ctx.config, ctx.baseUrl));
    const content = { text: comment ?? '', blocks: [], attachments: [] };
    const message = messages.post(channel.id, ctx.config.bot.userId, content, {
      files: shared,
      thread_ts: stringArg(args, 'thread_ts'),
    });
    for (const { file } of uploads) files.share(file, channel.id, message.ts, comment);
  }
  return { files: uploads.map(({ file }) => ({ id: file.id, title: file.title })) };
};

const info: ApiHandler = (args, ctx) => {
  const file = ctx.workspace.files.get(requireString(args, 'file', 'file_not_found'));
  if (file?.status !== 'complete') throw new SlackApiError('file_not_found');
  return { file: slackFile(file, ctx.config, ctx.baseUrl) };
};

export const fileMethods: Record<string, ApiMethod> = {
  'files.getUploadURLExternal': { handle: getUploadURLExternal },
  'files.completeUploadExternal': { handle: completeUploadExternal },
  'files.info': { handle: info },
};
