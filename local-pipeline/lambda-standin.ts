import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { unzipSync } from 'fflate';
import { emulatorEnvironment, testClientConfig } from './clients';

/**
 * A stand-in for what moto's Lambda cannot do: run code. It sits in front of the emulator
 * (the fault proxy, so every other request is still logged) and forwards everything except
 * Invoke. It keeps each package the function's code is updated with (UpdateFunctionCode,
 * inline or from S3), and answers an Invoke of a version, an alias or $LATEST by running that
 * version's package in a fresh Node process with the function's environment - an alias
 * choosing between its versions by its routing weights, as Lambda does.
 */

export interface Invocation {
  readonly functionName: string;
  readonly qualifier: string;
  /** The version that ran (an alias resolved by its weights). */
  readonly version: string;
  readonly error: string | undefined;
}

export interface LambdaStandIn {
  readonly endpoint: string;
  readonly invocations: readonly Invocation[];
  stop(): Promise<void>;
}

interface RunResult {
  readonly payload: string;
  readonly error: string | undefined;
  readonly log: string;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const UPDATE_CODE = /^\/2015-03-31\/functions\/([^/]+)\/code$/;

/** Runs `index.handler`-style handlers: reads the event on stdin, prints the result last. */
const RUNNER = `
const [directory, handlerName] = process.argv.slice(1);
const [file, exported] = handlerName.split('.');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  try {
    const handler = require(require('node:path').join(directory, file))[exported];
    const result = await handler(JSON.parse(input), { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME });
    process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result === undefined ? null : result));
  } catch (error) {
    console.error(String(error && error.stack || error));
    process.stdout.write('\\n@@ERROR@@' + JSON.stringify({ errorType: (error && error.name) || 'Error', errorMessage: String(error && error.message || error) }));
  }
});`;

export async function startLambdaStandIn(options: {
  /** Where non-Invoke requests go (the fault proxy in front of moto). */
  readonly upstream: string;
  /** moto itself, for the stand-in's own reads (not logged as the action's requests). */
  readonly motoEndpoint: string;
  readonly workDir: string;
}): Promise<LambdaStandIn> {
  const config = testClientConfig(options.motoEndpoint);
  const lambda = new LambdaClient(config);
  const s3 = new S3Client(config);
  const packages = new Map<string, Uint8Array>();
  const invocations: Invocation[] = [];

  const keepPackage = async (body: Buffer) => {
    const request = JSON.parse(body.toString('utf8') || '{}') as Record<string, string>;
    const zip = request.ZipFile
      ? Buffer.from(request.ZipFile, 'base64')
      : request.S3Bucket && request.S3Key
        ? await (
            await s3.send(new GetObjectCommand({ Bucket: request.S3Bucket, Key: request.S3Key }))
          ).Body!.transformToByteArray()
        : undefined;
    if (zip) packages.set(createHash('sha256').update(zip).digest('base64'), zip);
  };

  const invoke = async (functionName: string, qualifier: string, event: Buffer) => {
    const version = await resolveVersion(lambda, functionName, qualifier);
    const configuration = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
    );
    const zip = packages.get(configuration.CodeSha256 ?? '');
    const result = zip
      ? await runPackage(
          extractOnce(zip, join(options.workDir, 'code', configuration.CodeSha256 ?? '')),
          configuration.Handler ?? 'index.handler',
          {
            ...(configuration.Environment?.Variables ?? {}),
            ...emulatorEnvironment(options.upstream),
            AWS_LAMBDA_FUNCTION_NAME: configuration.FunctionName ?? functionName,
            AWS_LAMBDA_FUNCTION_VERSION: version,
          },
          event,
        )
      : noPackage(configuration.CodeSha256);
    invocations.push({ functionName, qualifier, version, error: result.error });
    return { version, ...result };
  };

  const server = createServer((incoming, outgoing) => {
    void readBody(incoming)
      .then(async (body) => {
        const url = new URL(incoming.url ?? '/', 'http://stand-in');
        const invoked = incoming.method === 'POST' ? INVOKE.exec(url.pathname) : null;
        if (!invoked) {
          if (incoming.method === 'PUT' && UPDATE_CODE.test(url.pathname)) await keepPackage(body);
          return forward(options.upstream, incoming, body, outgoing);
        }
        const name = decodeURIComponent(invoked[1] ?? '');
        const [functionName = name, inName] = name.includes(':function:')
          ? [name.split(':').slice(0, 7).join(':'), name.split(':')[7]]
          : name.split(':');
        const qualifier = url.searchParams.get('Qualifier') ?? inName ?? '$LATEST';
        const result = await invoke(functionName, qualifier, body);
        const tail = incoming.headers['x-amz-log-type'] === 'Tail';
        outgoing
          .writeHead(200, {
            'content-type': 'application/json',
            'x-amz-executed-version': result.version,
            ...(result.error ? { 'x-amz-function-error': 'Unhandled' } : {}),
            ...(tail
              ? { 'x-amz-log-result': Buffer.from(result.log.slice(-4096)).toString('base64') }
              : {}),
          })
          .end(result.payload);
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        outgoing
          .writeHead(error instanceof Error && error.name.endsWith('Exception') ? 404 : 500, {
            'content-type': 'application/json',
            'x-amzn-errortype': error instanceof Error ? error.name : 'ServiceException',
          })
          .end(JSON.stringify({ message }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    invocations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A version number for a qualifier: an alias picks its extra version with that version's weight. */
async function resolveVersion(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
): Promise<string> {
  if (qualifier === '$LATEST' || /^\d+$/.test(qualifier)) return qualifier;
  const alias = await lambda.send(
    new GetAliasCommand({ FunctionName: functionName, Name: qualifier }),
  );
  let draw = Math.random();
  for (const [version, weight] of Object.entries(
    alias.RoutingConfig?.AdditionalVersionWeights ?? {},
  )) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return alias.FunctionVersion ?? '$LATEST';
}

function noPackage(codeSha256: string | undefined): RunResult {
  // The stack's inline placeholder is zipped by moto, not sent through here: it only ever throws.
  const message = `the stand-in holds no package with CodeSha256 ${codeSha256 ?? '?'} (code created by the template)`;
  return {
    payload: JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: message }),
    error: message,
    log: message,
  };
}

function extractOnce(zip: Uint8Array, directory: string): string {
  if (existsSync(directory)) return directory;
  for (const [path, data] of Object.entries(unzipSync(zip))) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), data);
  }
  return directory;
}

function runPackage(
  directory: string,
  handler: string,
  env: Record<string, string>,
  event: Buffer,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', RUNNER, directory, handler], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', () => {
      const result = /\n@@RESULT@@(.*)$/s.exec(stdout)?.[1];
      const error = /\n@@ERROR@@(.*)$/s.exec(stdout)?.[1];
      const log = `${stdout.replace(/\n@@(RESULT|ERROR)@@.*$/s, '')}${stderr}`;
      if (result !== undefined) resolve({ payload: result, error: undefined, log });
      else {
        const payload =
          error ??
          JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: stderr.slice(-500) });
        const parsed = JSON.parse(payload) as { errorMessage?: string };
        resolve({ payload, error: parsed.errorMessage ?? 'error', log });
      }
    });
    child.stdin.end(event);
  });
}

function forward(
  upstream: string,
  incoming: IncomingMessage,
  body: Buffer,
  outgoing: import('node:http').ServerResponse,
): Promise<void> {
  const target = new URL(upstream);
  return new Promise((resolve, reject) => {
    const headers = { ...incoming.headers, 'content-length': String(body.length) };
    const request = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
        response.on('end', resolve);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    stream.on('error', reject);
  });
}
