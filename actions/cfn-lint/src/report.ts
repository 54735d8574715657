import type { ActionIO } from '../../shared/io';
import { table } from '../../shared/summary';
import type { Severity } from './inputs';
import type { Counts, Finding } from './lint';

/** Each finding as an annotation on its template's line, at its level. */
export function annotate(findings: readonly Finding[], io: ActionIO): void {
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

/** The job summary: the counts, the templates, every finding. */
export function summaryOf(
  templates: readonly string[],
  findings: readonly Finding[],
  counts: Counts,
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
