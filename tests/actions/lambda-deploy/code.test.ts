import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { run } from '../../../actions/lambda-deploy/src/main';
import { deterministicZip, sha256Base64, sha256Hex } from '../../../actions/shared/zip';
import { functionPublishing, harness, lambda, resetMocks, s3 } from './harness';

beforeEach(resetMocks);

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:detector';

describe('lambda-deploy code', () => {
  it('zips a package directory, uploads it to the bucket under its hash, updates from S3 and publishes a version naming the commit', async () => {
    // Prepare
    functionPublishing('5');
    s3.on(PutObjectCommand).resolves({});
    const h = harness({ 'function-name': ARN, package: 'build', 's3-bucket': 'artifacts' });
    mkdirSync(join(h.workspace, 'build', 'lib'), { recursive: true });
    writeFileSync(join(h.workspace, 'build', 'index.js'), 'exports.handler=1');
    writeFileSync(join(h.workspace, 'build', 'lib', 'x.js'), 'module.exports=2');
    const zip = deterministicZip([
      { path: 'index.js', data: Buffer.from('exports.handler=1'), executable: false },
      { path: 'lib/x.js', data: Buffer.from('module.exports=2'), executable: false },
    ]);
    const key = `lambda/arn_aws_lambda_eu-west-1_123456789012_function_detector/${sha256Hex(zip)}.zip`;

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect({ ...put, Body: Buffer.from(put.Body as Uint8Array) }).toEqual({
      Bucket: 'artifacts',
      Key: key,
      Body: zip,
    });
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)[0]!.args[0].input).toEqual({
      FunctionName: ARN,
      S3Bucket: 'artifacts',
      S3Key: key,
      Publish: false,
    });
    expect(lambda.commandCalls(PublishVersionCommand)[0]!.args[0].input).toEqual({
      FunctionName: ARN,
      CodeSha256: sha256Base64(zip),
      Description: '0123456789ab https://github.com/o/r/actions/runs/1',
    });
    expect(h.io.outputs).toEqual({
      version: '5',
      'code-sha256': sha256Base64(zip),
      changed: 'true',
      alias: '',
      'previous-version': '',
      'rolled-back': 'false',
    });
    expect(h.io.logs).toEqual(
      expect.arrayContaining([
        `Package: ${zip.length} bytes, CodeSha256 ${sha256Base64(zip)}`,
        `Uploaded to s3://artifacts/${key}`,
        'Published version 5',
        'Waiting for the code update to finish (up to 5 minutes)…',
        'group: Build the package',
        'group: Deploy the code',
      ]),
    );
    expect(h.io.summaryText()).toBe(
      [
        `## ✅ Lambda ${ARN}: version 5 published`,
        '',
        '|  |  |',
        '| --- | --- |',
        `| Function | ${ARN} |`,
        '| Version | 5 |',
        `| CodeSha256 | \`${sha256Base64(zip)}\` |`,
        `| Package | ${(zip.length / 1024).toFixed(1)} KiB from directory |`,
        '| Took | 0s |',
        '',
      ].join('\n'),
    );
  });

  it('deploys a .zip package byte for byte, inline, with no bucket', async () => {
    functionPublishing('6');
    const h = harness({ package: 'fn.zip' });
    const zip = Buffer.from('PK not really a zip, sent as it is');
    writeFileSync(join(h.workspace, 'fn.zip'), zip);
    await run(h.value);
    expect(h.io.failures).toEqual([]);
    const update = lambda.commandCalls(UpdateFunctionCodeCommand)[0]!.args[0].input;
    expect(Buffer.from(update.ZipFile!)).toEqual(zip);
    expect(update.S3Bucket).toBeUndefined();
    expect(s3.calls()).toHaveLength(0);
    expect(h.io.outputs['code-sha256']).toBe(sha256Base64(zip));
    expect(h.io.summaryText()).toContain(`| Package | 0.0 KiB from zip |`);
  });

  it('bundles the entry with esbuild into index.js and says so', async () => {
    functionPublishing('7');
    const h = harness({ entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), 'export const handler = 1;');
    await run(h.value);
    const zip = deterministicZip([
      {
        path: 'index.js',
        data: Buffer.from('exports.handler=async()=>({batchItemFailures:[]})'),
        executable: false,
      },
    ]);
    expect(h.io.outputs['code-sha256']).toBe(sha256Base64(zip));
    expect(h.io.logs).toContain(`Bundling ${join(h.workspace, 'handler.ts')} with esbuild`);
    expect(h.io.summaryText()).toContain('KiB from esbuild bundle |');
  });

  it.each([
    [{ package: 'missing' }, 'Input "package": missing does not exist.'],
    [{ package: 'notes.txt' }, 'Input "package": notes.txt must be a directory or a .zip file.'],
    [{ entry: 'nothere.ts' }, 'Input "entry": nothere.ts does not exist (or give "package").'],
    [{}, 'Input "entry": lambda/src/handler.ts does not exist (or give "package").'],
    [
      { 'function-name': 'has space' },
      'Input "function-name": "has space" is not a Lambda function name or ARN.',
    ],
    [{ 's3-bucket': 'Bad_Bucket' }, 'Input "s3-bucket": "Bad_Bucket" is not an S3 bucket name.'],
    [
      { 'function-name': 'f'.repeat(65) },
      `Input "function-name": "${'f'.repeat(65)}" is not a Lambda function name or ARN.`,
    ],
    [
      { 'function-name': 'arn:aws:lambda:us-east-1:12345678901:function:x' },
      'Input "function-name": "arn:aws:lambda:us-east-1:12345678901:function:x" is not a Lambda function name or ARN.',
    ],
  ])('refuses %j before any AWS call', async (inputs, message) => {
    const h = harness(inputs);
    writeFileSync(join(h.workspace, 'notes.txt'), 'x');
    await run(h.value);
    expect(h.io.failures).toEqual([message]);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('with the same hash makes no mutating call and reports the newest version holding the code, across pages', async () => {
    // Prepare
    const h = harness({ entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    const sha = sha256Base64(
      deterministicZip([
        {
          path: 'index.js',
          data: Buffer.from('exports.handler=async()=>({batchItemFailures:[]})'),
          executable: false,
        },
      ]),
    );
    lambda.on(GetFunctionCommand).resolves({ Configuration: { CodeSha256: sha } });
    lambda
      .on(ListVersionsByFunctionCommand)
      .resolvesOnce({
        Versions: [
          { Version: '$LATEST', CodeSha256: sha },
          { Version: '9', CodeSha256: sha },
          { Version: '11', CodeSha256: 'older' },
        ],
        NextMarker: 'page2',
      })
      .resolves({
        Versions: [
          { Version: '10', CodeSha256: sha },
          { Version: '2', CodeSha256: sha },
        ],
      });

    // Act
    await run(h.value);

    // Assess
    expect(h.io.failures).toEqual([]);
    expect(
      lambda.commandCalls(ListVersionsByFunctionCommand).map((call) => call.args[0].input),
    ).toEqual([
      { FunctionName: 'detector', Marker: undefined },
      { FunctionName: 'detector', Marker: 'page2' },
    ]);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
    expect(lambda.commandCalls(PublishVersionCommand)).toHaveLength(0);
    expect(h.io.outputs).toMatchObject({ version: '10', changed: 'false' });
    expect(h.io.logs).toContain(
      `Function detector already runs this code (CodeSha256 ${sha}): nothing to update.`,
    );
    expect(h.io.summaryText()).toMatch(
      /^## ✅ Lambda detector: unchanged\n\n_The deployed code already has this hash: no update, no new version._\n\n/,
    );
  });

  it('with the same hash and publish false reports $LATEST without listing versions', async () => {
    const h = harness({ entry: 'handler.ts', publish: 'false' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    lambda.on(GetFunctionCommand).callsFake(() => ({
      Configuration: { CodeSha256: h.io.logs.join('\n').match(/CodeSha256 (\S+)/)?.[1] },
    }));
    await run(h.value);
    expect(h.io.outputs).toMatchObject({ version: '$LATEST', changed: 'false' });
    expect(lambda.commandCalls(ListVersionsByFunctionCommand)).toHaveLength(0);
  });

  it('with the same hash and no version holding it reports $LATEST', async () => {
    const h = harness({ entry: 'handler.ts' });
    writeFileSync(join(h.workspace, 'handler.ts'), '');
    lambda.on(GetFunctionCommand).callsFake(() => ({
      Configuration: { CodeSha256: h.io.logs.join('\n').match(/CodeSha256 (\S+)/)?.[1] },
    }));
    lambda
      .on(ListVersionsByFunctionCommand)
      .resolves({ Versions: [{ Version: '$LATEST' }, { Version: '1', CodeSha256: 'x' }] });
    await run(h.value);
    expect(h.io.outputs).toMatchObject({ version: '$LATEST', changed: 'false' });
  });

  it('fails naming the bucket and key when the upload is refused, before touching the function code', async () => {
    functionPublishing('5');
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const h = harness({ package: 'fn.zip', 's3-bucket': 'artifacts' });
    writeFileSync(join(h.workspace, 'fn.zip'), 'z');
    await run(h.value);
    expect(h.io.failures).toEqual([
      `could not upload the package to s3://artifacts/lambda/detector/${sha256Hex(Buffer.from('z'))}.zip: AccessDenied: denied`,
    ]);
    expect(lambda.commandCalls(UpdateFunctionCodeCommand)).toHaveLength(0);
  });

  it('fails naming the function when publishing is refused', async () => {
    functionPublishing('5');
    lambda
      .on(PublishVersionCommand)
      .rejects(Object.assign(new Error('too many'), { name: 'CodeStorageExceededException' }));
    const h = harness({ package: 'fn.zip' });
    writeFileSync(join(h.workspace, 'fn.zip'), 'z');
    await run(h.value);
    expect(h.io.failures).toEqual([
      'could not publish a version of detector: CodeStorageExceededException: too many',
    ]);
  });

  it('says "?" when Lambda returns no version number', async () => {
    functionPublishing('5');
    lambda.on(PublishVersionCommand).resolves({});
    const h = harness({ package: 'fn.zip' });
    writeFileSync(join(h.workspace, 'fn.zip'), 'z');
    await run(h.value);
    expect(h.io.logs).toContain('Published version ?');
    expect(h.io.outputs.version).toBe('$LATEST');
  });
});
