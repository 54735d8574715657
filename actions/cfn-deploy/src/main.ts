import { runAction } from '../../shared/run';
import { timeWindow } from '../../shared/wait';
import { act } from './act';
import type { CfnDeployDeps, Invocation } from './deps';
import { getInputs } from './inputs';
import { planStack } from './plan';
import { preview } from './preview';
import { report } from './report';
import { executeReviewed } from './review';
import { revertDrift } from './revert-drift';

export type { CfnDeployDeps } from './deps';

export function run(deps: CfnDeployDeps): Promise<void> {
  return runAction(deps.io, () => deploy(deps));
}

/** Read inputs → plan (read calls only) → act in the run's mode → report. The preview has its own path. */
async function deploy(deps: CfnDeployDeps): Promise<void> {
  const inputs = getInputs(deps.io, deps.workspace);
  const invocation: Invocation = { deps, inputs, ...timeWindow(deps.clock, inputs.timeoutMinutes) };

  if (inputs.mode === 'execute-reviewed') {
    await report(invocation, await executeReviewed(invocation));
    return;
  }
  if (inputs.deploymentMode === 'REVERT_DRIFT') {
    await report(invocation, await revertDrift(invocation));
    return;
  }
  if (inputs.mode === 'preview') {
    await report(invocation, await preview(invocation));
    return;
  }
  const plan = await deps.io.group(`Inspect stack ${inputs.stackName}`, () =>
    planStack(invocation),
  );
  await report(invocation, await act(invocation, plan));
}
