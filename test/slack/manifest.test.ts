import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { commands } from '../../commands';

/** manifest.yml is what admins paste into Slack: it must be valid and match what the bot actually handles. */
const ROOT = join(__dirname, '..', '..');
const manifest = parse(readFileSync(join(ROOT, 'manifest.yml'), 'utf8'));
const schema = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'slack-manifest-schema', 'manifest.schema.1.0.0.json'), 'utf8'),
);

describe('manifest.yml', () => {
  it("passes Slack's manifest schema (major version 1)", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    expect(manifest._metadata.major_version).toBe(1);
  });

  it('declares exactly the slash commands the bot handles, with the same usage and description', () => {
    const declared = (
      manifest.features.slash_commands as { command: string; usage_hint: string; description: string }[]
    )
      .map((c) => ({ name: c.command, usage: c.usage_hint, description: c.description }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const handled = commands
      .map(({ name, usage, description }) => ({ name, usage, description }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(declared).toEqual(handled);
  });

  it('sends slash commands and interactions to the one endpoint the bot serves', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
  });
});
