import { runAction } from '../../shared/run';
import { createDeployment, packRevision, upload } from './deploy';
import { agentNotReady, followDeployment } from './follow';
import { getInputs, type CodeDeployPushInputs } from './inputs';
import type { CodeDeployPushDeps } from './deps';
import type { Revision } from './model';
import { plan } from './plan';
import { report, reportFailure } from './report';

export type { CodeDeployPushDeps } from './deps';

const AGENT_RETRY_MS = 30_000;

export function run(deps: CodeDeployPushDeps): Promise<void> {
  return runAction(deps.io, () => push(deps));
}

/** Read inputs → pack → plan → upload → deploy and follow → report. */
async function push(deps: CodeDeployPushDeps): Promise<void> {
  const inputs = getInputs(deps.io, deps.workspace);
  const started = deps.clock.now();
  const deadline = started + inputs.timeoutMinutes * 60_000;
  const revision = packRevision(inputs);
  deps.io.info(
    `Revision ${inputs.revision}/: ${revision.zip.length} bytes → s3://${revision.bucket}/${revision.key}`,
  );
  const decision = await plan(deps, inputs, revision, deadline);
  if (!decision.deploy) {
    const id = decision.lastDeploymentId;
    const result = { id, status: 'Succeeded', changed: false, revision, targets: [], started };
    await report(deps, inputs, result);
    return;
  }
  await upload(deps, revision);
  await deployAndFollow(deps, inputs, revision, { started, deadline });
}

/** Creates the deployment and follows it; retries while a new instance's agent is not up. */
async function deployAndFollow(
  deps: CodeDeployPushDeps,
  inputs: CodeDeployPushInputs,
  revision: Revision,
  { started, deadline }: { started: number; deadline: number },
): Promise<void> {
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
    const outcome = await deps.io.group(`Deployment ${id}`, () =>
      followDeployment(deps, inputs, id, deadline),
    );
    if (outcome.info.status === 'Succeeded') {
      const { targets } = outcome;
      await report(deps, inputs, {
        id,
        status: 'Succeeded',
        changed: true,
        revision,
        targets,
        started,
      });
      return;
    }
    if (!agentNotReady(outcome) || deps.clock.now() + AGENT_RETRY_MS >= deadline) {
      await reportFailure(deps, inputs, outcome, { id, revision, started });
      return;
    }
    deps.io.warning(
      `Deployment ${id} found no instance ready (${outcome.info.errorInformation?.message ?? 'no hook ran'}): a new instance's CodeDeploy agent may still be starting. Retrying in ${AGENT_RETRY_MS / 1000}s.`,
    );
    await deps.clock.sleep(AGENT_RETRY_MS);
  }
}
