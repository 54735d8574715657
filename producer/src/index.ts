import { rename, writeFile } from 'node:fs/promises';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EXIT_FAILURE, run } from './main';

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    process.stderr.write(`producer: ${signal} received; sending what is held, then exiting\n`);
    stop.abort();
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Replaces the file atomically, so a reader never sees half a status. */
async function writeStatus(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

run({
  argv: process.argv.slice(2),
  env: process.env,
  // HTTP/1.1 is all PutRecords needs (only SubscribeToShard needs HTTP/2).
  kinesis: new KinesisClient({ requestHandler: new NodeHttpHandler() }),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  now: () => Date.now(),
  sleep,
  random: Math.random,
  stop: stop.signal,
  writeStatus,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `producer: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_FAILURE;
  },
);
