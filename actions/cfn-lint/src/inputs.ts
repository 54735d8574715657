import type { ActionIO } from '../../shared/io';
import { readChoice, readLines } from '../../shared/inputs';
import { ConfigurationError } from '../../shared/errors';

export const SEVERITIES = ['error', 'warning', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface CfnLintInputs {
  readonly templatePatterns: readonly string[];
  readonly failOn: Severity;
}

export function getInputs(io: Pick<ActionIO, 'getInput'>): CfnLintInputs {
  const templatePatterns = readLines(io, 'template');
  if (templatePatterns.length === 0)
    throw new ConfigurationError('Input "template" is empty; give a template path or glob.');
  return { templatePatterns, failOn: readChoice(io, 'fail-on', SEVERITIES, 'warning') };
}
