import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { ActionIO } from '../../shared/io';
import { publishResult } from '../../shared/publish';
import { table } from '../../shared/summary';
import type { Backup } from './deps';

export interface TeardownResult {
  readonly status: string;
  readonly deleted: boolean;
  readonly backups: readonly Backup[];
  readonly summary: string;
}

export function publishTeardown(io: ActionIO, result: TeardownResult): Promise<void> {
  return publishResult(
    io,
    {
      status: result.status,
      deleted: String(result.deleted),
      'backup-arn': result.backups.map((backup) => backup.arn).join('\n'),
    },
    result.summary,
  );
}

export function keptMarkdown(backups: readonly Backup[]): string {
  if (backups.length === 0) return '';
  return [
    '### Kept',
    '',
    table(
      ['Table', 'Backup ARN'],
      backups.map((backup) => [backup.table, backup.arn]),
    ),
    '',
    'Restore with `aws dynamodb restore-table-from-backup --target-table-name <name> --backup-arn <arn>` (see the README).',
  ].join('\n');
}

export function deletedMarkdown(
  stackName: string,
  resources: readonly StackResourceSummary[],
  backups: readonly Backup[],
  took: string,
): string {
  return [
    `## ✅ Teardown of ${stackName}: DELETE_COMPLETE`,
    '',
    `Deleted in ${took}:`,
    '',
    resources.length
      ? table(
          ['Resource', 'Type', 'Physical id'],
          resources.map((resource) => [
            resource.LogicalResourceId,
            resource.ResourceType,
            resource.PhysicalResourceId,
          ]),
        )
      : '_The stack held no resources._',
    '',
    backups.length ? keptMarkdown(backups) : '_No backup was taken._',
    '',
  ].join('\n');
}
