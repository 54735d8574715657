import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { EC2Client } from '@aws-sdk/client-ec2';
import { S3Client } from '@aws-sdk/client-s3';
import * as core from '@actions/core';
import * as github from '@actions/github';
import { awsClientOptions } from '../../shared/aws';
import { runContextOf } from '../../shared/github';
import { systemClock } from '../../shared/wait';
import { run } from './main';

void run({
  io: core,
  codedeploy: new CodeDeployClient(awsClientOptions()),
  s3: new S3Client(awsClientOptions()),
  ec2: new EC2Client(awsClientOptions()),
  clock: systemClock,
  run: runContextOf(github.context, process.env),
  workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
});
