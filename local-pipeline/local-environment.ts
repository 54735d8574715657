import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SubscribeCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { emulatorEnvironment, testClientConfig, TEST_REGION } from './emulator/clients';
import { instancePaths, stopServices } from './codedeploy/codedeploy-agent';
import { createExecutionRole } from './workflows/execution-role';
import { startCodeDeployStandIn, type CodeDeployStandIn } from './codedeploy/codedeploy-standin';
import { deployedDetector } from './lambda/deployed-detector';
import { startFakeImds, type FakeImds } from './codedeploy/fake-imds';
import { deploymentGroupTagFilters, replaceInstance } from './codedeploy/instance-replacement';
import { startFaultProxy, type FaultProxy } from './emulator/fault-proxy';
import type { KinesisPoller } from './lambda/kinesis-poller';
import { nodeBinary, REPORT_NODE_VERSION } from './emulator/node-runtimes';
import { startLambdaStandIn, type LambdaStandIn } from './lambda/lambda-standin';
import { startMoto, type MotoServer } from './emulator/moto';
import { repoRoot } from './emulator/tools';
import { runJob, type JobRun, type StepResult } from './workflows/workflow-runner';

/**
 * The whole system on this machine: moto (behind a request-logging proxy), a fake instance
 * metadata service, the CodeDeploy stand-in that plays the instance's agent, the workflows run
 * by the local workflow runner, the built producer, and the built detector fed by the Kinesis
 * poller with the deployed event source mapping's settings. `npm run local` and the end-to-end
 * tests are both built on it.
 */

export interface ProducerRun {
  readonly sent: number;
  readonly putRecordsCalls: number;
  readonly retriedRecords: number;
  /** The Node.js version the producer bundle ran on (the instance's pinned Node 22). */
  readonly nodeVersion: string;
}

export interface StackOutputs {
  readonly [key: string]: string;
}

/** Repository variables the workflows read, as a user would set them. */
export const LOCAL_VARS = {
  AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-github-deploy',
  AWS_CFN_EXECUTION_ROLE_ARN:
    'arn:aws:iam::123456789012:role/anomaly-detection-cloudformation-execution',
  AWS_PREVIEW_ROLE_ARN: 'arn:aws:iam::123456789012:role/anomaly-detection-github-preview',
  AWS_REGION: TEST_REGION,
  STACK_NAME: 'anomaly-detection',
  ALERT_EMAIL: '',
};

export class LocalEnvironment {
  private outputs: StackOutputs = {};

  private constructor(
    readonly motoEndpoint: string,
    readonly proxy: FaultProxy,
    readonly imds: FakeImds,
    readonly codedeploy: CodeDeployStandIn,
    /** Runs the function's versions (moto never does); every other Lambda call goes to moto. */
    readonly lambda: LambdaStandIn,
    private readonly scratch: string,
    private readonly ownMoto: MotoServer | undefined,
  ) {}

  /** Starts everything; uses the given moto endpoint, or starts (and later stops) its own. */
  static async start(motoEndpoint?: string): Promise<LocalEnvironment> {
    const ownMoto = motoEndpoint ? undefined : await startMoto();
    const endpoint = motoEndpoint ?? ownMoto!.endpoint;
    await createExecutionRole(endpoint, LOCAL_VARS.STACK_NAME);
    const scratch = mkdtempSync(join(tmpdir(), 'anomaly-local-'));
    const proxy = await startFaultProxy(endpoint);
    const imds = await startFakeImds({ 'placement/region': TEST_REGION });
    const codedeploy = await startCodeDeployStandIn({
      s3Endpoint: endpoint,
      groups: [],
      workDir: join(scratch, 'instances'),
      hookEnv: {
        PATH: process.env.PATH ?? '',
        ...emulatorEnvironment(endpoint),
        AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint,
      },
    });
    const lambda = await startLambdaStandIn({
      upstream: proxy.endpoint,
      motoEndpoint: endpoint,
      workDir: join(scratch, 'lambda'),
    });
    return new LocalEnvironment(endpoint, proxy, imds, codedeploy, lambda, scratch, ownMoto);
  }

