import { refusal, useEmulator } from './support';

const GENERAL = 'C0GENERAL01';
const CSV = 'email,site\njsmith@abc.com,acme\n';

const slack = useEmulator();

describe('files upload v2', () => {
  it('takes a file through WebClient.filesUploadV2 and shares it with its comment', async () => {
    const result = await slack.client.filesUploadV2({
      channel_id: GENERAL,
      filename: 'RequiresAttention.csv',
      title: 'Accounts needing attention',
      content: CSV,
      initial_comment: 'Here is the export',
    });
    expect(result.ok).toBe(true);
    expect(slack.emulator.calls.all().map((call) => call.method)).toEqual([
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const [file] = slack.emulator.state.files(GENERAL);
    expect(file).toMatchObject({
      name: 'RequiresAttention.csv',
      title: 'Accounts needing attention',
      mimetype: 'text/csv',
      channels: [GENERAL],
      initialComment: 'Here is the export',
    });
    expect(file?.bytes.toString()).toBe(CSV);
    const [message] = slack.emulator.state.messages(GENERAL);
    expect(message).toMatchObject({ text: 'Here is the export', ts: file?.messageTs });
    expect(message?.files).toEqual([expect.objectContaining({ id: file?.id, name: 'RequiresAttention.csv' })]);
  });

  it('keeps binary bytes intact and serves them at url_private', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]);
    await slack.client.filesUploadV2({ channel_id: GENERAL, filename: 'chart.png', file: bytes });
    const [file] = slack.emulator.state.files(GENERAL);
    expect(file?.bytes.equals(bytes)).toBe(true);
    const { file: info } = await slack.client.files.info({ file: file?.id ?? '' });
    expect(info).toMatchObject({ id: file?.id, name: 'chart.png', size: bytes.length, mimetype: 'image/png' });
    const download = await fetch(String(info?.url_private));
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses to complete an upload that never arrived, or into an unknown channel', async () => {
    const { file_id = '' } = await slack.client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    expect(
      await refusal(slack.client.files.completeUploadExternal({ files: [{ id: file_id, title: 'a' }] })),
    ).toMatchObject({
      error: 'file_not_found',
    });
    const { upload_url = '' } = await slack.client.files.getUploadURLExternal({ filename: 'b.txt', length: 3 });
    const uploaded = await fetch(upload_url, { method: 'POST', body: 'abc' });
    expect(await uploaded.text()).toBe('OK - 3');
    const id = upload_url.split('/').at(-1) ?? '';
    const completion = slack.client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C0NOWHERE' });
    expect(await refusal(completion)).toMatchObject({ error: 'invalid_channel' });
  });
});
