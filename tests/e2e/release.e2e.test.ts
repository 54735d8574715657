import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { runActionBundle, type ActionResult } from '../../local-pipeline/workflows/action-runner';
import { emulatorCloudWatch } from '../../local-pipeline/codedeploy/codedeploy-lambda-alarms';
import { isMutating } from '../../local-pipeline/emulator/fault-proxy';
import { LOCAL_VARS, LocalEnvironment } from '../../local-pipeline/local-environment';
import { repoRoot } from '../../local-pipeline/emulator/tools';
import { runJob, type JobRun } from '../../local-pipeline/workflows/workflow-runner';
import { receiveAll } from '../support/aws';
import { motoEndpoint } from '../support/emulator';

/**
 * Safe detector releases, end to end on the emulator: the deploy workflow and the built
 * lambda-deploy action against the stack, with the Lambda stand-in running each version's
 * package and the CodeDeploy stand-in shifting the live alias and watching the alarms.
 */

let local: LocalEnvironment;
let firstDeploy: JobRun;
let scratch: string;

const lambda = () => new LambdaClient(local.clientConfig());
const live = async () =>
  lambda().send(
    new GetAliasCommand({ FunctionName: local.stackOutputs.FunctionName, Name: 'live' }),
  );

/** A package directory whose index.js is `code`. */
function packageOf(name: string, code: string): string {
  const directory = mkdtempSync(join(scratch, `${name}-`));
  writeFileSync(join(directory, 'index.js'), code);
  return directory;
}

/** The built detector, made distinct by a comment: a new, good version. */
const goodDetector = (name: string) =>
  packageOf(
    name,
    `${readFileSync(join(repoRoot, 'lambda', 'dist', 'index.js'), 'utf8')}\n// ${name}\n`,
  );

function release(pkg: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  const outputs = local.stackOutputs;
  return runActionBundle(
    'lambda-deploy',
    {
      'function-name': outputs.FunctionName ?? '',
      package: pkg,
      's3-bucket': outputs.ArtifactBucketName ?? '',
      alias: 'live',
      'deployment-application': outputs.DetectorDeploymentApplicationName ?? '',
      'deployment-group': outputs.DetectorDeploymentGroupName ?? '',
      ...inputs,
    },
    { env: local.stepEnvironment() },
  );
}

// The first deploy (stack, canary release, producer) takes a while on a shared machine.
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'release-e2e-'));
  local = await LocalEnvironment.start(motoEndpoint());
  firstDeploy = await local.deploy();
  local.stopProducerService();
}, 600_000);

