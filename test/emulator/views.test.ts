import { refusal, useEmulator } from './support';

const ADA = 'U0ADMIN0001';
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const modal = (title: string, more: object = {}) => ({
  type: 'modal' as const,
  title: plain(title),
  callback_id: 'lookup',
  private_metadata: '{"site":"acme"}',
  submit: plain('Find'),
  blocks: [
    {
      type: 'input',
      block_id: 'email',
      label: plain('Email'),
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
  ...more,
});

describe('modals', () => {
  const slack = useEmulator({ triggerTtlMs: 100 });
  const trigger = () => slack.emulator.platform.issueTriggerId(ADA);

  it("opens a modal for the trigger's user, in Slack's view shape", async () => {
    const { view } = await slack.client.views.open({ trigger_id: trigger(), view: modal('Lookup') });
    expect(view).toMatchObject({
      id: expect.stringMatching(/^V/),
      hash: expect.stringMatching(/^\d+\.\w+$/),
      type: 'modal',
      callback_id: 'lookup',
      private_metadata: '{"site":"acme"}',
      state: { values: {} },
      root_view_id: view?.id,
      previous_view_id: null,
    });
    expect(slack.emulator.state.openViews(ADA)).toEqual([view]);
  });

  it('refuses unknown, used and expired trigger ids', async () => {
    const open = (trigger_id: string) => slack.client.views.open({ trigger_id, view: modal('Lookup') });
    expect(await refusal(open('123.456.abc'))).toMatchObject({ error: 'invalid_trigger_id' });
    const used = trigger();
    await open(used);
    expect(await refusal(open(used))).toMatchObject({ error: 'exchanged_trigger_id' });
    const late = trigger();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await refusal(open(late))).toMatchObject({ error: 'expired_trigger_id' });
  });

  it('keeps the trigger usable when the view is refused', async () => {
    const triggerId = trigger();
    const refused = await refusal(slack.client.views.open({ trigger_id: triggerId, view: modal('x'.repeat(25)) }));
    expect(refused).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
    });
    expect((await slack.client.views.open({ trigger_id: triggerId, view: modal('Lookup') })).ok).toBe(true);
  });

  it('updates by view_id or external_id, refusing a stale hash', async () => {
    const { view } = await slack.client.views.open({
      trigger_id: trigger(),
      view: modal('Lookup', { external_id: 'lookup-1' }),
    });
    const [viewId, staleHash] = [view?.id ?? '', view?.hash ?? ''];
    const first = await slack.client.views.update({ view_id: viewId, hash: staleHash, view: modal('Searching…') });
    expect(first.view).toMatchObject({ id: viewId, title: { text: 'Searching…' } });
    expect(first.view?.hash).not.toBe(staleHash);
    expect(await refusal(slack.client.views.update({ view_id: viewId, hash: staleHash, view: modal('Late') }))).toEqual(
      {
        error: 'hash_conflict',
        messages: [],
      },
    );
    await slack.client.views.update({ external_id: 'lookup-1', view: modal('Found', { external_id: 'lookup-1' }) });
    expect(slack.emulator.state.openViews(ADA)[0]?.title?.text).toBe('Found');
    expect(await refusal(slack.client.views.update({ view_id: 'V0NOWHERE', view: modal('x') }))).toMatchObject({
      error: 'not_found',
    });
  });

  it('pushes up to three views in a stack', async () => {
    const { view: root } = await slack.client.views.open({ trigger_id: trigger(), view: modal('One') });
    const { view: second } = await slack.client.views.push({ trigger_id: trigger(), view: modal('Two') });
    await slack.client.views.push({ trigger_id: trigger(), view: modal('Three') });
    expect(second).toMatchObject({ root_view_id: root?.id, previous_view_id: root?.id });
    expect(await refusal(slack.client.views.push({ trigger_id: trigger(), view: modal('Four') }))).toMatchObject({
      error: 'push_limit_reached',
    });
    expect(slack.emulator.state.openViews(ADA).map((view) => view.title?.text)).toEqual(['One', 'Two', 'Three']);
  });

  it('refuses a second view with the same external_id', async () => {
    await slack.client.views.open({ trigger_id: trigger(), view: modal('One', { external_id: 'same' }) });
    const pushed = slack.client.views.push({ trigger_id: trigger(), view: modal('Two', { external_id: 'same' }) });
    expect(await refusal(pushed)).toMatchObject({ error: 'duplicate_external_id' });
  });
});

describe('App Home', () => {
  const slack = useEmulator();
  const home = (text: string) => ({ type: 'home' as const, blocks: [{ type: 'section', text: plain(text) }] });

  it("publishes and republishes a user's App Home under one view id", async () => {
    const first = await slack.client.views.publish({ user_id: ADA, view: home('Welcome') });
    const second = await slack.client.views.publish({
      user_id: ADA,
      hash: first.view?.hash,
      view: home('Welcome back'),
    });
    expect(second.view?.id).toBe(first.view?.id);
    expect(slack.emulator.state.home(ADA)?.blocks[0]).toMatchObject({ text: { text: 'Welcome back' } });
    const stale = slack.client.views.publish({ user_id: ADA, hash: first.view?.hash, view: home('Stale') });
    expect(await refusal(stale)).toMatchObject({ error: 'hash_conflict' });
  });

  it('refuses an unknown user and more than 100 blocks', async () => {
    expect(await refusal(slack.client.views.publish({ user_id: 'U0NOBODY', view: home('Hi') }))).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] invalid `user_id` [json-pointer:/user_id]'],
    });
    const tooBig = { type: 'home' as const, blocks: Array(101).fill({ type: 'divider' }) };
    expect(await refusal(slack.client.views.publish({ user_id: ADA, view: tooBig }))).toEqual({
      error: 'invalid_arguments',
      messages: ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    });
  });
});
