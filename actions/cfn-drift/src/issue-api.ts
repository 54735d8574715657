import type { getOctokit } from '@actions/github';
import type { DriftIssues } from './issue';

type Octokit = ReturnType<typeof getOctokit>;

/** The issues port on GitHub's REST API (getOctokit honours GITHUB_API_URL). */
export function githubIssues(
  octokit: Octokit,
  repo: { readonly owner: string; readonly repo: string },
): DriftIssues {
  const at = { owner: repo.owner, repo: repo.repo };
  return {
    listOpen: async (label) =>
      (
        await octokit.paginate(octokit.rest.issues.listForRepo, {
          ...at,
          state: 'open',
          labels: label,
          per_page: 100,
        })
      )
        .filter((issue) => !issue.pull_request)
        .map((issue) => ({ number: issue.number, body: issue.body ?? '' })),
    create: async (title, body, labels) =>
      (await octokit.rest.issues.create({ ...at, title, body, labels })).data.number,
    update: async (issueNumber, body) => {
      await octokit.rest.issues.update({ ...at, issue_number: issueNumber, body });
    },
    comment: async (issueNumber, body) => {
      await octokit.rest.issues.createComment({ ...at, issue_number: issueNumber, body });
    },
    close: async (issueNumber) => {
      await octokit.rest.issues.update({
        ...at,
        issue_number: issueNumber,
        state: 'closed',
        state_reason: 'completed',
      });
    },
  };
}
