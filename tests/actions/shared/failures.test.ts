import {
  AwsOperationError,
  ConfigurationError,
  describeError,
  withContext,
} from '../../../actions/shared/errors';
import { runAction } from '../../../actions/shared/run';
import { cell, table } from '../../../actions/shared/summary';
import { formatDuration } from '../../../actions/shared/wait';
import { failureRecorder } from './failure-recorder';

// How a failed step reads (the message the runner shows) and how the job summary renders.
const sdkError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('a failed step', () => {
  it('shows a configuration mistake as it is', async () => {
    const { io, failures, debug } = failureRecorder();
    await runAction(io, () => Promise.reject(new ConfigurationError('Input "x" is required.')));
    expect(failures).toEqual(['Input "x" is required.']);
    expect(debug).toEqual([]);
  });

  it('shows an AWS failure with what was being done', async () => {
    const { io, failures } = failureRecorder();
    await runAction(io, () =>
      withContext('could not create change set for stack app', () =>
        Promise.reject(sdkError('ValidationError', 'Template format error')),
      ),
    );
    expect(failures).toEqual([
      'could not create change set for stack app: ValidationError: Template format error',
    ]);
  });

  it('keeps the innermost context of nested AWS steps', async () => {
    const { io, failures } = failureRecorder();
    await runAction(io, () =>
      withContext('outer', () =>
        withContext('inner', () => Promise.reject(new Error('socket hang up'))),
      ),
    );
    expect(failures).toEqual(['inner: socket hang up']);
  });

  it('lets a configuration mistake through a context unchanged', async () => {
    await expect(
      withContext('reading', () => Promise.reject(new ConfigurationError('bad input'))),
    ).rejects.toThrow(new ConfigurationError('bad input'));
  });

  it('returns what the wrapped call returns', async () => {
    await expect(withContext('x', () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('calls anything else unexpected, with its name, and logs the stack for debugging', async () => {
    const { io, failures, debug } = failureRecorder();
    await runAction(io, () => Promise.reject(new TypeError('x is undefined')));
    expect(failures).toEqual(['Unexpected failure: TypeError: x is undefined']);
    expect(debug).toHaveLength(1);
    expect(debug[0]).toContain('TypeError: x is undefined');
  });

  it('describes what is not an Error as text', async () => {
    const { io, failures } = failureRecorder();
    await runAction(io, () => {
      // A thrown value that is not an Error, as some libraries throw.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'plain text';
    });
    expect(failures).toEqual(['Unexpected failure: plain text']);
  });

  it('keeps the cause of an AWS failure', () => {
    const cause = sdkError('ThrottlingException', 'Rate exceeded');
    const error = new AwsOperationError('could not describe stack app', cause);
    expect(error).toMatchObject({
      name: 'AwsOperationError',
      context: 'could not describe stack app',
      cause,
      message: 'could not describe stack app: ThrottlingException: Rate exceeded',
    });
  });

  it.each([
    [new Error('plain'), 'plain'],
    [sdkError('', 'nameless'), 'nameless'],
    [sdkError('AccessDenied', 'no'), 'AccessDenied: no'],
    [42, '42'],
  ])('describes %p as %j', (error, text) => {
    expect(describeError(error)).toBe(text);
  });

  it('does nothing more when the body succeeds', async () => {
    const { io, failures } = failureRecorder();
    await runAction(io, () => Promise.resolve());
    expect(failures).toEqual([]);
  });
});

describe('job summary rendering', () => {
  it('renders a markdown table, escaping pipes and line breaks in cells', () => {
    expect(
      table(
        ['Key', 'Value'],
        [
          ['a|b', 'line 1\nline 2\r\nline 3'],
          [3, undefined],
        ],
      ),
    ).toBe(
      [
        '| Key | Value |',
        '| --- | --- |',
        '| a\\|b | line 1<br>line 2<br>line 3 |',
        '| 3 |  |',
      ].join('\n'),
    );
  });

  it('renders no table without rows', () => {
    expect(table(['Key'], [])).toBe('');
  });

  it('escapes a single cell', () => {
    expect(cell('x|y|z')).toBe('x\\|y\\|z');
  });

  it.each([
    [0, '0s'],
    [1_499, '1s'],
    [59_499, '59s'],
    [59_500, '1m 00s'],
    [65_000, '1m 05s'],
    [754_000, '12m 34s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
