import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { runActionBundle, TEST_SHA } from '../../../local-pipeline/workflows/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/emulator/clients';
import { motoEndpoint } from '../../support/emulator';
import {
  isMutating,
  startFaultProxy,
  type FaultProxy,
} from '../../../local-pipeline/emulator/fault-proxy';
import { repoRoot } from '../../../local-pipeline/emulator/tools';
import { deterministicZip } from '../../../actions/shared/zip';

let proxy: FaultProxy;
let scratch: string;
const lambda = () => new LambdaClient(testClientConfig(motoEndpoint()));

function deploy(inputs: Record<string, string>, workspace = repoRoot) {
  return runActionBundle(
    'lambda-deploy',
    { 'function-name': 'detector', ...inputs },
    { workspace, env: emulatorEnvironment(proxy.endpoint) },
  );
}

beforeAll(async () => {
  proxy = await startFaultProxy(motoEndpoint());
  scratch = mkdtempSync(join(tmpdir(), 'lambda-deploy-'));
  const config = testClientConfig(motoEndpoint());
  const { Role } = await new IAMClient(config).send(
    new CreateRoleCommand({
      RoleName: 'detector',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    }),
  );
  await lambda().send(
    new CreateFunctionCommand({
      FunctionName: 'detector',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: Role!.Arn,
      Code: {
        ZipFile: deterministicZip([
          {
            path: 'index.js',
            data: Buffer.from('exports.handler = async () => {};'),
            executable: false,
          },
        ]),
      },
    }),
  );
  await new S3Client(config).send(new CreateBucketCommand({ Bucket: 'artifacts' }));
});

afterAll(async () => {
  await proxy.stop();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearLog();
});

describe('lambda-deploy, run as the runner runs it, against the emulator', () => {
  it('bundles the detector, updates the code, waits and publishes a version that names the commit', async () => {
    const result = await deploy({});
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ changed: 'true', version: '1' });
    const { Configuration } = await lambda().send(
      new GetFunctionCommand({ FunctionName: 'detector' }),
    );
    expect(Configuration?.CodeSha256).toBe(result.outputs['code-sha256']);
    const { Versions = [] } = await lambda().send(
      new ListVersionsByFunctionCommand({ FunctionName: 'detector' }),
    );
    expect(Versions.find((version) => version.Version === '1')?.Description).toContain(
      TEST_SHA.slice(0, 12),
    );
    expect(result.summary).toContain('## ✅ Lambda detector: version 1 published');
    // The built bundle ran on the actions' runtime (runs.using: node24), not the runner's Node.
    expect(result.nodeVersion).toMatch(/^v24\./);
  });

  it('makes no mutating request when the code is unchanged, and reports the version holding it', async () => {
    const result = await deploy({});
    expect(result.outputs).toMatchObject({ changed: 'false', version: '1' });
    expect(proxy.requests.filter(isMutating)).toEqual([]);
    expect(result.summary).toContain('unchanged');
  });

  it('publishes a new version for changed code, through S3 when a bucket is given', async () => {
    const packageDir = join(scratch, 'package');
    mkdirSync(packageDir);
    writeFileSync(
      join(packageDir, 'index.js'),
      'exports.handler = async () => ({ batchItemFailures: [] });',
    );
    const result = await deploy({ package: packageDir, 's3-bucket': 'artifacts' });
    expect(result.failure).toBeUndefined();
    expect(result.outputs).toMatchObject({ changed: 'true', version: '2' });
    const { Contents = [] } = await new S3Client(testClientConfig(motoEndpoint())).send(
      new ListObjectsV2Command({ Bucket: 'artifacts' }),
    );
    expect(Contents.map((object) => object.Key)).toEqual([
      expect.stringMatching(/^lambda\/detector\/[0-9a-f]{64}\.zip$/),
    ]);
  });

  it('gives the same hash for the same directory every time (deterministic zip)', async () => {
    const packageDir = join(scratch, 'package');
    const again = await deploy({ package: packageDir });
    expect(again.outputs).toMatchObject({ changed: 'false', version: '2' });
  });

  it.each([
    [
      { 'function-name': 'bad name!' },
      'Input "function-name": "bad name!" is not a Lambda function name or ARN.',
    ],
    [
      { 'function-name': 'detector:live' },
      'Input "function-name": "detector:live" is qualified (":live"); code is deployed to the unqualified function, so give "detector"',
    ],
    [
      { alias: 'live', publish: 'false' },
      'Input "alias": releasing to "live" needs a published version',
    ],
    [{ entry: 'lambda/src/nope.ts' }, 'Input "entry": lambda/src/nope.ts does not exist'],
    [{ package: 'README.md' }, 'Input "package": README.md must be a directory or a .zip file.'],
    [
      { 's3-bucket': 'Not_A_Bucket' },
      'Input "s3-bucket": "Not_A_Bucket" is not an S3 bucket name.',
    ],
    [{ publish: 'sure' }, 'Input "publish" must be true or false'],
  ])('rejects %j before any AWS call', async (inputs, message) => {
    const result = await deploy(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.failure).toContain(message);
    expect(proxy.requests).toEqual([]);
  });

  it('says to run npm ci when esbuild is not in the workspace', async () => {
    const bare = join(scratch, 'bare');
    mkdirSync(join(bare, 'lambda', 'src'), { recursive: true });
    writeFileSync(
      join(bare, 'lambda', 'src', 'handler.ts'),
      'export const handler = async () => ({});',
    );
    const result = await deploy({}, bare);
    expect(result.failure).toContain('needs esbuild from the workspace: run `npm ci`');
  });
});
