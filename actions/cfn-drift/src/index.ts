import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { awsClientOptions } from '../../shared/aws';
import { runContextOf } from '../../shared/github';
import { systemClock } from '../../shared/wait';
import { githubIssues } from './issue-api';
import { run } from './main';

void run({
  io: core,
  cloudformation: new CloudFormationClient(awsClientOptions()),
  clock: systemClock,
  issues: (token) => githubIssues(github.getOctokit(token), github.context.repo),
  runUrl: runContextOf(github.context, process.env).runUrl,
});
