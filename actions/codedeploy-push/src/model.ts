import type { DeploymentInfo, LifecycleEvent } from '@aws-sdk/client-codedeploy';

/** The zipped revision and where it lives: its key is its content hash. */
export interface Revision {
  readonly bucket: string;
  readonly key: string;
  readonly zip: Buffer;
}

export interface TargetEvents {
  readonly targetId: string;
  readonly status: string | undefined;
  readonly events: readonly LifecycleEvent[];
}

export interface Outcome {
  readonly info: DeploymentInfo;
  readonly targets: readonly TargetEvents[];
}

export const IN_PROGRESS = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
