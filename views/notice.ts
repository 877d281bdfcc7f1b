import { type Modal, modal, section } from './blocks';

/** A modal that only says one thing: a failure, or work that is on its way. Nothing to submit. */
export const noticeModal = (title: string, text: string, callbackId = 'notice'): Modal =>
  modal({ callbackId, title, blocks: [section(text)] });
