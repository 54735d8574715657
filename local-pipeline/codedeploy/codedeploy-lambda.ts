import { randomBytes } from 'node:crypto';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { testClientConfig } from '../emulator/clients';
import { DeploymentConfigs, steps, type Weights } from './codedeploy-lambda-configs';
import { deploymentInfoOf } from './deployment-info';
import { alarmsOfGroup, emulatorCloudWatch, firingAlarms } from './codedeploy-lambda-alarms';

/**
 * The CodeDeploy stand-in's Lambda deployments (moto has none): a deployment of a Lambda
 * deployment group shifts the alias of its AppSpec from CurrentVersion to TargetVersion by the
 * configuration's weights (UpdateAlias with routing weights, on the emulator), checks the
 * group's alarms (CloudWatch on the emulator, where a test sets their state) before and during
 * every step, and on an alarm stops, as CodeDeploy's automatic rollback does: the alias goes
 * back to CurrentVersion through a rollback deployment. CodeDeploy minutes last `minuteMs`.
 */

export interface LambdaDeploymentGroup {
  readonly application: string;
  readonly deploymentGroup: string;
  /** The stack that created the group: its template names the group's alarms. */
  readonly stackName: string;
}

export interface TrafficShift {
  readonly deploymentId: string;
  readonly targetVersion: string;
  /** Share of the traffic on the target version now, in percent. */
  readonly percent: number;
}

