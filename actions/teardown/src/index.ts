import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import * as core from '@actions/core';
import { awsClientOptions } from '../../shared/aws';
import { systemClock } from '../../shared/wait';
import { run } from './main';

void run({
  io: core,
  cloudformation: new CloudFormationClient(awsClientOptions()),
  dynamodb: new DynamoDBClient(awsClientOptions()),
  s3: new S3Client(awsClientOptions()),
  clock: systemClock,
});
