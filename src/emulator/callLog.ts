import type { JsonObject } from './json';

/** One request the emulator answered, kept whether it succeeded or not, so tests can assert on what the app sent. */
export interface RecordedCall {
  /** `api` for Web API methods; `upload` and `response_url` for the URLs the emulator hands out. */
  kind: 'api' | 'upload' | 'response_url';
  /** The Web API method (`chat.postMessage`), or the kind again for the other URLs. */
  method: string;
  /** Arguments as the app meant them: form fields and JSON bodies alike, JSON-valued fields decoded. */
  args: JsonObject;
  token?: string;
  status: number;
  response: unknown;
  at: Date;
}

export class CallLog {
  private readonly calls: RecordedCall[] = [];

  record(call: RecordedCall): void {
    this.calls.push(call);
  }

  all(): readonly RecordedCall[] {
    return this.calls;
  }

  to(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }
}
