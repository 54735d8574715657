import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { pinnedVersion } from '../../local-pipeline/emulator/node-runtimes';
import { repoRoot } from '../../local-pipeline/emulator/tools';

// The Node versions the project claims agree everywhere they are written: the runtimes the
// bundles ship to (and the tests run them on), the workflows' Node and package.json's engines.

const read = (...path: string[]) => readFileSync(join(repoRoot, ...path), 'utf8');
const major = (version: string) => Number(/^v?(\d+)/.exec(version)?.[1]);

describe('Node versions', () => {
  it('the actions run on the runtime their bundles are tested on (Node 24)', () => {
    const actions = readdirSync(join(repoRoot, 'actions')).filter((name) => name !== 'shared');
    const using = actions.map(
      (name) =>
        (parse(read('actions', name, 'action.yml')) as { runs: { using: string } }).runs.using,
    );
    expect(new Set(using)).toEqual(new Set([`node${major(pinnedVersion('node24'))}`]));
  });

  it("the detector's Lambda runtime and the instance's pinned Node are the tested Node 22", () => {
    expect(read('cloudformation', 'anomaly-detection.json')).toContain(
      `"Runtime": "nodejs${major(pinnedVersion('node22'))}.x"`,
    );
    expect(read('appspec', 'scripts', 'common.sh')).toContain(
      `readonly NODE_VERSION=${pinnedVersion('node22')}\n`,
    );
  });

  it('the PR workflow runs the suite on every major version engines claims, the workflows install a supported one', () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines
      .node;
    const jobs = (
      parse(read('.github', 'workflows', 'pr.yml')) as {
        jobs: Record<string, { strategy?: { matrix?: { node?: string[] } } }>;
      }
    ).jobs;
    const matrix = jobs.test?.strategy?.matrix?.node ?? [];
    expect(engines).toBe(`>=${matrix[0]}`);
    expect(matrix).toEqual(['22', '24']);
    expect(matrix).toContain(read('.node-version').trim());
  });
});
