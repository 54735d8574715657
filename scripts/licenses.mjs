// The licences of what a bundle inlines (README: Keeping it current). From esbuild's metafile,
// every npm package with code in the output; each one's licence (package.json) must satisfy the
// allow-list in licenses-allowed.json, and its licence and notice files are written beside the
// bundle as licenses.txt, so they ship wherever the bundle goes (an action's dist/, the Lambda
// package, the CodeDeploy revision).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import spdxLicences from 'spdx-license-list/full.js';
import satisfies from 'spdx-satisfies';

export const NOTICES_FILE = 'licenses.txt';
export const ALLOW_LIST_FILE = 'licenses-allowed.json';
const SEPARATOR = '='.repeat(80);
const NONE = '(none declared)';

/** A file a licence requires to travel with the code: LICENSE, LICENCE, COPYING, NOTICE (any suffix). */
const licenceFile = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

export class LicenceError extends Error {
  name = 'LicenceError';
}

/** The allow-list: SPDX identifiers (spdx-satisfies accepts `X+` ranges and `WITH` exceptions). */
export function readAllowList(root) {
  const path = join(root, ALLOW_LIST_FILE);
  if (!existsSync(path))
    throw new LicenceError(`${path} is missing: the allow-list of licences the bundles may inline`);
  let parsed;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LicenceError(`${ALLOW_LIST_FILE} is not valid JSON: ${error.message}`);
  }
  const allowed = parsed?.allowed;
  if (!Array.isArray(allowed) || allowed.some((id) => typeof id !== 'string' || id === ''))
    throw new LicenceError(
      `${ALLOW_LIST_FILE}: "allowed" must be a list of SPDX licence identifiers`,
    );
  return allowed;
}

/** `node_modules/@scope/name/dist/x.js` → `node_modules/@scope/name` (the innermost package). */
function packageDirectoryOf(input) {
  const parts = input.split('/');
  const start = parts.lastIndexOf('node_modules');
  if (start === -1 || start + 1 >= parts.length) return undefined;
  const length = parts[start + 1].startsWith('@') ? 3 : 2;
  return parts.slice(0, start + length).join('/');
}

/** package.json's `license`, or the old `license: {type}` / `licenses: [{type}]` forms. */
function declaredLicence(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  if (typeof manifest.license?.type === 'string') return manifest.license.type;
  if (Array.isArray(manifest.licenses) && manifest.licenses.length > 0)
    return manifest.licenses.map((entry) => entry?.type ?? entry).join(' OR ');
  return undefined;
}

function describePackage(root, directory) {
  const manifest = JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8'));
  const files = readdirSync(join(root, directory))
    .filter((name) => licenceFile.test(name))
    .sort();
  return {
    name: manifest.name ?? directory,
    version: manifest.version ?? '?',
    license: declaredLicence(manifest),
    directory,
    files,
  };
}

/** The packages with code in `outfile` (bytes in the output, not merely imported), sorted. */
function bundledPackages(metafile, outfile, root) {
  const output = metafile.outputs[relative(root, outfile).split(sep).join('/')];
  if (!output) throw new LicenceError(`esbuild's metafile has no output ${outfile}`);
  const directories = new Set();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const directory = bytesInOutput > 0 ? packageDirectoryOf(input) : undefined;
    if (directory) directories.add(directory);
  }
  const byId = new Map();
  for (const directory of directories) {
    const described = describePackage(root, directory);
    byId.set(`${described.name}@${described.version}`, described);
  }
  return [...byId.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
}

/** Why a package's licence is not acceptable, or undefined when the allow-list satisfies it. */
export function licenceProblem(pkg, allowed) {
  if (!pkg.license) return 'declares no licence in its package.json';
  try {
    if (satisfies(pkg.license, allowed)) return undefined;
    return `is licensed ${pkg.license}, which ${ALLOW_LIST_FILE} does not allow`;
  } catch (error) {
    return `declares "${pkg.license}", not an SPDX licence expression (${error.message})`;
  }
}

/** The package's own licence files, or else the SPDX list's text of the licence it declares. */
function licenceTexts(root, pkg) {
  if (pkg.files.length > 0)
    return pkg.files.map((file) => readFileSync(join(root, pkg.directory, file), 'utf8').trimEnd());
  const standard = pkg.license ? spdxLicences[pkg.license] : undefined;
  if (!standard) return [`(the package ships no licence file; it declares ${pkg.license ?? NONE})`];
  return [
    `(the package ships no licence file: the text of ${pkg.license} from the SPDX licence list)`,
    standard.licenseText.trimEnd(),
  ];
}

/** One entry a package; a text already written for another package is referred to, not repeated. */
function noticeEntries(root, packages) {
  const firstWithText = new Map();
  return packages.map((pkg) => {
    const id = `${pkg.name}@${pkg.version}`;
    const body = licenceTexts(root, pkg).join('\n\n');
    const earlier = firstWithText.get(body);
    if (!earlier) firstWithText.set(body, id);
    return [
      SEPARATOR,
      `Package: ${id}`,
      `License: ${pkg.license ?? NONE}`,
      `Files: ${pkg.files.join(', ') || '(none)'}`,
      '',
      earlier ? `(the same licence text as ${earlier}, above)` : body,
      '',
    ].join('\n');
  });
}

function noticesText(root, bundle, packages) {
  const header = [
    `Third-party software inlined in ${bundle}:`,
    'each package, the licence it declares and the licence files it ships. Generated by',
    `npm run build (scripts/licenses.mjs) from esbuild's metafile; checked against ${ALLOW_LIST_FILE}.`,
    '',
    ...packages.map((pkg) => `- ${pkg.name}@${pkg.version} (${pkg.license ?? NONE})`),
    '',
  ].join('\n');
  return [header, ...noticeEntries(root, packages)].join('\n');
}

/**
 * For each built bundle ({ metafile, outfile }): writes licenses.txt beside it, then fails naming
 * every package (in every bundle) whose licence the allow-list does not satisfy.
 */
export function shipLicences(builds, root) {
  const allowed = readAllowList(root);
  const problems = [];
  for (const { metafile, outfile } of builds) {
    const bundle = relative(root, outfile).split(sep).join('/');
    const packages = bundledPackages(metafile, outfile, root);
    writeFileSync(join(dirname(outfile), NOTICES_FILE), noticesText(root, bundle, packages));
    for (const pkg of packages) {
      const problem = licenceProblem(pkg, allowed);
      if (problem) problems.push(`${pkg.name}@${pkg.version} in ${bundle} ${problem}`);
    }
  }
  if (problems.length > 0)
    throw new LicenceError(
      [
        `${problems.length} bundled package(s) with a licence not on the allow-list:`,
        ...problems.map((problem) => `  - ${problem}`),
        `Replace the dependency, or add its licence to ${ALLOW_LIST_FILE} after review (README: Keeping it current).`,
      ].join('\n'),
    );
}

/** The packages a bundle's licenses.txt lists (undefined when there is none beside it). */
export function readNotices(outfile) {
  const path = join(dirname(outfile), NOTICES_FILE);
  if (!existsSync(path)) return undefined;
  const entry = new RegExp(`^${SEPARATOR}\\nPackage: (.+)@([^@\\n]+)\\nLicense: (.*)$`, 'gm');
  return [...readFileSync(path, 'utf8').matchAll(entry)].map(([, name, version, license]) => ({
    name,
    version,
    license: license === NONE ? undefined : license,
  }));
}
