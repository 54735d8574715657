import type { LifecycleEvent } from '@aws-sdk/client-codedeploy';
import { StateError } from '../../shared/errors';
import { table } from '../../shared/summary';
import { formatDuration } from '../../shared/wait';
import type { CodeDeployPushInputs } from './inputs';
import type { CodeDeployPushDeps } from './deps';
import type { Outcome, Revision, TargetEvents } from './model';

export interface Result {
  readonly id: string;
  readonly status: string;
  readonly changed: boolean;
  readonly revision: Revision;
  readonly targets: readonly TargetEvents[];
  readonly started: number;
}

/** Outputs and the job summary: every instance's lifecycle events. */
export async function report(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  result: Result,
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
      : "_The group's last successful deployment used this exact revision and reached every instance the group has: nothing was uploaded or deployed._",
    table(['Instance', 'Lifecycle event', 'Status', 'Took', 'Script', 'Error'], rows),
    '',
  ];
  await io.summary.addRaw(lines.join('\n')).write();
}

/**
 * One annotation per failed lifecycle event, on its script in the revision, and the summary;
 * then the step fails (a StateError, failed by the shared runner).
 */
export async function reportFailure(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  outcome: Outcome,
  result: Omit<Result, 'status' | 'changed' | 'targets'>,
): Promise<void> {
  const failed = outcome.targets.flatMap((target) =>
    target.events
      .filter((event) => event.status === 'Failed')
      .map((event) => ({ target: target.targetId, event })),
  );
  for (const { target, event } of failed) annotate(deps, inputs, target, event);
  const status = outcome.info.status ?? 'Failed';
  await report(deps, inputs, { ...result, status, changed: true, targets: outcome.targets });
  const first = failed[0];
  const where = first
    ? `${first.event.lifecycleEventName ?? ''} (${first.event.diagnostics?.scriptName ?? 'no script'}) failed on ${first.target}`
    : (outcome.info.errorInformation?.message ?? 'no detail given');
  throw new StateError(
    `Deployment ${result.id} ${status}: ${where}. See the annotations and the job summary.`,
  );
}

function annotate(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  target: string,
  event: LifecycleEvent,
): void {
  const diagnostics = event.diagnostics ?? {};
  const name = event.lifecycleEventName ?? 'A hook';
  const file = diagnostics.scriptName
    ? `${inputs.revision}/${diagnostics.scriptName}`
    : `${inputs.revision}/appspec.yml`;
  const tail = diagnostics.logTail
    ? `\n\nLast lines of the script's output:\n${diagnostics.logTail.trim()}`
    : '';
  const previous = name === 'ApplicationStop' ? applicationStopNote(target) : '';
  deps.io.error(
    `${name} failed on ${target} (${diagnostics.errorCode ?? 'unknown error'}): ${diagnostics.message ?? ''}${previous}${tail}`,
    {
      title: `CodeDeploy ${name} failed: ${diagnostics.scriptName ?? ''}${name === 'ApplicationStop' ? " (the previous revision's script)" : ''}`,
      file,
      startLine: 1,
    },
  );
}

/**
 * ApplicationStop runs the script of the last revision whose Install succeeded on the instance,
 * not this one's: fixing the script in this revision cannot help this deployment.
 */
function applicationStopNote(target: string): string {
  return (
    `\n\nThe script that failed is the previous revision's copy, from the last deployment whose Install succeeded on ${target}, ` +
    "not this revision's: a fix in this revision takes effect only once it is installed. " +
    'To get past it, deploy once with `ignore-application-stop-failures: true` (this revision then ' +
    'installs, and its own script runs from the next deployment on), or fix or remove the old script on the instance.'
  );
}
