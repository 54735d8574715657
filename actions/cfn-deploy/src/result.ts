import type { Stack } from '@aws-sdk/client-cloudformation';
import { StateError, withContext } from '../../shared/errors';
import { upsertComment } from '../../shared/github';
import { publishResult } from '../../shared/publish';
import { formatDuration } from '../../shared/wait';
import type { DeployRun } from './deps';
import { outputsMarkdown } from './report';

/** What a run did, as the report step hands it on. */
export interface DeployResult {
  /** The stack as it now is (its id and Outputs become step outputs); undefined when none. */
  readonly stack: Stack | undefined;
  readonly status: string;
  readonly changed: boolean;
  /** The change set (or why there is none) as markdown: the `change-set` output. */
  readonly changeSet: string;
  /** The summary's heading: "✅ Stack app: UPDATE_COMPLETE". */
  readonly headline: string;
  /** Paragraphs of the summary under the heading. */
  readonly body: readonly string[];
  /** A change set left for review (create-only). */
  readonly reviewed?: { readonly id: string; readonly name: string };
  /** Set when the step must fail once everything is reported. */
  readonly failure?: string;
}

const COMMENT_MARKER = 'cfn-deploy-change-set-preview';

export async function report(run: DeployRun, result: DeployResult): Promise<void> {
  const { deps, inputs } = run;
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
  const took = formatDuration(deps.clock.now() - run.started);
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
  if (inputs.mode === 'preview') await commentOnPullRequest(run, summary);
  if (result.failure) throw new StateError(result.failure);
}

/** A preview keeps one comment on its pull request up to date, whatever it found. */
async function commentOnPullRequest(run: DeployRun, summary: string): Promise<void> {
  const { deps, inputs } = run;
  const number = deps.run.pullRequestNumber;
  if (!deps.pullRequestComments || !inputs.githubToken || number === undefined) return;
  const comments = deps.pullRequestComments(inputs.githubToken);
  const action = await withContext('could not comment on the pull request', () =>
    upsertComment(comments, `${COMMENT_MARKER}:${inputs.stackName}`, summary),
  );
  deps.io.info(`Change set preview ${action} on pull request #${String(number)}.`);
}
