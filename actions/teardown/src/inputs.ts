import { ConfigurationError } from '../../shared/errors';
import {
  readBoolean,
  readInteger,
  readRoleArn,
  readString,
  readStackName,
} from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';

export interface TeardownInputs {
  readonly stackName: string;
  readonly backup: boolean;
  readonly timeoutMinutes: number;
  /** The CloudFormation execution role DeleteStack runs as; empty: the caller's credentials. */
  readonly roleArn: string;
}

/** Validates everything, the confirmation above all, before any AWS call. */
export function getInputs(io: Pick<ActionIO, 'getInput'>): TeardownInputs {
  const stackName = readStackName(io, 'stack-name');
  const confirm = readString(io, 'confirm', { required: true });
  if (confirm !== stackName) {
    throw new ConfigurationError(
      `Input "confirm" must be exactly the stack name "${stackName}" (got "${confirm}"). Nothing was touched.`,
    );
  }
  return {
    stackName,
    backup: readBoolean(io, 'backup', true),
    timeoutMinutes: readInteger(io, 'timeout-minutes', { fallback: 60, min: 1, max: 360 }),
    roleArn: readRoleArn(io, 'role-arn'),
  };
}
