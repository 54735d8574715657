import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/merge-mutation-reports.mjs as the README runs it, from the repository root, on a tree
// of our own: folds one-folder runs into the committed incremental file.

const script = join(__dirname, '..', '..', 'scripts', 'merge-mutation-reports.mjs');
const target = 'reports/mutation/stryker-incremental.json';
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'merge-mutation-'));
  mkdirSync(join(root, 'reports', 'mutation'), { recursive: true });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const merge = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' });

/** Writes a report whose files each hold one mutant with the given status. */
function writeReport(path: string, statuses: Record<string, string>): void {
  const files = Object.fromEntries(
    Object.entries(statuses).map(([file, status]) => [
      file,
      {
        language: 'typescript',
        source: 'true;\n',
        mutants: [
          {
            id: '1',
            mutatorName: 'BooleanLiteral',
            replacement: 'false',
            location: { start: { line: 1, column: 1 }, end: { line: 1, column: 5 } },
            status,
          },
        ],
      },
    ]),
  );
  writeFileSync(join(root, path), JSON.stringify({ schemaVersion: '2', files, testFiles: {} }));
}

const statuses = (): Record<string, string> => {
  const { files } = JSON.parse(readFileSync(join(root, target), 'utf8')) as {
    files: Record<string, { mutants: { status: string }[] }>;
  };
  return Object.fromEntries(
    Object.entries(files).map(([file, { mutants }]) => [file, mutants[0]?.status ?? '']),
  );
};

beforeEach(() => {
  writeReport(target, { 'lambda/src/a.ts': 'Survived', 'producer/src/b.ts': 'Survived' });
  // A lambda run started from a copy of the committed file, which producer tests changed since.
  writeReport('lambda.json', { 'lambda/src/a.ts': 'Killed', 'producer/src/b.ts': 'NoCoverage' });
});

it("takes every file of a report by default, the later report's results winning", () => {
  const result = merge('lambda.json');

  expect(result.status).toBe(0);
  expect(result.stdout).toContain(`${target}: 2 source files`);
  expect(statuses()).toEqual({ 'lambda/src/a.ts': 'Killed', 'producer/src/b.ts': 'NoCoverage' });
});

it('with --only takes just the files under that folder, with or without its slash', () => {
  expect(merge('--only', 'lambda/src', 'lambda.json').status).toBe(0);
  expect(statuses()).toEqual({ 'lambda/src/a.ts': 'Killed', 'producer/src/b.ts': 'Survived' });

  writeReport('producer.json', { 'lambda/src/a.ts': 'Survived', 'producer/src/b.ts': 'Killed' });
  expect(merge('--only', 'producer/', 'producer.json').status).toBe(0);
  expect(statuses()).toEqual({ 'lambda/src/a.ts': 'Killed', 'producer/src/b.ts': 'Killed' });
});

it.each([
  ['no report', []],
  ['an empty --only', ['--only', '', 'lambda.json']],
])('refuses %s with its usage, changing nothing', (_case, args) => {
  const result = merge(...args);

  expect(result.status).toBe(2);
  expect(result.stderr).toContain('usage: node scripts/merge-mutation-reports.mjs [--only FOLDER]');
  expect(statuses()).toEqual({ 'lambda/src/a.ts': 'Survived', 'producer/src/b.ts': 'Survived' });
});

it('refuses an option it does not know, changing nothing', () => {
  const result = merge('--ony', 'lambda/src', 'lambda.json');

  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain("Unknown option '--ony'");
  expect(statuses()).toEqual({ 'lambda/src/a.ts': 'Survived', 'producer/src/b.ts': 'Survived' });
});
