import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Capability, Tag } from '@aws-sdk/client-cloudformation';
import { ConfigurationError } from '../../shared/errors';
import {
  readBoolean,
  readInteger,
  readLines,
  readString,
  readStackName,
} from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';
import { parseTemplate, type ParsedTemplate } from './template';

export interface CfnDeployInputs {
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: ParsedTemplate;
  readonly parameterOverrides: ReadonlyMap<string, string>;
  readonly capabilities: readonly Capability[];
  readonly tags: readonly Tag[];
  readonly terminationProtection: boolean;
  readonly execute: boolean;
  readonly timeoutMinutes: number;
  readonly githubToken: string;
}

const PARAMETER_KEY = /^[A-Za-z0-9]{1,255}$/;
const CAPABILITIES: readonly Capability[] = [
  'CAPABILITY_IAM',
  'CAPABILITY_NAMED_IAM',
  'CAPABILITY_AUTO_EXPAND',
];

export function getInputs(io: Pick<ActionIO, 'getInput'>, workspace: string): CfnDeployInputs {
  const stackName = readStackName(io, 'stack-name');
  const templatePath = readString(io, 'template', {
    fallback: 'cloudformation/anomaly-detection.json',
  });
  const template = readTemplate(resolve(workspace, templatePath), templatePath);
  const parameterOverrides = readParameterOverrides(io, workspace);
  for (const key of parameterOverrides.keys()) {
    if (!template.parameters.has(key)) {
      throw new ConfigurationError(
        `Input "parameter-overrides": ${key} is not a parameter of ${templatePath} (it has: ${[...template.parameters.keys()].join(', ') || 'none'}).`,
      );
    }
  }
  return {
    stackName,
    templatePath,
    template,
    parameterOverrides,
    capabilities: readCapabilities(io),
    tags: readTags(io),
    terminationProtection: readBoolean(io, 'termination-protection', false),
    execute: readBoolean(io, 'execute', true),
    timeoutMinutes: readInteger(io, 'timeout-minutes', { fallback: 30, min: 1, max: 360 }),
    githubToken: readString(io, 'github-token'),
  };
}

function readTemplate(path: string, shown: string): ParsedTemplate {
  if (!existsSync(path)) throw new ConfigurationError(`Input "template": ${shown} does not exist.`);
  try {
    return parseTemplate(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigurationError(
      `Input "template": ${shown} is not a valid template: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** `Key=Value` lines (values may hold commas and "="), or the path of a JSON file. */
function readParameterOverrides(
  io: Pick<ActionIO, 'getInput'>,
  workspace: string,
): Map<string, string> {
  const lines = readLines(io, 'parameter-overrides');
  const only = lines[0];
  if (lines.length === 1 && only !== undefined && only.endsWith('.json') && !only.includes('=')) {
    return readParameterFile(resolve(workspace, only), only);
  }
  const overrides = new Map<string, string>();
  for (const line of lines) {
    const separator = line.indexOf('=');
    const key = line.slice(0, separator).trim();
    if (separator < 1 || !PARAMETER_KEY.test(key)) {
      throw new ConfigurationError(
        `Input "parameter-overrides": "${line}" is not a Key=Value line (or the path of a JSON file).`,
      );
    }
    if (overrides.has(key))
      throw new ConfigurationError(`Input "parameter-overrides": ${key} is given twice.`);
    overrides.set(key, line.slice(separator + 1).trim());
  }
  return overrides;
}

function readParameterFile(path: string, shown: string): Map<string, string> {
  if (!existsSync(path))
    throw new ConfigurationError(`Input "parameter-overrides": the file ${shown} does not exist.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigurationError(`Input "parameter-overrides": ${shown} is not valid JSON.`);
  }
  const entries: [string, unknown][] | undefined = Array.isArray(parsed)
    ? parsed.map((entry: { ParameterKey?: unknown; ParameterValue?: unknown }) => [
        String(entry.ParameterKey),
        entry.ParameterValue,
      ])
    : typeof parsed === 'object' && parsed !== null
      ? Object.entries(parsed)
      : undefined;
  if (!entries) {
    throw new ConfigurationError(
      `Input "parameter-overrides": ${shown} must hold an object {"Key": "Value"} or a list of {"ParameterKey", "ParameterValue"}.`,
    );
  }
  const overrides = new Map<string, string>();
  for (const [key, value] of entries) {
    if (
      !PARAMETER_KEY.test(key) ||
      (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    ) {
      throw new ConfigurationError(
        `Input "parameter-overrides": ${shown} has an invalid entry for "${key}" (values must be strings, numbers or booleans).`,
      );
    }
    overrides.set(key, String(value));
  }
  return overrides;
}

function readCapabilities(io: Pick<ActionIO, 'getInput'>): Capability[] {
  const raw = readString(io, 'capabilities', { fallback: 'CAPABILITY_NAMED_IAM' });
  return raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((value) => {
      const capability = CAPABILITIES.find((known) => known === value.toUpperCase());
      if (!capability)
        throw new ConfigurationError(
          `Input "capabilities": "${value}" is not one of ${CAPABILITIES.join(', ')}.`,
        );
      return capability;
    });
}

function readTags(io: Pick<ActionIO, 'getInput'>): Tag[] {
  return readLines(io, 'tags').map((line) => {
    const separator = line.indexOf('=');
    if (separator < 1)
      throw new ConfigurationError(`Input "tags": "${line}" is not a Key=Value line.`);
    const Key = line.slice(0, separator).trim();
    const Value = line.slice(separator + 1).trim();
    if (Key.startsWith('aws:'))
      throw new ConfigurationError(`Input "tags": ${Key} uses the reserved aws: prefix.`);
    return { Key, Value };
  });
}
