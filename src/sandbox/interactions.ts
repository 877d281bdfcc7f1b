import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { ActionSource, SlackClientSimulator, SlackEmulator } from '../emulator';
import { BadRequest, jsonRoute, readJson } from './http';

/**
 * POST routes: what the visitor does on the page, done by the emulator's client simulator, which signs each
 * request as Slack does and sends it to the app's /slack/events, then applies the app's ack to the emulator.
 */

const userInput = z.union([z.string(), z.array(z.string())]);
const values = z.record(z.string(), userInput);

const schemas = {
  command: z.object({ user: z.string(), channel: z.string(), text: z.string() }),
  action: z.object({
    user: z.string(),
    /** A message (by channel and ts) or a view (by id) holds the element. */
    message: z.object({ channel: z.string(), ts: z.string(), ephemeral: z.boolean() }).optional(),
    view: z.string().optional(),
    /** "block_id/action_id" */
    key: z.string(),
    /** Absent for a button; the picked option value(s) otherwise. */
    input: userInput.optional(),
  }),
  enter: z.object({ view: z.string(), values }),
  submit: z.object({ user: z.string(), view: z.string(), values }),
  close: z.object({ user: z.string(), view: z.string() }),
  home: z.object({ user: z.string() }),
};

async function body<S extends z.ZodType>(req: Parameters<CustomRoute['handler']>[0], schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) throw new BadRequest(parsed.error.issues.map((issue) => issue.message).join('; '));
  return parsed.data;
}

export interface InteractionOptions {
  emulator: SlackEmulator;
  /** The simulator, once the app listens. */
  session: () => SlackClientSimulator;
}

export function interactionRoutes({ emulator, session }: InteractionOptions): CustomRoute[] {
  const { state } = emulator;

  /** The message or view as the emulator holds it now. */
  const source = (request: z.infer<typeof schemas.action>): ActionSource => {
    const { message, view, user } = request;
    const found = message
      ? message.ephemeral
        ? state.ephemerals(user, message.channel).find((candidate) => candidate.ts === message.ts)
        : state.message(message.channel, message.ts)
      : view === undefined
        ? undefined
        : state.view(view);
    if (!found) throw new BadRequest('That message or view is gone.');
    return found;
  };

  return [
    jsonRoute('POST', '/sandbox/api/command', async (req) => {
      const { user, channel, text } = await body(req, schemas.command);
      const typed = /^(\/\S+)\s*([\s\S]*)$/.exec(text.trim());
      if (!typed?.[1]) throw new BadRequest('A slash command starts with /.');
      const result = await session().slashCommand(user, channel, typed[1], typed[2] ?? '');
      return { status: result.status, problem: result.problem ?? null };
    }),
    jsonRoute('POST', '/sandbox/api/action', async (req) => {
      const request = await body(req, schemas.action);
      const held = source(request);
      const slack = session();
      const result =
        request.input === undefined
          ? await slack.clickButton(request.user, held, request.key)
          : await slack.choose(request.user, held, request.key, request.input);
      return { status: result?.status ?? null };
    }),
    jsonRoute('POST', '/sandbox/api/enter', async (req) => {
      const { view, values: entered } = await body(req, schemas.enter);
      session().enter(view, entered);
      return {};
    }),
    jsonRoute('POST', '/sandbox/api/submit', async (req) => {
      const { user, view, values: entered } = await body(req, schemas.submit);
      const { outcome } = await session().submitView(user, view, entered);
      return outcome;
    }),
    jsonRoute('POST', '/sandbox/api/close', async (req) => {
      const { user, view } = await body(req, schemas.close);
      await session().closeView(user, view);
      return {};
    }),
    jsonRoute('POST', '/sandbox/api/home', async (req) => {
      const { user } = await body(req, schemas.home);
      return { status: (await session().openAppHome(user)).status };
    }),
  ];
}
