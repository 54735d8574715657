import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import * as core from '@actions/core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { awsClientOptions } from '../../shared/aws';
import { systemClock } from '../../shared/wait';
import { run } from './main';

void run({
  io: core,
  // HTTP/1.1, as the producer sends: Kinesis takes it everywhere.
  kinesis: new KinesisClient({ ...awsClientOptions(), requestHandler: new NodeHttpHandler() }),
  dynamodb: new DynamoDBClient(awsClientOptions()),
  clock: systemClock,
  env: process.env,
});
