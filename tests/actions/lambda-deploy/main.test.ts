import {
  GetFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type LambdaDeployDeps } from '../../../actions/lambda-deploy/src/main';
import { fakeIO } from '../../support/fake-io';
import { repoRoot } from '../../../local-pipeline/emulator/tools';

const lambda = mockClient(LambdaClient);

function deps(inputs: Record<string, string> = {}) {
  const io = fakeIO({ 'function-name': 'detector', ...inputs });
  const value: LambdaDeployDeps = {
    io,
    lambda: new LambdaClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
    clock: { now: () => 0, sleep: () => Promise.resolve() },
    run: {
      sha: 'abc',
      runUrl: 'https://run',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace: repoRoot,
    bundle: () => Promise.resolve(Buffer.from('exports.handler=async()=>({})')),
  };
  return { io, value };
}

beforeEach(() => {
  lambda.reset();
});

describe('lambda-deploy error paths', () => {
  it('fails with context when the code update is refused', async () => {
    lambda.on(GetFunctionCommand).resolves({
      Configuration: { CodeSha256: 'other', LastUpdateStatus: 'Successful', State: 'Active' },
    });
    lambda
      .on(UpdateFunctionCodeCommand)
      .rejects(
        Object.assign(new Error('The role is not authorized'), { name: 'AccessDeniedException' }),
      );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'could not update the code of detector: AccessDeniedException: The role is not authorized',
    ]);
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
  });

  it('does not publish when the update ends in failure', async () => {
    lambda
      .on(GetFunctionCommand)
      .resolvesOnce({ Configuration: { CodeSha256: 'other', LastUpdateStatus: 'Successful' } })
      .resolvesOnce({ Configuration: { LastUpdateStatus: 'Successful' } })
      .resolves({
        Configuration: {
          LastUpdateStatus: 'Failed',
          LastUpdateStatusReason: 'Unzipped size too large',
        },
      });
    lambda.on(UpdateFunctionCodeCommand).resolves({});
    const { io, value } = deps();
    await run(value);
    expect(io.failures[0]).toMatch(/^function detector did not finish updating/);
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
  });

  it('fails naming the function when it does not exist', async () => {
    lambda.on(GetFunctionCommand).rejects(
      Object.assign(new Error('Function not found: detector'), {
        name: 'ResourceNotFoundException',
      }),
    );
    const { io, value } = deps();
    await run(value);
    expect(io.failures).toEqual([
      'could not read function detector: ResourceNotFoundException: Function not found: detector',
    ]);
  });

  it.each([
    ['detector:live', 'give "detector"'],
    ['detector:$LATEST', 'give "detector"'],
    [
      'arn:aws:lambda:us-east-1:123456789012:function:detector:7',
      'give "arn:aws:lambda:us-east-1:123456789012:function:detector"',
    ],
  ])(
    'refuses the qualified name %s, which UpdateFunctionCode rejects, before any call',
    async (name, hint) => {
      const { io, value } = deps({ 'function-name': name });
      await run(value);
      expect(io.failures).toEqual([
        expect.stringContaining(`Input "function-name": "${name}" is qualified`),
      ]);
      expect(io.failures[0]).toContain(hint);
      expect(lambda.calls()).toHaveLength(0);
    },
  );

  it('with publish false, says the code was updated without claiming a version was published', async () => {
    lambda.on(GetFunctionCommand).resolves({
      Configuration: { CodeSha256: 'other', LastUpdateStatus: 'Successful', State: 'Active' },
    });
    lambda.on(UpdateFunctionCodeCommand).resolves({});
    const { io, value } = deps({ publish: 'false' });
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.outputs).toMatchObject({ version: '$LATEST', changed: 'true' });
    expect(io.summaryText()).toContain(
      '## ✅ Lambda detector: code updated ($LATEST, no version published)',
    );
    expect(io.summaryText()).not.toContain('published\n');
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
  });
});
