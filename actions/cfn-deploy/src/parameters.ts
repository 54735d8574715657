import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigurationError } from '../../shared/errors';

const INPUT = 'Input "parameter-overrides"';
const PARAMETER_KEY = /^[A-Za-z0-9]{1,255}$/;
const PARAMETER_FILE = /\.(json|ya?ml)$/i;

/**
 * `Key=Value` lines (values may hold commas and "="), or the path of one JSON or YAML file
 * (`file://` accepted, as aws-actions/aws-cloudformation-github-deploy writes it).
 */
export function parseParameterOverrides(
  lines: readonly string[],
  workspace: string,
): Map<string, string> {
  const only = lines[0];
  if (lines.length === 1 && only !== undefined && !only.includes('=')) {
    const path = only.replace(/^file:\/\//, '');
    if (PARAMETER_FILE.test(path)) return readParameterFile(resolve(workspace, path), path);
  }
  const overrides = new Map<string, string>();
  for (const line of lines) {
    const separator = line.indexOf('=');
    const key = line.slice(0, separator).trim();
    if (separator < 1 || !PARAMETER_KEY.test(key)) {
      throw new ConfigurationError(
        `${INPUT}: "${line}" is not a Key=Value line (or the path of a .json, .yaml or .yml file).`,
      );
    }
    if (overrides.has(key)) throw new ConfigurationError(`${INPUT}: ${key} is given twice.`);
    overrides.set(key, line.slice(separator + 1).trim());
  }
  return overrides;
}

function readParameterFile(path: string, shown: string): Map<string, string> {
  if (!existsSync(path))
    throw new ConfigurationError(`${INPUT}: the file ${shown} does not exist.`);
  const format = extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML';
  let parsed: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    parsed = format === 'JSON' ? JSON.parse(text) : parse(text);
  } catch {
    throw new ConfigurationError(`${INPUT}: ${shown} is not valid ${format}.`);
  }
  const overrides = new Map<string, string>();
  for (const [key, value] of entriesOf(parsed, shown)) {
    if (!PARAMETER_KEY.test(key) || !isScalar(value)) {
      throw new ConfigurationError(
        `${INPUT}: ${shown} has an invalid entry for "${key}" (values must be strings, numbers or booleans).`,
      );
    }
    if (overrides.has(key)) throw new ConfigurationError(`${INPUT}: ${shown} gives ${key} twice.`);
    overrides.set(key, String(value));
  }
  return overrides;
}

/** `{"Key": "Value"}`, or a list of `{"ParameterKey", "ParameterValue"}` (the AWS CLI's form). */
function entriesOf(parsed: unknown, shown: string): [string, unknown][] {
  if (Array.isArray(parsed)) {
    return parsed.map((entry: unknown) => {
      const { ParameterKey, ParameterValue } = (entry ?? {}) as Record<string, unknown>;
      return [
        typeof ParameterKey === 'string' ? ParameterKey : String(ParameterKey),
        ParameterValue,
      ];
    });
  }
  if (typeof parsed === 'object' && parsed !== null) return Object.entries(parsed);
  throw new ConfigurationError(
    `${INPUT}: ${shown} must hold a map {Key: Value} or a list of {ParameterKey, ParameterValue}.`,
  );
}

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
