import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { requestsFor, stackView } from './operations';
import { sdkCallsOfAction } from './sdk-commands';
import { loadStacks } from './stacks';

// Each action's README ends with the permissions the proof checks for it: exactly those.
const view = stackView(loadStacks());
const actions = readdirSync(join(repoRoot, 'actions')).filter((name) => name !== 'shared');

describe.each(actions)('actions/%s/README.md', (name) => {
  const readme = readFileSync(join(repoRoot, 'actions', name, 'README.md'), 'utf8');
  const sections = readme.split(/^## /m);

  it('ends with a Permissions section', () => {
    expect(sections.at(-1)?.split('\n')[0]).toBe('Permissions');
  });

  it('lists exactly the IAM actions the proof evaluates for its AWS calls', () => {
    const listed = [...(sections.at(-1) ?? '').matchAll(/^- `([a-z0-9-]+:[A-Za-z0-9]+)`/gm)].map(
      ([, action]) => action!,
    );
    const proven = sdkCallsOfAction(name).flatMap((call) =>
      requestsFor(view, call).map((request) => request.action),
    );
    expect([...new Set(listed)].sort()).toEqual([...new Set(proven)].sort());
  });
});
