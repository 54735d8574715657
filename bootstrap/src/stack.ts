// The bootstrap stack, deployed through the same change-set code as the cfn-deploy action: the
// plan is shown before anything changes, executed only when approved, and a failure is reported
// with the resources that failed.
import type { Change, Parameter, Stack } from '@aws-sdk/client-cloudformation';
import { settledStack } from '../../actions/shared/busy-stack';
import {
  describeStack,
  eventLine,
  isFailure,
  waitForStack,
} from '../../actions/shared/cloudformation';
import { ConfigurationError, StateError } from '../../actions/shared/errors';
import { reportFailedEvents } from '../../actions/shared/failed-events';
import type { Clock } from '../../actions/shared/wait';
import {
  createChangeSet,
  deleteChangeSet,
  deleteStackAndWait,
  executeChangeSet,
  type DescribedChangeSet,
} from '../../actions/cfn-deploy/src/change-set';
import type { AwsClients } from './deps';

export const TEMPLATE_PATH = 'cloudformation/bootstrap-oidc.json';

export interface StackRun {
  readonly clients: AwsClients;
  readonly log: (line: string) => void;
  readonly clock: Clock;
  readonly deadline: number;
  readonly stackName: string;
  readonly template: string;
  /** The parameters, decided once the stack as it stands is known. */
  readonly parameters: (stack: Stack | undefined) => Promise<Parameter[]>;
  readonly dryRun: boolean;
  /** undefined: no terminal to ask on (and no --yes). */
  readonly approve: (question: string) => Promise<boolean | undefined>;
}

export interface StackResult {
  readonly changed: boolean;
  readonly outputs: Readonly<Record<string, string>>;
}

const REPLACE: Readonly<Record<string, string>> = {
  ROLLBACK_COMPLETE: 'its creation failed and rolled back; it holds no resources',
  REVIEW_IN_PROGRESS: 'a change set created it and never ran; it holds no resources',
};
const NEEDS_REPAIR = /(DELETE_FAILED|UPDATE_ROLLBACK_FAILED)$/;
const MAX_WAIT_SECONDS = 600;

export async function deployStack(run: StackRun): Promise<StackResult> {
  const stack = await currentStack(run);
  if (stack === 'planned-replacement') return { changed: false, outputs: {} };
  const type = stack ? 'UPDATE' : 'CREATE';
  const outcome = await createChangeSet(
    run.clients.cloudformation,
    {
      StackName: run.stackName,
      ChangeSetName: `bootstrap-${run.clock.now().toString(36)}`,
      ChangeSetType: type,
      TemplateBody: run.template,
      Parameters: await run.parameters(stack),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Description: 'npm run bootstrap',
    },
    MAX_WAIT_SECONDS,
  );
  if (outcome.kind === 'empty') {
    if (outcome.changeSetId)
      await deleteChangeSet(run.clients.cloudformation, outcome.changeSetId, run.stackName);
    run.log(`Stack ${run.stackName} is up to date: no changes, nothing executed.`);
    return { changed: false, outputs: outputsOf(stack) };
  }
  if (outcome.kind === 'failed') {
    await discard(run, outcome.changeSetId, type);
    throw new StateError(`CloudFormation could not plan stack ${run.stackName}: ${outcome.reason}`);
  }
  run.log(planText(run.stackName, type, outcome.changeSet.changes));
  if (run.dryRun) {
    await discard(run, outcome.changeSet.id, type);
    run.log('Dry run: the change set was deleted; nothing changed.');
    return { changed: false, outputs: outputsOf(stack) };
  }
  await approveOrDiscard(run, outcome.changeSet, type);
  return { changed: true, outputs: await executeAndWait(run, outcome.changeSet) };
}

/** The stack once settled; one that holds nothing is deleted first (a dry run only says so). */
async function currentStack(run: StackRun): Promise<Stack | undefined | 'planned-replacement'> {
  const { stack } = await settledStack(run.clients.cloudformation, run.stackName, {
    clock: run.clock,
    deadline: run.deadline,
    log: run.log,
    atTimeout: 'nothing was changed; try again later.',
  });
  const status = stack?.StackStatus ?? '';
  if (NEEDS_REPAIR.test(status)) {
    throw new StateError(
      `Stack ${run.stackName} is ${status}: fix the resources named in its events (${stack?.StackStatusReason ?? 'see the CloudFormation console'}), then run again.`,
    );
  }
  const why = REPLACE[status];
  if (!why) return stack;
  if (run.dryRun) {
    run.log(
      `Stack ${run.stackName} is ${status} (${why}): a run without --dry-run deletes it and creates it again.`,
    );
    return 'planned-replacement';
  }
  run.log(`Stack ${run.stackName} is ${status} (${why}): deleting it first.`);
  await deleteStackAndWait(run.clients.cloudformation, run.stackName, {
    why,
    roleArn: '',
    maxWaitSeconds: MAX_WAIT_SECONDS,
  });
  return undefined;
}

