import { createHash } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { emulatorEnvironment, testClientConfig } from '../emulator/clients';
import { extractOnce, noPackage, runPackage, type RunResult } from './lambda-runtime';
import { readBody } from '../emulator/fault-proxy';
import { DEFAULT_LIMITS } from './function-errors';

/**
 * A stand-in for what moto's Lambda cannot do: run code. It sits in front of the emulator
 * (the fault proxy, so every other request is still logged) and forwards everything except
 * Invoke. It keeps each package the function's code is updated with (UpdateFunctionCode,
 * inline or from S3), and answers an Invoke of a version, an alias or $LATEST by running that
 * version's package in a fresh Node process with the function's environment - an alias
 * choosing between its versions by its routing weights, as Lambda does - held to the version's
 * Timeout and MemorySize and answered with Lambda's function error when it ends without an answer.
 */

export interface Invocation {
  readonly functionName: string;
  readonly qualifier: string;
  /** The version that ran (an alias resolved by its weights). */
  readonly version: string;
  readonly error: string | undefined;
  /** The Node.js version the handler ran on (undefined when it never started). */
  readonly nodeVersion: string | undefined;
}

export interface LambdaStandIn {
  readonly endpoint: string;
  readonly invocations: readonly Invocation[];
  stop(): Promise<void>;
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const UPDATE_CODE = /^\/2015-03-31\/functions\/([^/]+)\/code$/;

export interface LambdaStandInOptions {
  /** Where non-Invoke requests go (the fault proxy in front of moto). */
  readonly upstream: string;
  /** moto itself, for the stand-in's own reads (not logged as the action's requests). */
  readonly motoEndpoint: string;
  readonly workDir: string;
}

export async function startLambdaStandIn(options: LambdaStandInOptions): Promise<LambdaStandIn> {
  const runner = new PackageRunner(options);
  const server = createServer((incoming, outgoing) => {
    void readBody(incoming)
      .then((body) => runner.handle(incoming, body, outgoing))
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
    invocations: runner.invocations,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

class PackageRunner {
  readonly invocations: Invocation[] = [];
  private readonly packages = new Map<string, Uint8Array>();
  private readonly lambda: LambdaClient;
  private readonly s3: S3Client;

  constructor(private readonly options: LambdaStandInOptions) {
    const config = testClientConfig(options.motoEndpoint);
    this.lambda = new LambdaClient(config);
    this.s3 = new S3Client(config);
  }

  async handle(incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://stand-in');
    const invoked = incoming.method === 'POST' ? INVOKE.exec(url.pathname) : null;
    if (!invoked) {
      if (incoming.method === 'PUT' && UPDATE_CODE.test(url.pathname)) await this.keep(body);
      return forward(this.options.upstream, incoming, body, outgoing);
    }
    const name = decodeURIComponent(invoked[1] ?? '');
    const [functionName = name, inName] = name.includes(':function:')
      ? [name.split(':').slice(0, 7).join(':'), name.split(':')[7]]
      : name.split(':');
    const qualifier = url.searchParams.get('Qualifier') ?? inName ?? '$LATEST';
    const result = await this.invoke(functionName, qualifier, body);
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
  }

  /** Keeps the package of an UpdateFunctionCode request (inline, or the S3 object it names). */
  private async keep(body: Buffer): Promise<void> {
    const request = JSON.parse(body.toString('utf8') || '{}') as Record<string, string>;
    const zip = request.ZipFile
      ? Buffer.from(request.ZipFile, 'base64')
      : request.S3Bucket && request.S3Key
        ? await (
            await this.s3.send(
              new GetObjectCommand({ Bucket: request.S3Bucket, Key: request.S3Key }),
            )
          ).Body!.transformToByteArray()
        : undefined;
    if (zip) this.packages.set(createHash('sha256').update(zip).digest('base64'), zip);
  }

  private async invoke(
    functionName: string,
    qualifier: string,
    event: Buffer,
  ): Promise<RunResult & { version: string }> {
    const version = await resolveVersion(this.lambda, functionName, qualifier);
    const configuration = await this.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
    );
    const codeSha256 = configuration.CodeSha256 ?? '';
    const zip = this.packages.get(codeSha256);
    const env = {
      ...(configuration.Environment?.Variables ?? {}),
      ...emulatorEnvironment(this.options.upstream),
      AWS_LAMBDA_FUNCTION_NAME: configuration.FunctionName ?? functionName,
      AWS_LAMBDA_FUNCTION_VERSION: version,
    };
    const directory = join(
      this.options.workDir,
      'code',
      createHash('sha256').update(codeSha256).digest('hex'),
    );
    const result = zip
      ? await runPackage(
          extractOnce(zip, directory),
          configuration.Handler ?? 'index.handler',
          env,
          event,
          {
            timeoutSeconds: configuration.Timeout ?? DEFAULT_LIMITS.timeoutSeconds,
            memoryMb: configuration.MemorySize ?? DEFAULT_LIMITS.memoryMb,
          },
        )
      : noPackage(codeSha256);
    this.invocations.push({
      functionName,
      qualifier,
      version,
      error: result.error,
      nodeVersion: result.nodeVersion,
    });
    return { version, ...result };
  }
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

function forward(
  upstream: string,
  incoming: IncomingMessage,
  body: Buffer,
  outgoing: ServerResponse,
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
