import { isJsonObject, type JsonObject } from './json';

/** An interactive element and the block holding it: Slack addresses an action by both ids. */
export interface ElementSite {
  block: JsonObject;
  element: JsonObject;
}

/** The interactive elements of a surface in display order: section accessories, actions elements, input elements. */
export function interactiveElements(blocks: readonly JsonObject[]): ElementSite[] {
  return blocks.flatMap((block) => elementsOf(block).map((element) => ({ block, element })));
}

/** Copies blocks, adding the block_id and action_id Slack generates for blocks and elements that come without. */
export function withGeneratedIds(blocks: readonly JsonObject[], newId: () => string): JsonObject[] {
  const copy = structuredClone(blocks) as JsonObject[];
  for (const block of copy) {
    block.block_id ??= newId();
    for (const element of elementsOf(block)) element.action_id ??= newId();
  }
  return copy;
}

/** What a person reads: the text, then every text in the blocks (sections, fields, headers, buttons…), a line each. */
export function readableText(content: { text?: string; blocks: readonly JsonObject[] }): string {
  const pieces = content.text ? [content.text] : [];
  collectTexts(content.blocks, pieces);
  return pieces.join('\n');
}

function elementsOf(block: JsonObject): JsonObject[] {
  const candidates =
    block.type === 'actions'
      ? block.elements
      : block.type === 'section'
        ? [block.accessory]
        : block.type === 'input'
          ? [block.element]
          : [];
  return Array.isArray(candidates) ? candidates.filter(isJsonObject).filter((element) => element.type !== 'image') : [];
}

/** Text objects and rich text leaves both keep their words in a `text` string. */
function collectTexts(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectTexts(item, into);
  } else if (isJsonObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'text' && typeof value === 'string') into.push(value);
      else collectTexts(value, into);
    }
  }
}