async function approveOrDiscard(
  run: StackRun,
  changeSet: DescribedChangeSet,
  type: 'CREATE' | 'UPDATE',
): Promise<void> {
  const verdict = await run.approve(`Execute this change set on stack ${run.stackName}? [y/N] `);
  if (verdict === true) return;
  await discard(run, changeSet.id, type);
  if (verdict === undefined) {
    throw new ConfigurationError(
      `Not executed: there is no terminal to ask on; review the plan above and run again with --yes (the change set was deleted; nothing changed).`,
    );
  }
  throw new StateError('Not executed: you declined (the change set was deleted; nothing changed).');
}

/** Deletes an unexecuted change set, and the empty stack a CREATE change set made for it. */
async function discard(
  run: StackRun,
  changeSetId: string,
  type: 'CREATE' | 'UPDATE',
): Promise<void> {
  const cloudformation = run.clients.cloudformation;
  await deleteChangeSet(cloudformation, changeSetId, run.stackName);
  if (type === 'CREATE') {
    await deleteStackAndWait(cloudformation, run.stackName, {
      why: 'it only held the change set',
      roleArn: '',
      maxWaitSeconds: MAX_WAIT_SECONDS,
    });
  }
}

async function executeAndWait(
  run: StackRun,
  changeSet: DescribedChangeSet,
): Promise<Record<string, string>> {
  const cloudformation = run.clients.cloudformation;
  const started = run.clock.now();
  const token = `bootstrap-${started.toString(36)}`;
  await executeChangeSet(cloudformation, changeSet.id, run.stackName, {
    token,
    disableRollback: false,
  });
  run.log(`Executing change set ${changeSet.name} on stack ${run.stackName}…`);
  const waited = await waitForStack(cloudformation, run.stackName, {
    clock: run.clock,
    deadline: run.deadline,
    token,
    onEvent: (event) => {
      run.log(eventLine(event, started));
    },
  });
  if (waited.timedOut) {
    throw new StateError(
      `Stack ${run.stackName} is still ${waited.stack?.StackStatus ?? 'changing'} at the timeout; CloudFormation goes on: run again once it has settled. Nothing was written to GitHub.`,
    );
  }
  if (!waited.stack || isFailure(waited.stack.StackStatus)) {
    const status = waited.stack?.StackStatus ?? 'DELETE_COMPLETE';
    const report = reportFailedEvents(
      {
        error: (message) => {
          run.log(`error: ${message}`);
        },
      },
      waited.events,
      {
        stackName: run.stackName,
        verb: 'deploy',
        template: { path: TEMPLATE_PATH, body: run.template },
      },
    );
    throw new StateError(
      `Stack ${run.stackName} failed and was rolled back (${status}); ${report.failed.length} resource(s) failed (listed above). Nothing was written to GitHub.`,
    );
  }
  run.log(`Stack ${run.stackName}: ${waited.stack.StackStatus ?? ''}.`);
  return outputsOf(await describeStack(cloudformation, run.stackName));
}

export function outputsOf(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries(
    (stack?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']),
  );
}

/** The change set's changes as people read them: one line each. */
export function planText(stackName: string, type: string, changes: readonly Change[]): string {
  const lines = changes.map((change) => {
    const resource = change.ResourceChange;
    const replacement = resource?.Replacement === 'True' ? ' (replacement)' : '';
    return `  ${(resource?.Action ?? '?').padEnd(8)} ${(resource?.LogicalResourceId ?? '?').padEnd(26)} ${resource?.ResourceType ?? ''}${replacement}`;
  });
  const what = type === 'CREATE' ? 'create' : 'update';
  return [
    `Plan for stack ${stackName} (${what}): ${changes.length} resource change(s)${changes.length ? ':' : ' (parameters or outputs only)'}`,
    ...lines,
  ].join('\n');
}
