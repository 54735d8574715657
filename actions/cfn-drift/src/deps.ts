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
export interface Invocation {
  readonly deps: DriftDeps;
  readonly inputs: DriftInputs;
  readonly started: number;
  readonly deadline: number;
}
