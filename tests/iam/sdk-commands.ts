import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../local-pipeline/emulator/tools';

/**
 * Finds the AWS SDK commands code sends, by reading the code: every `new XxxCommand(`, every
 * `paginateXxx(` (it sends `Xxx`) and every `waitUntilXxx(` imported from an `@aws-sdk/client-*`
 * package. A command someone adds to an action (or to the detector or producer) is in the proof
 * the moment it is in the code.
 */

export interface SdkCall {
  /** IAM service prefix of the client (`s3`, `lambda`, …). */
  readonly service: string;
  /** The API operation (`PutObject`), or for a waiter the operation it polls. */
  readonly operation: string;
  /** Folder the call is in, relative to the repository (`actions/lambda-deploy/src`). */
  readonly folder: string;
}

/** `@aws-sdk/client-<name>` → IAM service prefix. */
export const CLIENT_SERVICE: Record<string, string> = {
  cloudformation: 'cloudformation',
  codedeploy: 'codedeploy',
  dynamodb: 'dynamodb',
  ec2: 'ec2',
  iam: 'iam',
  kinesis: 'kinesis',
  kms: 'kms',
  lambda: 'lambda',
  s3: 's3',
  sns: 'sns',
  sqs: 'sqs',
  ssm: 'ssm',
  sts: 'sts',
};

/** Waiters poll one read operation each. */
export const WAITER_OPERATION: Record<string, string> = {
  waitUntilStackCreateComplete: 'DescribeStacks',
  waitUntilStackUpdateComplete: 'DescribeStacks',
  waitUntilStackDeleteComplete: 'DescribeStacks',
  waitUntilChangeSetCreateComplete: 'DescribeChangeSet',
  waitUntilFunctionUpdated: 'GetFunctionConfiguration',
  waitUntilFunctionUpdatedV2: 'GetFunction',
  waitUntilFunctionActiveV2: 'GetFunction',
  waitUntilPublishedVersionActive: 'GetFunctionConfiguration',
  waitUntilDeploymentSuccessful: 'GetDeployment',
  waitUntilTableExists: 'DescribeTable',
  waitUntilObjectExists: 'HeadObject',
};

export function sdkCallsIn(folders: readonly string[]): SdkCall[] {
  const calls = new Map<string, SdkCall>();
  for (const folder of folders)
    for (const file of typeScriptFiles(join(repoRoot, folder)))
      for (const call of callsInFile(file))
        calls.set(`${call.folder}|${call.service}:${call.operation}`, call);
  return [...calls.values()].sort((a, b) =>
    `${a.folder}${a.service}${a.operation}`.localeCompare(`${b.folder}${b.service}${b.operation}`),
  );
}

function callsInFile(file: string): SdkCall[] {
  const source = readFileSync(file, 'utf8');
  const folder = relative(repoRoot, join(file, '..'));
  const found: SdkCall[] = [];
  const imports = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g;
  for (const [, names = '', client = ''] of source.matchAll(imports)) {
    const service = CLIENT_SERVICE[client];
    for (const imported of names.split(',').map((name) => name.trim().replace(/^type\s+/, ''))) {
      const used = (text: string) => source.includes(text);
      if (/Command$/.test(imported) && used(`new ${imported}(`)) {
        if (!service)
          throw new Error(`${file}: no IAM service prefix for @aws-sdk/client-${client}`);
        found.push({ service, operation: imported.replace(/Command$/, ''), folder });
      } else if (/^paginate[A-Z]/.test(imported) && used(`${imported}(`)) {
        if (!service)
          throw new Error(`${file}: no IAM service prefix for @aws-sdk/client-${client}`);
        found.push({ service, operation: imported.replace(/^paginate/, ''), folder });
      } else if (/^waitUntil/.test(imported) && used(`${imported}(`)) {
        const operation = WAITER_OPERATION[imported];
        if (!service || !operation)
          throw new Error(
            `${file}: waiter ${imported} is not in WAITER_OPERATION of tests/iam/sdk-commands.ts; add the operation it polls`,
          );
        found.push({ service, operation, folder });
      }
    }
  }
  return found;
}

function typeScriptFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return typeScriptFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The actions (folders of `actions/` with code, `shared` aside): their code runs as the deploy role. */
export function actionNames(): string[] {
  return readdirSync(join(repoRoot, 'actions')).filter(
    (name) => name !== 'shared' && statSync(join(repoRoot, 'actions', name, 'src')).isDirectory(),
  );
}

/**
 * The SDK calls of one action: its own code and the shared modules it runs (those it imports, and
 * those they import in turn), all attributed to the action, whose inputs decide what they touch.
 */
export function sdkCallsOfAction(name: string): SdkCall[] {
  const folder = `actions/${name}/src`;
  const sharedCalls = [...sharedModulesOfAction(name)].flatMap((module) =>
    callsInFile(join(repoRoot, 'actions/shared', `${module}.ts`)).map((call) => ({
      ...call,
      folder,
    })),
  );
  const calls = new Map<string, SdkCall>();
  for (const call of [...sdkCallsIn([folder]), ...sharedCalls])
    calls.set(`${call.service}:${call.operation}`, call);
  return [...calls.values()];
}

/** The `actions/shared` modules an action runs (imports, directly or through other shared modules). */
export function sharedModulesOfAction(name: string): Set<string> {
  return sharedModulesOf(typeScriptFiles(join(repoRoot, `actions/${name}/src`)));
}

/** The `actions/shared` modules that send AWS requests. */
export function sharedModulesWithCalls(): string[] {
  return typeScriptFiles(join(repoRoot, 'actions/shared'))
    .filter((file) => callsInFile(file).length > 0)
    .map((file) => relative(join(repoRoot, 'actions/shared'), file).replace(/\.ts$/, ''));
}

/**
 * The `actions/shared` modules the files import, directly or through other shared modules (type-only
 * imports run no code and do not count).
 */
function sharedModulesOf(files: readonly string[]): Set<string> {
  const found = new Set<string>();
  const pending = files.flatMap((file) => importsOf(file, '\\.\\./\\.\\./shared/'));
  while (pending.length > 0) {
    const module = pending.pop()!;
    if (found.has(module)) continue;
    found.add(module);
    pending.push(...importsOf(join(repoRoot, 'actions/shared', `${module}.ts`), '\\./'));
  }
  return found;
}

function importsOf(file: string, from: string): string[] {
  const pattern = new RegExp(`^import (?!type )[^;]*?from '${from}([a-z0-9-]+)'`, 'gm');
  return [...readFileSync(file, 'utf8').matchAll(pattern)].map(([, module = '']) => module);
}
