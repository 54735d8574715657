import { createHash } from 'node:crypto';
import {
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import { AwsOperationError, withContext } from '../../shared/errors';
import { formatDuration } from '../../shared/wait';
import { describeAlias, readAlias } from './alias';
import type { LambdaDeployDeps } from './deps';
import type { CodeDeployShift, CustomWeights, ReleaseInputs } from './release-inputs';

/**
 * Traffic shifting through a CodeDeploy Lambda deployment: CodeDeploy moves the alias's weights
 * step by step, watches the deployment group's alarms, and on an alarm stops and returns the
 * alias to the previous version (the group's automatic rollback).
 */

export interface ShiftOutcome {
  readonly deploymentId: string;
  readonly succeeded: boolean;
  /** CodeDeploy's reason for a failed or stopped deployment (names the alarm for an alarm). */
  readonly reason: string;
  readonly rollbackDeploymentId: string | undefined;
  readonly timedOut: boolean;
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Stopped']);
const MAX_POLL_MS = 10_000;

export async function shiftThroughCodeDeploy(
  deps: LambdaDeployDeps,
  functionName: string,
  release: ReleaseInputs,
  through: CodeDeployShift,
  versions: { from: string; to: string },
): Promise<ShiftOutcome> {
  const { configName, custom } = through;
  const { from, to } = versions;
  if (custom) await ensureDeploymentConfig(deps, configName, custom);
  const deploymentId = await createDeployment(deps, functionName, release, configName, {
    from,
    to,
  });
  deps.io.info(
    `CodeDeploy deployment ${deploymentId} shifts ${release.alias} from version ${from} to ${to} (${configName})`,
  );
  const deadline = deps.clock.now() + release.timeoutMinutes * 60_000;
  const info = await waitForDeployment(deps, deploymentId, deadline, () =>
    readAlias(deps, functionName, release.alias).then(describeAlias),
  );
  const rollbackDeploymentId = info.rollbackInfo?.rollbackDeploymentId;
  if (rollbackDeploymentId)
    await waitForDeployment(deps, rollbackDeploymentId, deadline, undefined);
  return {
    deploymentId,
    succeeded: info.status === 'Succeeded',
    reason: reasonOf(info),
    rollbackDeploymentId,
    timedOut: !TERMINAL.has(info.status ?? ''),
  };
}

/** Own weights need a deployment configuration; it is created once and reused by name. */
async function ensureDeploymentConfig(
  deps: LambdaDeployDeps,
  name: string,
  weights: CustomWeights,
): Promise<void> {
  try {
    await deps.codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }));
    return;
  } catch (error) {
    if (!(error instanceof Error && error.name === 'DeploymentConfigDoesNotExistException'))
      throw new AwsOperationError(`could not read deployment configuration ${name}`, error);
  }
  const step = { percentage: weights.percentage, interval: weights.intervalMinutes };
  await withContext(`could not create deployment configuration ${name}`, () =>
    deps.codedeploy.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: name,
        computePlatform: 'Lambda',
        trafficRoutingConfig:
          weights.type === 'TimeBasedCanary'
            ? {
                type: 'TimeBasedCanary',
                timeBasedCanary: {
                  canaryPercentage: step.percentage,
                  canaryInterval: step.interval,
                },
              }
            : {
                type: 'TimeBasedLinear',
                timeBasedLinear: {
                  linearPercentage: step.percentage,
                  linearInterval: step.interval,
                },
              },
      }),
    ),
  );
  deps.io.info(`Created deployment configuration ${name}`);
}

async function createDeployment(
  deps: LambdaDeployDeps,
  functionName: string,
  release: ReleaseInputs,
  configName: string,
  versions: { from: string; to: string },
): Promise<string> {
  const appSpec = JSON.stringify({
    version: 0.0,
    Resources: [
      {
        [release.alias]: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Name: functionName,
            Alias: release.alias,
            CurrentVersion: versions.from,
            TargetVersion: versions.to,
          },
        },
      },
    ],
  });
  const created = await withContext(
    `could not create a CodeDeploy deployment in ${release.deploymentApplication}/${release.deploymentGroup}`,
    () =>
      deps.codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: release.deploymentApplication,
          deploymentGroupName: release.deploymentGroup,
          deploymentConfigName: configName,
          description:
            `${functionName} ${release.alias}: version ${versions.from} → ${versions.to}, ${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(
              0,
              256,
            ),
          revision: {
            revisionType: 'AppSpecContent',
            appSpecContent: {
              content: appSpec,
              sha256: createHash('sha256').update(appSpec).digest('hex'),
            },
          },
        }),
      ),
  );
  return created.deploymentId ?? '';
}

/** Polls the deployment until it ends or the deadline, logging each change of status or weights. */
async function waitForDeployment(
  deps: LambdaDeployDeps,
  deploymentId: string,
  deadline: number,
  traffic: (() => Promise<string>) | undefined,
): Promise<DeploymentInfo> {
  const started = deps.clock.now();
  let last = '';
  for (let delay = 1000; ; delay = Math.min(delay * 2, MAX_POLL_MS)) {
    const { deploymentInfo: info = {} } = await withContext(
      `could not read deployment ${deploymentId}`,
      () => deps.codedeploy.send(new GetDeploymentCommand({ deploymentId })),
    );
    const line = `${info.status ?? '?'}${traffic ? `; traffic: ${await traffic()}` : ''}`;
    if (line !== last)
      deps.io.info(
        `+${formatDuration(deps.clock.now() - started).padEnd(7)} ${deploymentId} ${line}`,
      );
    last = line;
    if (TERMINAL.has(info.status ?? '') || deps.clock.now() >= deadline) return info;
    await deps.clock.sleep(delay);
  }
}

/** Read only for a deployment that did not succeed. */
function reasonOf(info: DeploymentInfo): string {
  const error = info.errorInformation;
  const rollback = info.rollbackInfo?.rollbackMessage;
  return [
    error
      ? `${error.code ?? 'ERROR'}: ${error.message ?? ''}`
      : `deployment ${info.status ?? 'unknown'}`,
    rollback,
  ]
    .filter(Boolean)
    .join('; ');
}
