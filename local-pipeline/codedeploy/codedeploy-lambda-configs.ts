import { randomBytes } from 'node:crypto';

/** How a Lambda deployment configuration moves traffic. */
export interface Weights {
  readonly type: 'AllAtOnce' | 'TimeBasedCanary' | 'TimeBasedLinear';
  readonly percentage: number;
  /** Minutes between steps. */
  readonly interval: number;
}

const PREDEFINED =
  /^CodeDeployDefault\.Lambda(?:(AllAtOnce)|Canary(\d+)Percent(\d+)Minutes?|Linear(\d+)PercentEvery(\d+)Minutes?)$/;

/** CodeDeploy's predefined Lambda configurations (read from their names) and created ones. */
export class DeploymentConfigs {
  private readonly created = new Map<string, Weights>();

  weightsOf(name: string): Weights | undefined {
    const predefined = PREDEFINED.exec(name);
    if (!predefined) return this.created.get(name);
    if (predefined[1]) return { type: 'AllAtOnce', percentage: 100, interval: 0 };
    const canary = predefined[2] !== undefined;
    return {
      type: canary ? 'TimeBasedCanary' : 'TimeBasedLinear',
      percentage: Number(canary ? predefined[2] : predefined[4]),
      interval: Number(canary ? predefined[3] : predefined[5]),
    };
  }

  /** GetDeploymentConfig's answer; throws "Code: message" when there is no such configuration. */
  describe(name: string): { deploymentConfigName: string; computePlatform: string } {
    if (!this.weightsOf(name))
      throw new Error(
        `DeploymentConfigDoesNotExistException: No deployment configuration found for name: ${name}`,
      );
    return { deploymentConfigName: name, computePlatform: 'Lambda' };
  }

  create(input: Record<string, unknown>): { deploymentConfigId: string } {
    const name = String(input.deploymentConfigName);
    if (this.weightsOf(name))
      throw new Error(`DeploymentConfigAlreadyExistsException: ${name} already exists`);
    const routing = input.trafficRoutingConfig as {
      type: 'TimeBasedCanary' | 'TimeBasedLinear';
      timeBasedCanary?: { canaryPercentage: number; canaryInterval: number };
      timeBasedLinear?: { linearPercentage: number; linearInterval: number };
    };
    const canary = routing.timeBasedCanary;
    const linear = routing.timeBasedLinear;
    this.created.set(name, {
      type: routing.type,
      percentage: canary?.canaryPercentage ?? linear?.linearPercentage ?? 100,
      interval: canary?.canaryInterval ?? linear?.linearInterval ?? 0,
    });
    return { deploymentConfigId: randomBytes(8).toString('hex') };
  }
}

/** The share of traffic (percent) on the new version after each step, ending at 100. */
export function steps(weights: Weights): number[] {
  if (weights.type === 'AllAtOnce') return [100];
  if (weights.type === 'TimeBasedCanary') return [weights.percentage, 100];
  const shares: number[] = [];
  for (let share = weights.percentage; share < 100; share += weights.percentage) shares.push(share);
  return [...shares, 100];
}