  get stackOutputs(): StackOutputs {
    return this.outputs;
  }

  /** What every workflow step gets: the emulator (through the proxy) and the CodeDeploy stand-in. */
  stepEnvironment(): Record<string, string> {
    return {
      ...emulatorEnvironment(this.proxy.endpoint),
      AWS_ENDPOINT_URL_CODEDEPLOY: this.codedeploy.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: this.lambda.endpoint,
    };
  }

  clientConfig() {
    return testClientConfig(this.motoEndpoint);
  }

  /**
   * deploy.yml for production alone (today's single-stack run): its build job, then its
   * production job with the build's outputs, in one workspace (the artifacts stay where they
   * were built). The promotion through staging is promotion.ts.
   */
  async deploy(onStep?: (step: StepResult) => void, workspace?: string): Promise<JobRun> {
    const common = {
      workflow: 'deploy.yml',
      vars: LOCAL_VARS,
      env: this.stepEnvironment(),
      ...(workspace ? { workspace } : {}),
    };
    const build = await runJob({ ...common, job: 'build', ...(onStep ? { onStep } : {}) });
    if (build.status === 'failed') return build;
    const deployed = await runJob({
      ...common,
      job: 'production',
      needs: { build: { outputs: build.outputs, result: 'success' } },
      onStep: (step) => {
        if (step.id === 'stack' && step.status === 'succeeded') this.instanceCreated(step.outputs);
        onStep?.(step);
      },
    });
    return { ...deployed, steps: [...build.steps, ...deployed.steps] };
  }

  /** The teardown workflow, confirmed with `confirm` as a person would type it. */
  teardown(confirm: string, onStep?: (step: StepResult) => void): Promise<JobRun> {
    return runJob({
      workflow: 'teardown.yml',
      job: 'teardown',
      vars: LOCAL_VARS,
      inputs: { environment: 'production', confirm, backup: true },
      eventName: 'workflow_dispatch',
      env: this.stepEnvironment(),
      ...(onStep ? { onStep } : {}),
    });
  }

  /** The stack now has an instance: its agent (the stand-in) and its metadata (tags) come to life. */
  private instanceCreated(stepOutputs: StackOutputs): void {
    const ownOutputs = new Set(['stack-id', 'status', 'changed', 'change-set']);
    const outputs = Object.fromEntries(
      Object.entries(stepOutputs).filter(([key]) => !ownOutputs.has(key)),
    );
    this.outputs = outputs;
    const application = outputs.CodeDeployApplicationName;
    const deploymentGroup = outputs.CodeDeployDeploymentGroupName;
    const instanceId = outputs.InstanceId;
    const known = this.codedeploy.groups.find(
      (group) => group.application === application && group.deploymentGroup === deploymentGroup,
    );
    if (application && deploymentGroup && instanceId && !known) {
      const ec2TagFilters = deploymentGroupTagFilters(LOCAL_VARS.STACK_NAME);
      this.codedeploy.groups.push({ application, deploymentGroup, instanceId, ec2TagFilters });
      this.imds.metadata.set('instance-id', instanceId);
    }
    const lambdaGroup = outputs.DetectorDeploymentGroupName;
    if (
      lambdaGroup &&
      !this.codedeploy.lambda.groups.some((g) => g.deploymentGroup === lambdaGroup)
    )
      this.codedeploy.lambda.groups.push({
        application: outputs.DetectorDeploymentApplicationName ?? '',
        deploymentGroup: lambdaGroup,
        stackName: LOCAL_VARS.STACK_NAME,
      });
    this.imds.metadata.set('tags/instance/AnomalyStreamName', outputs.StreamName ?? '');
  }

