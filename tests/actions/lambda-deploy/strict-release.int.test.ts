import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { runActionBundle } from '../../../local-pipeline/workflows/action-runner';
import { emulatorEnvironment, testClientConfig } from '../../../local-pipeline/emulator/clients';
import { startFaultProxy, type FaultProxy } from '../../../local-pipeline/emulator/fault-proxy';
import {
  startLambdaStandIn,
  type LambdaStandIn,
} from '../../../local-pipeline/lambda/lambda-standin';
import { deterministicZip } from '../../../actions/shared/zip';
import { motoEndpoint } from '../../support/emulator';

/**
 * Releases through the built lambda-deploy action of versions that Lambda would stop: the
 * Lambda stand-in holds them to the function's Timeout and MemorySize, and the pre-traffic
 * check must fail the step with Lambda's error while the alias stays where it was.
 */

let proxy: FaultProxy;
let standIn: LambdaStandIn;
let scratch: string;
const lambda = () => new LambdaClient(testClientConfig(motoEndpoint()));
const live = async () =>
  (await lambda().send(new GetAliasCommand({ FunctionName: 'strict', Name: 'live' })))
    .FunctionVersion;

function release(code: string) {
  const pkg = mkdtempSync(join(scratch, 'package-'));
  writeFileSync(join(pkg, 'index.js'), code);
  return runActionBundle(
    'lambda-deploy',
    { 'function-name': 'strict', package: pkg, alias: 'live' },
    {
      env: {
        ...emulatorEnvironment(proxy.endpoint),
        AWS_ENDPOINT_URL_LAMBDA: standIn.endpoint,
      },
    },
  );
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'strict-release-'));
  proxy = await startFaultProxy(motoEndpoint());
  standIn = await startLambdaStandIn({
    upstream: proxy.endpoint,
    motoEndpoint: motoEndpoint(),
    workDir: join(scratch, 'lambda'),
  });
  const { Role } = await new IAMClient(testClientConfig(motoEndpoint())).send(
    new CreateRoleCommand({
      RoleName: 'strict',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    }),
  );
  await lambda().send(
    new CreateFunctionCommand({
      FunctionName: 'strict',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: Role!.Arn,
      Timeout: 2,
      MemorySize: 128,
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
  await waitUntilFunctionActiveV2(
    { client: lambda(), maxWaitTime: 60 },
    { FunctionName: 'strict' },
  );
  const { Version } = await lambda().send(new PublishVersionCommand({ FunctionName: 'strict' }));
  await lambda().send(
    new CreateAliasCommand({ FunctionName: 'strict', Name: 'live', FunctionVersion: Version }),
  );
});

afterAll(async () => {
  await standIn.stop();
  await proxy.stop();
  rmSync(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearLog();
});

const checkFailure = (
  version: string | undefined,
  errorType: string,
  reason: string,
  before: string | undefined,
) =>
  new RegExp(
    `^version ${version} failed the pre-traffic check: the invocation failed \\(Unhandled\\): ${errorType}: RequestId: [0-9a-f-]{36} Error: ${reason}; live stays on version ${before}\\.$`,
  );

describe('a release of a version Lambda would stop, through the built action', () => {
  it('a version that answers as the event source mapping expects moves live (the control)', async () => {
    const before = await live();
    const result = await release('exports.handler = async () => ({ batchItemFailures: [] });');
    expect(result.failure).toBeUndefined();
    expect(await live()).toBe(result.outputs.version);
    expect(result.outputs.version).not.toBe(before);
    // The action on its runtime (runs.using: node24), the version it checked on the detector's.
    expect(result.nodeVersion).toMatch(/^v24\./);
    expect(standIn.invocations.at(-1)?.nodeVersion).toMatch(/^v22\./);
  });

  it.each([
    [
      'outlasts the configured Timeout',
      'exports.handler = () => new Promise((resolve) => setTimeout(resolve, 60000));',
      'Sandbox.Timedout',
      'Task timed out after 2\\.00 seconds',
    ],
    [
      'exits without answering',
      'exports.handler = async () => { process.exit(0); };',
      'Runtime.ExitError',
      'Runtime exited without providing a reason',
    ],
    [
      'outgrows the configured MemorySize',
      `exports.handler = async () => {
        const held = [];
        for (;;) {
          held.push(Buffer.alloc(8 * 1024 * 1024, 1));
          await new Promise((resolve) => setImmediate(resolve));
        }
      };`,
      'Runtime.OutOfMemory',
      'Runtime exited with error: signal: killed',
    ],
  ])(
    "a version that %s fails the step with Lambda's error; live does not move",
    async (_, code, errorType, reason) => {
      const before = await live();
      const result = await release(code);
      expect(result.exitCode).toBe(1);
      expect(result.failure).toMatch(
        checkFailure(result.outputs.version, errorType, reason, before),
      );
      expect(await live()).toBe(before);
      expect(proxy.count('UpdateAlias')).toBe(0);
    },
  );
});
