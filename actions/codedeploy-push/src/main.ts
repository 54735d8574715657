import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type LifecycleEvent,
} from '@aws-sdk/client-codedeploy';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ConfigurationError, withContext } from '../../shared/errors';
import type { RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import { runAction } from '../../shared/run';
import { table } from '../../shared/summary';
import { formatDuration, type Clock } from '../../shared/wait';
import { deterministicZip, directoryEntries, sha256Hex } from '../../shared/zip';
import { getInputs, type CodeDeployPushInputs } from './inputs';

export interface CodeDeployPushDeps {
  readonly io: ActionIO;
  readonly codedeploy: CodeDeployClient;
  readonly s3: S3Client;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
}

interface Revision {
  readonly bucket: string;
  readonly key: string;
  readonly zip: Buffer;
}

interface TargetEvents {
  readonly targetId: string;
  readonly events: readonly LifecycleEvent[];
}

const IN_PROGRESS = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
/** Poll quickly at first (most deployments of this revision take seconds), then every 5 s. */
const POLL_SCHEDULE_MS = [1000, 2000, 3000, 5000];
const AGENT_RETRY_MS = 30_000;

export function run(deps: CodeDeployPushDeps): Promise<void> {
  return runAction(deps.io, () => push(deps));
}

async function push(deps: CodeDeployPushDeps): Promise<void> {
  const { io, clock } = deps;
  const inputs = getInputs(io, deps.workspace);
  const started = clock.now();
  const deadline = started + inputs.timeoutMinutes * 60_000;
  const zip = deterministicZip(directoryEntries(inputs.revisionDir));
  const revision: Revision = {
    bucket: inputs.s3Bucket,
    key: `codedeploy/${inputs.application}/${sha256Hex(zip)}.zip`,
    zip,
  };
  io.info(
    `Revision ${inputs.revision}/: ${zip.length} bytes → s3://${revision.bucket}/${revision.key}`,
  );

  const group = await deploymentGroup(deps, inputs);
  const attempted = group.lastAttemptedDeployment;
  if (attempted?.deploymentId && attempted.status && IN_PROGRESS.has(attempted.status)) {
    io.info(
      `Deployment ${attempted.deploymentId} is ${attempted.status}; waiting for it to finish first.`,
    );
    await followDeployment(deps, inputs, attempted.deploymentId, deadline);
  }
  const current =
    attempted?.status && IN_PROGRESS.has(attempted.status)
      ? await deploymentGroup(deps, inputs)
      : group;
  if (
    current.targetRevision?.s3Location?.key === revision.key &&
    current.lastSuccessfulDeployment?.deploymentId
  ) {
    const id = current.lastSuccessfulDeployment.deploymentId;
    io.info(
      `Deployment group ${inputs.deploymentGroup} already runs this revision (deployment ${id}): nothing to deploy.`,
    );
    await report(deps, inputs, {
      id,
      status: 'Succeeded',
      changed: false,
      revision,
      targets: [],
      started,
    });
    return;
  }

  await upload(deps, revision);
  for (;;) {
    const id = await createDeployment(deps, inputs, revision);
    if (!inputs.wait) {
      await report(deps, inputs, {
        id,
        status: 'Created',
        changed: true,
        revision,
        targets: [],
        started,
      });
      return;
    }
    const outcome = await io.group(`Deployment ${id}`, () =>
      followDeployment(deps, inputs, id, deadline),
    );
    if (outcome.info.status === 'Succeeded') {
      await report(deps, inputs, {
        id,
        status: 'Succeeded',
        changed: true,
        revision,
        targets: outcome.targets,
        started,
      });
      return;
    }
    if (agentNotReady(outcome) && clock.now() + AGENT_RETRY_MS < deadline) {
      io.warning(
        `Deployment ${id} found no instance ready (${outcome.info.errorInformation?.message ?? 'no hook ran'}): a new instance's CodeDeploy agent may still be starting. Retrying in ${AGENT_RETRY_MS / 1000}s.`,
      );
      await clock.sleep(AGENT_RETRY_MS);
      continue;
    }
    await reportFailure(deps, inputs, id, outcome, revision, started);
    return;
  }
}

async function deploymentGroup(deps: CodeDeployPushDeps, inputs: CodeDeployPushInputs) {
  const { deploymentGroupInfo } = await withContext(
    `could not read deployment group ${inputs.deploymentGroup} of application ${inputs.application}`,
    () =>
      deps.codedeploy.send(
        new GetDeploymentGroupCommand({
          applicationName: inputs.application,
          deploymentGroupName: inputs.deploymentGroup,
        }),
      ),
  );
  return deploymentGroupInfo ?? {};
}

/** Content-addressed: an object already under this key holds exactly this revision. */
async function upload(deps: CodeDeployPushDeps, revision: Revision): Promise<void> {
  const present = await deps.s3
    .send(new HeadObjectCommand({ Bucket: revision.bucket, Key: revision.key }))
    .then(
      () => true,
      (error: unknown) => {
        if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey'))
          return false;
        throw new ConfigurationError(
          `could not check s3://${revision.bucket}/${revision.key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
      },
    );
  if (present) return;
  await withContext(
    `could not upload the revision to s3://${revision.bucket}/${revision.key}`,
    () =>
      deps.s3.send(
        new PutObjectCommand({
          Bucket: revision.bucket,
          Key: revision.key,
          Body: revision.zip,
          ContentType: 'application/zip',
        }),
      ),
  );
}

async function createDeployment(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  revision: Revision,
): Promise<string> {
  const { deploymentId } = await withContext(
    `could not create a deployment in ${inputs.application}/${inputs.deploymentGroup}`,
    () =>
      deps.codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: inputs.application,
          deploymentGroupName: inputs.deploymentGroup,
          revision: {
            revisionType: 'S3',
            s3Location: { bucket: revision.bucket, key: revision.key, bundleType: 'zip' },
          },
          description: `${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(0, 1000),
          fileExistsBehavior: 'OVERWRITE',
        }),
      ),
  );
  if (!deploymentId) throw new Error('CodeDeploy returned no deployment id');
  deps.io.info(`Created deployment ${deploymentId}.`);
  return deploymentId;
}

interface Outcome {
  readonly info: DeploymentInfo;
  readonly targets: readonly TargetEvents[];
}

/** Polls the deployment, logging each lifecycle event of each instance as its status changes. */
async function followDeployment(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  id: string,
  deadline: number,
): Promise<Outcome> {
  const { io, clock } = deps;
  const seen = new Map<string, string>();
  for (let poll = 0; ; poll += 1) {
    const { deploymentInfo: info = {} } = await withContext(`could not read deployment ${id}`, () =>
      deps.codedeploy.send(new GetDeploymentCommand({ deploymentId: id })),
    );
    const targets = await targetEvents(deps, id);
    for (const target of targets) {
      for (const event of target.events) {
        const key = `${target.targetId}/${event.lifecycleEventName ?? ''}`;
        if (event.status && seen.get(key) !== event.status) {
          seen.set(key, event.status);
          if (event.status !== 'Pending')
            io.info(`${target.targetId} ${event.lifecycleEventName ?? ''}: ${event.status}`);
        }
      }
    }
    if (info.status && !IN_PROGRESS.has(info.status)) return { info, targets };
    if (clock.now() >= deadline) {
      throw new ConfigurationError(
        `Deployment ${id} is still ${info.status ?? 'in progress'} after ${inputs.timeoutMinutes} minute(s) (timeout-minutes); CodeDeploy goes on.`,
      );
    }
    await clock.sleep(POLL_SCHEDULE_MS[Math.min(poll, POLL_SCHEDULE_MS.length - 1)] ?? 5000);
  }
}

async function targetEvents(deps: CodeDeployPushDeps, id: string): Promise<TargetEvents[]> {
  const { targetIds = [] } = await withContext(
    `could not list the targets of deployment ${id}`,
    () => deps.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: id })),
  );
  if (targetIds.length === 0) return [];
  const { deploymentTargets = [] } = await withContext(
    `could not read the targets of deployment ${id}`,
    () =>
      deps.codedeploy.send(
        new BatchGetDeploymentTargetsCommand({
          deploymentId: id,
          targetIds: targetIds.slice(0, 25),
        }),
      ),
  );
  return deploymentTargets.map((target) => ({
    targetId: target.instanceTarget?.targetId ?? target.ecsTarget?.targetId ?? '?',
    events: target.instanceTarget?.lifecycleEvents ?? [],
  }));
}

/** Failed before any hook ran on any instance: typical of an agent that is not up yet. */
function agentNotReady(outcome: Outcome): boolean {
  const ran = outcome.targets.some((target) =>
    target.events.some(
      (event) => event.status && !['Pending', 'Skipped', 'Unknown'].includes(event.status),
    ),
  );
  return outcome.info.status === 'Failed' && !ran;
}

async function reportFailure(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  id: string,
  outcome: Outcome,
  revision: Revision,
  started: number,
): Promise<void> {
  const { io } = deps;
  const failed = outcome.targets.flatMap((target) =>
    target.events
      .filter((event) => event.status === 'Failed')
      .map((event) => ({ target: target.targetId, event })),
  );
  for (const { target, event } of failed) {
    const diagnostics = event.diagnostics ?? {};
    const file = diagnostics.scriptName
      ? `${inputs.revision}/${diagnostics.scriptName}`
      : `${inputs.revision}/appspec.yml`;
    const tail = diagnostics.logTail
      ? `\n\nLast lines of the script's output:\n${diagnostics.logTail.trim()}`
      : '';
    io.error(
      `${event.lifecycleEventName ?? 'A hook'} failed on ${target} (${diagnostics.errorCode ?? 'unknown error'}): ${diagnostics.message ?? ''}${tail}`,
      {
        title: `CodeDeploy ${event.lifecycleEventName ?? 'hook'} failed: ${diagnostics.scriptName ?? ''}`,
        file,
        startLine: 1,
      },
    );
  }
  const status = outcome.info.status ?? 'Failed';
  await report(deps, inputs, {
    id,
    status,
    changed: true,
    revision,
    targets: outcome.targets,
    started,
  });
  const first = failed[0];
  const where = first
    ? `${first.event.lifecycleEventName ?? ''} (${first.event.diagnostics?.scriptName ?? 'no script'}) failed on ${first.target}`
    : (outcome.info.errorInformation?.message ?? 'no detail given');
  io.setFailed(`Deployment ${id} ${status}: ${where}. See the annotations and the job summary.`);
}

async function report(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  result: {
    id: string;
    status: string;
    changed: boolean;
    revision: Revision;
    targets: readonly TargetEvents[];
    started: number;
  },
): Promise<void> {
  const { io } = deps;
  io.setOutput('deployment-id', result.id);
  io.setOutput('status', result.status);
  io.setOutput('changed', String(result.changed));
  const icon = result.status === 'Succeeded' || result.status === 'Created' ? '✅' : '❌';
  const heading = result.changed
    ? `## ${icon} CodeDeploy ${inputs.application}/${inputs.deploymentGroup}: ${result.status}`
    : `## ✅ CodeDeploy ${inputs.application}/${inputs.deploymentGroup}: unchanged`;
  const rows = result.targets.flatMap((target) =>
    target.events.map((event) => [
      target.targetId,
      event.lifecycleEventName,
      event.status,
      event.startTime && event.endTime
        ? formatDuration(event.endTime.getTime() - event.startTime.getTime())
        : '',
      event.diagnostics?.scriptName,
      event.status === 'Failed' ? event.diagnostics?.message : '',
    ]),
  );
  const lines = [
    heading,
    '',
    `${result.changed ? `Deployment \`${result.id}\`` : `Already deployed by \`${result.id}\``} · revision \`s3://${result.revision.bucket}/${result.revision.key}\` · ${formatDuration(deps.clock.now() - result.started)}`,
    '',
    result.changed
      ? ''
      : "_The group's last successful deployment used this exact revision: nothing was uploaded or deployed._",
    table(['Instance', 'Lifecycle event', 'Status', 'Took', 'Script', 'Error'], rows),
    '',
  ];
  await io.summary.addRaw(lines.join('\n')).write();
}
