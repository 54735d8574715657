import { describeAlias, isOnlyOn, pointAlias, readAlias, type AliasState } from './alias';
import { shiftThroughCodeDeploy, type ShiftOutcome } from './codedeploy-shift';
import type { LambdaDeployDeps } from './deps';
import { preTrafficCheck, type CheckResult } from './pre-traffic-check';
import type { CodeDeployShift, ReleaseInputs } from './release-inputs';

/** What every release outcome tells: the alias, the versions and how traffic was to move. */
interface ReleaseBase {
  readonly alias: string;
  readonly version: string;
  readonly previousVersion: string;
  /** How traffic was (or would have been) shifted: "all at once" or the CodeDeploy configuration. */
  readonly method: string;
  readonly check: CheckResult | undefined;
}

/** What happened to the alias, for the outputs and the summary. */
export type ReleaseOutcome =
  /** Nothing was called that changes anything: the alias already is where it should be, or stays. */
  | (ReleaseBase & {
      readonly kind: 'untouched';
      readonly note: string;
      /** The note deserves a warning: the alias is not where this code would put it. */
      readonly noteIsWarning: boolean;
    })
  /** Another shift is under way: nothing was touched, and the step fails. */
  | (ReleaseBase & { readonly kind: 'busy'; readonly failure: string })
  /** The pre-traffic check failed: the alias did not move. */
  | (ReleaseBase & { readonly kind: 'check-failed'; readonly failure: string })
  /** The alias sends all traffic to the new version (all at once, or through `shift`). */
  | (ReleaseBase & { readonly kind: 'released'; readonly shift: ShiftOutcome | undefined })
  /** The CodeDeploy deployment outlived the step: it goes on, watched by its alarms. */
  | (ReleaseBase & {
      readonly kind: 'timed-out';
      readonly shift: ShiftOutcome;
      readonly failure: string;
    })
  /** Traffic reached the new version and went back to the previous one. */
  | (ReleaseBase & {
      readonly kind: 'rolled-back';
      readonly shift: ShiftOutcome;
      readonly failure: string;
    });

/** Why the step fails; undefined when the alias ends where it should. */
export const releaseFailure = (outcome: ReleaseOutcome): string | undefined =>
  'failure' in outcome ? outcome.failure : undefined;

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
  const base = { alias: release.alias, version, previousVersion: before.version, method };
  const held = heldBack(release, before, version, newCode);
  if (held) return { ...base, check: undefined, ...held };
  const check = release.preTrafficCheck
    ? await preTrafficCheck(deps, functionName, version)
    : undefined;
  if (check && !check.passed) {
    const failure = `${check.message}; ${release.alias} stays on version ${before.version}.`;
    return { ...base, check, kind: 'check-failed', failure };
  }
  if (check) deps.io.info(check.message);
  const through = release.trafficShift;
  if (through.kind === 'all-at-once') {
    await pointAlias(deps, functionName, release.alias, version);
    return { ...base, check, kind: 'released', shift: undefined };
  }
  return {
    ...base,
    check,
    ...(await shift(deps, functionName, release, through, before, version)),
  };
}

type HeldBack =
  | { readonly kind: 'untouched'; readonly note: string; readonly noteIsWarning: boolean }
  | { readonly kind: 'busy'; readonly failure: string };

/** Why the alias is not to move at all, if it is not: it is there already, no new code, or busy. */
function heldBack(
  release: ReleaseInputs,
  before: AliasState,
  version: string,
  newCode: boolean,
): HeldBack | undefined {
  const { alias } = release;
  if (isOnlyOn(before, version))
    return {
      kind: 'untouched',
      note: `${alias} already sends all traffic to version ${version}.`,
      noteIsWarning: false,
    };
  if (!newCode)
    return {
      kind: 'untouched',
      note:
        version === '$LATEST'
          ? `No published version holds this code; ${alias} stays on ${describeAlias(before)}.`
          : `${alias} stays on ${describeAlias(before)}: version ${version} holds this code but was rolled back or failed its check. Deploy new code, or release version ${version} with the rollback workflow.`,
      noteIsWarning: true,
    };
  if (Object.keys(before.weights).some((other) => (before.weights[other] ?? 0) > 0))
    return {
      kind: 'busy',
      failure: `alias ${alias} is in the middle of a shift (${describeAlias(before)}); wait for that deployment to end, or roll back, before releasing version ${version}.`,
    };
  return undefined;
}

/** How a CodeDeploy shift ended, for the outcome. */
type ShiftEnd =
  | { readonly kind: 'released'; readonly shift: ShiftOutcome }
  | {
      readonly kind: 'timed-out' | 'rolled-back';
      readonly shift: ShiftOutcome;
      readonly failure: string;
    };

async function shift(
  deps: LambdaDeployDeps,
  functionName: string,
  release: ReleaseInputs,
  through: CodeDeployShift,
  before: AliasState,
  version: string,
): Promise<ShiftEnd> {
  const outcome = await shiftThroughCodeDeploy(deps, functionName, release, through, {
    from: before.version,
    to: version,
  });
  const after = await readAlias(deps, functionName, release.alias);
  if (outcome.succeeded && isOnlyOn(after, version)) return { kind: 'released', shift: outcome };
  if (outcome.timedOut)
    return {
      kind: 'timed-out',
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
    kind: 'rolled-back',
    shift: outcome,
    failure: `CodeDeploy deployment ${outcome.deploymentId} of version ${version} ${why}; ${release.alias} is back on version ${before.version}.`,
  };
}
