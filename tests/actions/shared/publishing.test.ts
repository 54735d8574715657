import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClientOptions } from '../../../actions/shared/aws';
import { AwsOperationError, ConfigurationError, StateError } from '../../../actions/shared/errors';
import { publishResult } from '../../../actions/shared/publish';
import { regionalUrl, uploadContentAddressed } from '../../../actions/shared/s3-upload';
import { sha256Hex } from '../../../actions/shared/zip';
import { readRoleArn } from '../../../actions/shared/inputs';
import { systemClock, timeWindow } from '../../../actions/shared/wait';
import { fakeIO } from '../../support/fake-io';

// What the actions hand on (outputs, summary), store (content-addressed objects) and ask of the
// SDK (retries).

const s3Mock = mockClient(S3Client);
const sdkError = (name: string, message = name) => Object.assign(new Error(message), { name });

beforeEach(() => {
  s3Mock.reset();
});

describe('content-addressed uploads', () => {
  const target = { bucket: 'artifacts', prefix: 'lambda/', extension: '.zip' };
  const body = 'the bundle';
  const key = `lambda/${sha256Hex(Buffer.from(body))}.zip`;

  it('uploads content the bucket does not hold, under its hash', async () => {
    s3Mock.on(HeadObjectCommand).rejects(sdkError('NotFound'));
    s3Mock.on(PutObjectCommand).resolves({});
    const result = await uploadContentAddressed(
      new S3Client({ region: 'eu-west-1' }),
      target,
      body,
    );
    expect(result).toEqual({
      bucket: 'artifacts',
      key,
      url: `https://artifacts.s3.eu-west-1.amazonaws.com/${key}`,
      uploaded: true,
    });
    expect(s3Mock.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'artifacts',
      Key: key,
    });
    const put = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ Bucket: 'artifacts', Key: key });
    expect(Buffer.from(put?.Body as Uint8Array).toString()).toBe(body);
  });

  it('takes bytes as they are', async () => {
    s3Mock.on(HeadObjectCommand).rejects(sdkError('NoSuchKey'));
    s3Mock.on(PutObjectCommand).resolves({});
    const bytes = new Uint8Array([1, 2, 3]);
    const result = await uploadContentAddressed(
      new S3Client({ region: 'eu-west-1' }),
      target,
      bytes,
    );
    expect(result.key).toBe(`lambda/${sha256Hex(bytes)}.zip`);
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input.Body).toBe(bytes);
  });

  it('skips content already there', async () => {
    s3Mock.on(HeadObjectCommand).resolves({});
    const result = await uploadContentAddressed(
      new S3Client({ region: 'eu-west-1' }),
      target,
      body,
    );
    expect(result.uploaded).toBe(false);
    expect(s3Mock.commandCalls(PutObjectCommand)).toEqual([]);
  });

  it('fails naming the object it could not check or upload', async () => {
    s3Mock.on(HeadObjectCommand).rejects(sdkError('Forbidden', 'denied'));
    await expect(
      uploadContentAddressed(new S3Client({ region: 'eu-west-1' }), target, body),
    ).rejects.toThrow(`could not check s3://artifacts/${key}: Forbidden: denied`);
    s3Mock.on(HeadObjectCommand).rejects(sdkError('NotFound'));
    s3Mock.on(PutObjectCommand).rejects(sdkError('AccessDenied', 'no'));
    await expect(
      uploadContentAddressed(new S3Client({ region: 'eu-west-1' }), target, body),
    ).rejects.toThrow(`could not upload s3://artifacts/${key}: AccessDenied: no`);
  });

  it.each([
    ['b', 'k/x y.json', 'us-east-1', 'https://b.s3.us-east-1.amazonaws.com/k/x%20y.json'],
    ['b', 'a/b+c', 'cn-north-1', 'https://b.s3.cn-north-1.amazonaws.com.cn/a/b%2Bc'],
    ['my.bucket', 'k', 'eu-west-1', 'https://s3.eu-west-1.amazonaws.com/my.bucket/k'],
    ['my.bucket', 'k', 'cn-northwest-1', 'https://s3.cn-northwest-1.amazonaws.com.cn/my.bucket/k'],
    ['b', 'k', 'us-east-1-cn-', 'https://b.s3.us-east-1-cn-.amazonaws.com/k'],
  ])('addresses %s/%s in %s as %s', (bucket, key, region, url) => {
    expect(regionalUrl(bucket, key, region)).toBe(url);
  });
});

