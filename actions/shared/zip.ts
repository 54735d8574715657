import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { ConfigurationError } from './errors';

export interface ZipEntry {
  readonly path: string;
  readonly data: Uint8Array;
  readonly executable: boolean;
}

/** The earliest time a zip can record: every entry gets it, so the same files give the same bytes. */
const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');
const UNIX = 3;
const regularFile = (executable: boolean) => ((executable ? 0o100755 : 0o100644) << 16) >>> 0;

/** A zip whose bytes depend only on the entries' paths, contents and executable bits. */
export function deterministicZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: Zippable = {};
  for (const entry of sorted) {
    files[entry.path] = [
      entry.data,
      { mtime: FIXED_MTIME, os: UNIX, attrs: regularFile(entry.executable), level: 9 },
    ];
  }
  return Buffer.from(zipSync(files));
}

/** Every regular file below `directory`, with paths relative to it (forward slashes). */
export function directoryEntries(directory: string): ZipEntry[] {
  const entries: ZipEntry[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stats = statOf(path, directory);
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile())
        entries.push({
          path: relative(directory, path).split(sep).join('/'),
          data: readFileSync(path),
          executable: (stats.mode & 0o111) !== 0,
        });
    }
  };
  walk(directory);
  return entries;
}

/** A file's stats through links; a link to nothing is the user's to fix, and says where it is. */
function statOf(path: string, directory: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConfigurationError(
      `${relative(directory, path)} in ${directory} is a link to ${readlinkSync(path)}, which does not exist: remove the link or ship what it points to.`,
    );
  }
}

/** Base64 SHA-256, the form Lambda reports as CodeSha256. */
export const sha256Base64 = (data: Uint8Array): string =>
  createHash('sha256').update(data).digest('base64');
export const sha256Hex = (data: Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');
