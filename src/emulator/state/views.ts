import { interactiveElements, withGeneratedIds } from '../blockTree';
import { SlackApiError } from '../errors';
import type { IdSource } from '../ids';
import { isJsonObject, type JsonObject } from '../json';
import type { ChangeFeed } from './changes';

/** `view.state.values`: block_id → action_id → what the user entered, in Slack's shape for the element. */
export type StateValues = Record<string, Record<string, JsonObject>>;

/** A view as Slack returns it from views.* and sends it in payloads. */
export interface SlackView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: JsonObject;
  submit: JsonObject | null;
  close: JsonObject | null;
  blocks: JsonObject[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: StateValues };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
}

/** Who owns the views: the app and workspace that views.* report. */
export interface ViewOwner {
  team_id: string;
  app_id: string;
  bot_id: string;
}

interface ViewRecord {
  view: SlackView;
  user: string;
  /** Field errors from `response_action: 'errors'`, by block_id, shown under the fields until the next change. */
  errors: Record<string, string>;
}

/** Slack lets an app push two views onto an open modal: three in all. */
const MAX_MODAL_STACK = 3;

/** Each user's modal stack and App Home view. Views arrive already checked against Block Kit's limits. */
export class ViewStore {
  private readonly records = new Map<string, ViewRecord>();
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, string>();

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly changes: ChangeFeed,
    private readonly owner: ViewOwner,
  ) {}

  /** A new modal replaces whatever modal the user had open. */
  open(user: string, input: JsonObject): SlackView {
    this.clear(user);
    const id = this.ids.next('V');
    const view = this.build(input, { id, root_view_id: id, previous_view_id: null });
    this.save(user, view);
    this.stacks.set(user, [id]);
    this.emit('view_opened', user, view);
    return view;
  }

  push(user: string, input: JsonObject): SlackView {
    const stack = this.stacks.get(user) ?? [];
    const [root, top] = [stack[0], stack.at(-1)];
    if (root === undefined || top === undefined) throw new SlackApiError('not_found');
    if (stack.length >= MAX_MODAL_STACK) throw new SlackApiError('push_limit_reached');
    const view = this.build(input, { id: this.ids.next('V'), root_view_id: root, previous_view_id: top });
    this.save(user, view);
    stack.push(view.id);
    this.emit('view_opened', user, view);
    return view;
  }

  /**
   * Keeps the view's id, place in its stack and external_id (unless the new view sets another), and what the user
   * entered in fields that are still there.
   */
  update(viewId: string, input: JsonObject): SlackView {
    const record = this.require(viewId);
    const { id, root_view_id, previous_view_id, external_id } = record.view;
    const view = this.build({ external_id, ...input }, { id, root_view_id, previous_view_id });
    view.state.values = keptValues(record.view.state.values, view.blocks);
    record.view = view;
    record.errors = {};
    this.emit('view_updated', record.user, view);
    return view;
  }

  /** A user has one App Home view; publishing again replaces it under the same id. */
  publishHome(user: string, input: JsonObject): SlackView {
    const id = this.homes.get(user) ?? this.ids.next('V');
    const view = this.build(input, { id, root_view_id: id, previous_view_id: null });
    this.save(user, view);
    this.homes.set(user, id);
    this.emit('home_published', user, view);
    return view;
  }

  get(viewId: string): Readonly<ViewRecord> | undefined {
    return this.records.get(viewId);
  }

  withExternalId(externalId: string): Readonly<ViewRecord> | undefined {
    return [...this.records.values()].find((record) => record.view.external_id === externalId);
  }

  /** The user's open modals, the first one opened first; the last is the one on screen. */
  stack(user: string): SlackView[] {
    return (this.stacks.get(user) ?? []).map((id) => this.require(id).view);
  }

  home(user: string): SlackView | undefined {
    const id = this.homes.get(user);
    return id === undefined ? undefined : this.require(id).view;
  }

  /** Closes the modal on screen, back to the one under it; a view with `clear_on_close` closes the whole stack. */
  closeTop(user: string): void {
    const stack = this.stacks.get(user) ?? [];
    const top = stack.at(-1);
    if (top === undefined) return;
    if (this.require(top).view.clear_on_close) {
      this.clear(user);
    } else {
      stack.pop();
      this.discard(user, top);
    }
  }

  clear(user: string): void {
    const stack = this.stacks.get(user) ?? [];
    this.stacks.delete(user);
    for (const id of stack.reverse()) this.discard(user, id);
  }

  showErrors(viewId: string, errors: Record<string, string>): void {
    const record = this.require(viewId);
    record.errors = { ...errors };
    this.changes.emit({
      type: 'view_errors',
      user: record.user,
      view: structuredClone(record.view),
      errors: { ...errors },
    });
  }

  /**
   * What the user typed or picked, before submitting. Slack keeps it on the view without changing its hash, and
   * takes away the error under a field once the user changes it.
   */
  enterValues(viewId: string, values: StateValues): SlackView {
    const record = this.require(viewId);
    for (const [blockId, actions] of Object.entries(values)) {
      record.view.state.values[blockId] = { ...record.view.state.values[blockId], ...actions };
      delete record.errors[blockId];
    }
    return record.view;
  }

  private build(input: JsonObject, place: Pick<SlackView, 'id' | 'root_view_id' | 'previous_view_id'>): SlackView {
    const text = (field: string) => (typeof input[field] === 'string' ? input[field] : '');
    const object = (field: string) => (isJsonObject(input[field]) ? input[field] : null);
    const title = object('title');
    return {
      ...place,
      team_id: this.owner.team_id,
      type: input.type === 'home' ? 'home' : 'modal',
      ...(title === null ? {} : { title }),
      submit: object('submit'),
      close: object('close'),
      blocks: withGeneratedIds(Array.isArray(input.blocks) ? input.blocks.filter(isJsonObject) : [], () =>
        this.ids.blockId(),
      ),
      private_metadata: text('private_metadata'),
      callback_id: text('callback_id'),
      external_id: text('external_id'),
      state: { values: {} },
      hash: this.ids.viewHash(this.now()),
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      app_id: this.owner.app_id,
      bot_id: this.owner.bot_id,
      app_installed_team_id: this.owner.team_id,
    };
  }

  private save(user: string, view: SlackView): void {
    this.records.set(view.id, { view, user, errors: {} });
  }

  private discard(user: string, viewId: string): void {
    const record = this.require(viewId);
    this.records.delete(viewId);
    this.emit('view_closed', user, record.view);
  }

  private require(viewId: string): ViewRecord {
    const record = this.records.get(viewId);
    if (record === undefined) throw new SlackApiError('not_found');
    return record;
  }

  private emit(type: 'view_opened' | 'view_updated' | 'view_closed' | 'home_published', user: string, view: SlackView) {
    this.changes.emit({ type, user, view: structuredClone(view) });
  }
}

/** Slack keeps what a user entered across views.update for every block_id/action_id pair that survives it. */
function keptValues(values: StateValues, blocks: readonly JsonObject[]): StateValues {
  const kept: StateValues = {};
  for (const { block, element } of interactiveElements(blocks)) {
    const value = values[String(block.block_id)]?.[String(element.action_id)];
    if (value !== undefined)
      kept[String(block.block_id)] = { ...kept[String(block.block_id)], [String(element.action_id)]: value };
  }
  return kept;
}
