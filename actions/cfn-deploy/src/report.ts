import type { Change, Output } from '@aws-sdk/client-cloudformation';
import { StateError, withContext } from '../../shared/errors';
import { upsertComment } from '../../shared/github';
import { publishResult } from '../../shared/publish';
import { table } from '../../shared/summary';
import { formatDuration } from '../../shared/wait';
import type { Invocation } from './deps';
import type { Mode } from './inputs';
import type { DeployResult } from './result';
import type { ParsedTemplate } from './template';

const COMMENT_MARKER = 'cfn-deploy-change-set-preview';

/** Outputs, job summary (and a preview's pull request comment); then fails if the result says so. */
export async function report(invocation: Invocation, result: DeployResult): Promise<void> {
  const { deps, inputs } = invocation;
  const stackOutputs = result.stack?.Outputs ?? [];
  const outputs: Record<string, string> = {
    'stack-id': result.stack?.StackId ?? '',
    status: result.status,
    changed: String(result.changed),
    'change-set': result.changeSet,
    ...(result.reviewed
      ? { 'change-set-id': result.reviewed.id, 'change-set-name': result.reviewed.name }
      : {}),
  };
  for (const output of stackOutputs)
    if (output.OutputKey) outputs[output.OutputKey] = output.OutputValue ?? '';
  const took = formatDuration(deps.clock.now() - invocation.started);
  const summary = [
    `## ${result.headline}`,
    '',
    `After ${took} · commit \`${deps.run.sha.slice(0, 12)}\` · [run](${deps.run.runUrl})`,
    '',
    ...result.body.flatMap((paragraph) => [paragraph, '']),
    outputsMarkdown(stackOutputs),
    '',
  ].join('\n');
  await publishResult(deps.io, outputs, summary);
  if (inputs.mode === 'preview') await commentOnPullRequest(invocation, summary);
  if (result.failure) throw new StateError(result.failure);
}

/** A preview keeps one comment on its pull request up to date, whatever it found. */
async function commentOnPullRequest(invocation: Invocation, summary: string): Promise<void> {
  const { deps, inputs } = invocation;
  const number = deps.run.pullRequestNumber;
  if (!deps.pullRequestComments || !inputs.githubToken || number === undefined) return;
  const comments = deps.pullRequestComments(inputs.githubToken);
  const action = await withContext('could not comment on the pull request', () =>
    upsertComment(comments, `${COMMENT_MARKER}:${inputs.stackName}`, summary),
  );
  deps.io.info(`Change set preview ${action} on pull request #${String(number)}.`);
}

const TITLES: Readonly<Record<Mode, string>> = {
  deploy: 'Change set',
  'execute-reviewed': 'Reviewed change set',
  preview: 'Preview of the change set',
  'create-only': 'Change set for review',
};

/** The change set as a person reads it: every resource change, replacements flagged. */
export function changeSetMarkdown(
  stackName: string,
  type: 'CREATE' | 'UPDATE',
  changes: readonly Change[],
  mode: Mode,
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
  const title = `### ${TITLES[mode]} for stack \`${stackName}\` (${type === 'CREATE' ? 'new stack' : 'update'})`;
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

/**
 * A preview of a stack that does not exist yet (or can only be replaced), made from the template
 * alone: a change set would create the stack, and a preview creates nothing.
 */
export function newStackMarkdown(
  stackName: string,
  template: ParsedTemplate,
  replaced: { status: string; why: string } | undefined,
): string {
  const intro = replaced
    ? `Stack \`${stackName}\` is ${replaced.status} (${replaced.why}): a deploy deletes it and creates it afresh with every resource of the template.`
    : `Stack \`${stackName}\` does not exist: a deploy creates it with every resource of the template.`;
  return [
    `### Preview of the change set for stack \`${stackName}\` (new stack)`,
    '',
    `${intro} ${template.resources.length} resource change(s). (Read from the template: no change set was made, so nothing was created to preview it.)`,
    '',
    table(
      ['Action', 'Logical id', 'Type', 'Replacement', 'Scope'],
      template.resources.map((resource) => ['Add', resource.logicalId, resource.type, '', '']),
    ),
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