interface LambdaDeployment {
  readonly id: string;
  readonly group: LambdaDeploymentGroup;
  readonly configName: string;
  readonly createTime: number;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped';
  completeTime?: number;
  error?: { code: string; message: string };
  rollback?: { rollbackDeploymentId: string; rollbackMessage: string };
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export class LambdaDeployments {
  readonly groups: LambdaDeploymentGroup[] = [];
  readonly deployments: LambdaDeployment[] = [];
  /** Called after each weight change: a test raises an alarm here, "during the canary". */
  onTrafficShifted: ((shift: TrafficShift) => Promise<void>) | undefined;
  private readonly configs = new DeploymentConfigs();
  private readonly running: Promise<void>[] = [];
  private readonly lambda: LambdaClient;
  private readonly cloudwatch: CloudWatchClient;
  private readonly cloudformation: CloudFormationClient;

  constructor(
    awsEndpoint: string,
    private readonly minuteMs = 20,
  ) {
    const config = testClientConfig(awsEndpoint);
    this.lambda = new LambdaClient(config);
    this.cloudwatch = emulatorCloudWatch(awsEndpoint);
    this.cloudformation = new CloudFormationClient(config);
  }

  settled(): Promise<unknown> {
    return Promise.all(this.running);
  }

  /** The answer to a CodeDeploy request if it is about Lambda deployments; undefined otherwise. */
  answer(operation: string, input: Record<string, unknown>): Answer | undefined {
    try {
      switch (operation) {
        case 'GetDeploymentConfig':
          return ok({
            deploymentConfigInfo: this.configs.describe(String(input.deploymentConfigName)),
          });
        case 'CreateDeploymentConfig':
          return ok(this.configs.create(input));
        case 'CreateDeployment':
          return this.group(input) ? ok(this.create(this.group(input)!, input)) : undefined;
        case 'GetDeployment': {
          const deployment = this.deployments.find((d) => d.id === input.deploymentId);
          return deployment ? ok({ deploymentInfo: info(deployment) }) : undefined;
        }
        default:
          return undefined;
      }
    } catch (error) {
      const [code, message] = String(error instanceof Error ? error.message : error).split(': ');
      return { status: 400, body: { __type: code, message } };
    }
  }

  private group(input: Record<string, unknown>): LambdaDeploymentGroup | undefined {
    return this.groups.find(
      (group) =>
        group.application === input.applicationName &&
        group.deploymentGroup === input.deploymentGroupName,
    );
  }

  private create(
    group: LambdaDeploymentGroup,
    input: Record<string, unknown>,
  ): { deploymentId: string } {
    const configName =
      typeof input.deploymentConfigName === 'string'
        ? input.deploymentConfigName
        : 'CodeDeployDefault.LambdaAllAtOnce';
    const weights = this.configs.weightsOf(configName);
    if (!weights)
      throw new Error(
        `DeploymentConfigDoesNotExistException: No deployment configuration found for name: ${configName}`,
      );
    const revision = input.revision as { appSpecContent?: { content?: string } } | undefined;
    const appSpec = JSON.parse(revision?.appSpecContent?.content ?? '{}') as {
      Resources?: Record<
        string,
        {
          Properties: {
            Name: string;
            Alias: string;
            CurrentVersion: string;
            TargetVersion: string;
          };
        }
      >[];
    };
    const target = Object.values(appSpec.Resources?.[0] ?? {})[0]?.Properties;
    if (!target)
      throw new Error('InvalidRevisionException: the AppSpec names no AWS::Lambda::Function');
    const deployment: LambdaDeployment = {
      id: `d-${randomBytes(5).toString('hex').toUpperCase()}`,
      group,
      configName,
      createTime: Date.now() / 1000,
      status: 'InProgress',
    };
    this.deployments.push(deployment);
    // A failure of the stand-in itself ends the deployment, as an internal error would.
    this.running.push(
      this.shift(deployment, target, weights).catch((error: unknown) => {
        deployment.status = 'Failed';
        deployment.error = { code: 'INTERNAL_ERROR', message: String(error) };
        deployment.completeTime = Date.now() / 1000;
      }),
    );
    return { deploymentId: deployment.id };
  }

  private async shift(
    deployment: LambdaDeployment,
    target: { Name: string; Alias: string; CurrentVersion: string; TargetVersion: string },
    weights: Weights,
  ): Promise<void> {
    const alarms = await alarmsOfGroup(this.cloudformation, deployment.group);
    for (const percent of steps(weights)) {
      const firing = await firingAlarms(this.cloudwatch, alarms);
      if (firing.length > 0) return this.stopOnAlarm(deployment, target, firing);
      await this.route(target, percent);
      await this.onTrafficShifted?.({
        deploymentId: deployment.id,
        targetVersion: target.TargetVersion,
        percent,
      });
      if (percent < 100)
        await new Promise((resolve) => setTimeout(resolve, weights.interval * this.minuteMs));
    }
    const firing = await firingAlarms(this.cloudwatch, alarms);
    if (firing.length > 0) return this.stopOnAlarm(deployment, target, firing);
    deployment.status = 'Succeeded';
    deployment.completeTime = Date.now() / 1000;
  }

  private async stopOnAlarm(
    deployment: LambdaDeployment,
    target: { Name: string; Alias: string; CurrentVersion: string },
    firing: string[],
  ): Promise<void> {
    const rollback: LambdaDeployment = {
      id: `d-${randomBytes(5).toString('hex').toUpperCase()}`,
      group: deployment.group,
      configName: 'CodeDeployDefault.LambdaAllAtOnce',
      createTime: Date.now() / 1000,
      status: 'InProgress',
    };
    this.deployments.push(rollback);
    deployment.status = 'Stopped';
    deployment.error = {
      code: 'ALARM_ACTIVE',
      message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${firing.join(', ')}>`,
    };
    deployment.rollback = {
      rollbackDeploymentId: rollback.id,
      rollbackMessage: `Automated rollback triggered by ${rollback.id}: ${deployment.error.code}`,
    };
    deployment.completeTime = Date.now() / 1000;
    await this.lambda.send(
      new UpdateAliasCommand({
        FunctionName: target.Name,
        Name: target.Alias,
        FunctionVersion: target.CurrentVersion,
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    );
    rollback.status = 'Succeeded';
    rollback.completeTime = Date.now() / 1000;
  }

  private async route(
    target: { Name: string; Alias: string; CurrentVersion: string; TargetVersion: string },
    percent: number,
  ): Promise<void> {
    await this.lambda.send(
      new UpdateAliasCommand(
        percent >= 100
          ? {
              FunctionName: target.Name,
              Name: target.Alias,
              FunctionVersion: target.TargetVersion,
              RoutingConfig: { AdditionalVersionWeights: {} },
            }
          : {
              FunctionName: target.Name,
              Name: target.Alias,
              FunctionVersion: target.CurrentVersion,
              RoutingConfig: {
                AdditionalVersionWeights: { [target.TargetVersion]: percent / 100 },
              },
            },
      ),
    );
  }
}

const ok = (body: unknown): Answer => ({ status: 200, body });

function info(deployment: LambdaDeployment) {
  return {
    ...deploymentInfoOf(deployment, deployment.configName),
    computePlatform: 'Lambda',
    ...(deployment.rollback ? { rollbackInfo: deployment.rollback } : {}),
  };
}
