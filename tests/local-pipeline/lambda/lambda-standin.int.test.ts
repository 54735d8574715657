import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { testClientConfig } from '../../../local-pipeline/emulator/clients';
import { pinnedVersion } from '../../../local-pipeline/emulator/node-runtimes';
import {
  startLambdaStandIn,
  type LambdaStandIn,
} from '../../../local-pipeline/lambda/lambda-standin';
import { deterministicZip } from '../../../actions/shared/zip';
import { motoEndpoint } from '../../support/emulator';

/**
 * The Lambda stand-in holds a function to its configuration as Lambda does: an invocation is
 * stopped at the Timeout, a process outgrowing MemorySize is killed, and a handler process that
 * ends without answering is a function error - each answered with Lambda's header and error type.
 */

let standIn: LambdaStandIn;
let scratch: string;
let roleArn: string;
let count = 0;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'lambda-standin-'));
  standIn = await startLambdaStandIn({
    upstream: motoEndpoint(),
    motoEndpoint: motoEndpoint(),
    workDir: scratch,
  });
  const { Role } = await new IAMClient(testClientConfig(motoEndpoint())).send(
    new CreateRoleCommand({
      RoleName: 'stand-in-function',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    }),
  );
  roleArn = Role!.Arn!;
});

afterAll(async () => {
  await standIn.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const client = () => new LambdaClient(testClientConfig(standIn.endpoint));
const zipOf = (code: string) =>
  deterministicZip([{ path: 'index.js', data: Buffer.from(code), executable: false }]);

/** A function with these limits whose code is `code`, invoked once with an empty event. */
async function invoke(code: string, limits: { Timeout?: number; MemorySize?: number } = {}) {
  const name = `stand-in-${++count}`;
  await client().send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: roleArn,
      Code: { ZipFile: zipOf('exports.handler = async () => null;') },
      Timeout: 1,
      MemorySize: 128,
      ...limits,
    }),
  );
  await client().send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zipOf(code) }));
  const response = await client().send(
    new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from('{}') }),
  );
  return {
    functionError: response.FunctionError,
    payload: JSON.parse(Buffer.from(response.Payload ?? []).toString('utf8')) as unknown,
    log: Buffer.from(response.LogResult ?? '', 'base64').toString('utf8'),
  };
}

const REQUEST = 'RequestId: [0-9a-f-]{36} Error: ';

describe('the Lambda stand-in, held to the function configuration', () => {
  it('answers a handler that answers, even when it leaves a timer running', async () => {
    const result = await invoke(
      'exports.handler = async () => { setInterval(() => {}, 1000); return { batchItemFailures: [] }; };',
    );
    expect(result).toMatchObject({ functionError: undefined, payload: { batchItemFailures: [] } });
    // On the detector's runtime (Lambda's nodejs22.x), not the test runner's Node.
    expect(standIn.invocations.at(-1)?.nodeVersion).toBe(`v${pinnedVersion('node22')}`);
    expect(standIn.invocations.at(-1)?.nodeVersion).toMatch(/^v22\./);
  });

  it('stops a handler at the configured Timeout: Sandbox.Timedout, "Task timed out after 1.00 seconds"', async () => {
    const result = await invoke(
      'exports.handler = () => new Promise((resolve) => setTimeout(resolve, 60000));',
      { Timeout: 1 },
    );
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        new RegExp(`^${REQUEST}Task timed out after 1\\.00 seconds$`),
      ) as unknown,
    });
    expect(result.log).toContain('Task timed out after 1.00 seconds');
  });

  it.each([
    ['exits without answering', 'process.exit(0)', 'Runtime exited without providing a reason'],
    ['exits with a status', 'process.exit(3)', 'Runtime exited with error: exit status 3'],
    [
      'crashes outside the promise',
      "setImmediate(() => { throw new Error('crash'); }); return new Promise(() => {});",
      'Runtime exited with error: exit status 1',
    ],
    [
      'is killed',
      "process.kill(process.pid, 'SIGKILL')",
      'Runtime exited with error: signal: killed',
    ],
  ])('a handler process that %s is Runtime.ExitError', async (_, body, reason) => {
    const result = await invoke(`exports.handler = async () => { ${body} };`);
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(new RegExp(`^${REQUEST}${reason}$`)) as unknown,
    });
  });

  it('kills a process that outgrows MemorySize: Runtime.OutOfMemory', async () => {
    const result = await invoke(
      `exports.handler = async () => {
        const held = [];
        for (;;) {
          held.push(Buffer.alloc(8 * 1024 * 1024, 1));
          await new Promise((resolve) => setImmediate(resolve));
        }
      };`,
      { MemorySize: 128, Timeout: 3 },
    );
    expect(result.functionError).toBe('Unhandled');
    expect(result.payload).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: expect.stringMatching(
        new RegExp(`^${REQUEST}Runtime exited with error: signal: killed$`),
      ) as unknown,
    });
  });

  it('gives the heap what MemorySize gives it on Lambda', async () => {
    const result = await invoke(
      "exports.handler = async () => require('node:v8').getHeapStatistics().heap_size_limit / 1048576;",
      { MemorySize: 256 },
    );
    expect(result.functionError).toBeUndefined();
    // 252 MB of old generation and 2 x 2 MB of young: Lambda's Node.js bootstrap for 256 MB.
    expect(result.payload).toBeGreaterThan(250);
    expect(result.payload).toBeLessThan(270);
  });
});
