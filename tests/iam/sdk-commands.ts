import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../local-pipeline/tools';

/**
 * Finds the AWS SDK commands code sends, by reading the code: every `new XxxCommand(` and every
 * `waitUntilXxx(` imported from an `@aws-sdk/client-*` package. A command someone adds to an
 * action (or to the detector or producer) is in the proof the moment it is in the code.
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
const CLIENT_SERVICE: Record<string, string> = {
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
const WAITER_OPERATION: Record<string, string> = {
  waitUntilStackCreateComplete: 'DescribeStacks',
  waitUntilStackUpdateComplete: 'DescribeStacks',
  waitUntilStackDeleteComplete: 'DescribeStacks',
  waitUntilChangeSetCreateComplete: 'DescribeChangeSet',
  waitUntilFunctionUpdated: 'GetFunctionConfiguration',
  waitUntilFunctionUpdatedV2: 'GetFunction',
  waitUntilFunctionActiveV2: 'GetFunction',
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

/** The action folders whose code runs as the deploy role. */
export function actionFolders(): string[] {
  const actions = readdirSync(join(repoRoot, 'actions')).filter(
    (name) => name !== 'shared' && statSync(join(repoRoot, 'actions', name, 'src')).isDirectory(),
  );
  return [...actions.map((name) => `actions/${name}/src`), 'actions/shared'];
}

/** The SDK calls of one action: its own code and the shared modules it imports. */
export function sdkCallsOfAction(name: string): SdkCall[] {
  const folder = `actions/${name}/src`;
  const shared = new Set<string>();
  for (const file of typeScriptFiles(join(repoRoot, folder)))
    for (const [, module = ''] of readFileSync(file, 'utf8').matchAll(
      /from '\.\.\/\.\.\/shared\/([a-z-]+)'/g,
    ))
      shared.add(module);
  const sharedCalls = [...shared].flatMap((module) =>
    callsInFile(join(repoRoot, 'actions/shared', `${module}.ts`)).map((call) => ({
      ...call,
      folder,
    })),
  );
  return [...sdkCallsIn([folder]), ...sharedCalls];
}
