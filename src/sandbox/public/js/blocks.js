// Block Kit to DOM, for messages, modals and the App Home. `ctx` says what the surface holds and how to act:
//   users     user id -> name, for mentions
//   values    view.state.values (what was entered so far), for views
//   errors    block_id -> message, from response_action: errors
//   act(key, input)    a click (input undefined) or a pick, on the element named "block_id/action_id"
//   enter(key, text)   text typed into a view's field

import { escapeHtml, textObjectToHtml } from './mrkdwn.js';

function el(tag, className, html) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (html !== undefined) node.innerHTML = html;
  return node;
}

const plain = (object) => escapeHtml(object?.text ?? '');
const keyOf = (block, element) => `${block.block_id}/${element.action_id}`;

/** What the user entered in an element so far, else its initial value. */
function entered(block, element, ctx) {
  return ctx.values?.[block.block_id]?.[element.action_id];
}

function button(block, element, ctx) {
  const node = el('button', `btn ${element.style ?? ''}`.trim(), plain(element.text));
  node.type = 'button';
  if (element.url) node.addEventListener('click', () => window.open(element.url, '_blank'));
  node.addEventListener('click', async () => {
    if (
      element.confirm &&
      !window.confirm(`${element.confirm.title?.text ?? ''}\n\n${element.confirm.text?.text ?? ''}`)
    )
      return;
    node.disabled = true;
    try {
      await ctx.act(keyOf(block, element));
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

function allOptions(element) {
  return [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((group) => group.options)];
}

function staticSelect(block, element, ctx, multiple) {
  const node = el('select', 'select');
  node.multiple = multiple;
  node.setAttribute('aria-label', element.placeholder?.text ?? 'Select');
  const state = entered(block, element, ctx);
  const chosen = multiple
    ? (state?.selected_options ?? element.initial_options ?? []).map((option) => option.value)
    : [(state?.selected_option ?? element.initial_option)?.value];
  if (!multiple) {
    const placeholder = new Option(element.placeholder?.text ?? 'Select an item', '', true, !chosen[0]);
    placeholder.disabled = true;
    node.append(placeholder);
  }
  for (const option of allOptions(element)) {
    node.append(new Option(option.text.text, option.value, false, chosen.includes(option.value)));
  }
  node.addEventListener('change', () => {
    const values = [...node.selectedOptions].map((option) => option.value);
    ctx.act(keyOf(block, element), multiple ? values : values[0]);
  });
  return node;
}

function choices(block, element, ctx, kind) {
  const node = el('div', 'choices');
  const state = entered(block, element, ctx);
  const chosen =
    kind === 'checkbox'
      ? (state?.selected_options ?? element.initial_options ?? []).map((option) => option.value)
      : [(state?.selected_option ?? element.initial_option)?.value];
  const name = keyOf(block, element);
  for (const option of element.options ?? []) {
    const label = el('label', 'choice');
    const input = el('input');
    input.type = kind;
    input.name = name;
    input.value = option.value;
    input.checked = chosen.includes(option.value);
    const text = el('div', '', textObjectToHtml(option.text, ctx.users));
    if (option.description)
      text.append(el('div', 'choice-description', textObjectToHtml(option.description, ctx.users)));
    label.append(input, text);
    node.append(label);
  }
  node.addEventListener('change', () => {
    const values = [...node.querySelectorAll('input:checked')].map((input) => input.value);
    ctx.act(name, kind === 'checkbox' ? values : values[0]);
  });
  return node;
}

function textInput(block, element, ctx) {
  const node = el(element.multiline ? 'textarea' : 'input', 'text-input');
  node.dataset.key = keyOf(block, element);
  node.value = entered(block, element, ctx)?.value ?? element.initial_value ?? '';
  if (element.placeholder) node.placeholder = element.placeholder.text;
  if (element.max_length) node.maxLength = element.max_length;
  if (block.label) node.setAttribute('aria-label', block.label.text);
  node.addEventListener('change', () => ctx.enter?.(node.dataset.key, node.value));
  return node;
}

function datepicker(block, element, ctx) {
  const node = el('input', 'select');
  node.type = 'date';
  node.value = entered(block, element, ctx)?.selected_date ?? element.initial_date ?? '';
  node.addEventListener('change', () => ctx.act(keyOf(block, element), node.value));
  return node;
}

function image(element) {
  const node = el('img');
  node.src = element.image_url;
  node.alt = element.alt_text ?? '';
  return node;
}

const ELEMENTS = {
  button,
  static_select: (b, e, c) => staticSelect(b, e, c, false),
  multi_static_select: (b, e, c) => staticSelect(b, e, c, true),
  overflow: (b, e, c) => staticSelect(b, { ...e, placeholder: { text: '⋯' } }, c, false),
  checkboxes: (b, e, c) => choices(b, e, c, 'checkbox'),
  radio_buttons: (b, e, c) => choices(b, e, c, 'radio'),
  plain_text_input: textInput,
  email_text_input: textInput,
  url_text_input: textInput,
  number_input: textInput,
  datepicker,
  image: (_b, e) => image(e),
};

function element(block, spec, ctx) {
  const render = ELEMENTS[spec.type];
  return render ? render(block, spec, ctx) : el('span', 'input-hint', `[${escapeHtml(spec.type)}]`);
}

function section(block, ctx) {
  const node = el('div', 'block-section');
  const text = el('div', 'section-text', textObjectToHtml(block.text, ctx.users));
  if (block.fields?.length) {
    const fields = el('div', 'fields');
    for (const field of block.fields) fields.append(el('div', '', textObjectToHtml(field, ctx.users)));
    text.append(fields);
  }
  node.append(text);
  if (block.accessory) node.append(element(block, block.accessory, ctx));
  return node;
}

function context(block, ctx) {
  const node = el('div', 'block-context');
  for (const item of block.elements ?? []) {
    node.append(item.type === 'image' ? image(item) : el('span', '', textObjectToHtml(item, ctx.users)));
  }
  return node;
}

function actions(block, ctx) {
  const node = el('div', 'block-actions');
  for (const spec of block.elements ?? []) node.append(element(block, spec, ctx));
  return node;
}

function input(block, ctx) {
  const error = ctx.errors?.[block.block_id];
  const node = el('div', `block-input${error ? ' has-error' : ''}`);
  const label = el('div', 'input-label', plain(block.label));
  if (block.optional) label.append(el('span', 'input-optional', ' (optional)'));
  node.append(label, element(block, block.element, ctx));
  if (error) node.append(el('div', 'input-error', escapeHtml(error)));
  if (block.hint) node.append(el('div', 'input-hint', plain(block.hint)));
  return node;
}

/** rich_text: its sections' texts, links and mentions, without lists' and quotes' finer styling. */
function richText(block, ctx) {
  const leaf = (item) =>
    item.type === 'link'
      ? `<a href="${escapeHtml(item.url)}">${escapeHtml(item.text ?? item.url)}</a>`
      : item.type === 'user'
        ? `<span class="mention">@${escapeHtml(ctx.users[item.user_id] ?? item.user_id)}</span>`
        : escapeHtml(item.text ?? '');
  const html = (block.elements ?? [])
    .map((part) =>
      (part.elements ?? []).map((item) => (item.elements ? item.elements.map(leaf).join('') : leaf(item))).join(''),
    )
    .join('<br>');
  return el('div', 'section-text', html.replace(/\n/g, '<br>'));
}

const BLOCKS = {
  section,
  context,
  actions,
  input,
  rich_text: richText,
  divider: () => el('hr', 'block-divider'),
  header: (block) => el('h3', 'block-header', plain(block.text)),
  image: (block) => {
    const node = el('div', 'block-image');
    if (block.title) node.append(el('div', 'input-hint', plain(block.title)));
    node.append(image(block));
    return node;
  },
};

export function renderBlocks(blocks, ctx) {
  const node = el('div', 'blocks');
  for (const block of blocks) {
    const render = BLOCKS[block.type];
    const child = render ? render(block, ctx) : el('div', 'input-hint', `[${escapeHtml(block.type)} block]`);
    child.dataset.blockId = block.block_id ?? '';
    node.append(child);
  }
  return node;
}

/** The text fields of a view as typed on the page, by "block_id/action_id", to send with a submission. */
export function typedValues(container) {
  return Object.fromEntries(
    [...container.querySelectorAll('[data-key]')].map((node) => [node.dataset.key, node.value]),
  );
}
