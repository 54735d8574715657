import { ConfigurationError } from './errors';
import type { ActionIO } from './io';

type InputReader = Pick<ActionIO, 'getInput'>;

/** A trimmed input; empty when not given (unless required, which fails naming it). */
export function readString(
  io: InputReader,
  name: string,
  options: { required?: boolean; fallback?: string } = {},
): string {
  const value = io.getInput(name).trim();
  if (value) return value;
  if (options.required) throw new ConfigurationError(`Input "${name}" is required.`);
  return options.fallback ?? '';
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** A boolean input; an empty optional input takes the default (never core.getBooleanInput). */
export function readBoolean(io: InputReader, name: string, fallback: boolean): boolean {
  const value = io.getInput(name).trim().toLowerCase();
  if (!value) return fallback;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ConfigurationError(
    `Input "${name}" must be true or false, not "${io.getInput(name).trim()}".`,
  );
}

export function readInteger(
  io: InputReader,
  name: string,
  options: { fallback: number; min: number; max: number },
): number {
  const raw = io.getInput(name).trim();
  if (!raw) return options.fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || value < options.min || value > options.max) {
    throw new ConfigurationError(
      `Input "${name}" must be a whole number from ${options.min} to ${options.max}, not "${raw}".`,
    );
  }
  return value;
}

/**
 * One of `choices`, whatever the case it is written in; `fallback` when empty. AWS's own enums
 * (ON_FAILURE values, file-exists behaviours) are upper-case: `upperCase` compares in that case.
 */
export function readChoice<T extends string>(
  io: InputReader,
  name: string,
  choices: readonly T[],
  fallback: T,
  { upperCase = false }: { readonly upperCase?: boolean } = {},
): T {
  const raw = io.getInput(name).trim();
  if (!raw) return fallback;
  const written = upperCase ? raw.toUpperCase() : raw.toLowerCase();
  const match = choices.find((choice) => choice === written);
  if (!match)
    throw new ConfigurationError(
      `Input "${name}" must be one of ${choices.join(', ')}, not "${raw}".`,
    );
  return match;
}

/** Non-empty lines of a multi-line input, trimmed; `#` starts a comment line. */
export function readLines(io: InputReader, name: string): string[] {
  return io
    .getInput(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A required CloudFormation stack name. */
export function readStackName(io: InputReader, name: string): string {
  const value = readString(io, name, { required: true });
  if (!STACK_NAME.test(value)) {
    throw new ConfigurationError(
      `Input "${name}": "${value}" is not a stack name (a letter, then up to 127 letters, digits and hyphens).`,
    );
  }
  return value;
}

/** An S3 bucket name; empty when not given (unless required). */
export function readBucketName(
  io: InputReader,
  name: string,
  options: { required?: boolean } = {},
): string {
  const value = readString(io, name, options);
  if (value && !BUCKET_NAME.test(value)) {
    throw new ConfigurationError(`Input "${name}": "${value}" is not an S3 bucket name.`);
  }
  return value;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** An IAM role ARN (the CloudFormation execution role); empty when not given. */
export function readRoleArn(io: InputReader, name: string): string {
  const value = readString(io, name);
  if (value && !ROLE_ARN.test(value)) {
    throw new ConfigurationError(
      `Input "${name}": "${value}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`,
    );
  }
  return value;
}
