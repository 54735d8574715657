import { relative } from 'node:path';
import { ConfigurationError } from '../../shared/errors';
import type { ActionIO } from '../../shared/io';
import { publishResult } from '../../shared/publish';
import { runAction } from '../../shared/run';
import { table } from '../../shared/summary';
import { getInputs, type Severity } from './inputs';

export interface CfnLintRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The cfn-lint executable was not found. */
  readonly missing: boolean;
}

export interface CfnLintDeps {
  readonly io: ActionIO;
  /** Absolute paths of the files a glob matches. */
  readonly expandGlob: (pattern: string) => Promise<string[]>;
  readonly isReadable: (path: string) => Promise<boolean>;
  readonly runCfnLint: (args: readonly string[]) => Promise<CfnLintRun>;
  readonly workspace: string;
}

interface Finding {
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

export function run(deps: CfnLintDeps): Promise<void> {
  const { io } = deps;
  return runAction(io, async () => {
    const inputs = getInputs(io);
    const templates = await findTemplates(inputs.templatePatterns, deps);
    io.info(`Linting ${templates.length} template(s): ${templates.join(', ')}`);
    const findings = await lint(templates, deps);
    annotate(findings, io);
    const count = (level: Finding['Level']) =>
      findings.filter((finding) => finding.Level === level).length;
    const counts = {
      errors: count('Error'),
      warnings: count('Warning'),
      informational: count('Informational'),
    };
    const failing = findings.filter((finding) => RANK[finding.Level] <= THRESHOLD[inputs.failOn]);
    await publishResult(
      io,
      { errors: String(counts.errors), warnings: String(counts.warnings) },
      summaryOf(templates, findings, counts, inputs.failOn, failing.length === 0),
    );
    const verdict = `cfn-lint: ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.informational} informational in ${templates.length} template(s)`;
    if (failing.length > 0) {
      io.setFailed(
        `${verdict}; failing on ${inputs.failOn} and above (fail-on: ${inputs.failOn}).`,
      );
      return;
    }
    io.info(verdict);
  });
}

async function findTemplates(patterns: readonly string[], deps: CfnLintDeps): Promise<string[]> {
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

async function lint(templates: readonly string[], deps: CfnLintDeps): Promise<Finding[]> {
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

function annotate(findings: readonly Finding[], io: ActionIO): void {
  for (const finding of findings) {
    const properties = {
      title: `${finding.Rule.Id}: ${finding.Rule.ShortDescription}`,
      ...(finding.Filename ? { file: finding.Filename } : {}),
      startLine: finding.Location.Start.LineNumber,
      startColumn: finding.Location.Start.ColumnNumber,
      ...(finding.Location.End.LineNumber === finding.Location.Start.LineNumber
        ? { endColumn: finding.Location.End.ColumnNumber }
        : { endLine: finding.Location.End.LineNumber }),
    };
    const message = `${finding.Message} (${finding.Rule.Source})`;
    if (finding.Level === 'Error') io.error(message, properties);
    else if (finding.Level === 'Warning') io.warning(message, properties);
    else io.notice(message, properties);
  }
}

function summaryOf(
  templates: readonly string[],
  findings: readonly Finding[],
  counts: { errors: number; warnings: number; informational: number },
  failOn: Severity,
  passed: boolean,
): string {
  const heading = `## ${passed ? '✅' : '❌'} cfn-lint: ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.informational} informational`;
  const scope = `Templates: ${templates.map((path) => `\`${path}\``).join(', ')} · fails on: **${failOn}** and above`;
  const rows = findings.map((finding) => [
    finding.Filename ?? '',
    `${finding.Location.Start.LineNumber}:${finding.Location.Start.ColumnNumber}`,
    `[${finding.Rule.Id}](${finding.Rule.Source})`,
    finding.Level,
    finding.Message,
  ]);
  return [
    heading,
    '',
    scope,
    '',
    rows.length ? table(['Template', 'Line', 'Rule', 'Level', 'Message'], rows) : 'No findings.',
    '',
  ].join('\n');
}
