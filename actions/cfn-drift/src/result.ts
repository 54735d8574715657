// What detection found: the action's result, its report output and the table.

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
