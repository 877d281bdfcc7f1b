import type { CustomRoute } from '@slack/bolt';
import type { SlackEmulator, StoredMessage } from '../emulator';
import type { CommandHint } from './commandList';
import { BadRequest, jsonRoute } from './http';

/** What the page needs to draw the workspace once: who is who, where one can talk, which commands exist. */
export interface WorkspaceInfo {
  team: string;
  bot: { id: string; name: string };
  /** The people the visitor can act as, with what the bot lets them do. */
  people: { id: string; name: string; realName: string; title: string }[];
  /** Everyone, for <@U…> mentions. */
  users: Record<string, string>;
  channels: { id: string; name: string }[];
  /** Each person's DM with the bot, by user id. */
  dms: Record<string, string>;
  commands: CommandHint[];
}

/** A message as the page draws it: its current version only. */
export interface PageMessage {
  channel: string;
  ts: string;
  user: string;
  text: string;
  blocks: unknown[];
  files: { id: string; name: string; title: string; filetype: string; size: number; href: string }[];
  ephemeral: boolean;
  edited: boolean;
}

export interface ReadOptions {
  emulator: SlackEmulator;
  info: WorkspaceInfo;
}

/** GET routes: the workspace, and what one person sees in one conversation, from the emulator's state queries. */
export function readRoutes({ emulator, info }: ReadOptions): CustomRoute[] {
  const { state } = emulator;
  return [
    jsonRoute('GET', '/sandbox/api/workspace', () => info),
    jsonRoute('GET', '/sandbox/api/state', (_req, url) => {
      const user = url.searchParams.get('user') ?? '';
      const channel = url.searchParams.get('channel') ?? '';
      if (!state.user(user)) throw new BadRequest(`No user ${user} in the sandbox.`);
      const messages = channel ? [...state.messages(channel), ...state.ephemerals(user, channel)] : [];
      return {
        messages: messages.sort((a, b) => a.ts.localeCompare(b.ts)).map(pageMessage),
        modals: state.openViews(user).map((view) => ({ view, errors: state.viewErrors(view.id) })),
        home: state.home(user) ?? null,
      };
    }),
    {
      path: '/sandbox/files/:id/:name',
      method: 'GET',
      handler: (req, res) => {
        const file = state.file(String(req.params?.id));
        if (!file) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': file.mimetype, 'Content-Length': file.bytes.length });
        res.end(file.bytes);
      },
    },
  ];
}

function pageMessage(message: StoredMessage): PageMessage {
  const files = (message.files ?? []).map((file) => ({
    id: String(file.id),
    name: String(file.name),
    title: String(file.title ?? file.name),
    filetype: String(file.filetype ?? ''),
    size: Number(file.size ?? 0),
    href: `/sandbox/files/${encodeURIComponent(String(file.id))}/${encodeURIComponent(String(file.name))}`,
  }));
  return {
    channel: message.channel,
    ts: message.ts,
    user: message.user,
    text: message.text,
    blocks: message.blocks,
    files,
    ephemeral: message.visibleTo !== undefined,
    edited: message.versions.length > 1,
  };
}
