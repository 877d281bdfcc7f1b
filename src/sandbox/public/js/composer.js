// The message box: slash commands with the manifest's usage hints as you type, as Slack's composer offers them.

import { escapeHtml } from './mrkdwn.js';

/**
 * Draws the composer into `root`. `commands`: [{ command, description, usageHint }]. `send(text)` is called with
 * what the person sends; `placeholder` names the conversation.
 */
export function renderComposer(root, { commands, placeholder, send }) {
  root.innerHTML = `
    <ul class="suggestions" role="listbox" hidden></ul>
    <div class="composer-box">
      <textarea rows="1" aria-label="${escapeHtml(placeholder)}" placeholder="${escapeHtml(placeholder)}"></textarea>
      <button class="send" type="button" aria-label="Send">➤</button>
    </div>
    <div class="usage-line"></div>`;
  const box = root.querySelector('textarea');
  const list = root.querySelector('.suggestions');
  const usage = root.querySelector('.usage-line');
  let matches = [];
  let selected = 0;

  const typedCommand = () => /^(\/\S*)(\s?)/.exec(box.value);

  function refresh() {
    const typed = typedCommand();
    const exact = typed && commands.find((c) => c.command === typed[1]);
    // Once the command is complete, Slack shows its usage under the box instead of the list.
    matches = typed && !typed[2] ? commands.filter((c) => c.command.startsWith(typed[1])) : [];
    selected = Math.min(selected, Math.max(matches.length - 1, 0));
    list.hidden = matches.length === 0;
    list.innerHTML = matches
      .map(
        (c, i) => `<li role="option" aria-selected="${i === selected}" data-command="${escapeHtml(c.command)}">
          <span><span class="suggestion-command">${escapeHtml(c.command)}</span><span class="suggestion-usage">${escapeHtml(c.usageHint)}</span></span>
          <span class="suggestion-description">${escapeHtml(c.description)}</span></li>`,
      )
      .join('');
    usage.innerHTML = exact && typed[2] ? `<b>${escapeHtml(exact.command)}</b> ${escapeHtml(exact.usageHint)}` : '';
  }

  function pick(command) {
    box.value = `${command} `;
    box.focus();
    refresh();
  }

  async function submit() {
    const text = box.value.trim();
    if (!text) return;
    box.value = '';
    refresh();
    await send(text);
  }

  box.addEventListener('input', refresh);
  box.addEventListener('keydown', (event) => {
    if (matches.length > 0 && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      selected = (selected + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      refresh();
      event.preventDefault();
    } else if (matches.length > 0 && (event.key === 'Tab' || event.key === 'Enter')) {
      // Enter on a half-typed command completes it, as in Slack; on a whole one it sends.
      const chosen = matches[selected];
      if (event.key === 'Tab' || chosen.command !== box.value.trim()) {
        pick(chosen.command);
        event.preventDefault();
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  });
  list.addEventListener('mousedown', (event) => {
    const item = event.target.closest('li');
    if (item) {
      event.preventDefault();
      pick(item.dataset.command);
    }
  });
  root.querySelector('.send').addEventListener('click', submit);
}
