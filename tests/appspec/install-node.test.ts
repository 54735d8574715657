import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';

/**
 * appspec/scripts/install_node.sh, which BeforeInstall runs: the pinned Node.js release, checked
 * against its pinned SHA-256 before anything is unpacked. The download comes from a loopback
 * mirror (NODE_DIST_URL) serving a tarball that is not the real release.
 */

const script = join(repoRoot, 'appspec', 'scripts', 'install_node.sh');
const common = readFileSync(join(repoRoot, 'appspec', 'scripts', 'common.sh'), 'utf8');
const version = /^readonly NODE_VERSION=(\S+)$/m.exec(common)?.[1] ?? '';
const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
const pinned = new RegExp(`^readonly NODE_SHA256_${arch.toUpperCase()}=(\\S+)$`, 'm').exec(
  common,
)?.[1];
const release = `node-v${version}-linux-${arch}`;

let scratch: string;
let mirror: Server;
let requests: string[];
let tarball: Buffer;

beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'install-node-'));
  mkdirSync(join(scratch, 'build', release, 'bin'), { recursive: true });
  writeFileSync(join(scratch, 'build', release, 'bin', 'node'), '#!/bin/sh\necho v0.0.0\n');
  chmodSync(join(scratch, 'build', release, 'bin', 'node'), 0o755);
  execFileSync('tar', [
    '-cJf',
    join(scratch, 'fake.tar.xz'),
    '-C',
    join(scratch, 'build'),
    release,
  ]);
  tarball = readFileSync(join(scratch, 'fake.tar.xz'));
  requests = [];
  // The first request fails as a transient error would; the script must retry it.
  mirror = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (requests.length === 1) response.writeHead(503).end();
    else response.writeHead(200).end(tarball);
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  mirror.closeAllConnections();
  await new Promise((resolve) => mirror.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

function installNode(): Promise<{ code: number; stderr: string }> {
  const { port } = mirror.address() as AddressInfo;
  return new Promise((resolve) => {
    execFile(
      'bash',
      [script],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ANOMALY_PRODUCER_ROOT: join(scratch, 'root'),
          NODE_DIST_URL: `http://127.0.0.1:${port}/dist`,
        },
      },
      (error, _stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stderr });
      },
    );
  });
}

describe('install_node.sh', () => {
  it('retries a failed download, then refuses a tarball whose checksum is not the pinned one', async () => {
    const result = await installNode();
    const served = createHash('sha256').update(tarball).digest('hex');
    expect(requests).toEqual([
      `/dist/v${version}/${release}.tar.xz`,
      `/dist/v${version}/${release}.tar.xz`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `checksum mismatch for http://127.0.0.1:${(mirror.address() as AddressInfo).port}/dist/v${version}/${release}.tar.xz: expected ${pinned}, got ${served}; nothing was installed`,
    );
    expect(existsSync(join(scratch, 'root', 'opt', 'nodejs'))).toBe(false);
  });

  it('downloads nothing when the verified release is already installed, and points current at it', async () => {
    const installed = join(scratch, 'root', 'opt', 'nodejs', release);
    mkdirSync(join(installed, 'bin'), { recursive: true });
    writeFileSync(join(installed, 'bin', 'node'), '#!/bin/sh\n');
    chmodSync(join(installed, 'bin', 'node'), 0o755);
    writeFileSync(join(installed, '.verified-sha256'), `${pinned}\n`);
    const result = await installNode();
    expect(result.code).toBe(0);
    expect(requests).toEqual([]);
    expect(readlinkSync(join(scratch, 'root', 'opt', 'nodejs', 'current'))).toBe(release);
  });

  it('pins a Node.js 22 release with a SHA-256 for each architecture', () => {
    expect(version).toMatch(/^22\.\d+\.\d+$/);
    expect(common).toMatch(/^readonly NODE_SHA256_X64=[0-9a-f]{64}$/m);
    expect(common).toMatch(/^readonly NODE_SHA256_ARM64=[0-9a-f]{64}$/m);
  });
});
