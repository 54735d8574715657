/** Who and what triggered this run, for tags and descriptions that lead back to it. */
export interface RunContext {
  readonly sha: string;
  readonly runUrl: string;
  readonly repository: string;
  readonly eventName: string;
  readonly pullRequestNumber: number | undefined;
}

/** The parts of `@actions/github`'s context used here (the package itself stays at the edge). */
export interface GitHubContextLike {
  readonly sha: string;
  readonly runId: number;
  readonly serverUrl: string;
  readonly eventName: string;
  readonly repo: { readonly owner: string; readonly repo: string };
  readonly payload: { readonly pull_request?: { readonly number: number } | undefined };
}

export function runContextOf(context: GitHubContextLike, env: NodeJS.ProcessEnv): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? `${context.repo.owner}/${context.repo.repo}`;
  return {
    sha: context.sha || 'unknown',
    runUrl: `${context.serverUrl}/${repository}/actions/runs/${context.runId}`,
    repository,
    eventName: context.eventName,
    pullRequestNumber: context.payload.pull_request?.number,
  };
}

/** One pull-request comment this action owns, found again by a hidden marker and edited in place. */
export interface PullRequestComments {
  list(): Promise<{ id: number; body: string }[]>;
  create(body: string): Promise<void>;
  update(id: number, body: string): Promise<void>;
}

export async function upsertComment(
  comments: PullRequestComments,
  marker: string,
  body: string,
): Promise<'created' | 'updated'> {
  const tagged = `${body}\n\n<!-- ${marker} -->`;
  const existing = (await comments.list()).find((comment) =>
    comment.body.includes(`<!-- ${marker} -->`),
  );
  if (existing) {
    await comments.update(existing.id, tagged);
    return 'updated';
  }
  await comments.create(tagged);
  return 'created';
}
