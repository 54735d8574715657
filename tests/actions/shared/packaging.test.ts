import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import {
  deterministicZip,
  directoryEntries,
  sha256Base64,
  sha256Hex,
} from '../../../actions/shared/zip';
import { ConfigurationError } from '../../../actions/shared/errors';
import { runContextOf, upsertComment } from '../../../actions/shared/github';

// What the actions upload (zip bytes, their hash as Lambda reports it) and what they leave on
// a pull request (one comment, edited in place).
let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'zip-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Unix mode and modification date of each entry, read from the central directory. */
function centralDirectory(zip: Buffer): { name: string; mode: number; dosDate: number }[] {
  const entries = [];
  for (let at = zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2])); at >= 0;) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.subarray(at + 46, at + 46 + nameLength).toString(),
      mode: zip.readUInt32LE(at + 38) >>> 16,
      dosDate: zip.readUInt16LE(at + 14),
    });
    at = zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), at + 46);
  }
  return entries;
}

describe('deterministic zips', () => {
  it('holds the files of a directory tree, with forward-slash paths and executable bits', () => {
    mkdirSync(join(scratch, 'scripts', 'deep'), { recursive: true });
    writeFileSync(join(scratch, 'appspec.yml'), 'version: 0.0\n');
    writeFileSync(join(scratch, 'scripts', 'start.sh'), '#!/bin/sh\n');
    chmodSync(join(scratch, 'scripts', 'start.sh'), 0o755);
    writeFileSync(join(scratch, 'scripts', 'deep', 'x.txt'), 'x');
    chmodSync(join(scratch, 'scripts', 'deep', 'x.txt'), 0o640);

    const entries = directoryEntries(scratch);
    const zip = deterministicZip(entries);

    expect(entries.map((entry) => [entry.path, entry.executable]).sort()).toEqual([
      ['appspec.yml', false],
      ['scripts/deep/x.txt', false],
      ['scripts/start.sh', true],
    ]);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(['appspec.yml', 'scripts/deep/x.txt', 'scripts/start.sh']);
    expect(Buffer.from(files['scripts/start.sh']!).toString()).toBe('#!/bin/sh\n');
    expect(centralDirectory(zip)).toEqual([
      { name: 'appspec.yml', mode: 0o100644, dosDate: (0 << 9) | (1 << 5) | 1 },
      { name: 'scripts/deep/x.txt', mode: 0o100644, dosDate: (0 << 9) | (1 << 5) | 1 },
      { name: 'scripts/start.sh', mode: 0o100755, dosDate: (0 << 9) | (1 << 5) | 1 },
    ]);
  });

  it('refuses a link to nothing, naming it and where it points', () => {
    writeFileSync(join(scratch, 'appspec.yml'), 'version: 0.0\n');
    symlinkSync('missing/start.sh', join(scratch, 'start.sh'));

    expect(() => directoryEntries(scratch)).toThrow(
      new ConfigurationError(
        `start.sh in ${scratch} is a link to missing/start.sh, which does not exist: remove the link or ship what it points to.`,
      ),
    );
  });

  it('gives the same bytes for the same files in any order, and other bytes for other files', () => {
    const a = { path: 'a.js', data: Buffer.from('a'), executable: false };
    const b = { path: 'b.js', data: Buffer.from('b'), executable: false };
    const c = { path: 'c.js', data: Buffer.from('c'), executable: false };

    expect(deterministicZip([c, a, b])).toEqual(deterministicZip([a, b, c]));
    expect(deterministicZip([b, a])).toEqual(deterministicZip([a, b]));
    expect(deterministicZip([a, { ...b, executable: true }])).not.toEqual(deterministicZip([a, b]));
  });

  it('compresses', () => {
    const data = Buffer.from('x'.repeat(100_000));
    expect(deterministicZip([{ path: 'x', data, executable: false }]).length).toBeLessThan(1000);
  });

  it('hashes as Lambda (base64) and as a content address (hex) do', () => {
    const data = Buffer.from('abc');
    expect(sha256Base64(data)).toBe('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
    expect(sha256Hex(data)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('run context and pull-request comments', () => {
  const context = {
    sha: 'abc123',
    runId: 77,
    serverUrl: 'https://github.com',
    eventName: 'pull_request',
    repo: { owner: 'acme', repo: 'pipeline' },
    payload: { pull_request: { number: 12 } },
  };

  it('leads back to the run that made it', () => {
    expect(runContextOf(context, {})).toEqual({
      sha: 'abc123',
      runUrl: 'https://github.com/acme/pipeline/actions/runs/77',
      repository: 'acme/pipeline',
      eventName: 'pull_request',
      pullRequestNumber: 12,
    });
  });

  it('prefers GITHUB_REPOSITORY and says when the commit is unknown', () => {
    expect(
      runContextOf({ ...context, sha: '', payload: {} }, { GITHUB_REPOSITORY: 'acme/fork' }),
    ).toEqual({
      sha: 'unknown',
      runUrl: 'https://github.com/acme/fork/actions/runs/77',
      repository: 'acme/fork',
      eventName: 'pull_request',
      pullRequestNumber: undefined,
    });
  });

  function comments(existing: { id: number; body: string }[]) {
    const created: string[] = [];
    const updated: { id: number; body: string }[] = [];
    return {
      created,
      updated,
      api: {
        list: () => Promise.resolve(existing),
        create: (body: string) => Promise.resolve(void created.push(body)),
        update: (id: number, body: string) => Promise.resolve(void updated.push({ id, body })),
      },
    };
  }

  it('creates the comment, marked, when there is none', async () => {
    const pr = comments([{ id: 1, body: 'LGTM' }]);

    await expect(upsertComment(pr.api, 'cfn-preview', 'Plan')).resolves.toBe('created');

    expect(pr.created).toEqual(['Plan\n\n<!-- cfn-preview -->']);
    expect(pr.updated).toEqual([]);
  });

  it('edits its own comment in place on the next run', async () => {
    const pr = comments([
      { id: 1, body: 'see <!-- other -->' },
      { id: 2, body: 'Old plan\n\n<!-- cfn-preview -->' },
    ]);

    await expect(upsertComment(pr.api, 'cfn-preview', 'New plan')).resolves.toBe('updated');

    expect(pr.updated).toEqual([{ id: 2, body: 'New plan\n\n<!-- cfn-preview -->' }]);
    expect(pr.created).toEqual([]);
  });
});
