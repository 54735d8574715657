import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { ActionIO } from '../../shared/io';
import type { Clock } from '../../shared/wait';
import type { DriftIssues } from './issue';
import type { DriftInputs } from './inputs';

export interface DriftDeps {
  readonly io: ActionIO;
  readonly cloudformation: CloudFormationClient;
  readonly clock: Clock;
  /** The repository's issues, reached with a token (the edge builds it with @actions/github). */
  readonly issues: (token: string) => DriftIssues;
  /** A link back to this run, for the issue's text. */
  readonly runUrl: string;
}

/** One run: its dependencies, its validated inputs, when it started and when every wait ends. */
export interface DriftRun {
  readonly deps: DriftDeps;
  readonly inputs: DriftInputs;
  readonly started: number;
  readonly deadline: number;
}

/** One property that differs, as the report output carries it. */
export interface PropertyDrift {
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
  /** ADD, REMOVE or NOT_EQUAL. */
  readonly kind: string;
}

/** One resource of the stack and what detection found for it. */
export interface ResourceDrift {
  readonly logicalId: string;
  readonly type: string;
  /** IN_SYNC, MODIFIED, DELETED, NOT_CHECKED or UNKNOWN. */
  readonly status: string;
  readonly differences: readonly PropertyDrift[];
}

export type OverallStatus = 'IN_SYNC' | 'DRIFTED' | 'UNKNOWN';

export interface DriftResult {
  readonly stackName: string;
  readonly status: OverallStatus;
  readonly resources: readonly ResourceDrift[];
  /** Why detection failed, when it did (some resources could not be checked). */
  readonly failure: string | undefined;
}

export const isDrifted = (resource: ResourceDrift): boolean =>
  resource.status === 'MODIFIED' || resource.status === 'DELETED';
