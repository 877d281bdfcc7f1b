// The sandbox page: who is acting, where they are, and drawing what the emulator holds for them there.

import { api, watchChanges } from './api.js';
import { renderBlocks } from './blocks.js';
import { renderComposer } from './composer.js';
import { renderMessages } from './messages.js';
import { renderModal } from './modal.js';
import { escapeHtml } from './mrkdwn.js';
import { renderSidebar, renderSwitcher } from './sidebar.js';

const SLACKBOT = 'USLACKBOT';

const page = {
  workspace: null,
  user: null,
  /** { kind: 'channel', id } or { kind: 'app', tab: 'home' | 'messages' } */
  place: null,
  /** Slackbot's replies the Slack client itself gives (an unknown command), by conversation; never sent anywhere. */
  notes: new Map(),
  /** What is drawn now, to leave the DOM (and what is typed in it) alone when nothing changed. */
  drawn: { body: '', modal: '' },
};

const $ = (id) => document.getElementById(id);

function toast(message) {
  const node = $('toast');
  node.textContent = message;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    node.hidden = true;
  }, 6000);
}

/** Runs something the person did; a failure shows as a toast, as Slack shows its own errors. */
async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    toast(error.message);
  }
}

const conversation = () => (page.place.kind === 'channel' ? page.place.id : page.workspace.dms[page.user]);
const channelName = () => page.workspace.channels.find((c) => c.id === page.place.id)?.name;

function note(text) {
  const key = `${page.user}/${conversation()}`;
  const ts = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(6, '0')}`;
  page.notes.set(key, [
    ...(page.notes.get(key) ?? []),
    { user: SLACKBOT, ts, text, blocks: [], files: [], ephemeral: true },
  ]);
  page.drawn.body = '';
  refresh();
}

async function send(text) {
  if (!text.startsWith('/')) {
    note('In the sandbox only slash commands reach the bot: start your message with `/` to see them.');
    return;
  }
  const command = text.split(/\s/)[0];
  if (!page.workspace.commands.some((c) => c.command === command)) {
    note(
      `\`${command}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
    );
    return;
  }
  const result = await attempt(() => api.command(page.user, conversation(), text));
  if (result && result.status !== 200)
    toast(`${command} failed with the error "dispatch_failed" (the app answered HTTP ${result.status}).`);
  else if (result?.problem) toast(`Slack could not show the app's reply: ${result.problem}`);
}

function drawHeader() {
  const header = $('conversation-header');
  if (page.place.kind === 'channel') {
    header.innerHTML = `<h1># ${escapeHtml(channelName())}</h1>`;
    return;
  }
  header.innerHTML = `<h1>${escapeHtml(page.workspace.bot.name)}</h1><div class="tabs" role="tablist"></div>`;
  for (const [tab, label] of [
    ['home', 'Home'],
    ['messages', 'Messages'],
  ]) {
    const button = document.createElement('button');
    button.setAttribute('role', 'tab');
    button.setAttribute('aria-selected', String(page.place.tab === tab));
    button.textContent = label;
    button.addEventListener('click', () => go({ kind: 'app', tab }));
    header.querySelector('.tabs').append(button);
  }
}

function drawComposer() {
  const root = $('composer');
  root.hidden = page.place.kind === 'app' && page.place.tab === 'home';
  const placeholder =
    page.place.kind === 'channel' ? `Message #${channelName()}` : `Message ${page.workspace.bot.name}`;
  renderComposer(root, { commands: page.workspace.commands, placeholder, send });
}

function surfaceContext(where) {
  return {
    users: { ...page.workspace.users, [SLACKBOT]: 'Slackbot' },
    act: (key, input) => attempt(() => api.action(page.user, where, key, input)),
  };
}

function drawBody(state) {
  const home = page.place.kind === 'app' && page.place.tab === 'home';
  const messages = home ? [] : [...state.messages, ...(page.notes.get(`${page.user}/${conversation()}`) ?? [])];
  const key = JSON.stringify(home ? state.home : messages);
  if (key === page.drawn.body) return;
  page.drawn.body = key;
  const body = $('conversation-body');
  const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
  if (home) {
    body.replaceChildren(
      state.home
        ? renderBlocks(state.home.blocks, surfaceContext({ view: state.home.id }))
        : Object.assign(document.createElement('p'), {
            className: 'empty',
            textContent: 'Nothing here yet: the app has not published a Home tab for you.',
          }),
    );
    body.firstChild.classList.add('home');
    return;
  }
  const ctx = {
    ...surfaceContext(undefined),
    bot: page.workspace.bot,
    actFor: (message) =>
      surfaceContext({ message: { channel: message.channel, ts: message.ts, ephemeral: message.ephemeral } }).act,
  };
  body.replaceChildren(
    messages.length > 0
      ? renderMessages(messages, ctx)
      : Object.assign(document.createElement('p'), {
          className: 'empty',
          textContent: 'No messages yet. Type / to see the commands.',
        }),
  );
  if (atBottom || messages.length === 0) body.scrollTop = body.scrollHeight;
}

function drawModal(state) {
  const top = state.modals.at(-1);
  const key = JSON.stringify(top ?? null);
  if (key === page.drawn.modal) return;
  page.drawn.modal = key;
  const view = top?.view;
  renderModal($('modal-root'), top, state.modals.length, {
    ...surfaceContext({ view: view?.id }),
    bot: page.workspace.bot,
    enter: (key, text) => attempt(() => api.enter(view.id, { [key]: text })),
    submit: async (values) => {
      const outcome = await attempt(() => api.submit(page.user, view.id, values));
      if (outcome?.problem && outcome.action !== 'kept') toast(outcome.problem);
    },
    close: () => attempt(() => api.close(page.user, view.id)),
  });
}

let refreshing = Promise.resolve();
/** One refresh at a time, in order: changes arrive in bursts (a progress bar updated in place). */
function refresh() {
  refreshing = refreshing.then(async () => {
    const state = await attempt(() => api.state(page.user, conversation()));
    if (!state) return;
    drawBody(state);
    drawModal(state);
  });
  return refreshing;
}

function go(place) {
  page.place = place;
  page.drawn = { body: '', modal: page.drawn.modal };
  renderSidebar(page.workspace, page.place, go);
  drawHeader();
  drawComposer();
  if (place.kind === 'app' && place.tab === 'home') attempt(() => api.openHome(page.user));
  refresh();
}

function actAs(user) {
  page.user = user;
  localStorage.setItem('sandbox.user', user);
  page.drawn = { body: '', modal: '' };
  renderSwitcher(page.workspace, page.user, actAs);
  go(page.place);
}

async function boot() {
  page.workspace = await api.workspace();
  const saved = localStorage.getItem('sandbox.user');
  page.user = page.workspace.people.some((p) => p.id === saved) ? saved : page.workspace.people[0].id;
  page.place = { kind: 'channel', id: page.workspace.channels[0].id };
  renderSwitcher(page.workspace, page.user, actAs);
  go(page.place);
  watchChanges(() => refresh());
}

boot();
