import type {
  Change,
  CloudFormationClient,
  Parameter,
  Stack,
  StackEvent,
  Tag,
} from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { ConfigurationError, withContext } from '../../shared/errors';
import { upsertComment, type PullRequestComments, type RunContext } from '../../shared/github';
import type { ActionIO } from '../../shared/io';
import { runAction } from '../../shared/run';
import { formatDuration, type Clock } from '../../shared/wait';
import { getInputs, type CfnDeployInputs } from './inputs';
import { changeSetMarkdown, failureMarkdown, outputsMarkdown } from './report';
import {
  createChangeSet,
  deleteChangeSet,
  deleteStackAndWait,
  deployedTemplate,
  executeChangeSet,
  protectFromTermination,
} from './stack';
import {
  describeStack,
  eventLine,
  isFailure,
  isSettled,
  waitForStack,
  waitUntilSettled,
} from '../../shared/cloudformation';
import { compactBody, lineOfLogicalId, sameTemplate } from './template';

export interface CfnDeployDeps {
  readonly io: ActionIO;
  readonly cloudformation: CloudFormationClient;
  readonly s3: S3Client;
  readonly clock: Clock;
  readonly run: RunContext;
  readonly workspace: string;
  /** Present when a token was given and the run belongs to a pull request. */
  readonly pullRequestComments: ((token: string) => PullRequestComments) | undefined;
}

/** CloudFormation's limit for a template sent inline (TemplateBody). */
export const INLINE_TEMPLATE_LIMIT = 51_200;
const GITHUB_TAGS = ['github:sha', 'github:run-url'] as const;
const COMMENT_MARKER = 'cfn-deploy-change-set-preview';

export function run(deps: CfnDeployDeps): Promise<void> {
  return runAction(deps.io, () => deploy(deps));
}

async function deploy(deps: CfnDeployDeps): Promise<void> {
  const { io, cloudformation, clock } = deps;
  const inputs = getInputs(io, deps.workspace);
  const started = clock.now();
  const deadline = started + inputs.timeoutMinutes * 60_000;

  let stack = await io.group(`Inspect stack ${inputs.stackName}`, () =>
    settledStack(deps, inputs, deadline),
  );
  if (stack && (await unchanged(deps, inputs, stack))) {
    io.info(
      `Stack ${inputs.stackName} already has this template, these parameters and tags: nothing to do.`,
    );
    stack = await applyTerminationProtection(deps, inputs, stack);
    await finish(deps, inputs, stack, {
      changed: false,
      changeSet: 'No changes: the deployed template, parameters and tags are already these.',
      started,
    });
    return;
  }

  const changeSetType = stack ? 'UPDATE' : 'CREATE';
  const changeSetName = `gh-${deps.run.sha.slice(0, 12)}-${clock.now().toString(36)}`.replace(
    /[^A-Za-z0-9-]/g,
    '-',
  );
  const outcome = await io.group(
    `Create change set ${changeSetName} (${changeSetType})`,
    async () =>
      createChangeSet(
        cloudformation,
        {
          StackName: inputs.stackName,
          ChangeSetName: changeSetName,
          ChangeSetType: changeSetType,
          Description:
            `${deps.run.repository}@${deps.run.sha.slice(0, 12)} ${deps.run.runUrl}`.slice(0, 1024),
          ...(await templateSource(deps, inputs, stack)),
          Parameters: parametersFor(inputs, stack),
          Capabilities: [...inputs.capabilities],
          Tags: tagsFor(inputs, deps.run),
          // A new stack whose creation fails is deleted, never left in ROLLBACK_COMPLETE.
          ...(changeSetType === 'CREATE' ? { OnStackFailure: 'DELETE' as const } : {}),
        },
        clock,
        deadline,
      ),
  );

  if (outcome.kind === 'failed') {
    if (changeSetType === 'CREATE')
      await deleteStackAndWait(
        cloudformation,
        inputs.stackName,
        'its first change set failed',
        600,
      );
    throw new ConfigurationError(
      `Change set ${changeSetName} for stack ${inputs.stackName} failed: ${outcome.reason}`,
    );
  }
  if (outcome.kind === 'empty') {
    io.info(`CloudFormation found nothing to change (${outcome.reason}).`);
    stack = await describeStack(cloudformation, inputs.stackName);
    await cleanUpChangeSet(deps, changeSetName, inputs.stackName);
    if (!stack)
      throw new Error(`stack ${inputs.stackName} vanished while its change set was being computed`);
    stack = await applyTerminationProtection(deps, inputs, stack);
    await finish(deps, inputs, stack, {
      changed: false,
      changeSet: `No changes (${outcome.reason}).`,
      started,
    });
    return;
  }

  const preview = changeSetMarkdown(
    inputs.stackName,
    changeSetType,
    outcome.changes,
    inputs.execute,
  );
  io.setOutput('change-set', preview);
  if (!inputs.execute) {
    await previewOnly(deps, inputs, outcome.changeSetId, changeSetType, preview, outcome.changes);
    return;
  }

  const executedAt = new Date(clock.now() - 1000);
  await executeChangeSet(cloudformation, outcome.changeSetId, inputs.stackName, changeSetName);
  io.info(
    `Executing ${outcome.changes.length} change(s); waiting up to ${inputs.timeoutMinutes} minute(s) for stack ${inputs.stackName}.`,
  );
  const result = await io.group('Stack events', () =>
    waitForStack(cloudformation, inputs.stackName, executedAt, clock, deadline, (event) => {
      io.info(eventLine(event, started));
    }),
  );
  if (result.timedOut) {
    throw new ConfigurationError(
      `Stack ${inputs.stackName} is still ${result.stack?.StackStatus ?? 'changing'} after ${inputs.timeoutMinutes} minute(s) (timeout-minutes); CloudFormation goes on, and the next run waits for it.`,
    );
  }
  if (!result.stack || isFailure(result.stack.StackStatus)) {
    await reportFailure(deps, inputs, result.stack, result.events, started);
    return;
  }
  const protectedNow = await applyTerminationProtection(deps, inputs, result.stack);
  await finish(deps, inputs, protectedNow, { changed: true, changeSet: preview, started });
}