describe('a step result', () => {
  it('sets every output and writes the summary ending in one line break', async () => {
    const io = fakeIO();
    await publishResult(io, { a: '1', b: '' }, '## Done');
    expect(io.outputs).toEqual({ a: '1', b: '' });
    expect(io.summaryText()).toBe('## Done\n');
    await publishResult(io, {}, 'more\n');
    expect(io.summaryText()).toBe('## Done\nmore\n');
  });

  it('writes the summary it added', async () => {
    const written: string[] = [];
    let pending = '';
    const io = {
      setOutput: () => undefined,
      summary: {
        addRaw(text: string) {
          pending += text;
          return this as never;
        },
        write() {
          written.push(pending);
          return Promise.resolve(this as never);
        },
      },
    };
    await publishResult(io, {}, 'x');
    expect(written).toEqual(['x\n']);
  });
});

describe('AWS client retries', () => {
  it('retries adaptively, 10 times, unless the environment says otherwise', () => {
    expect(awsClientOptions({})).toEqual({ retryMode: 'adaptive', maxAttempts: 10 });
    expect(awsClientOptions({ AWS_RETRY_MODE: 'standard' })).toEqual({ maxAttempts: 10 });
    expect(awsClientOptions({ AWS_MAX_ATTEMPTS: '3' })).toEqual({ retryMode: 'adaptive' });
    expect(awsClientOptions({ AWS_RETRY_MODE: '', AWS_MAX_ATTEMPTS: '' })).toEqual({
      retryMode: 'adaptive',
      maxAttempts: 10,
    });
  });

  it('reads the process environment by default', () => {
    const saved = { mode: process.env.AWS_RETRY_MODE, attempts: process.env.AWS_MAX_ATTEMPTS };
    process.env.AWS_RETRY_MODE = 'standard';
    process.env.AWS_MAX_ATTEMPTS = '4';
    try {
      expect(awsClientOptions()).toEqual({});
    } finally {
      if (saved.mode === undefined) delete process.env.AWS_RETRY_MODE;
      else process.env.AWS_RETRY_MODE = saved.mode;
      if (saved.attempts === undefined) delete process.env.AWS_MAX_ATTEMPTS;
      else process.env.AWS_MAX_ATTEMPTS = saved.attempts;
    }
  });
});

describe('role ARNs and time windows', () => {
  const io = (value: string) => ({ getInput: () => value });

  it.each([
    'arn:aws:iam::123456789012:role/cfn-exec',
    'arn:aws-us-gov:iam::123456789012:role/path/to/r+=,.@_-',
  ])('accepts the role %s', (arn) => {
    expect(readRoleArn(io(` ${arn} `), 'role-arn')).toBe(arn);
  });

  it.each([
    'xarn:aws:iam::123456789012:role/r',
    'arn:aws:iam::123456789012:role/r x',
    'arn:aws:iam::12345678901:role/r',
    'arn:aws:iam::123456789012:user/r',
    'arn:aws:iam::123456789012:role/',
  ])('rejects the role %s, naming the input', (arn) => {
    expect(() => readRoleArn(io(arn), 'role-arn')).toThrow(
      `Input "role-arn": "${arn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`,
    );
  });

  it('leaves an absent role empty', () => {
    expect(readRoleArn(io(''), 'role-arn')).toBe('');
  });

  it('ends a run timeout-minutes after it starts', () => {
    const clock = { now: () => 1_000, sleep: () => Promise.resolve() };
    expect(timeWindow(clock, 2)).toEqual({ started: 1_000, deadline: 121_000 });
  });
});

describe('error names and the system clock', () => {
  it('names each kind of failure, as a log or stack trace shows it', () => {
    expect(String(new ConfigurationError('bad input'))).toBe('ConfigurationError: bad input');
    expect(String(new StateError('stuck'))).toBe('StateError: stuck');
    expect(String(new AwsOperationError('could not x', new Error('boom')))).toBe(
      'AwsOperationError: could not x: boom',
    );
  });

  it('tells the time and sleeps on the real clock', async () => {
    jest.useFakeTimers({ now: 42_000 });
    try {
      expect(systemClock.now()).toBe(42_000);
      let woke = false;
      const sleeping = systemClock.sleep(1_000).then(() => {
        woke = true;
      });
      await jest.advanceTimersByTimeAsync(999);
      expect(woke).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(woke).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
