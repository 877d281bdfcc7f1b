// A conversation's messages as Slack shows them: avatar, name, APP badge, time, "Only visible to you", files.

import { renderBlocks } from './blocks.js';
import { escapeHtml, mrkdwnToHtml } from './mrkdwn.js';

const COLORS = ['#4a154b', '#1264a3', '#2bac76', '#e8912d', '#e01e5a', '#36c5f0'];

export function avatar(name, id) {
  const node = document.createElement('div');
  node.className = 'avatar';
  const hash = [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0);
  node.style.background = COLORS[hash % COLORS.length];
  node.textContent = name
    .split(/\s+/)
    .map((word) => word[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return node;
}

const time = (ts) =>
  new Date(Number(ts.split('.')[0]) * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });

function fileCard(file) {
  const card = document.createElement('a');
  card.className = 'file-card';
  card.href = file.href;
  card.target = '_blank';
  card.innerHTML = `<span class="file-icon">${escapeHtml(file.filetype.toUpperCase() || 'FILE')}</span>
    <span><div><b>${escapeHtml(file.title)}</b></div><div class="file-type">${escapeHtml(file.filetype)} · ${file.size} bytes</div></span>`;
  return card;
}

/**
 * `messages` in order; `ctx` as for renderBlocks, plus `actFor(message)` giving the act() of that message's
 * elements, and `bot` (the app's user id and name).
 */
export function renderMessages(messages, ctx) {
  const list = document.createElement('div');
  let previous;
  for (const message of messages) {
    const author = message.user === ctx.bot.id ? ctx.bot.name : (ctx.users[message.user] ?? message.user);
    // Slack folds a sender's messages that follow each other into one group under one name.
    const continued = previous && previous.user === message.user && previous.ephemeral === message.ephemeral;
    const row = document.createElement('div');
    row.className = `message${message.ephemeral ? ' ephemeral' : ''}${continued ? ' continued' : ''}`;
    row.dataset.ts = message.ts;
    const main = document.createElement('div');
    main.className = 'message-main';
    if (message.ephemeral) main.innerHTML = '<div class="only-you">👁 Only visible to you</div>';
    if (!continued) {
      const badge = message.user === ctx.bot.id ? '<span class="app-badge">APP</span>' : '';
      main.insertAdjacentHTML(
        'beforeend',
        `<div class="message-meta"><span class="message-author">${escapeHtml(author)}</span>${badge}<span class="message-time">${time(message.ts)}</span></div>`,
      );
    }
    const body =
      message.blocks.length > 0
        ? renderBlocks(message.blocks, { users: ctx.users, act: ctx.actFor(message) })
        : Object.assign(document.createElement('div'), { innerHTML: mrkdwnToHtml(message.text, ctx.users) });
    main.append(body);
    if (message.edited) main.insertAdjacentHTML('beforeend', '<span class="edited">(edited)</span>');
    for (const file of message.files) main.append(fileCard(file));
    row.append(avatar(author, message.user), main);
    list.append(row);
    previous = message;
  }
  return list;
}