/** The stack as it is, once settled; a stack that can only be replaced is deleted first. */
async function settledStack(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  deadline: number,
): Promise<Stack | undefined> {
  const { io, cloudformation, clock } = deps;
  let stack = await withContext(`could not describe stack ${inputs.stackName}`, () =>
    describeStack(cloudformation, inputs.stackName),
  );
  if (stack && !isSettled(stack.StackStatus) && stack.StackStatus !== 'REVIEW_IN_PROGRESS') {
    stack = await waitUntilSettled(
      cloudformation,
      stack,
      clock,
      deadline,
      (line) => {
        io.info(line);
      },
      'try again later.',
    );
  }
  if (stack?.StackStatus === 'ROLLBACK_COMPLETE' || stack?.StackStatus === 'REVIEW_IN_PROGRESS') {
    const why =
      stack.StackStatus === 'ROLLBACK_COMPLETE'
        ? 'its creation failed and rolled back; it can only be deleted'
        : 'a change set created it but never ran; it holds no resources';
    io.warning(
      `Stack ${inputs.stackName} is ${stack.StackStatus} (${why}): deleting it and creating it afresh.`,
    );
    await deleteStackAndWait(
      cloudformation,
      inputs.stackName,
      why,
      Math.max(60, Math.floor((deadline - clock.now()) / 1000)),
    );
    return undefined;
  }
  if (stack?.StackStatus && /(DELETE_FAILED|UPDATE_ROLLBACK_FAILED)$/.test(stack.StackStatus)) {
    throw new ConfigurationError(
      `Stack ${inputs.stackName} is ${stack.StackStatus}: fix the resources named in its events (${stack.StackStatusReason ?? 'see the CloudFormation console'}), e.g. with "continue update rollback", then run again.`,
    );
  }
  return stack;
}

