import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The mutation scripts, run as `npm run mutation` runs them, on reports and trees of our own. */

const repo = join(__dirname, '..', '..');
let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mutation-tooling-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function run(script: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(repo, 'scripts', script), ...args], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

const mutant = (id: string, status: string) => ({
  id,
  mutatorName: 'BooleanLiteral',
  replacement: 'false',
  location: { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } },
  status,
});

function report(files: Record<string, string[]>): string {
  write(
    'report.json',
    JSON.stringify({
      schemaVersion: '2',
      thresholds: { high: 90, low: 80 },
      files: Object.fromEntries(
        Object.entries(files).map(([file, statuses]) => [
          file,
          {
            language: 'typescript',
            source: 'true;\n',
            mutants: statuses.map((status, i) => mutant(`${file}-${i}`, status)),
          },
        ]),
      ),
    }),
  );
  return join(scratch, 'report.json');
}

describe('mutation-scores --min', () => {
  it('passes when every folder reaches the minimum', () => {
    const result = run(
      'mutation-scores.mjs',
      report({ 'lambda/src/a.ts': ['Killed', 'Killed'] }),
      '--min',
      '80',
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('lambda/src');
  });

  it('fails naming a folder that has no valid mutant (its score is NaN, which is not a pass)', () => {
    const result = run(
      'mutation-scores.mjs',
      report({
        'lambda/src/a.ts': ['Killed'],
        'producer/src/b.ts': ['CompileError', 'Ignored'],
      }),
      '--min',
      '80',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No valid mutant, so no mutation score, in: producer/src');
    expect(result.stderr).not.toContain('lambda/src');
  });

  it('fails naming a folder below the minimum', () => {
    const result = run(
      'mutation-scores.mjs',
      report({ 'lambda/src/a.ts': ['Killed', 'Survived'] }),
      '--min',
      '80',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Mutation score below 80 % in: lambda/src');
  });
});

describe('mutation-helpers: the incremental results are dropped when a shared test helper changes', () => {
  const incremental = () => join(scratch, 'reports/mutation/stryker-incremental.json');

  beforeEach(() => {
    write('tests/support/helper.ts', 'export const one = 1;\n');
    write('tests/lambda/harness.ts', 'export const two = 2;\n');
    write('tests/lambda/detector.test.ts', "it('works', () => {});\n");
    write('reports/mutation/stryker-incremental.json', '{}');
    expect(run('mutation-helpers.mjs', 'stamp', '--root', scratch).status).toBe(0);
  });

  it('keeps the results while the helpers are unchanged, even when a test file changes (Stryker sees those)', () => {
    write('tests/lambda/detector.test.ts', "it('works again', () => {});\n");
    const result = run('mutation-helpers.mjs', 'check', '--root', scratch);
    expect(result.stdout).toContain('test helpers unchanged');
    expect(existsSync(incremental())).toBe(true);
  });

  it.each([
    ['tests/support/helper.ts', 'export const one = 11;\n'],
    ['tests/lambda/harness.ts', 'export const two = 22;\n'],
    ['tests/support/new-helper.ts', 'export const three = 3;\n'],
  ])('drops them when %s changes', (path, text) => {
    write(path, text);
    const result = run('mutation-helpers.mjs', 'check', '--root', scratch);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('test helpers changed since the incremental results');
    expect(existsSync(incremental())).toBe(false);
  });

  it('drops them when no digest was recorded with them', () => {
    rmSync(join(scratch, 'reports/mutation/test-helpers.sha256'));
    const result = run('mutation-helpers.mjs', 'check', '--root', scratch);
    expect(result.stdout).toContain('test-helpers.sha256 is missing');
    expect(existsSync(incremental())).toBe(false);
  });
});
