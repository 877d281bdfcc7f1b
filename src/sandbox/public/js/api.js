// The sandbox server's JSON routes. Every POST ends as a signed request to the bot's /slack/events.

async function request(method, path, body) {
  const response = await fetch(`/sandbox/api/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

export const api = {
  workspace: () => request('GET', 'workspace'),
  state: (user, channel) =>
    request('GET', `state?user=${encodeURIComponent(user)}&channel=${encodeURIComponent(channel ?? '')}`),
  command: (user, channel, text) => request('POST', 'command', { user, channel, text }),
  /** A click (no input) or a pick (option values) on an element of a message or a view. */
  action: (user, where, key, input) => request('POST', 'action', { user, ...where, key, input }),
  enter: (view, values) => request('POST', 'enter', { view, values }),
  submit: (user, view, values) => request('POST', 'submit', { user, view, values }),
  close: (user, view) => request('POST', 'close', { user, view }),
  openHome: (user) => request('POST', 'home', { user }),
};

/** Calls `onChange` with each change in the emulated workspace (where it happened), over server-sent events. */
export function watchChanges(onChange) {
  const source = new EventSource('/sandbox/api/changes');
  source.onmessage = (event) => onChange(JSON.parse(event.data));
  return () => source.close();
}