/** Same template, parameters and user tags as deployed: no change set, no mutating call. */
async function unchanged(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  stack: Stack,
): Promise<boolean> {
  if (
    !sameTemplate(
      await deployedTemplate(deps.cloudformation, inputs.stackName),
      inputs.template.body,
    )
  )
    return false;
  const deployed = new Map(
    (stack.Parameters ?? []).map((parameter) => [parameter.ParameterKey, parameter.ParameterValue]),
  );
  for (const [key, value] of inputs.parameterOverrides)
    if (deployed.get(key) !== value) return false;
  // A parameter the deployed stack lacks is new in the template: CloudFormation must see it.
  for (const key of inputs.template.parameters.keys()) if (!deployed.has(key)) return false;
  const userTags = (tags: readonly Tag[] | undefined) =>
    JSON.stringify(
      (tags ?? [])
        .filter((tag) => !GITHUB_TAGS.some((name) => name === tag.Key))
        .sort((a, b) => (a.Key ?? '').localeCompare(b.Key ?? '')),
    );
  return userTags(stack.Tags) === userTags(inputs.tags);
}

/** Overrides as given; parameters the stack already has keep their value; the rest take defaults. */
function parametersFor(inputs: CfnDeployInputs, stack: Stack | undefined): Parameter[] {
  const existing = new Set((stack?.Parameters ?? []).map((parameter) => parameter.ParameterKey));
  return [...inputs.template.parameters.keys()].flatMap((key): Parameter[] => {
    const value = inputs.parameterOverrides.get(key);
    if (value !== undefined) return [{ ParameterKey: key, ParameterValue: value }];
    return existing.has(key) ? [{ ParameterKey: key, UsePreviousValue: true }] : [];
  });
}

function tagsFor(inputs: CfnDeployInputs, run: RunContext): Tag[] {
  return [
    ...inputs.tags,
    { Key: 'github:sha', Value: run.sha },
    { Key: 'github:run-url', Value: run.runUrl.slice(0, 256) },
  ];
}

/** Inline when it fits (minified if need be); otherwise uploaded to the stack's artifact bucket. */
async function templateSource(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  stack: Stack | undefined,
): Promise<{ TemplateBody: string } | { TemplateURL: string }> {
  const body = compactBody(inputs.template, INLINE_TEMPLATE_LIMIT);
  if (Buffer.byteLength(body) <= INLINE_TEMPLATE_LIMIT) return { TemplateBody: body };
  const bucket = stack?.Outputs?.find(
    (output) => output.OutputKey === 'ArtifactBucketName',
  )?.OutputValue;
  if (!bucket) {
    throw new ConfigurationError(
      `Input "template": ${inputs.templatePath} is ${Buffer.byteLength(body)} bytes, over CloudFormation's ${INLINE_TEMPLATE_LIMIT}-byte inline limit, and stack ${inputs.stackName} has no ArtifactBucketName output to upload it to.`,
    );
  }
  const key = `cloudformation/${inputs.stackName}/${createHash('sha256').update(body).digest('hex')}.json`;
  await withContext(`could not upload the template to s3://${bucket}/${key}`, () =>
    deps.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
  );
  deps.io.info(
    `Template is over ${INLINE_TEMPLATE_LIMIT} bytes: uploaded to s3://${bucket}/${key}.`,
  );
  return { TemplateURL: `https://${bucket}.s3.amazonaws.com/${key}` };
}

async function cleanUpChangeSet(
  deps: CfnDeployDeps,
  changeSetName: string,
  stackName: string,
): Promise<void> {
  try {
    await deleteChangeSet(deps.cloudformation, changeSetName, stackName);
  } catch (error) {
    deps.io.debug(`empty change set ${changeSetName} was not deleted: ${String(error)}`);
  }
}