afterAll(async () => {
  await local.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('safe detector releases, end to end on the emulator', () => {
  it('deploy releases the detector: the new version passes the pre-traffic check and live moves to it through the canary', async () => {
    const step = firstDeploy.steps.find((candidate) => candidate.id === 'lambda');
    expect(step?.status).toBe('succeeded');
    expect(step?.outputs).toMatchObject({
      alias: 'live',
      'previous-version': '1',
      version: '2',
      'rolled-back': 'false',
    });
    expect(await live()).toMatchObject({ FunctionVersion: '2' });
    expect((await live()).RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    const check = local.lambda.invocations.find((invocation) => invocation.qualifier === '2');
    expect(check).toMatchObject({ version: '2', error: undefined });
    expect(local.codedeploy.lambda.deployments[0]).toMatchObject({
      configName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      status: 'Succeeded',
    });
    expect(step?.summary).toContain(
      '## ✅ Lambda m03p02_anomaly_detector: version 2 released to live (CodeDeployDefault.LambdaCanary10Percent5Minutes)',
    );
    const deviceId = /device (lambda-deploy-pre-traffic-check-v2-[0-9a-f]+)/.exec(
      step?.summary ?? '',
    )?.[1];
    const letters = await receiveAll(
      new SQSClient(local.clientConfig()),
      local.stackOutputs.DeadLetterQueueUrl!.replace(
        'https://sqs.us-east-1.amazonaws.com',
        motoEndpoint(),
      ),
    );
    expect(letters.filter((letter) => letter.Body?.includes(deviceId ?? '?'))).toHaveLength(1);
  });

  it('a detector that throws on every batch never receives traffic: the step fails with the check message', async () => {
    const before = await live();
    const deployments = local.codedeploy.lambda.deployments.length;
    local.proxy.clearLog();
    const result = await release(
      packageOf(
        'broken',
        "exports.handler = async () => { throw new Error('broken on purpose'); };",
      ),
      { 'traffic-shift': 'CodeDeployDefault.LambdaCanary10Percent5Minutes' },
    );
    expect(result.exitCode).toBe(1);
    expect(result.failure).toBe(
      `version ${result.outputs.version} failed the pre-traffic check: the invocation failed (Unhandled): Error: broken on purpose; live stays on version ${before.FunctionVersion}.`,
    );
    expect((await live()).FunctionVersion).toBe(before.FunctionVersion);
    expect(local.codedeploy.lambda.deployments).toHaveLength(deployments);
    expect(local.proxy.count('UpdateAlias')).toBe(0);
    expect(local.proxy.requests.map((request) => request.operation)).not.toContain(
      expect.stringContaining('/aliases/live'),
    );
  });

  it('an alarm during the canary returns live to the previous version and fails the step naming it', async () => {
    const before = await live();
    const { StackResources = [] } = await new CloudFormationClient(local.clientConfig()).send(
      new DescribeStackResourcesCommand({ StackName: LOCAL_VARS.STACK_NAME }),
    );
    const alarmName =
      StackResources.find((resource) => resource.LogicalResourceId === 'DetectorErrorsAlarm')
        ?.PhysicalResourceId ?? '';
    const cloudwatch = emulatorCloudWatch(local.motoEndpoint);
    const seen: Record<string, number>[] = [];
    local.codedeploy.lambda.onTrafficShifted = async (shift) => {
      if (shift.percent >= 100) return;
      seen.push((await live()).RoutingConfig?.AdditionalVersionWeights ?? {});
      await cloudwatch.send(
        new SetAlarmStateCommand({
          AlarmName: alarmName,
          StateValue: 'ALARM',
          StateReason: 'errors of the canary (e2e)',
        }),
      );
    };
    try {
      const result = await release(goodDetector('canary'), {
        'traffic-shift': 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      });
      const version = result.outputs.version ?? '';
      expect(seen).toEqual([{ [version]: 0.1 }]);
      expect(result.exitCode).toBe(1);
      expect(result.failure).toMatch(
        new RegExp(
          `^CodeDeploy deployment d-\\w+ of version ${version} failed: ALARM_ACTIVE: .*Activated alarms: <${alarmName}>.*; live is back on version ${before.FunctionVersion}\\.$`,
        ),
      );
      expect(result.outputs).toMatchObject({
        'rolled-back': 'true',
        'previous-version': before.FunctionVersion,
      });
      expect(await live()).toMatchObject({ FunctionVersion: before.FunctionVersion });
      expect((await live()).RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    } finally {
      local.codedeploy.lambda.onTrafficShifted = undefined;
      await cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'OK', StateReason: 'e2e' }),
      );
    }
  });

  it('a rerun with unchanged code makes no mutating call and invokes nothing', async () => {
    const pkg = goodDetector('rerun');
    const first = await release(pkg);
    expect(first.exitCode).toBe(0);
    local.proxy.clearLog();
    const invocations = local.lambda.invocations.length;
    const deployments = local.codedeploy.lambda.deployments.length;
    const again = await release(pkg);
    expect(again.exitCode).toBe(0);
    expect(again.outputs).toMatchObject({ changed: 'false', version: first.outputs.version });
    expect(local.proxy.requests.filter(isMutating)).toEqual([]);
    expect(local.lambda.invocations).toHaveLength(invocations);
    expect(local.codedeploy.lambda.deployments).toHaveLength(deployments);
    expect(again.summary).toContain('unchanged');
  });

  it('the rollback workflow checks the chosen version, then points live back at it', async () => {
    const good = (await live()).FunctionVersion ?? '';
    const released = await release(goodDetector('to-roll-back'));
    expect((await live()).FunctionVersion).toBe(released.outputs.version);
    const rollback = (version: string) =>
      runJob({
        workflow: 'rollback.yml',
        job: 'rollback',
        vars: LOCAL_VARS,
        inputs: { environment: 'production', version, 'pre-traffic-check': true },
        eventName: 'workflow_dispatch',
        env: local.stepEnvironment(),
      });
    const run = await rollback(good);
    const step = run.steps.find((candidate) => candidate.id === 'rollback');
    expect(run.status).toBe('succeeded');
    expect(step?.outputs).toMatchObject({
      version: good,
      'previous-version': released.outputs.version,
      'rolled-back': 'false',
    });
    expect(await live()).toMatchObject({ FunctionVersion: good });
    expect(
      local.lambda.invocations.filter((invocation) => invocation.qualifier === good).at(-1),
    ).toMatchObject({ error: undefined });
    // The placeholder the stack created is no detector: the same check keeps live off it.
    const refused = await rollback('1');
    expect(refused.status).toBe('failed');
    expect(refused.steps.find((candidate) => candidate.id === 'rollback')?.reason).toMatch(
      /^version 1 failed the pre-traffic check: .*; live stays on version \d+\.$/,
    );
    expect(await live()).toMatchObject({ FunctionVersion: good });
  });
});
