import { randomInt } from 'node:crypto';

// No 0/o, 1/l/i: ids are read aloud and typed into Slack.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A short job id people can type: j + 7 characters (about 27 billion possibilities). */
export function newJobId(): string {
  let id = 'j';
  for (let i = 0; i < 7; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
