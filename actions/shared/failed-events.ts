import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { ActionIO } from './io';
import { table } from './summary';

export interface FailedEventsSource {
  readonly stackName: string;
  /** "deploy", "delete": what CloudFormation could not do, for the annotation titles. */
  readonly verb: string;
  /** The template, when there is one, so each annotation points at its resource's line. */
  readonly template?: { readonly path: string; readonly body: string };
}

export interface FailedEventsReport {
  readonly failed: readonly StackEvent[];
  /** The failed resources as a markdown table; a sentence when there are none. */
  readonly markdown: string;
}

/**
 * The resources an operation failed on: one error annotation each (on its template line when
 * the template is known) and a table for the job summary.
 */
export function reportFailedEvents(
  io: Pick<ActionIO, 'error'>,
  events: readonly StackEvent[],
  source: FailedEventsSource,
): FailedEventsReport {
  const failed = events.filter(
    (event) =>
      event.ResourceStatus?.endsWith('_FAILED') && event.LogicalResourceId !== source.stackName,
  );
  for (const event of failed) {
    const logicalId = event.LogicalResourceId ?? '';
    const line = source.template ? lineOfLogicalId(source.template.body, logicalId) : undefined;
    io.error(
      `${logicalId || '?'} (${event.ResourceType ?? '?'}) ${event.ResourceStatus ?? ''}: ${event.ResourceStatusReason ?? 'no reason given'}`,
      {
        title: `CloudFormation could not ${source.verb} ${logicalId || 'a resource'}`,
        ...(source.template ? { file: source.template.path } : {}),
        ...(line ? { startLine: line } : {}),
      },
    );
  }
  const rows = failed.map((event) => [
    event.LogicalResourceId,
    event.ResourceType,
    event.ResourceStatus,
    event.ResourceStatusReason,
  ]);
  return {
    failed,
    markdown: rows.length
      ? `The resources that failed, and why:\n\n${table(['Logical id', 'Type', 'Status', 'Reason'], rows)}`
      : 'CloudFormation reported no failed resource.',
  };
}

/** The 1-based line where a resource's logical id is declared, for annotations. */
export function lineOfLogicalId(body: string, logicalId: string): number | undefined {
  const escaped = logicalId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s*(?:"${escaped}"\\s*:|${escaped}\\s*:)`);
  const index = body.split('\n').findIndex((line) => pattern.test(line));
  return index === -1 ? undefined : index + 1;
}
