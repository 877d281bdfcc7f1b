import type { ViewOutput } from '@slack/bolt';
import { type Block, type Modal, modal, section } from './blocks';

/** A modal that only says one thing: a failure, or work that is on its way. Nothing to submit. */
export const noticeModal = (title: string, text: string, callbackId = 'notice'): Modal =>
  modal({ callbackId, title, blocks: [section(text)] });

/** What a person sees when the database did not keep their confirmation in time: nothing happened, try again. */
export const NOT_SAVED =
  'Your request was not saved: the database did not answer in time, so nothing will happen. Try again.';

const NOT_SAVED_BLOCK = 'not-saved';

/**
 * The confirmation modal again, as it was, with NOT_SAVED on top: submitting it retries under the same view id,
 * so a request that was kept after all is found, not made twice.
 */
export const notSavedModal = (view: ViewOutput): Modal => ({
  type: 'modal',
  callback_id: view.callback_id,
  title: view.title,
  ...(view.submit ? { submit: view.submit } : {}),
  ...(view.close ? { close: view.close } : {}),
  private_metadata: view.private_metadata,
  blocks: [
    { ...section(`:warning: ${NOT_SAVED}`), block_id: NOT_SAVED_BLOCK },
    ...(view.blocks as Block[]).filter((block) => block.block_id !== NOT_SAVED_BLOCK),
  ].slice(0, 100),
});
