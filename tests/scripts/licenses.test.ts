import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../local-pipeline/emulator/tools';

// The licences of what we ship: scripts/licenses.mjs (run by npm run build) and
// scripts/check-licenses.mjs (run here). `npm test` builds the bundles before jest runs.
const licensesModule = pathToFileURL(join(repoRoot, 'scripts', 'licenses.mjs')).href;
const checker = join(repoRoot, 'scripts', 'check-licenses.mjs');
let scratch: string;

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const check = (root: string) => node([checker, '--root', root]);

function write(path: string, text: string) {
  mkdirSync(dirname(join(scratch, path)), { recursive: true });
  writeFileSync(join(scratch, path), text);
}

/** An npm package in the scratch project's node_modules. */
function fixturePackage(name: string, license: string | undefined, licenceText?: string) {
  write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', license }));
  write(`node_modules/${name}/index.js`, `module.exports = () => ${JSON.stringify(name)};\n`);
  if (licenceText) write(`node_modules/${name}/LICENSE`, licenceText);
}

/** Bundles `<bundle>/src/index.js`, importing `packages`, with esbuild and the build's licence step. */
function buildBundle(bundle: string, packages: string[]) {
  const imports = packages.map((name, index) => `import p${index} from '${name}';`);
  const calls = packages.map((_, index) => `p${index}();`);
  write(`${bundle}/src/index.js`, [...imports, ...calls, ''].join('\n'));
  const script = `
    import { build } from 'esbuild';
    import { shipLicences } from ${JSON.stringify(licensesModule)};
    const root = ${JSON.stringify(scratch)};
    const outfile = ${JSON.stringify(join(scratch, bundle, 'dist', 'index.js'))};
    const options = { absWorkingDir: root, bundle: true, platform: 'node', format: 'cjs',
      entryPoints: [${JSON.stringify(join(scratch, bundle, 'src', 'index.js'))}], outfile,
      logLevel: 'silent', metafile: true };
    const { metafile } = await build(options);
    shipLicences([{ metafile, outfile }], root);`;
  return node(['--input-type=module', '-e', script]);
}
const notices = (bundle: string) =>
  readFileSync(join(scratch, bundle, 'dist', 'licenses.txt'), 'utf8');

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'licences-'));
  copyFileSync(join(repoRoot, 'licenses-allowed.json'), join(scratch, 'licenses-allowed.json'));
  fixturePackage('mit-lib', 'MIT', 'MIT License\n\nCopyright (c) Someone\n');
  fixturePackage('gpl-lib', 'GPL-3.0', 'GNU GENERAL PUBLIC LICENSE\nVersion 3\n');
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("today's bundles", () => {
  it('each shipped bundle, found on disk, carries licenses.txt with only allowed licences', () => {
    const actions = readdirSync(join(repoRoot, 'actions')).filter((name) =>
      readdirSync(join(repoRoot, 'actions', name)).includes('dist'),
    );
    const result = check(repoRoot);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const listed = result.stdout
      .split('\n')
      .slice(1, -1)
      .map((line) => line.trim());
    expect(listed).toEqual(
      [
        ...actions.map((name) => `actions/${name}/dist/index.js`),
        'lambda/dist/index.js',
        'producer/dist/index.js',
      ].sort(),
    );
  });

  it('lists the AWS SDK under its licence in the detector bundle, with the licence text', () => {
    const text = readFileSync(join(repoRoot, 'lambda', 'dist', 'licenses.txt'), 'utf8');
    expect(text).toMatch(
      /^Package: @aws-sdk\/client-dynamodb@\d+\.\d+\.\d+\nLicense: Apache-2\.0$/m,
    );
    expect(text).toContain('Apache License\nVersion 2.0, January 2004');
  });
});

describe('the build step on a bundle with a disallowed licence', () => {
  it('fails naming the package, its licence and the bundle', () => {
    const result = buildBundle('gpl', ['mit-lib', 'gpl-lib']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('1 bundled package(s) with a licence not on the allow-list:');
    expect(result.stderr).toContain(
      '- gpl-lib@1.0.0 in gpl/dist/index.js is licensed GPL-3.0, which licenses-allowed.json does not allow',
    );
    expect(result.stderr).not.toContain('mit-lib@1.0.0 in');
  });

  it('still lists it in licenses.txt, so the check of npm test fails on that bundle too', () => {
    buildBundle('gpl', ['gpl-lib']);
    expect(notices('gpl')).toContain('- gpl-lib@1.0.0 (GPL-3.0)');
    const result = check(scratch);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('- gpl-lib@1.0.0 in gpl/dist/index.js is licensed GPL-3.0');
  });
});

describe('the build step on allowed licences', () => {
  it('passes and writes each licence text beside the bundle', () => {
    const result = buildBundle('clean', ['mit-lib']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(notices('clean')).toContain(
      'Package: mit-lib@1.0.0\nLicense: MIT\nFiles: LICENSE\n\nMIT License\n\nCopyright (c) Someone\n',
    );
    expect(check(scratch).stdout).toContain('1 bundles, 1 inlined packages');
  });

  it('accepts a choice that includes an allowed licence', () => {
    fixturePackage('dual-lib', '(MIT OR GPL-3.0)', 'Dual licensed\n');
    const result = buildBundle('dual', ['dual-lib']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(notices('dual')).toContain('- dual-lib@1.0.0 ((MIT OR GPL-3.0))');
  });

  it('writes the SPDX text of the declared licence when the package ships no licence file', () => {
    fixturePackage('bare-lib', 'ISC');
    expect(buildBundle('bare', ['bare-lib']).status).toBe(0);
    expect(notices('bare')).toContain(
      'Files: (none)\n\n(the package ships no licence file: the text of ISC from the SPDX licence list)\n\nISC License',
    );
  });

  it.each([
    ['MIT AND GPL-3.0', 'is licensed MIT AND GPL-3.0, which licenses-allowed.json does not allow'],
    [undefined, 'declares no licence in its package.json'],
    ['MIT or whatever', 'declares "MIT or whatever", not an SPDX licence expression'],
    ['UNLICENSED', 'declares "UNLICENSED", not an SPDX licence expression'],
  ])('rejects %s', (license, problem) => {
    fixturePackage('odd-lib', license);
    const result = buildBundle('odd', ['odd-lib']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`- odd-lib@1.0.0 in odd/dist/index.js ${problem}`);
  });
});

describe('the check of npm test', () => {
  it('fails a bundle that has no licenses.txt beside it', () => {
    write('bare/dist/index.js', '');
    const result = check(scratch);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '- bare/dist/index.js has no licenses.txt beside it: run npm run build',
    );
  });

  it.each([
    ['missing', undefined, '/licenses-allowed.json is missing: the allow-list of licences'],
    ['not JSON', '{', 'licenses-allowed.json is not valid JSON'],
    ['not a list', '{"allowed": "MIT"}', '"allowed" must be a list of SPDX licence identifiers'],
  ])('fails clearly when the allow-list is %s', (_, text, message) => {
    rmSync(join(scratch, 'licenses-allowed.json'));
    if (text !== undefined) write('licenses-allowed.json', text);
    const result = check(scratch);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('fails when it finds no bundle at all', () => {
    expect(check(scratch).stderr).toContain('no bundle found: run npm run build first');
  });
});
