import type { ActionIO } from '../../shared/io';
import { publishResult } from '../../shared/publish';
import { table } from '../../shared/summary';
import { isDrifted, type DriftResult, type ResourceDrift } from './result';

const ICON: Record<string, string> = {
  DRIFTED: '⚠️',
  IN_SYNC: '✅',
  UNKNOWN: '❔',
};

/** The report output: every resource, with its differences (the DESIGN.md contract). */
export function reportJson(result: DriftResult): string {
  return JSON.stringify(
    result.resources.map(({ logicalId, type, status, differences }) => ({
      logicalId,
      type,
      status,
      differences,
    })),
  );
}

/** One row per changed property; a drifted resource without differences (DELETED) gets one. */
function driftRows(resources: readonly ResourceDrift[]): string[][] {
  return resources
    .filter(isDrifted)
    .flatMap((resource) =>
      resource.differences.length === 0
        ? [[resource.logicalId, resource.type, resource.status, '', '', '']]
        : resource.differences.map((difference) => [
            resource.logicalId,
            resource.type,
            resource.status,
            `\`${difference.path}\``,
            `\`${difference.expected}\` → \`${difference.actual}\``,
            difference.kind,
          ]),
    );
}

/** The drift table alone: the job summary and the issue both show it. */
export function driftTable(result: DriftResult): string {
  return table(
    ['Resource', 'Type', 'Status', 'Property', 'Expected → actual', 'Change'],
    driftRows(result.resources),
  );
}

export function driftMarkdown(result: DriftResult): string {
  const drifted = result.resources.filter(isDrifted);
  const unchecked = result.resources.filter(
    (resource) => resource.status === 'NOT_CHECKED' || resource.status === 'UNKNOWN',
  );
  const inSync = result.resources.filter((resource) => resource.status === 'IN_SYNC');
  return [
    `## ${ICON[result.status] ?? ''} Drift of ${result.stackName}: ${result.status}`,
    '',
    result.failure ? `Drift detection failed: ${result.failure}\n` : '',
    drifted.length
      ? `${drifted.length} resource(s) changed outside CloudFormation:\n\n${driftTable(result)}`
      : '_No resource has drifted._',
    '',
    unchecked.length
      ? `### Not checked\n\nCloudFormation cannot check these (their type does not support drift detection, or the check did not finish):\n\n${table(
          ['Resource', 'Type', 'Status'],
          unchecked.map((resource) => [resource.logicalId, resource.type, resource.status]),
        )}`
      : '',
    '',
    `${inSync.length} resource(s) in sync. Only the properties the template sets are compared.`,
    '',
  ].join('\n');
}

/** An annotation per drifted resource, its changed properties in the message. */
export function annotateDrift(io: Pick<ActionIO, 'warning'>, result: DriftResult): void {
  for (const resource of result.resources.filter(isDrifted)) {
    const changes = resource.differences
      .map((d) => `${d.path}: ${d.expected} → ${d.actual} (${d.kind})`)
      .join('; ');
    io.warning(
      `${resource.logicalId} (${resource.type}) is ${resource.status}${changes ? `: ${changes}` : ''}`,
      { title: `Drift in ${result.stackName}` },
    );
  }
}

export function publishDrift(io: ActionIO, result: DriftResult): Promise<void> {
  annotateDrift(io, result);
  return publishResult(
    io,
    {
      status: result.status,
      'drifted-count': String(result.resources.filter(isDrifted).length),
      report: reportJson(result),
    },
    driftMarkdown(result),
  );
}
