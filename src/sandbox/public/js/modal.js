// The modal on screen (the top of the user's stack), with its field errors, Cancel/Close and Submit.

import { renderBlocks, typedValues } from './blocks.js';
import { avatar } from './messages.js';
import { escapeHtml } from './mrkdwn.js';

/**
 * Draws `modal` ({ view, errors }) into `root`, or clears it. `depth` is the stack's height (a back arrow above 1).
 * `ctx`: users, bot, and the view's actions: act, enter, submit(values), close().
 */
export function renderModal(root, modal, depth, ctx) {
  root.replaceChildren();
  if (!modal) return;
  const { view, errors } = modal;
  const overlay = document.createElement('div');
  overlay.className = 'overlay';
  const dialog = document.createElement('div');
  dialog.className = 'modal';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-label', view.title?.text ?? 'Modal');
  dialog.dataset.viewId = view.id;

  const header = document.createElement('div');
  header.className = 'modal-header';
  const icon = avatar(ctx.bot.name, ctx.bot.id);
  icon.classList.add('modal-app-icon');
  header.append(icon);
  header.insertAdjacentHTML('beforeend', `<h2 class="modal-title">${escapeHtml(view.title?.text ?? '')}</h2>`);
  const dismiss = document.createElement('button');
  dismiss.className = 'icon-btn';
  dismiss.setAttribute('aria-label', depth > 1 ? 'Back' : 'Close');
  dismiss.textContent = depth > 1 ? '←' : '×';
  dismiss.addEventListener('click', () => ctx.close());
  header.append(dismiss);

  const body = document.createElement('div');
  body.className = 'modal-body';
  body.append(
    renderBlocks(view.blocks, { users: ctx.users, values: view.state.values, errors, act: ctx.act, enter: ctx.enter }),
  );

  const footer = document.createElement('div');
  footer.className = 'modal-footer';
  const close = document.createElement('button');
  close.className = 'btn';
  close.textContent = view.close?.text ?? (view.submit ? 'Cancel' : 'Close');
  close.addEventListener('click', () => ctx.close());
  footer.append(close);
  if (view.submit) {
    const submit = document.createElement('button');
    submit.className = 'btn primary';
    submit.textContent = view.submit.text;
    submit.addEventListener('click', async () => {
      submit.disabled = true;
      try {
        await ctx.submit(typedValues(body));
      } finally {
        submit.disabled = false;
      }
    });
    footer.append(submit);
  }
  dialog.append(header, body, footer);
  overlay.append(dialog);
  root.append(overlay);
}
