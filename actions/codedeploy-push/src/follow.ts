import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { ConfigurationError, withContext } from '../../shared/errors';
import type { CodeDeployPushInputs } from './inputs';
import type { CodeDeployPushDeps } from './deps';
import { IN_PROGRESS, type Outcome } from './model';
import { deploymentTargets } from './targets';

/** Poll quickly at first (most deployments of this revision take seconds), then every 5 s. */
const POLL_SCHEDULE_MS = [1000, 2000, 3000, 5000];

/** Polls the deployment, logging each lifecycle event of each instance as its status changes. */
export async function followDeployment(
  deps: CodeDeployPushDeps,
  inputs: Pick<CodeDeployPushInputs, 'timeoutMinutes'>,
  id: string,
  deadline: number,
): Promise<Outcome> {
  const { io, clock } = deps;
  const seen = new Map<string, string>();
  for (let poll = 0; ; poll += 1) {
    const { deploymentInfo: info = {} } = await withContext(`could not read deployment ${id}`, () =>
      deps.codedeploy.send(new GetDeploymentCommand({ deploymentId: id })),
    );
    const targets = await deploymentTargets(deps, id);
    for (const target of targets) {
      for (const event of target.events) {
        const key = `${target.targetId}/${event.lifecycleEventName ?? ''}`;
        if (!event.status || seen.get(key) === event.status) continue;
        seen.set(key, event.status);
        if (event.status !== 'Pending')
          io.info(`${target.targetId} ${event.lifecycleEventName ?? ''}: ${event.status}`);
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

/** Failed before any hook ran on any instance: typical of an agent that is not up yet. */
export function agentNotReady(outcome: Outcome): boolean {
  const ran = outcome.targets.some((target) =>
    target.events.some(
      (event) => event.status && !['Pending', 'Skipped', 'Unknown'].includes(event.status),
    ),
  );
  return outcome.info.status === 'Failed' && !ran;
}
