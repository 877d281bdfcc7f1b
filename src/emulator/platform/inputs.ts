import { type ElementSite, interactiveElements } from '../blockTree';
import { isJsonObject, type JsonObject } from '../json';
import type { SlackView, StateValues } from '../state/views';

/** What a person enters: text, or an option's value, or several values for multi-selects and checkboxes. */
export type UserInput = string | readonly string[];

type Entry = (element: JsonObject, input: UserInput | undefined) => JsonObject;

const typed: Entry = (element, input) => ({
  value: input === undefined ? (element.initial_value ?? null) : single(element, input),
});

const picked =
  (field: string, initialField: string): Entry =>
  (element, input) => ({ [field]: input === undefined ? (element[initialField] ?? null) : single(element, input) });

const pickedMany =
  (field: string, initialField: string): Entry =>
  (element, input) => ({ [field]: input === undefined ? (element[initialField] ?? []) : several(input) });

const option: Entry = (element, input) => ({
  selected_option: input === undefined ? (element.initial_option ?? null) : optionOf(element, single(element, input)),
});

const options: Entry = (element, input) => ({
  selected_options:
    input === undefined ? (element.initial_options ?? []) : several(input).map((value) => optionOf(element, value)),
});

/** Elements that hold a value, and how Slack reports it in `view.state.values` and in block_actions. */
const STATEFUL: Record<string, Entry> = {
  plain_text_input: typed,
  email_text_input: typed,
  url_text_input: typed,
  number_input: typed,
  static_select: option,
  external_select: option,
  radio_buttons: option,
  multi_static_select: options,
  multi_external_select: options,
  checkboxes: options,
  users_select: picked('selected_user', 'initial_user'),
  multi_users_select: pickedMany('selected_users', 'initial_users'),
  conversations_select: picked('selected_conversation', 'initial_conversation'),
  multi_conversations_select: pickedMany('selected_conversations', 'initial_conversations'),
  channels_select: picked('selected_channel', 'initial_channel'),
  multi_channels_select: pickedMany('selected_channels', 'initial_channels'),
  datepicker: picked('selected_date', 'initial_date'),
  timepicker: picked('selected_time', 'initial_time'),
};

/** The state entry for an element: what the user entered, or, untouched, its initial value or nothing. */
export function stateValue(element: JsonObject, input?: UserInput): JsonObject | undefined {
  const entry = STATEFUL[String(element.type)];
  return entry && { type: element.type, ...entry(element, input) };
}

/** The state.values Slack sends with a view: every element that holds a value, as entered or as initially set. */
export function viewState(view: SlackView): StateValues {
  const values: StateValues = {};
  for (const { block, element } of interactiveElements(view.blocks)) {
    const [blockId, actionId] = [String(block.block_id), String(element.action_id)];
    const value = view.state.values[blockId]?.[actionId] ?? stateValue(element);
    if (value !== undefined) values[blockId] = { ...values[blockId], [actionId]: value };
  }
  return values;
}

/** Required input blocks left empty, by block_id: the Slack client refuses to submit and flags each one. */
export function emptyRequiredFields(view: SlackView, values: StateValues): Record<string, string> {
  const empty = interactiveElements(view.blocks).filter(({ block, element }) => {
    if (block.type !== 'input' || block.optional === true) return false;
    const value = values[String(block.block_id)]?.[String(element.action_id)] ?? {};
    return Object.entries(value).every(([key, held]) => key === 'type' || isNothing(held));
  });
  return Object.fromEntries(empty.map(({ block }) => [String(block.block_id), 'Please complete this required field.']));
}

/** The action block_actions reports when the user clicks or picks in an element. */
export function actionOf({ block, element }: ElementSite, input: UserInput | undefined, actionTs: string): JsonObject {
  const base = { action_id: element.action_id, block_id: block.block_id, type: element.type, action_ts: actionTs };
  if (element.type === 'button' || element.type === 'workflow_button') {
    return { ...base, text: element.text, ...(element.value === undefined ? {} : { value: element.value }) };
  }
  if (element.type === 'overflow') return { ...base, selected_option: optionOf(element, single(element, input ?? '')) };
  const value = stateValue(element, input);
  if (value === undefined) throw new Error(`The simulator cannot act on a ${String(element.type)} element`);
  return { ...base, ...value };
}

/** Slack tells the app about elements in input blocks only when the block sets dispatch_action. */
export function dispatchesActions({ block }: ElementSite): boolean {
  return block.type !== 'input' || block.dispatch_action === true;
}

/** An element by "block_id/action_id", by action_id alone, or by the block_id of its input block. */
export function findElement(blocks: readonly JsonObject[], key: string): ElementSite {
  const sites = interactiveElements(blocks);
  const found = sites.filter(
    ({ block, element }) =>
      key === `${block.block_id}/${element.action_id}` ||
      key === element.action_id ||
      (block.type === 'input' && key === block.block_id),
  );
  const [site, ...others] = found;
  if (site !== undefined && others.length === 0) return site;
  const known = sites.map(({ block, element }) => `${block.block_id}/${element.action_id}`).join(', ');
  throw new Error(
    site === undefined
      ? `No element "${key}" here; there are: ${known || 'none'}`
      : `"${key}" names several elements; say "block_id/action_id" (${known})`,
  );
}

/** An option by value. External selects have no option list, so any value makes its own option. */
function optionOf(element: JsonObject, value: string): JsonObject {
  const groups = listOf(element.option_groups);
  const all = [element.options, ...groups.map((group) => group.options)].flatMap(listOf);
  if (all.length === 0) return { text: { type: 'plain_text', text: value }, value };
  const found = all.find((candidate) => candidate.value === value);
  if (found === undefined) {
    const values = all.map((candidate) => String(candidate.value)).join(', ');
    throw new Error(`No option "${value}" in ${String(element.action_id)}; its options are: ${values}`);
  }
  return found;
}

function listOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function single(element: JsonObject, input: UserInput): string {
  if (typeof input === 'string') return input;
  if (input.length === 1 && input[0] !== undefined) return input[0];
  throw new Error(`${String(element.action_id)} (${String(element.type)}) takes one value, not ${input.length}`);
}

function several(input: UserInput): string[] {
  return typeof input === 'string' ? [input] : [...input];
}

function isNothing(value: unknown): boolean {
  return value === null || value === '' || (Array.isArray(value) && value.length === 0);
}
