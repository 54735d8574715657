import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import madge from 'madge';
import { repoRoot } from '../../local-pipeline/emulator/tools';

/**
 * No import circles anywhere, type-only imports included: a type import still ties two modules'
 * meaning together, and ESLint's import/no-cycle rules skip them. madge (its TypeScript
 * detective with type imports kept) draws the graph as TypeScript resolves it.
 */
const FOLDERS = [
  'actions',
  'bootstrap',
  'sizing',
  'lambda/src',
  'local-pipeline',
  'producer/src',
  'scripts',
  'tests',
];

const circlesUnder = async (baseDir: string, paths: string[]): Promise<string[][]> => {
  const graph = await madge(paths, {
    baseDir,
    fileExtensions: ['ts'],
    tsConfig: join(repoRoot, 'tsconfig.json'),
    excludeRegExp: [/node_modules/, /\/dist\//, /\.d\.ts$/],
    detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
  });
  return graph.circular();
};

describe('import circles', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  });
  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('counts a circle made only of type imports', async () => {
    // Prepare
    writeFileSync(join(scratch, 'a.ts'), "import type { B } from './b';\nexport type A = B[];\n");
    writeFileSync(
      join(scratch, 'b.ts'),
      "import type { A } from './a';\nexport interface B { a: A }\n",
    );

    // Act
    const circles = await circlesUnder(scratch, [scratch]);

    // Assess
    expect(circles).toEqual([['a.ts', 'b.ts']]);
  });

  it('finds none in the repository', async () => {
    // Act
    const circles = await circlesUnder(
      repoRoot,
      FOLDERS.map((folder) => join(repoRoot, folder)),
    );

    // Assess
    expect(circles).toEqual([]);
  });
});
