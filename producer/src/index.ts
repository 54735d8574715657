import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EXIT_FAILURE, run } from './main';
import { sleep, stopOnSignals, unexpectedFailure, writeStatus } from './system';

const stdout = (line: string) => process.stdout.write(`${line}\n`);
const stderr = (line: string) => process.stderr.write(`${line}\n`);

run({
  argv: process.argv.slice(2),
  env: process.env,
  // HTTP/1.1 is all PutRecords needs (only SubscribeToShard needs HTTP/2).
  kinesis: new KinesisClient({ requestHandler: new NodeHttpHandler() }),
  stdout,
  stderr,
  now: () => Date.now(),
  sleep,
  random: Math.random,
  stop: stopOnSignals(process, stderr),
  writeStatus,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    stderr(unexpectedFailure(error));
    process.exitCode = EXIT_FAILURE;
  },
);
