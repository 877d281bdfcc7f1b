// The sidebar (channels, the app's DM) and the "acting as" switcher.

import { escapeHtml } from './mrkdwn.js';

/** `place`: { kind: 'channel', id } or { kind: 'app', tab }. `go(place)` moves there. */
export function renderSidebar(workspace, place, go) {
  document.getElementById('team-name').textContent = workspace.team;
  const item = (icon, name, current, target) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.innerHTML = `<span aria-hidden="true">${icon}</span>${escapeHtml(name.replace(/^#/, ''))}`;
    button.setAttribute('aria-label', name);
    button.setAttribute('aria-current', String(current));
    button.addEventListener('click', () => go(target));
    li.append(button);
    return li;
  };
  document.getElementById('channel-list').replaceChildren(
    ...workspace.channels.map((channel) =>
      item('#', `#${channel.name}`, place.kind === 'channel' && place.id === channel.id, {
        kind: 'channel',
        id: channel.id,
      }),
    ),
  );
  document
    .getElementById('app-list')
    .replaceChildren(item('●', workspace.bot.name, place.kind === 'app', { kind: 'app', tab: 'home' }));
}

export function renderSwitcher(workspace, user, choose) {
  const select = document.getElementById('user-switcher');
  select.replaceChildren(
    ...workspace.people.map(
      (person) => new Option(`${person.realName} (${person.title})`, person.id, false, person.id === user),
    ),
  );
  select.onchange = () => choose(select.value);
}
