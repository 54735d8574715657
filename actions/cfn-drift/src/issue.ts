import { withContext } from '../../shared/errors';
import type { DriftResult } from './result';
import { driftTable } from './report';

/** The repository's issues, as far as the drift issue needs them. */
export interface DriftIssues {
  /** Open issues carrying the label, with their bodies. */
  listOpen(label: string): Promise<{ number: number; body: string }[]>;
  create(title: string, body: string, labels: string[]): Promise<number>;
  update(issueNumber: number, body: string): Promise<void>;
  comment(issueNumber: number, body: string): Promise<void>;
  close(issueNumber: number): Promise<void>;
}

export type IssueAction = 'opened' | 'updated' | 'closed' | 'none';

/** The hidden line that ties an issue to one stack: label + marker find it again. */
export const issueMarker = (stackName: string): string => `<!-- cfn-drift stack=${stackName} -->`;

function issueBody(result: DriftResult, runUrl: string): string {
  return [
    `Stack \`${result.stackName}\` has drifted: these properties were changed outside CloudFormation.`,
    '',
    driftTable(result),
    '',
    `Last checked by ${runUrl}. Revert through the reviewed drift-aware change set (see the README, "Drift"), or change the template to match. This issue is updated while the drift persists and closed when the stack is back in sync.`,
    '',
    issueMarker(result.stackName),
  ].join('\n');
}

/**
 * One living issue per stack: opened when the stack drifts, updated while it stays drifted,
 * closed with a comment once it is back in sync. UNKNOWN changes nothing: a failed check says
 * neither that the drift persists nor that it is gone.
 */
export async function syncIssue(
  issues: DriftIssues,
  label: string,
  result: DriftResult,
  runUrl: string,
): Promise<{ action: IssueAction; number: number | undefined }> {
  const marker = issueMarker(result.stackName);
  const open = await withContext(`could not list the open "${label}" issues`, () =>
    issues.listOpen(label),
  );
  const existing = open.find((issue) => issue.body.includes(marker));
  if (result.status === 'DRIFTED') {
    const body = issueBody(result, runUrl);
    if (existing) {
      await withContext(`could not update issue #${existing.number}`, () =>
        issues.update(existing.number, body),
      );
      return { action: 'updated', number: existing.number };
    }
    const created = await withContext('could not open the drift issue', () =>
      issues.create(`Drift: stack ${result.stackName} changed outside CloudFormation`, body, [
        label,
      ]),
    );
    return { action: 'opened', number: created };
  }
  if (result.status === 'IN_SYNC' && existing) {
    await withContext(`could not close issue #${existing.number}`, async () => {
      await issues.comment(
        existing.number,
        `Stack \`${result.stackName}\` is back in sync (checked by ${runUrl}). Closing.`,
      );
      await issues.close(existing.number);
    });
    return { action: 'closed', number: existing.number };
  }
  return { action: 'none', number: existing?.number };
}
