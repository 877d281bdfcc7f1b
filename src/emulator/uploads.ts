import type { CallLog } from './callLog';
import type { EmulatorContext } from './context';
import type { EmulatorRequest, Reply, Route } from './http';

/**
 * Step 2 of files upload v2: `POST /upload/<file id>` receives the bytes, raw or as multipart form data (as
 * @slack/web-api sends them), and answers "OK - <length>" as Slack's upload service does.
 */
export function uploadRoute(ctx: EmulatorContext, calls: CallLog): Route {
  return {
    method: 'POST',
    path: /^\/upload\/(\w+)$/,
    async handle(request) {
      const fileId = request.params[0] ?? '';
      const bytes = await uploadedBytes(request);
      const file = ctx.workspace.files.receive(fileId, bytes);
      const reply: Reply =
        file === undefined ? { status: 404, body: 'file not found' } : { status: 200, body: `OK - ${bytes.length}` };
      const args = { file_id: fileId, length: bytes.length };
      calls.record({
        kind: 'upload',
        method: 'upload',
        args,
        status: reply.status,
        response: reply.body,
        at: new Date(),
      });
      return reply;
    },
  };
}

/** `GET /files/<file id>/<name>`: the file's bytes, where url_private points (for the sandbox page). */
export function downloadRoute(ctx: EmulatorContext): Route {
  return {
    method: 'GET',
    path: /^\/files\/(\w+)(?:\/[^/]*)?$/,
    handle(request) {
      const file = ctx.workspace.files.get(request.params[0] ?? '');
      if (file?.status !== 'complete') return { status: 404, body: 'file not found' };
      return { status: 200, body: file.bytes, headers: { 'Content-Type': file.mimetype } };
    },
  };
}

async function uploadedBytes(request: EmulatorRequest): Promise<Buffer> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) return request.body;
  // fetch's Response parses multipart bodies, so no hand-written parser is needed.
  const form = await new Response(request.body, { headers: { 'content-type': contentType } }).formData();
  const part = [...form.values()].find((value) => typeof value !== 'string');
  return part === undefined ? Buffer.alloc(0) : Buffer.from(await part.arrayBuffer());
}
