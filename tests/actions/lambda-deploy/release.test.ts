import {
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CodeDeployClient,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { run, type LambdaDeployDeps } from '../../../actions/lambda-deploy/src/main';
import { deterministicZip, sha256Base64 } from '../../../actions/shared/zip';
import { repoRoot } from '../../../local-pipeline/emulator/tools';
import { fakeIO } from '../../support/fake-io';

const lambda = mockClient(LambdaClient);
const codedeploy = mockClient(CodeDeployClient);

function deps(inputs: Record<string, string>) {
  const io = fakeIO({ 'function-name': 'detector', alias: 'live', ...inputs });
  let now = 1_790_000_000_000;
  const value: LambdaDeployDeps = {
    io,
    lambda: new LambdaClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    codedeploy: new CodeDeployClient({ region: 'us-east-1' }),
    clock: {
      now: () => now,
      sleep: (ms) => {
        now += ms;
        return Promise.resolve();
      },
    },
    run: {
      sha: 'abc',
      runUrl: 'https://run',
      repository: 'o/r',
      eventName: 'push',
      pullRequestNumber: undefined,
    },
    workspace: repoRoot,
    bundle: () => Promise.resolve(Buffer.from('exports.handler=async()=>({batchItemFailures:[]})')),
  };
  return { io, value };
}

/** A function whose code differs from the package, so this run publishes version 4; live is on 3. */
function newCodeBecomesVersion4() {
  lambda.on(GetFunctionCommand).resolves({
    Configuration: { CodeSha256: 'other', LastUpdateStatus: 'Successful', State: 'Active' },
  });
  lambda
    .on(GetFunctionConfigurationCommand)
    .resolves({ State: 'Active', LastUpdateStatus: 'Successful' });
  lambda.on(UpdateFunctionCodeCommand).resolves({});
  lambda.on(PublishVersionCommand).resolves({ Version: '4' });
  lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '3' });
}

const answer = (payload: unknown, functionError?: string) => ({
  StatusCode: 200,
  Payload: Buffer.from(JSON.stringify(payload)) as unknown as NonNullable<
    InvokeCommandOutput['Payload']
  >,
  ...(functionError ? { FunctionError: functionError } : {}),
});

beforeEach(() => {
  lambda.reset();
  codedeploy.reset();
});