  /** The producer instance replaced (new AMI or type): a new instance, with nothing deployed. */
  async replaceProducerInstance(): Promise<string> {
    const group = this.codedeploy.groups.find(
      (candidate) => candidate.deploymentGroup === this.outputs.CodeDeployDeploymentGroupName,
    );
    if (!group) throw new Error('the stack has no producer instance yet');
    group.instanceId = await replaceInstance(new EC2Client(this.clientConfig()), group.instanceId);
    this.imds.metadata.set('instance-id', group.instanceId);
    return group.instanceId;
  }

  /** Stops the producer service deployments started on the stand-in instances. */
  stopProducerService(): void {
    for (const deployment of this.codedeploy.deployments)
      stopServices(instancePaths(join(this.scratch, 'instances', deployment.instanceId)).stateDir);
  }

  /**
   * A queue subscribed to the alert topic with raw delivery and the stack's own e-mail filter
   * (the template's subscription, which moto does not create): alerts read black-box.
   */
  async alertInbox(): Promise<string> {
    const sqs = new SQSClient(this.clientConfig());
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'local-alert-inbox' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await new SNSClient(this.clientConfig()).send(
      new SubscribeCommand({
        TopicArn: this.outputs.TopicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true', ...alertFilter() },
      }),
    );
    return QueueUrl!;
  }

  /** Runs the built producer exactly as the service would, for `count` readings at full speed. */
  produce(count: number, anomalyRate: number, seed: number, devices = 1): Promise<ProducerRun> {
    return new Promise((resolve, reject) => {
      const versionFile = join(this.scratch, `producer-node-version-${process.hrtime.bigint()}`);
      const child = spawn(
        nodeBinary('node22'),
        [
          '--require',
          REPORT_NODE_VERSION,
          join(repoRoot, 'producer', 'dist', 'index.js'),
          '--stream',
          this.outputs.StreamName ?? '',
          '--count',
          String(count),
          '--rate',
          '0',
          '--anomaly-rate',
          String(anomalyRate),
          '--seed',
          String(seed),
          ...(devices > 1 ? ['--devices', String(devices)] : []),
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ...emulatorEnvironment(this.motoEndpoint),
            REPORT_NODE_VERSION_TO: versionFile,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const lines: string[] = [];
      let errors = '';
      createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.once('close', (code) => {
        if (code !== 0)
          reject(new Error(`the producer exited with ${String(code)}: ${errors.slice(-1000)}`));
        else
          resolve({
            ...(JSON.parse(lines.at(-1) ?? '{}') as Omit<ProducerRun, 'nodeVersion'>),
            nodeVersion: readFileSync(versionFile, 'utf8'),
          });
      });
    });
  }

  /**
   * The built detector bundle, loaded with the deployed function's environment (plus
   * `overrides`), behind a poller configured like the deployed event source mapping.
   */
  detector(overrides: Record<string, string> = {}): Promise<KinesisPoller> {
    return deployedDetector(
      this.outputs,
      { moto: this.motoEndpoint, proxy: this.proxy.endpoint },
      overrides,
    );
  }

  async stop(): Promise<void> {
    this.stopProducerService();
    await this.codedeploy.stop();
    await this.lambda.stop();
    await this.imds.stop();
    await this.proxy.stop();
    await this.ownMoto?.stop();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** The FilterPolicy of the template's e-mail subscription, as subscription attributes. */
function alertFilter(): Record<string, string> {
  const template = JSON.parse(
    readFileSync(join(repoRoot, 'cloudformation', 'anomaly-detection.json'), 'utf8'),
  ) as { Resources: Record<string, { Properties?: Record<string, unknown> }> };
  const properties = template.Resources.AlertEmailSubscription?.Properties ?? {};
  return {
    FilterPolicyScope: String(properties.FilterPolicyScope),
    FilterPolicy: JSON.stringify(properties.FilterPolicy),
  };
}
