import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type InvokeCommandOutput,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { LambdaDeployDeps } from '../../../actions/lambda-deploy/src/main';
import { fakeIO, type FakeIO } from '../../support/fake-io';

// The action as a workflow runs it: inputs in, AWS calls out (mocked clients), a fake clock
// that moves only when the action sleeps, and a workspace of its own in a temporary folder.
export const lambda = mockClient(LambdaClient);
export const codedeploy = mockClient(CodeDeployClient);
export const s3 = mockClient(S3Client);

export const SHA = '0123456789abcdef0123456789abcdef01234567';
export const START = 1_790_000_000_000;

export interface Harness {
  readonly io: FakeIO;
  readonly value: LambdaDeployDeps;
  readonly workspace: string;
  readonly elapsed: () => number;
}

export function harness(inputs: Record<string, string>, workspace?: string): Harness {
  const io = fakeIO({ 'function-name': 'detector', ...inputs });
  let now = START;
  const dir = workspace ?? mkdtempSync(join(tmpdir(), 'lambda-deploy-'));
  const value: LambdaDeployDeps = {
    io,
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    s3: new S3Client({ region: 'eu-west-1' }),
    codedeploy: new CodeDeployClient({ region: 'eu-west-1' }),
    clock: {
      now: () => now,
      sleep: (ms) => {
        now += ms;
        return Promise.resolve();
      },
    },
    run: {
      sha: SHA,
      runUrl: 'https://github.com/o/r/actions/runs/1',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace: dir,
    bundle: () => Promise.resolve(Buffer.from('exports.handler=async()=>({batchItemFailures:[]})')),
  };
  return { io, value, workspace: dir, elapsed: () => now - START };
}

export function resetMocks(): void {
  lambda.reset();
  codedeploy.reset();
  s3.reset();
}

/** A function whose code differs from any package, that publishes `version`; `alias` on 3. */
export function functionPublishing(version: string): void {
  lambda.on(GetFunctionCommand).resolves({
    Configuration: { CodeSha256: 'other', LastUpdateStatus: 'Successful', State: 'Active' },
  });
  lambda
    .on(GetFunctionConfigurationCommand)
    .resolves({ State: 'Active', LastUpdateStatus: 'Successful' });
  lambda.on(UpdateFunctionCodeCommand).resolves({});
  lambda.on(PublishVersionCommand).resolves({ Version: version });
  lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '3' });
}

/** An Invoke response with this JSON payload (and FunctionError when given). */
export const answer = (payload: unknown, functionError?: string, logResult?: string) => ({
  StatusCode: 200,
  Payload: Buffer.from(
    typeof payload === 'string' ? payload : JSON.stringify(payload),
  ) as unknown as NonNullable<InvokeCommandOutput['Payload']>,
  ...(functionError ? { FunctionError: functionError } : {}),
  ...(logResult ? { LogResult: Buffer.from(logResult).toString('base64') } : {}),
});
