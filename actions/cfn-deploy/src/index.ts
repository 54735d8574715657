import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { awsClientOptions } from '../../shared/aws';
import { runContextOf } from '../../shared/github';
import { systemClock } from '../../shared/wait';
import { run } from './main';

const context = runContextOf(github.context, process.env);

void run({
  io: core,
  cloudformation: new CloudFormationClient(awsClientOptions()),
  s3: new S3Client(awsClientOptions()),
  clock: systemClock,
  run: context,
  workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
  pullRequestComments: (token) => {
    const octokit = github.getOctokit(token);
    const issue = {
      owner: github.context.repo.owner,
      repo: github.context.repo.repo,
      issue_number: context.pullRequestNumber ?? 0,
    };
    return {
      list: async () =>
        (await octokit.paginate(octokit.rest.issues.listComments, { ...issue, per_page: 100 })).map(
          (comment) => ({ id: comment.id, body: comment.body ?? '' }),
        ),
      create: async (body) => {
        await octokit.rest.issues.createComment({ ...issue, body });
      },
      update: async (id, body) => {
        await octokit.rest.issues.updateComment({
          owner: issue.owner,
          repo: issue.repo,
          comment_id: id,
          body,
        });
      },
    };
  },
});
