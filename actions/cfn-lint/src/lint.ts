import { relative } from 'node:path';
import { ConfigurationError } from '../../shared/errors';
import type { CfnLintDeps } from './deps';
import type { Severity } from './inputs';

export interface Finding {
  readonly Filename: string | null;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Location: {
    readonly Start: { readonly LineNumber: number; readonly ColumnNumber: number };
    readonly End: { readonly LineNumber: number; readonly ColumnNumber: number };
  };
  readonly Rule: {
    readonly Id: string;
    readonly ShortDescription: string;
    readonly Source: string;
  };
}

/** cfn-lint's exit code is a bitmask of what it found; any other bit means it failed itself. */
const FOUND_ERROR = 2;
const FOUND_WARNING = 4;
const FOUND_INFORMATIONAL = 8;
const FINDING_BITS = FOUND_ERROR | FOUND_WARNING | FOUND_INFORMATIONAL;

const RANK: Record<Finding['Level'], number> = { Error: 0, Warning: 1, Informational: 2 };
const THRESHOLD: Record<Severity, number> = { error: 0, warning: 1, informational: 2 };

/** Whether a finding makes the step fail under `fail-on`. */
export const fails = (finding: Finding, failOn: Severity): boolean =>
  RANK[finding.Level] <= THRESHOLD[failOn];

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  readonly informational: number;
}

export function countsOf(findings: readonly Finding[]): Counts {
  const count = (level: Finding['Level']) =>
    findings.filter((finding) => finding.Level === level).length;
  return {
    errors: count('Error'),
    warnings: count('Warning'),
    informational: count('Informational'),
  };
}

/** The templates the patterns match, relative to the workspace, each once. */
export async function findTemplates(
  patterns: readonly string[],
  deps: CfnLintDeps,
): Promise<string[]> {
  const templates: string[] = [];
  for (const pattern of patterns) {
    const matches = (await deps.expandGlob(pattern))
      .map((path) => relative(deps.workspace, path))
      .sort();
    if (matches.length === 0)
      throw new ConfigurationError(
        `Input "template": "${pattern}" matches no file (relative to ${deps.workspace}).`,
      );
    for (const path of matches) {
      if (!(await deps.isReadable(path)))
        throw new ConfigurationError(`Input "template": cannot read "${path}".`);
      if (!templates.includes(path)) templates.push(path);
    }
  }
  return templates;
}

/** cfn-lint's findings for the templates (its JSON output). */
export async function lint(templates: readonly string[], deps: CfnLintDeps): Promise<Finding[]> {
  const result = await deps.runCfnLint([
    '--format',
    'json',
    '--include-checks',
    'I',
    '--non-zero-exit-code',
    'informational',
    '--',
    ...templates,
  ]);
  if (result.missing) {
    throw new ConfigurationError(
      'cfn-lint is not installed or not on PATH. Add a step that installs it, e.g. `pip install cfn-lint` after actions/setup-python (this repository pins it in requirements-dev.txt).',
    );
  }
  if ((result.exitCode & ~FINDING_BITS) !== 0) {
    throw new Error(
      `cfn-lint failed (exit code ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  try {
    return JSON.parse(result.stdout || '[]') as Finding[];
  } catch {
    throw new Error(
      `cfn-lint printed output that is not JSON (exit code ${result.exitCode}): ${result.stdout.slice(0, 500)}`,
    );
  }
}
