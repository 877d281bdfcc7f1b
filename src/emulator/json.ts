/** A JSON object as it travels on the wire. The emulator checks such values rather than trusting a static type. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack counts characters, not UTF-16 code units: an emoji counts once. */
export function charCount(text: string): number {
  return [...text].length;
}
