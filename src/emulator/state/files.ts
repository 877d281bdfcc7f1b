import { extname } from 'node:path';
import type { IdSource } from '../ids';
import type { ChangeFeed } from './changes';

/** A file uploaded through files.getUploadURLExternal, the upload URL and files.completeUploadExternal. */
export interface FileSnapshot {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  /** The bytes received at the upload URL (empty until then). */
  bytes: Buffer;
  /** The length the app announced in files.getUploadURLExternal. */
  declaredLength: number;
  user: string;
  created: number;
  /** Channels it was shared into by files.completeUploadExternal. */
  channels: string[];
  initialComment?: string;
  /** The message that shared it, once shared. */
  messageTs?: string;
  status: 'awaiting_upload' | 'uploaded' | 'complete';
}

/** The few types a service-desk bot exports; anything else is a binary. */
const TYPES: Record<string, { mimetype: string; filetype: string }> = {
  '.csv': { mimetype: 'text/csv', filetype: 'csv' },
  '.json': { mimetype: 'application/json', filetype: 'json' },
  '.txt': { mimetype: 'text/plain', filetype: 'text' },
  '.md': { mimetype: 'text/markdown', filetype: 'markdown' },
  '.html': { mimetype: 'text/html', filetype: 'html' },
  '.pdf': { mimetype: 'application/pdf', filetype: 'pdf' },
  '.png': { mimetype: 'image/png', filetype: 'png' },
};

export class FileStore {
  private readonly files = new Map<string, FileSnapshot>();

  constructor(
    private readonly ids: IdSource,
    private readonly now: () => number,
    private readonly changes: ChangeFeed,
  ) {}

  reserve(name: string, declaredLength: number, user: string): FileSnapshot {
    const type = TYPES[extname(name).toLowerCase()] ?? { mimetype: 'application/octet-stream', filetype: 'binary' };
    const file: FileSnapshot = {
      id: this.ids.next('F'),
      name,
      title: name,
      ...type,
      bytes: Buffer.alloc(0),
      declaredLength,
      user,
      created: Math.floor(this.now() / 1000),
      channels: [],
      status: 'awaiting_upload',
    };
    this.files.set(file.id, file);
    return file;
  }

  /** Undefined when no upload was started for this id. */
  receive(id: string, bytes: Buffer): FileSnapshot | undefined {
    const file = this.files.get(id);
    if (file !== undefined) {
      file.bytes = bytes;
      file.status = 'uploaded';
    }
    return file;
  }

  complete(file: FileSnapshot, title: string | undefined): void {
    file.status = 'complete';
    if (title) file.title = title;
  }

  share(file: FileSnapshot, channel: string, messageTs: string, initialComment: string | undefined): void {
    file.channels.push(channel);
    file.messageTs = messageTs;
    if (initialComment) file.initialComment = initialComment;
    this.changes.emit({ type: 'file_shared', file: snapshot(file) });
  }

  get(id: string): FileSnapshot | undefined {
    return this.files.get(id);
  }

  /** Completed uploads, optionally only those shared into `channel`. */
  list(channel?: string): FileSnapshot[] {
    return [...this.files.values()].filter(
      (file) => file.status === 'complete' && (channel === undefined || file.channels.includes(channel)),
    );
  }
}

/** A copy a caller may keep: later changes to the file do not show through. */
export function snapshot(file: FileSnapshot): FileSnapshot {
  return { ...file, bytes: Buffer.from(file.bytes), channels: [...file.channels] };
}
