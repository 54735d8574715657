import { readBoolean, readInteger, readString, readStackName } from '../../shared/inputs';
import { ConfigurationError } from '../../shared/errors';
import type { ActionIO } from '../../shared/io';

export interface DriftInputs {
  readonly stackName: string;
  readonly failOnDrift: boolean;
  readonly timeoutMinutes: number;
  /** Empty: no issue is kept; otherwise one issue per stack is opened, updated and closed. */
  readonly githubToken: string;
  readonly issueLabel: string;
}

const LABEL = /^[^,]{1,50}$/;

/** Validates every input before any AWS call. */
export function getInputs(io: Pick<ActionIO, 'getInput'>): DriftInputs {
  const issueLabel = readString(io, 'issue-label', { fallback: 'drift' });
  if (!LABEL.test(issueLabel)) {
    throw new ConfigurationError(
      `Input "issue-label": "${issueLabel}" is not a GitHub label (1 to 50 characters, no comma).`,
    );
  }
  return {
    stackName: readStackName(io, 'stack-name'),
    failOnDrift: readBoolean(io, 'fail-on-drift', false),
    timeoutMinutes: readInteger(io, 'timeout-minutes', { fallback: 30, min: 1, max: 360 }),
    githubToken: readString(io, 'github-token'),
    issueLabel,
  };
}
