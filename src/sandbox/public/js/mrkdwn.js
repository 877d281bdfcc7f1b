// Slack's mrkdwn as HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <links|text>, <@U> mentions.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Slack's names for the emoji a service-desk bot uses; others stay as :name:, as Slack shows unknown ones. */
const EMOJI = {
  warning: '⚠️',
  no_entry_sign: '🚫',
  white_check_mark: '✅',
  x: '❌',
  hourglass_flowing_sand: '⏳',
  arrows_counterclockwise: '🔄',
  inbox_tray: '📥',
  busts_in_silhouette: '👥',
  eyes: '👀',
  tada: '🎉',
  lock: '🔒',
  bust_in_silhouette: '👤',
  information_source: 'ℹ️',
};

/** Slack sends &amp; &lt; &gt; inside text; the client shows the characters. */
function unescapeSlack(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** <https://x|label>, <mailto:a@b|a@b>, <@U123>, <#C123|name>, <!here>. */
function angleToken(inner, users) {
  const [target, label] = inner.split('|');
  if (target.startsWith('@'))
    return `<span class="mention">@${escapeHtml(users[target.slice(1)] ?? label ?? target.slice(1))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  // <!date^1700000000^{date_short}|fallback>: Slack shows the time in the reader's time zone.
  if (target.startsWith('!date^')) {
    const seconds = Number(target.split('^')[1]);
    const local = new Date(seconds * 1000).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
    return escapeHtml(Number.isFinite(seconds) ? local : (label ?? ''));
  }
  if (target.startsWith('!'))
    return `<span class="mention">@${escapeHtml(label ?? target.slice(1).split('^')[0])}</span>`;
  const href = target.startsWith('mailto:') || /^https?:/.test(target) ? target : '#';
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noreferrer">${escapeHtml(label ?? target.replace(/^mailto:/, ''))}</a>`;
}

/** Bold, italic and strike need a boundary on both sides, as in Slack: snake_case_words stay as they are. */
function emphasis(html) {
  const wrap = (marker) =>
    new RegExp(`(^|[\\s(>\\uE000])\\${marker}([^\\${marker}\\n]+?)\\${marker}(?=$|[\\s.,;:!?)<\\uE000])`, 'g');
  return html.replace(wrap('*'), '$1<b>$2</b>').replace(wrap('_'), '$1<i>$2</i>').replace(wrap('~'), '$1<s>$2</s>');
}

export function mrkdwnToHtml(source, users = {}) {
  const kept = [];
  // Code and angle tokens are set aside first, so nothing inside them is read as formatting.
  const keep = (html) => `\uE000${kept.push(html) - 1}\uE000`;
  let text = String(source)
    .replace(/```([\s\S]*?)```/g, (_, code) => keep(`<pre>${escapeHtml(unescapeSlack(code))}</pre>`))
    .replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeHtml(unescapeSlack(code))}</code>`))
    .replace(/<([^<>\s][^<>]*)>/g, (_, inner) => keep(angleToken(unescapeSlack(inner), users)));
  text = escapeHtml(unescapeSlack(text));
  text = emphasis(text).replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
  text = text
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<blockquote>${line.slice(5)}</blockquote>` : line))
    .join('<br>')
    .replace(/<\/blockquote><br>/g, '</blockquote>');
  return text.replace(/\uE000(\d+)\uE000/g, (_, i) => kept[Number(i)]);
}

/** A text object: mrkdwn, or plain_text shown as written. */
export function textObjectToHtml(object, users) {
  if (!object) return '';
  return object.type === 'mrkdwn' ? mrkdwnToHtml(object.text, users) : escapeHtml(object.text).replace(/\n/g, '<br>');
}
