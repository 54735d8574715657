import { randomBytes } from 'node:crypto';
import { IN_PLACE_EVENTS, type FileExistsBehavior } from './codedeploy-appspec';
import { groupId, type Deployment, type StandInGroup } from './codedeploy-standin-deployment';
import { deploymentInfoOf } from './deployment-info';
import { ServiceError, type Operations } from './json-server';

/**
 * The CodeDeploy stand-in's API for EC2 deployment groups: the operations codedeploy-push
 * calls, answered in CodeDeploy's shapes from the groups and deployments the stand-in keeps.
 * Running a created deployment is the caller's (`start`).
 */

const DEPLOYMENT_CONFIGS = [
  'CodeDeployDefault.OneAtATime',
  'CodeDeployDefault.HalfAtATime',
  'CodeDeployDefault.AllAtOnce',
];

export function instanceDeploymentOperations(
  groups: readonly StandInGroup[],
  deployments: Deployment[],
  start: (deployment: Deployment) => void,
): Operations {
  return {
    GetDeploymentGroup: (input) => {
      const group = findGroup(groups, input);
      return {
        deploymentGroupInfo: deploymentGroupInfo(
          group,
          deployments.filter((deployment) => deployment.group === group),
        ),
      };
    },
    CreateDeployment: (input) => {
      const deployment = newDeployment(findGroup(groups, input), input);
      deployments.push(deployment);
      start(deployment);
      return { deploymentId: deployment.id };
    },
    GetDeployment: (input) => ({
      deploymentInfo: deploymentInfo(findDeployment(deployments, input)),
    }),
    ListDeploymentTargets: (input) => ({
      targetIds: [findDeployment(deployments, input).instanceId],
    }),
    BatchGetDeploymentTargets: (input) => {
      const deployment = findDeployment(deployments, input);
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
}

function findGroup(groups: readonly StandInGroup[], input: Record<string, unknown>): StandInGroup {
  const name = String(input.deploymentGroupName);
  const group = groups.find(
    (candidate) =>
      candidate.application === String(input.applicationName) && candidate.deploymentGroup === name,
  );
  if (!group)
    throw new ServiceError(
      'DeploymentGroupDoesNotExistException',
      `No Deployment Group found for name: ${name}`,
    );
  return group;
}

function findDeployment(
  deployments: readonly Deployment[],
  input: Record<string, unknown>,
): Deployment {
  const id = String(input.deploymentId);
  const deployment = deployments.find((candidate) => candidate.id === id);
  if (!deployment)
    throw new ServiceError(
      'DeploymentDoesNotExistException',
      `The deployment ${id} could not be found.`,
    );
  return deployment;
}

/** GetDeploymentGroup's deploymentGroupInfo, from the group's deployments so far. */
function deploymentGroupInfo(group: StandInGroup, mine: readonly Deployment[]) {
  const lastSuccess = mine.filter((deployment) => deployment.status === 'Succeeded').at(-1);
  const lastAttempt = mine.at(-1);
  return {
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
      ? { lastAttemptedDeployment: { deploymentId: lastAttempt.id, status: lastAttempt.status } }
      : {}),
    ...(lastSuccess
      ? {
          targetRevision: {
            revisionType: 'S3',
            s3Location: { ...lastSuccess.revision, bundleType: 'zip' },
          },
        }
      : {}),
  };
}

/** The deployment CreateDeployment asks for, to the group's current instance. */
function newDeployment(group: StandInGroup, input: Record<string, unknown>): Deployment {
  const location = (input.revision as { s3Location: { bucket: string; key: string } }).s3Location;
  const deploymentConfigName =
    typeof input.deploymentConfigName === 'string'
      ? input.deploymentConfigName
      : 'CodeDeployDefault.OneAtATime';
  if (!DEPLOYMENT_CONFIGS.includes(deploymentConfigName))
    throw new ServiceError(
      'DeploymentConfigDoesNotExistException',
      `The deployment configuration ${deploymentConfigName} could not be found.`,
    );
  return {
    id: `d-${randomBytes(5).toString('hex').toUpperCase()}`,
    group,
    instanceId: group.instanceId,
    revision: { bucket: location.bucket, key: location.key },
    description: typeof input.description === 'string' ? input.description : '',
    deploymentConfigName,
    fileExistsBehavior: (input.fileExistsBehavior as FileExistsBehavior | undefined) ?? 'DISALLOW',
    ignoreApplicationStopFailures: input.ignoreApplicationStopFailures === true,
    createTime: Date.now() / 1000,
    status: 'InProgress',
    events: IN_PLACE_EVENTS.map((name) => ({ lifecycleEventName: name, status: 'Pending' })),
  };
}

/** GetDeployment's deploymentInfo. */
function deploymentInfo(deployment: Deployment) {
  return {
    ...deploymentInfoOf(deployment, deployment.deploymentConfigName),
    description: deployment.description,
    fileExistsBehavior: deployment.fileExistsBehavior,
    ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
    revision: {
      revisionType: 'S3',
      s3Location: { ...deployment.revision, bundleType: 'zip' },
    },
  };
}
