import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBinary, pinnedVersion } from '../emulator/node-runtimes';

/**
 * What the test bed's instance image holds that an instance would have downloaded: the Node.js
 * release the revision pins (appspec/scripts/common.sh), as install_node.sh leaves it after the
 * checksum matched — except that this machine cannot download it, so the release's `bin/node`
 * is the same release installed from PyPI (requirements-node22.txt, .venv/node22). install_node.sh then finds it installed, as on an instance's second
 * deployment. Its download and checksum path is tested on its own (tests/appspec).
 */
export function preinstallPinnedNode(revisionDir: string, root: string): void {
  const commonFile = join(revisionDir, 'scripts', 'common.sh');
  if (!existsSync(commonFile)) return;
  const common = readFileSync(commonFile, 'utf8');
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const version = /^readonly NODE_VERSION=(\S+)$/m.exec(common)?.[1];
  const sha256 = new RegExp(`^readonly NODE_SHA256_${arch.toUpperCase()}=(\\S+)$`, 'm').exec(
    common,
  )?.[1];
  if (!version || !sha256) return;
  const release = join(root, 'opt', 'nodejs', `node-v${version}-linux-${arch}`);
  if (existsSync(join(release, '.verified-sha256'))) return;
  mkdirSync(join(release, 'bin'), { recursive: true });
  if (version !== pinnedVersion('node22'))
    throw new Error(
      `appspec pins Node ${version} for the instance, requirements-node22.txt ${pinnedVersion('node22')}: pin the same release in both`,
    );
  symlinkSync(nodeBinary('node22'), join(release, 'bin', 'node'));
  writeFileSync(join(release, '.verified-sha256'), `${sha256}\n`);
}
