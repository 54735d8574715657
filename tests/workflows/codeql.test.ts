import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../local-pipeline/emulator/tools';

interface Step {
  uses?: string;
  with?: Record<string, string>;
}
interface CodeqlWorkflow {
  on: Record<string, unknown>;
  permissions: unknown;
  jobs: Record<string, { permissions: unknown; steps: Step[] }>;
}

const workflow = parse(
  readFileSync(join(repoRoot, '.github', 'workflows', 'codeql.yml'), 'utf8'),
) as CodeqlWorkflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const init = steps.find((step) => step.uses?.startsWith('github/codeql-action/init@'));

/** Folders holding a bundle esbuild generated (`<folder>/dist`, `actions/<name>/dist`). */
function bundleFolders(): string[] {
  const withDist = (folder: string) =>
    readdirSync(join(repoRoot, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
      .map((entry) => (folder === '.' ? entry.name : `${folder}/${entry.name}`))
      .filter((path) => existsSync(join(repoRoot, path, 'dist', 'index.js')))
      .map((path) => `${path}/dist`);
  return [...withDist('.'), ...withDist('actions')];
}

describe('.github/workflows/codeql.yml', () => {
  it('scans on pull requests and every week', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'schedule']));
  });

  it('grants the analysis job only what uploading results needs', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(Object.values(workflow.jobs).map((job) => job.permissions)).toEqual([
      { 'security-events': 'write', actions: 'read', contents: 'read' },
    ]);
  });

  it('analyses JavaScript and TypeScript, with init and analyze from the same commit', () => {
    const analyze = steps.find((step) => step.uses?.startsWith('github/codeql-action/analyze@'));
    expect(init?.with?.languages).toBe('javascript-typescript');
    expect(init?.uses?.split('@')[1]).toBe(analyze?.uses?.split('@')[1]);
  });

  it("leaves every generated bundle out, through a config file that exists (new actions' too)", () => {
    const configPath = init?.with?.['config-file'] ?? '';
    const config = parse(readFileSync(join(repoRoot, configPath), 'utf8')) as {
      'paths-ignore': string[];
    };
    const ignored = config['paths-ignore'].map(
      (glob) => new RegExp(`^${glob.replaceAll('.', '\\.').replaceAll('*', '[^/]+')}$`),
    );
    const folders = bundleFolders();
    expect(folders).toEqual(expect.arrayContaining(['lambda/dist', 'actions/cfn-deploy/dist']));
    expect(folders.filter((folder) => !ignored.some((pattern) => pattern.test(folder)))).toEqual(
      [],
    );
    expect(config['paths-ignore']).toContain('node_modules');
  });
});
