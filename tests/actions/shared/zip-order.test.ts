import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { ConfigurationError } from '../../../actions/shared/errors';
import { deterministicZip, directoryEntries } from '../../../actions/shared/zip';

// What goes into a zip when a directory holds more than regular files, and which entry a path
// keeps when it is given twice.
let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'zip-order-'));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const listening = (path: string): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(path, () => {
      resolve(server);
    });
  });

describe('directory entries', () => {
  it('leaves out what is neither a file nor a directory (a socket)', async () => {
    writeFileSync(join(scratch, 'appspec.yml'), 'version: 0.0\n');
    const server = await listening(join(scratch, 'agent.sock'));
    try {
      const entries = directoryEntries(scratch);

      expect(entries.map((entry) => entry.path)).toEqual(['appspec.yml']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lets a link loop fail as the file system says, not as a missing target', () => {
    symlinkSync('b', join(scratch, 'a'));
    symlinkSync('a', join(scratch, 'b'));

    let thrown: unknown;
    try {
      directoryEntries(scratch);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).not.toBeInstanceOf(ConfigurationError);
    expect(thrown).toMatchObject({ code: 'ELOOP' });
  });
});

describe('a path given twice', () => {
  it('keeps the entry given last', () => {
    const first = { path: 'index.js', data: Buffer.from('first'), executable: false };
    const other = { path: 'lib.js', data: Buffer.from('lib'), executable: false };
    const last = { path: 'index.js', data: Buffer.from('last'), executable: false };

    const files = unzipSync(deterministicZip([first, other, last]));

    expect(Object.keys(files)).toEqual(['index.js', 'lib.js']);
    expect(Buffer.from(files['index.js']!).toString()).toBe('last');
  });
});
