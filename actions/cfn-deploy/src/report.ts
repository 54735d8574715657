import type { Change, Output, StackEvent } from '@aws-sdk/client-cloudformation';
import { table } from '../../shared/summary';

/** The change set as a person reads it: every resource change, replacements flagged. */
export function changeSetMarkdown(
  stackName: string,
  type: 'CREATE' | 'UPDATE',
  changes: readonly Change[],
  execute: boolean,
): string {
  const rows = changes.map((change) => {
    const resource = change.ResourceChange ?? {};
    const replacement =
      resource.Replacement === 'True'
        ? '⚠️ **replaced**'
        : resource.Replacement === 'Conditional'
          ? '⚠️ may be replaced'
          : '';
    return [
      resource.Action ?? '',
      resource.LogicalResourceId ?? '',
      resource.ResourceType ?? '',
      replacement,
      (resource.Scope ?? []).join(', '),
    ];
  });
  const replaced = changes.filter((change) => change.ResourceChange?.Replacement === 'True').length;
  const title = `### ${execute ? 'Change set' : 'Preview of the change set'} for stack \`${stackName}\` (${type === 'CREATE' ? 'new stack' : 'update'})`;
  const counts = changes.length
    ? `${changes.length} resource change(s)${replaced ? `, **${replaced} replacement(s)**` : ''}.`
    : 'No resource changes: only outputs, parameters or tags change.';
  return [
    title,
    '',
    counts,
    '',
    table(['Action', 'Logical id', 'Type', 'Replacement', 'Scope'], rows),
  ].join('\n');
}

export function outputsMarkdown(outputs: readonly Output[]): string {
  if (outputs.length === 0) return '';
  return [
    '### Stack outputs (also step outputs)',
    '',
    table(
      ['Output', 'Value'],
      outputs.map((output) => [output.OutputKey, output.OutputValue]),
    ),
  ].join('\n');
}

export function failureMarkdown(
  stackName: string,
  status: string,
  failed: readonly StackEvent[],
  took: string,
): string {
  const rows = failed.map((event) => [
    event.LogicalResourceId,
    event.ResourceType,
    event.ResourceStatus,
    event.ResourceStatusReason,
  ]);
  return [
    `## ❌ Stack ${stackName}: ${status}`,
    '',
    `After ${took}. ${failed.length ? 'The resources that failed, and why:' : 'CloudFormation reported no failed resource.'}`,
    '',
    table(['Logical id', 'Type', 'Status', 'Reason'], rows),
    '',
  ].join('\n');
}