describe('lambda-deploy release mode', () => {
  it('invokes the new version with a normal, hot, cold and poison record of a check device, then moves the alias', async () => {
    newCodeBecomesVersion4();
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [] }));
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    const invoke = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(invoke.Qualifier).toBe('4');
    const event = JSON.parse(Buffer.from(invoke.Payload as Uint8Array).toString()) as {
      Records: { kinesis: { data: string; partitionKey: string } }[];
    };
    const readings = event.Records.map(
      (record) =>
        JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString()) as {
          deviceId: string;
          temperature: unknown;
        },
    );
    expect(readings.map((reading) => reading.temperature)).toEqual([
      98.6,
      103.1,
      94.2,
      'not a number',
    ]);
    expect(new Set(readings.map((reading) => reading.deviceId)).size).toBe(1);
    expect(readings[0]!.deviceId).toMatch(/^lambda-deploy-pre-traffic-check-v4-[0-9a-f]{12}$/);
    expect(lambda.commandCalls(UpdateAliasCommand).map((call) => call.args[0].input)).toEqual([
      {
        FunctionName: 'detector',
        Name: 'live',
        FunctionVersion: '4',
        RoutingConfig: { AdditionalVersionWeights: {} },
      },
    ]);
    expect(io.outputs).toMatchObject({
      version: '4',
      'previous-version': '3',
      alias: 'live',
      'rolled-back': 'false',
    });
    expect(io.summaryText()).toContain(
      '## ✅ Lambda detector: version 4 released to live (all at once)',
    );
  });

  it.each([
    [
      answer({ errorType: 'Error', errorMessage: 'boom' }, 'Unhandled'),
      'the invocation failed (Unhandled): Error: boom',
    ],
    [answer({}), 'its response has no batchItemFailures list: {}'],
  ])('leaves the alias alone when the check fails', async (response, why) => {
    newCodeBecomesVersion4();
    lambda.on(InvokeCommand).resolves(response);
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([
      `version 4 failed the pre-traffic check: ${why}; live stays on version 3.`,
    ]);
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(io.summaryText()).toContain(
      '## ❌ Lambda detector: version 4 failed its pre-traffic check, live stays on version 3',
    );
  });

  it('names the poison record when it is reported failed instead of dead-lettered', async () => {
    newCodeBecomesVersion4();
    lambda.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
      const event = JSON.parse(Buffer.from(input.Payload).toString()) as {
        Records: { kinesis: { sequenceNumber: string } }[];
      };
      return answer({
        batchItemFailures: [{ itemIdentifier: event.Records[3]!.kinesis.sequenceNumber }],
      });
    });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures[0]).toContain(
      'it reported batchItemFailures for the poison record(s) (the poison record must be dead-lettered, not retried)',
    );
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  it('creates the configuration for own weights, and on an alarm makes sure the alias is back', async () => {
    newCodeBecomesVersion4();
    lambda.on(InvokeCommand).resolves(answer({ batchItemFailures: [] }));
    lambda
      .on(GetAliasCommand)
      .resolvesOnce({ FunctionVersion: '3' })
      .resolvesOnce({
        FunctionVersion: '3',
        RoutingConfig: { AdditionalVersionWeights: { '4': 0.25 } },
      })
      .resolves({
        FunctionVersion: '3',
        RoutingConfig: { AdditionalVersionWeights: { '4': 0.25 } },
      });
    codedeploy
      .on(GetDeploymentConfigCommand)
      .rejects(
        Object.assign(new Error('not found'), { name: 'DeploymentConfigDoesNotExistException' }),
      );
    codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: 'd-1' });
    codedeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-1' })
      .resolvesOnce({ deploymentInfo: { status: 'InProgress' } })
      .resolves({
        deploymentInfo: {
          status: 'Stopped',
          errorInformation: { code: 'ALARM_ACTIVE', message: 'Activated alarms: detector-errors' },
          rollbackInfo: { rollbackDeploymentId: 'd-2' },
        },
      });
    codedeploy
      .on(GetDeploymentCommand, { deploymentId: 'd-2' })
      .resolves({ deploymentInfo: { status: 'Succeeded' } });
    const { io, value } = deps({
      'traffic-shift': 'canary:25:3',
      'deployment-application': 'app',
      'deployment-group': 'group',
    });
    await run(value);
    expect(codedeploy.commandCalls(CreateDeploymentConfigCommand)[0]!.args[0].input).toEqual({
      deploymentConfigName: 'lambda-deploy.Canary25Percent3Minutes',
      computePlatform: 'Lambda',
      trafficRoutingConfig: {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 25, canaryInterval: 3 },
      },
    });
    const appSpec = JSON.parse(
      codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input.revision?.appSpecContent
        ?.content ?? '',
    ) as { Resources: Record<string, { Properties: unknown }>[] };
    expect(appSpec.Resources[0]!.live!.Properties).toEqual({
      Name: 'detector',
      Alias: 'live',
      CurrentVersion: '3',
      TargetVersion: '4',
    });
    expect(
      lambda.commandCalls(UpdateAliasCommand).map((call) => call.args[0].input.FunctionVersion),
    ).toEqual(['3']);
    expect(io.failures).toEqual([
      'CodeDeploy deployment d-1 of version 4 failed: ALARM_ACTIVE: Activated alarms: detector-errors; live is back on version 3.',
    ]);
    expect(io.outputs['rolled-back']).toBe('true');
  });

  it('leaves the alias where a rollback put it when the code is unchanged, with a warning and no mutating call', async () => {
    const bundled = Buffer.from('exports.handler=async()=>({batchItemFailures:[]})');
    const codeSha256 = sha256Base64(
      deterministicZip([{ path: 'index.js', data: bundled, executable: false }]),
    );
    lambda.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: codeSha256 } });
    lambda.on(ListVersionsByFunctionCommand).resolves({
      Versions: [
        { Version: '$LATEST', CodeSha256: codeSha256 },
        { Version: '4', CodeSha256: codeSha256 },
      ],
    });
    lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '3' });
    const { io, value } = deps({});
    await run(value);
    expect(io.failures).toEqual([]);
    expect(io.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringContaining(
          'live stays on version 3: version 4 holds this code',
        ) as string,
      }),
    );
    expect(io.outputs).toMatchObject({ changed: 'false', version: '4', 'previous-version': '3' });
    expect(lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it.each([
    [{ publish: 'false' }, 'Input "alias": releasing to "live" needs a published version'],
    [{ alias: 'live:1' }, 'Input "alias": "live:1" is not a Lambda alias name.'],
    [{ alias: '', version: '3' }, 'Input "version" needs "alias"'],
    [{ version: '$LATEST' }, 'Input "version": "$LATEST" is not a published version number'],
    [{ 'traffic-shift': 'canary:0:5' }, 'Input "traffic-shift" must be all-at-once'],
    [
      { 'traffic-shift': 'CodeDeployDefault.LambdaCanary10Percent5Minutes' },
      'Input "deployment-application" is required',
    ],
    [
      {
        'traffic-shift': 'linear:10:10',
        'deployment-application': 'a',
        'deployment-group': 'g',
        'timeout-minutes': '60',
      },
      'Input "timeout-minutes": 60 is too short for "traffic-shift" lambda-deploy.Linear10PercentEvery10Minutes, which takes 100 minutes.',
    ],
    [{ 'pre-traffic-check': 'maybe' }, 'Input "pre-traffic-check" must be true or false'],
  ])('rejects %j before any AWS call', async (inputs, message) => {
    const { io, value } = deps(inputs);
    await run(value);
    expect(io.failures).toEqual([expect.stringContaining(message)]);
    expect(lambda.calls()).toHaveLength(0);
  });
});
