import { ConfigurationError } from '../../shared/errors';
import { readString } from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';

export type DeploymentMode = 'REVERT_DRIFT' | undefined;

/** `deployment-mode`, named and spelled as the official CloudFormation deploy action takes it. */
export function readDeploymentMode(io: Pick<ActionIO, 'getInput'>): DeploymentMode {
  const raw = readString(io, 'deployment-mode');
  if (!raw) return undefined;
  if (raw.toUpperCase() === 'REVERT_DRIFT') return 'REVERT_DRIFT';
  throw new ConfigurationError(
    `Input "deployment-mode" must be REVERT_DRIFT (or empty for a normal deploy), not "${raw}".`,
  );
}
