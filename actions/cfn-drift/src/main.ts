import { StateError } from '../../shared/errors';
import { runAction } from '../../shared/run';
import { timeWindow } from '../../shared/wait';
import { detectDrift, type Detection } from './detect';
import type { DriftDeps, Invocation } from './deps';
import type { DriftResult, OverallStatus } from './result';
import { resourceDrifts } from './drifts';
import { getInputs } from './inputs';
import { syncIssue } from './issue';
import { publishDrift } from './report';

export type { DriftDeps } from './deps';

export function run(deps: DriftDeps): Promise<void> {
  return runAction(deps.io, () => checkDrift(deps));
}

/** Read inputs → detect (waiting out another operation) → read every resource → report. */
async function checkDrift(deps: DriftDeps): Promise<void> {
  const inputs = getInputs(deps.io);
  const invocation: Invocation = { deps, inputs, ...timeWindow(deps.clock, inputs.timeoutMinutes) };
  const detection = await deps.io.group(`Detect drift on ${inputs.stackName}`, () =>
    detectDrift(invocation),
  );
  const result: DriftResult = {
    stackName: inputs.stackName,
    status: overallStatus(detection),
    resources: await resourceDrifts(invocation),
    failure:
      detection.DetectionStatus === 'DETECTION_FAILED'
        ? (detection.DetectionStatusReason ?? 'no reason given')
        : undefined,
  };
  await publishDrift(deps.io, result);
  if (inputs.githubToken) {
    const issue = await syncIssue(
      deps.issues(inputs.githubToken),
      inputs.issueLabel,
      result,
      deps.runUrl,
    );
    deps.io.info(`Drift issue: ${issue.action}${issue.number ? ` #${issue.number}` : ''}`);
  }
  failIfNeeded(invocation, result);
}

/** A failed detection may still have found drift; without a finished check the verdict is UNKNOWN. */
function overallStatus(detection: Detection): OverallStatus {
  if (detection.StackDriftStatus === 'DRIFTED') return 'DRIFTED';
  if (
    detection.DetectionStatus === 'DETECTION_COMPLETE' &&
    detection.StackDriftStatus === 'IN_SYNC'
  )
    return 'IN_SYNC';
  return 'UNKNOWN';
}

function failIfNeeded(invocation: Invocation, result: DriftResult): void {
  const { stackName, failOnDrift } = invocation.inputs;
  if (result.failure) {
    throw new StateError(
      `Drift detection on stack ${stackName} failed (DETECTION_FAILED): ${result.failure}`,
    );
  }
  if (failOnDrift && result.status === 'DRIFTED') {
    const count = result.resources.filter(
      (r) => r.status === 'MODIFIED' || r.status === 'DELETED',
    ).length;
    throw new StateError(
      `Stack ${stackName} has drifted: ${count} resource(s) changed outside CloudFormation (fail-on-drift: true); see the job summary.`,
    );
  }
}
