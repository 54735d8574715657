import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { EC2Client } from '@aws-sdk/client-ec2';
import { nameSuffix, PRODUCTION } from '../bootstrap/src/environments';
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
import { subscribeAlertInbox } from './report/alert-inbox';
import { localVars } from './workflows/local-vars';
import { runJob, type JobRun, type NeededJob, type StepResult } from './workflows/workflow-runner';

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

/** Production's variables, as a user would set them (today's single-stack run). */
export const LOCAL_VARS = localVars(PRODUCTION);

export class LocalEnvironment {
  /** Each environment's stack outputs; the figures and the producer work on `current`'s. */
  private readonly outputsOf = new Map<string, StackOutputs>();
  private current = PRODUCTION;

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

  /**
   * Starts everything; uses the given moto endpoint, or starts (and later stops) its own. Each
   * environment gets its bootstrap's execution role.
   */
  static async start(
    motoEndpoint?: string,
    environments: readonly string[] = [PRODUCTION],
  ): Promise<LocalEnvironment> {
    const ownMoto = motoEndpoint ? undefined : await startMoto();
    const endpoint = motoEndpoint ?? ownMoto!.endpoint;
    for (const environment of environments)
      await createExecutionRole(endpoint, localVars(environment).STACK_NAME);
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
    return this.outputsOf.get(this.current) ?? {};
  }

  /** The environment whose stack the producer, the detector and the inbox work on from now. */
  use(environment: string): void {
    this.current = environment;
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
   * were built). The promotion through staging is workflows/promotion.ts.
   */
  async deploy(onStep?: (step: StepResult) => void, workspace?: string): Promise<JobRun> {
    const build = await this.deployJob('build', {}, onStep, workspace);
    if (build.status === 'failed') return build;
    const needs = { build: { outputs: build.outputs, result: 'success' as const } };
    const deployed = await this.deployJob(PRODUCTION, needs, onStep, workspace);
    return { ...deployed, steps: [...build.steps, ...deployed.steps] };
  }

  /**
   * One job of deploy.yml: `build`, or the job of the environment it is named after, with that
   * environment's variables; an environment's job makes it the current one.
   */
  deployJob(
    job: string,
    needs: Record<string, NeededJob>,
    onStep?: (step: StepResult) => void,
    workspace?: string,
  ): Promise<JobRun> {
    if (job !== 'build') this.use(job);
    return runJob({
      workflow: 'deploy.yml',
      job,
      vars: localVars(job === 'build' ? PRODUCTION : job),
      env: this.stepEnvironment(),
      needs,
      ...(workspace ? { workspace } : {}),
      onStep: (step) => {
        if (step.id === 'stack' && step.status === 'succeeded')
          this.instanceCreated(job, step.outputs);
        onStep?.(step);
      },
    });
  }

  /** The teardown workflow in `environment`, confirmed with `confirm` as a person would type it. */
  teardown(
    confirm: string,
    onStep?: (step: StepResult) => void,
    environment = PRODUCTION,
  ): Promise<JobRun> {
    return runJob({
      workflow: 'teardown.yml',
      job: 'teardown',
      vars: localVars(environment),
      inputs: { environment, confirm, backup: true },
      eventName: 'workflow_dispatch',
      env: this.stepEnvironment(),
      ...(onStep ? { onStep } : {}),
    });
  }

  /** The stack now has an instance: its agent (the stand-in) and its metadata (tags) come to life. */
  private instanceCreated(environment: string, stepOutputs: StackOutputs): void {
    const ownOutputs = new Set(['stack-id', 'status', 'changed', 'change-set']);
    const outputs = Object.fromEntries(
      Object.entries(stepOutputs).filter(([key]) => !ownOutputs.has(key)),
    );
    this.outputsOf.set(environment, outputs);
    const stackName = localVars(environment).STACK_NAME;
    const application = outputs.CodeDeployApplicationName;
    const deploymentGroup = outputs.CodeDeployDeploymentGroupName;
    const instanceId = outputs.InstanceId;
    const known = this.codedeploy.groups.find(
      (group) => group.application === application && group.deploymentGroup === deploymentGroup,
    );
    if (application && deploymentGroup && instanceId && !known) {
      const ec2TagFilters = deploymentGroupTagFilters(stackName);
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
        stackName,
      });
    this.imds.metadata.set('tags/instance/AnomalyStreamName', outputs.StreamName ?? '');
  }

  /** The producer instance replaced (new AMI or type): a new instance, with nothing deployed. */
  async replaceProducerInstance(): Promise<string> {
    const group = this.codedeploy.groups.find(
      (candidate) => candidate.deploymentGroup === this.stackOutputs.CodeDeployDeploymentGroupName,
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

  /** A queue subscribed to the current stack's alert topic as its e-mail subscription is. */
  alertInbox(): Promise<string> {
    const queueName = `local-alert-inbox${nameSuffix(this.current)}`;
    return subscribeAlertInbox(this.clientConfig(), this.stackOutputs.TopicArn, queueName);
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
          this.stackOutputs.StreamName ?? '',
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
      this.stackOutputs,
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
