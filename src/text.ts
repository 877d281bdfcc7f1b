import { formatDuration, intervalToDuration } from 'date-fns';

/** Small phrasing helpers shared by every place that talks to people (CLI, Slack, logs). */

export const plural = (count: number, word: string, words = `${word}s`) => `${count} ${count === 1 ? word : words}`;

/** A UTC calendar day, as people read it in messages: 2026-03-11. */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * A duration as people say it: "3 seconds", "2 minutes 7 seconds"; never empty, even for sub-second work.
 * Rounded to whole seconds, because a notification does not need milliseconds.
 */
export function phraseDuration(ms: number): string {
  if (ms < 1000) return 'less than a second';
  const duration = intervalToDuration({ start: 0, end: Math.round(ms / 1000) * 1000 });
  return formatDuration(duration, { format: ['days', 'hours', 'minutes', 'seconds'] });
}

/** "████████░░░░ 67% · 134 of 200": progress as text, for terminals and for Slack messages updated in place. */
export function progressBar(done: number, total: number, width = 20): string {
  const ratio = total ? done / total : 1;
  const filled = Math.round(ratio * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.floor(ratio * 100)}% · ${done} of ${total}`;
}
