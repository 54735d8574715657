import { runAction } from '../../shared/run';
import { timeWindow } from '../../shared/wait';
import { act } from './act';
import type { CfnDeployDeps, DeployRun } from './deps';
import { getInputs } from './inputs';
import { planStack } from './plan';
import { preview } from './preview';
import { report } from './result';
import { executeReviewed } from './review';

export type { CfnDeployDeps } from './deps';

export function run(deps: CfnDeployDeps): Promise<void> {
  return runAction(deps.io, () => deploy(deps));
}

/** Read inputs → plan (read calls only) → act in the run's mode → report. The preview has its own path. */
async function deploy(deps: CfnDeployDeps): Promise<void> {
  const inputs = getInputs(deps.io, deps.workspace);
  const run: DeployRun = { deps, inputs, ...timeWindow(deps.clock, inputs.timeoutMinutes) };

  if (inputs.mode === 'execute-reviewed') {
    await report(run, await executeReviewed(run));
    return;
  }
  if (inputs.mode === 'preview') {
    await report(run, await preview(run));
    return;
  }
  const plan = await deps.io.group(`Inspect stack ${inputs.stackName}`, () => planStack(run));
  await report(run, await act(run, plan));
}
