import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { runRevision, type HookRun } from './codedeploy-agent';
import { IN_PLACE_EVENTS, type FileExistsBehavior } from './codedeploy-appspec';

/**
 * One deployment of the CodeDeploy stand-in on its instance: the record CodeDeploy keeps
 * (status, lifecycle events as GetDeployment and BatchGetDeploymentTargets show them), and its
 * run by the stand-in agent.
 */

export interface StandInGroup {
  readonly application: string;
  readonly deploymentGroup: string;
  /** The group's instance; replacing it (a new instance) is how a test replaces the instance. */
  instanceId: string;
  /** As the group's Ec2TagFilters, so a client can find the group's instances in EC2. */
  readonly ec2TagFilters?: readonly { Key: string; Value: string; Type: string }[];
}

export interface Deployment {
  readonly id: string;
  readonly group: StandInGroup;
  /** The instance the group had when the deployment was created (its only target). */
  readonly instanceId: string;
  readonly revision: { bucket: string; key: string };
  readonly description: string;
  readonly deploymentConfigName: string;
  readonly fileExistsBehavior: FileExistsBehavior;
  readonly ignoreApplicationStopFailures: boolean;
  readonly createTime: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  completeTime?: number;
  events: {
    lifecycleEventName: string;
    status: string;
    startTime?: number;
    endTime?: number;
    diagnostics?: Record<string, string>;
  }[];
  error?: { code: string; message: string };
}

/** The instance's agent takes the deployment: fetches the revision from S3 and runs it. */
export async function runDeployment(
  deployment: Deployment,
  s3: S3Client,
  options: { readonly workDir: string; readonly hookEnv: Readonly<Record<string, string>> },
): Promise<void> {
  const instanceDir = join(options.workDir, deployment.instanceId);
  const bundleDir = join(instanceDir, 'bundles', deployment.id);
  const startTime = Date.now() / 1000;
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: deployment.revision.bucket, Key: deployment.revision.key }),
    );
    extract(await object.Body!.transformToByteArray(), bundleDir);
    const run = await runRevision({
      revisionDir: bundleDir,
      instanceDir,
      env: options.hookEnv,
      deploymentId: deployment.id,
      applicationName: deployment.group.application,
      deploymentGroupName: deployment.group.deploymentGroup,
      deploymentGroupId: groupId(deployment.group),
      fileExistsBehavior: deployment.fileExistsBehavior,
      ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
      bundle: {
        bucket: deployment.revision.bucket,
        key: deployment.revision.key,
        ...(object.ETag ? { etag: object.ETag.replaceAll('"', '') } : {}),
      },
    });
    deployment.events = IN_PLACE_EVENTS.map((name) => lifecycleEvent(name, run.events, startTime));
    deployment.status = run.status;
    if (run.status === 'Failed')
      deployment.error = {
        code: 'SCRIPT_FAILED',
        message: 'One or more lifecycle events did not run and the deployment was unsuccessful.',
      };
  } catch (error) {
    deployment.status = 'Failed';
    deployment.error = { code: 'REVISION_MISSING', message: String(error) };
  }
  deployment.completeTime = Date.now() / 1000;
}

/** A deployment the instance's agent never took (it was not up yet): fails before any hook. */
export function refuseDeployment(deployment: Deployment): Promise<void> {
  deployment.status = 'Failed';
  deployment.completeTime = Date.now() / 1000;
  deployment.error = {
    code: 'HEALTH_CONSTRAINTS',
    message:
      'The overall deployment failed because too many individual instances failed deployment',
  };
  deployment.events = deployment.events.map((event) => ({ ...event, status: 'Skipped' }));
  return Promise.resolve();
}

/** Unzips the revision as `unzip -qo` does; the agent makes hook scripts executable itself. */
function extract(zip: Uint8Array, target: string): void {
  for (const [path, data] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), data);
  }
}

export function groupId(group: StandInGroup): string {
  return `${group.application}-${group.deploymentGroup}`;
}

function lifecycleEvent(name: string, runs: readonly HookRun[], startTime: number) {
  if (name === 'DownloadBundle')
    return { lifecycleEventName: name, status: 'Succeeded', startTime, endTime: startTime };
  const run = runs.find((candidate) => candidate.event === name);
  if (!run)
    return {
      lifecycleEventName: name,
      status: runs.some((candidate) => candidate.status === 'Failed') ? 'Skipped' : 'Pending',
    };
  const status = run.status === 'Skipped' ? 'Succeeded' : run.status;
  return {
    lifecycleEventName: name,
    status,
    startTime,
    endTime: startTime + run.durationMs / 1000,
    diagnostics: {
      errorCode: run.errorCode ?? 'Success',
      scriptName: run.script ?? '',
      message: run.status === 'Failed' ? run.message : 'Succeeded',
      logTail: run.logTail,
    },
  };
}
