import { describeAlias, isOnlyOn, pointAlias, readAlias, type AliasState } from './alias';
import { shiftThroughCodeDeploy, type ShiftOutcome } from './codedeploy-shift';
import type { LambdaDeployDeps } from './main';
import { preTrafficCheck, type CheckResult } from './pre-traffic-check';
import type { CodeDeployShift, ReleaseInputs } from './release-inputs';

/** What happened to the alias, for the outputs and the summary. */
export interface ReleaseOutcome {
  readonly alias: string;
  readonly version: string;
  readonly previousVersion: string;
  /** How traffic was (or would have been) shifted: "all at once" or the CodeDeploy configuration. */
  readonly method: string;
  /** Nothing was called that changes anything (the alias already is where it should be, or stays). */
  readonly untouched: boolean;
  /** Traffic reached the new version and went back to the previous one. */
  readonly rolledBack: boolean;
  readonly check: CheckResult | undefined;
  readonly shift: ShiftOutcome | undefined;
  /** Why the step fails; undefined when the alias ends where it should. */
  readonly failure: string | undefined;
  readonly note: string | undefined;
  /** The note deserves a warning annotation: the alias is not where this code would put it. */
  readonly noteIsWarning: boolean;
}

/**
 * Moves `alias` to `version`: the pre-traffic check first (the alias does not move when it
 * fails), then all at once or through CodeDeploy; a failed shift leaves the alias on the
 * previous version. `newCode` false means this run changed nothing: then nothing is moved.
 */
export async function releaseVersion(
  deps: LambdaDeployDeps,
  functionName: string,
  release: ReleaseInputs,
  version: string,
  newCode: boolean,
): Promise<ReleaseOutcome> {
  const before = await readAlias(deps, functionName, release.alias);
  const method =
    release.trafficShift.kind === 'codedeploy' ? release.trafficShift.configName : 'all at once';
  const base = {
    alias: release.alias,
    version,
    previousVersion: before.version,
    method,
    rolledBack: false,
    check: undefined,
    shift: undefined,
    failure: undefined,
    note: undefined,
    noteIsWarning: false,
  };
  const untouched = (note: string | undefined, failure?: string): ReleaseOutcome => ({
    ...base,
    untouched: true,
    note,
    // Read only with a note: a note on an alias not on `version` says it is not where it should be.
    noteIsWarning: !isOnlyOn(before, version),
    failure,
  });
  if (isOnlyOn(before, version))
    return untouched(`${release.alias} already sends all traffic to version ${version}.`);
  if (!newCode)
    return untouched(
      version === '$LATEST'
        ? `No published version holds this code; ${release.alias} stays on ${describeAlias(before)}.`
        : `${release.alias} stays on ${describeAlias(before)}: version ${version} holds this code but was rolled back or failed its check. Deploy new code, or release version ${version} with the rollback workflow.`,
    );
  if (Object.keys(before.weights).some((other) => (before.weights[other] ?? 0) > 0))
    return untouched(
      undefined,
      `alias ${release.alias} is in the middle of a shift (${describeAlias(before)}); wait for that deployment to end, or roll back, before releasing version ${version}.`,
    );
  const check = release.preTrafficCheck
    ? await preTrafficCheck(deps, functionName, version)
    : undefined;
  if (check && !check.passed)
    return {
      ...base,
      untouched: false,
      check,
      failure: `${check.message}; ${release.alias} stays on version ${before.version}.`,
    };
  if (check) deps.io.info(check.message);
  const through = release.trafficShift;
  if (through.kind === 'all-at-once') {
    await pointAlias(deps, functionName, release.alias, version);
    return { ...base, untouched: false, check };
  }
  return {
    ...base,
    check,
    ...(await shift(deps, functionName, release, through, before, version)),
  };
}

async function shift(
  deps: LambdaDeployDeps,
  functionName: string,
  release: ReleaseInputs,
  through: CodeDeployShift,
  before: AliasState,
  version: string,
): Promise<Pick<ReleaseOutcome, 'untouched' | 'rolledBack' | 'shift' | 'failure'>> {
  const outcome = await shiftThroughCodeDeploy(deps, functionName, release, through, {
    from: before.version,
    to: version,
  });
  const after = await readAlias(deps, functionName, release.alias);
  if (outcome.succeeded && isOnlyOn(after, version))
    return { untouched: false, rolledBack: false, shift: outcome, failure: undefined };
  if (outcome.timedOut)
    return {
      untouched: false,
      rolledBack: false,
      shift: outcome,
      failure: `CodeDeploy deployment ${outcome.deploymentId} was still in progress after ${release.timeoutMinutes} minutes (${release.alias}: ${describeAlias(after)}); it goes on in CodeDeploy, watched by its alarms.`,
    };
  // CodeDeploy's automatic rollback has run; make sure, as a person would, that it went back.
  if (!isOnlyOn(after, before.version))
    await pointAlias(deps, functionName, release.alias, before.version);
  const why = outcome.succeeded
    ? `ended with ${release.alias} on ${describeAlias(after)}`
    : `failed: ${outcome.reason}`;
  return {
    untouched: false,
    rolledBack: true,
    shift: outcome,
    failure: `CodeDeploy deployment ${outcome.deploymentId} of version ${version} ${why}; ${release.alias} is back on version ${before.version}.`,
  };
}