async function previewOnly(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  changeSetId: string,
  type: 'CREATE' | 'UPDATE',
  preview: string,
  changes: readonly Change[],
): Promise<void> {
  const { io, cloudformation } = deps;
  await deleteChangeSet(cloudformation, changeSetId, inputs.stackName);
  if (type === 'CREATE')
    await deleteStackAndWait(
      cloudformation,
      inputs.stackName,
      'a preview leaves no stack behind',
      600,
    );
  io.setOutput('changed', 'true');
  io.setOutput('status', 'PREVIEW');
  await io.summary.addRaw(`${preview}\n`).write();
  const comments =
    deps.pullRequestComments && inputs.githubToken && deps.run.pullRequestNumber !== undefined
      ? deps.pullRequestComments(inputs.githubToken)
      : undefined;
  if (comments) {
    const action = await withContext('could not comment on the pull request', () =>
      upsertComment(comments, `${COMMENT_MARKER}:${inputs.stackName}`, preview),
    );
    io.info(`Change set preview ${action} on pull request #${String(deps.run.pullRequestNumber)}.`);
  }
  io.info(
    `Preview only (execute: false): ${changes.length} change(s) described, nothing executed; the change set was deleted.`,
  );
}

async function applyTerminationProtection(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  stack: Stack,
): Promise<Stack> {
  if (!inputs.terminationProtection || stack.EnableTerminationProtection) return stack;
  await protectFromTermination(deps.cloudformation, inputs.stackName);
  deps.io.info(`Termination protection enabled on stack ${inputs.stackName}.`);
  return { ...stack, EnableTerminationProtection: true };
}

async function reportFailure(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  stack: Stack | undefined,
  events: readonly StackEvent[],
  started: number,
): Promise<void> {
  const { io } = deps;
  const failed = events.filter(
    (event) =>
      event.ResourceStatus?.endsWith('_FAILED') && event.LogicalResourceId !== inputs.stackName,
  );
  for (const event of failed) {
    const line = lineOfLogicalId(inputs.template.body, event.LogicalResourceId ?? '');
    io.error(
      `${event.LogicalResourceId ?? '?'} (${event.ResourceType ?? '?'}) ${event.ResourceStatus ?? ''}: ${event.ResourceStatusReason ?? 'no reason given'}`,
      {
        title: `CloudFormation could not deploy ${event.LogicalResourceId ?? 'a resource'}`,
        file: inputs.templatePath,
        ...(line ? { startLine: line } : {}),
      },
    );
  }
  const status = stack?.StackStatus ?? 'DELETE_COMPLETE (deleted after its creation failed)';
  io.setOutput('status', status);
  io.setOutput('changed', 'true');
  if (stack?.StackId) io.setOutput('stack-id', stack.StackId);
  await io.summary
    .addRaw(
      failureMarkdown(inputs.stackName, status, failed, formatDuration(deps.clock.now() - started)),
    )
    .write();
  io.setFailed(
    `Stack ${inputs.stackName} failed: ${status}. ${failed.length} resource(s) failed; see the annotations and the job summary.`,
  );
}

async function finish(
  deps: CfnDeployDeps,
  inputs: CfnDeployInputs,
  stack: Stack,
  result: { changed: boolean; changeSet: string; started: number },
): Promise<void> {
  const { io } = deps;
  io.setOutput('stack-id', stack.StackId ?? '');
  io.setOutput('status', stack.StackStatus ?? '');
  io.setOutput('changed', String(result.changed));
  io.setOutput('change-set', result.changeSet);
  const outputs = stack.Outputs ?? [];
  for (const output of outputs)
    if (output.OutputKey) io.setOutput(output.OutputKey, output.OutputValue ?? '');
  const heading = result.changed
    ? `## ✅ Stack ${inputs.stackName}: ${stack.StackStatus ?? ''}`
    : `## ✅ Stack ${inputs.stackName}: unchanged`;
  const lines = [
    heading,
    '',
    `${result.changed ? 'Deployed' : 'Nothing to deploy'} in ${formatDuration(deps.clock.now() - result.started)} · commit \`${deps.run.sha.slice(0, 12)}\` · [run](${deps.run.runUrl})`,
    '',
    result.changed ? result.changeSet : `_${result.changeSet} No change set was executed._`,
    '',
    outputsMarkdown(outputs),
    '',
  ];
  await io.summary.addRaw(lines.join('\n')).write();
}
