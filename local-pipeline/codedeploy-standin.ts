import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { testClientConfig } from './clients';
import type { FileExistsBehavior } from './codedeploy-appspec';
import {
  EVENT_NAMES,
  groupId,
  refuseDeployment,
  runDeployment,
  type Deployment,
  type StandInGroup,
} from './codedeploy-standin-deployment';
import { LambdaDeployments } from './codedeploy-lambda';
import { ServiceError, startJsonServer, type Operations } from './json-server';

export type { StandInGroup } from './codedeploy-standin-deployment';

/**
 * A stand-in for the CodeDeploy API, for the operations codedeploy-push uses (moto's
 * GetDeployment cannot be read by the JS SDK, its deployments never leave Created, and it has no
 * deployment targets). It also plays the instance's agent: a created deployment fetches the
 * revision from S3 (moto) and runs its hooks with the stand-in agent, in a scratch root.
 */

export interface StandInOptions {
  readonly s3Endpoint: string;
  /** Groups the stand-in knows; may grow while it runs (e.g. once a stack has created them). */
  readonly groups: StandInGroup[];
  /** Scratch directory for revisions and each instance's root. */
  readonly workDir: string;
  /** Environment of the hooks (emulator endpoint, fake IMDS, PATH…). */
  readonly hookEnv: Readonly<Record<string, string>>;
  /** Deployments that fail before any hook runs, as when a new instance's agent is not up yet. */
  readonly agentNotReadyFor?: number;
}

export interface CodeDeployStandIn {
  readonly endpoint: string;
  /** The groups it serves; add one when a stack creates it. */
  readonly groups: StandInGroup[];
  readonly deployments: readonly Deployment[];
  /** Deployments of Lambda deployment groups (traffic shifting), in their own module. */
  readonly lambda: LambdaDeployments;
  /** Resolves once every deployment created so far has finished. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const DEPLOYMENT_CONFIGS = [
  'CodeDeployDefault.OneAtATime',
  'CodeDeployDefault.HalfAtATime',
  'CodeDeployDefault.AllAtOnce',
];

export async function startCodeDeployStandIn(options: StandInOptions): Promise<CodeDeployStandIn> {
  const s3 = new S3Client(testClientConfig(options.s3Endpoint));
  const deployments: Deployment[] = [];
  const running: Promise<void>[] = [];
  let refusals = options.agentNotReadyFor ?? 0;
  const lambda = new LambdaDeployments(options.s3Endpoint);

  const findGroup = (application: string, name: string) => {
    const group = options.groups.find(
      (candidate) => candidate.application === application && candidate.deploymentGroup === name,
    );
    if (!group)
      throw new ServiceError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${name}`,
      );
    return group;
  };
  const findDeployment = (id: string) => {
    const deployment = deployments.find((candidate) => candidate.id === id);
    if (!deployment)
      throw new ServiceError(
        'DeploymentDoesNotExistException',
        `The deployment ${id} could not be found.`,
      );
    return deployment;
  };

  const operations: Operations = {
    GetDeploymentGroup: (input) => {
      const group = findGroup(String(input.applicationName), String(input.deploymentGroupName));
      const mine = deployments.filter((deployment) => deployment.group === group);
      const lastSuccess = mine.filter((deployment) => deployment.status === 'Succeeded').at(-1);
      const lastAttempt = mine.at(-1);
      return {
        deploymentGroupInfo: {
          applicationName: group.application,
          deploymentGroupName: group.deploymentGroup,
          deploymentGroupId: groupId(group),
          ...(group.ec2TagFilters
            ? {
                ec2TagFilters: group.ec2TagFilters.map((filter) => ({
                  Key: filter.Key,
                  Value: filter.Value,
                  Type: filter.Type,
                })),
              }
            : {}),
          ...(lastSuccess
            ? {
                lastSuccessfulDeployment: {
                  deploymentId: lastSuccess.id,
                  status: lastSuccess.status,
                  endTime: lastSuccess.completeTime,
                },
              }
            : {}),
          ...(lastAttempt
            ? {
                lastAttemptedDeployment: {
                  deploymentId: lastAttempt.id,
                  status: lastAttempt.status,
                },
              }
            : {}),
          ...(lastSuccess
            ? {
                targetRevision: {
                  revisionType: 'S3',
                  s3Location: { ...lastSuccess.revision, bundleType: 'zip' },
                },
              }
            : {}),
        },
      };
    },
    CreateDeployment: (input) => {
      const group = findGroup(String(input.applicationName), String(input.deploymentGroupName));
      const location = (input.revision as { s3Location: { bucket: string; key: string } })
        .s3Location;
      const deploymentConfigName =
        typeof input.deploymentConfigName === 'string'
          ? input.deploymentConfigName
          : 'CodeDeployDefault.OneAtATime';
      if (!DEPLOYMENT_CONFIGS.includes(deploymentConfigName))
        throw new ServiceError(
          'DeploymentConfigDoesNotExistException',
          `The deployment configuration ${deploymentConfigName} could not be found.`,
        );
      const deployment: Deployment = {
        id: `d-${randomBytes(5).toString('hex').toUpperCase()}`,
        group,
        instanceId: group.instanceId,
        revision: { bucket: location.bucket, key: location.key },
        description: typeof input.description === 'string' ? input.description : '',
        deploymentConfigName,
        fileExistsBehavior:
          (input.fileExistsBehavior as FileExistsBehavior | undefined) ?? 'DISALLOW',
        ignoreApplicationStopFailures: input.ignoreApplicationStopFailures === true,
        createTime: Date.now() / 1000,
        status: 'InProgress',
        events: EVENT_NAMES.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
      };
      deployments.push(deployment);
      running.push(
        refusals-- > 0 ? refuseDeployment(deployment) : runDeployment(deployment, s3, options),
      );
      return { deploymentId: deployment.id };
    },
    GetDeployment: (input) => {
      const deployment = findDeployment(String(input.deploymentId));
      return {
        deploymentInfo: {
          deploymentId: deployment.id,
          applicationName: deployment.group.application,
          deploymentGroupName: deployment.group.deploymentGroup,
          status: deployment.status,
          description: deployment.description,
          deploymentConfigName: deployment.deploymentConfigName,
          fileExistsBehavior: deployment.fileExistsBehavior,
          ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
          createTime: deployment.createTime,
          ...(deployment.completeTime ? { completeTime: deployment.completeTime } : {}),
          revision: {
            revisionType: 'S3',
            s3Location: { ...deployment.revision, bundleType: 'zip' },
          },
          ...(deployment.error ? { errorInformation: deployment.error } : {}),
        },
      };
    },
    ListDeploymentTargets: (input) => ({
      targetIds: [findDeployment(String(input.deploymentId)).instanceId],
    }),
    BatchGetDeploymentTargets: (input) => {
      const deployment = findDeployment(String(input.deploymentId));
      return {
        deploymentTargets: [
          {
            deploymentTargetType: 'InstanceTarget',
            instanceTarget: {
              deploymentId: deployment.id,
              targetId: deployment.instanceId,
              status: deployment.status,
              lifecycleEvents: deployment.events,
            },
          },
        ],
      };
    },
  };

  // Requests about Lambda deployment groups are answered by their own module first.
  const server = await startJsonServer(operations, (operation, input) =>
    lambda.answer(operation, input),
  );
  return {
    endpoint: server.endpoint,
    groups: options.groups,
    deployments,
    lambda,
    settled: async () => {
      await Promise.all([...running, lambda.settled()]);
    },
    stop: async () => {
      await Promise.all(running);
      await server.stop();
    },
  };
}
