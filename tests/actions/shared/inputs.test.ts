import { ConfigurationError } from '../../../actions/shared/errors';
import {
  readBoolean,
  readBucketName,
  readChoice,
  readInteger,
  readLines,
  readStackName,
  readString,
} from '../../../actions/shared/inputs';

// The inputs every action reads: the value the action then uses, or the message of the failed
// step, which names the input.
const io = (inputs: Record<string, string>) => ({ getInput: (name: string) => inputs[name] ?? '' });

const failureOf = (read: () => unknown): string => {
  try {
    return `accepted ${JSON.stringify(read())}`;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
};

describe('action inputs', () => {
  it('trims strings and falls back when blank', () => {
    expect(readString(io({ name: '  value \n' }), 'name')).toBe('value');
    expect(readString(io({ name: '   ' }), 'name', { fallback: 'default' })).toBe('default');
    expect(readString(io({}), 'name')).toBe('');
  });

  it('fails naming a required input that is blank', () => {
    expect(failureOf(() => readString(io({ name: ' ' }), 'name', { required: true }))).toBe(
      'Input "name" is required.',
    );
  });

  it.each([
    ['true', true],
    [' Yes ', true],
    ['ON', true],
    ['1', true],
    ['false', false],
    ['No', false],
    ['off', false],
    ['0', false],
  ])('reads the boolean %j as %s', (raw, expected) => {
    expect(readBoolean(io({ flag: raw }), 'flag', !expected)).toBe(expected);
  });

  it('takes the default for a blank boolean and names a wrong one', () => {
    expect(readBoolean(io({ flag: ' ' }), 'flag', true)).toBe(true);
    expect(readBoolean(io({}), 'flag', false)).toBe(false);
    expect(failureOf(() => readBoolean(io({ flag: ' maybe ' }), 'flag', true))).toBe(
      'Input "flag" must be true or false, not "maybe".',
    );
  });

  it.each([
    [' 5 ', 5],
    ['1', 1],
    ['60', 60],
    ['', 30],
  ])('reads the whole number %j as %d', (raw, expected) => {
    expect(readInteger(io({ n: raw }), 'n', { fallback: 30, min: 1, max: 60 })).toBe(expected);
  });

  it.each(['0', '61', '1.5', '5m', 'x5', '-'])('names the whole number %j out of range', (raw) => {
    expect(
      failureOf(() => readInteger(io({ n: raw }), 'n', { fallback: 30, min: 1, max: 60 })),
    ).toBe(`Input "n" must be a whole number from 1 to 60, not "${raw}".`);
  });

  it('reads negative whole numbers where allowed', () => {
    expect(readInteger(io({ n: '-3' }), 'n', { fallback: 0, min: -5, max: 5 })).toBe(-3);
  });

  it('reads a choice case-insensitively, with its default, and lists the choices', () => {
    const choices = ['error', 'warning'] as const;
    expect(readChoice(io({ c: ' Warning ' }), 'c', choices, 'error')).toBe('warning');
    expect(readChoice(io({ c: '' }), 'c', choices, 'error')).toBe('error');
    expect(failureOf(() => readChoice(io({ c: 'fatal' }), 'c', choices, 'error'))).toBe(
      'Input "c" must be one of error, warning, not "fatal".',
    );
  });

  it('reads lines, trimmed, without blanks and comments, whatever the line ends', () => {
    expect(readLines(io({ l: ' A=1 \r\n\n# note\n  #also\nB=2\r\n' }), 'l')).toEqual([
      'A=1',
      'B=2',
    ]);
    expect(readLines(io({}), 'l')).toEqual([]);
  });

  it.each(['a', 'Stack-1', `s${'x'.repeat(127)}`])('accepts the stack name %j', (name) => {
    expect(readStackName(io({ s: name }), 's')).toBe(name);
  });

  it.each(['1stack', 'stack_1', `s${'x'.repeat(128)}`, 'my stack', '-stack'])(
    'names the stack name %j it refuses',
    (name) => {
      expect(failureOf(() => readStackName(io({ s: name }), 's'))).toBe(
        `Input "s": "${name}" is not a stack name (a letter, then up to 127 letters, digits and hyphens).`,
      );
    },
  );

  it('requires a stack name', () => {
    expect(failureOf(() => readStackName(io({}), 's'))).toBe('Input "s" is required.');
  });

  it.each(['abc', 'my.bucket-1', `a${'b'.repeat(61)}c`])('accepts the bucket name %j', (name) => {
    expect(readBucketName(io({ b: name }), 'b')).toBe(name);
  });

  it.each(['ab', 'My-bucket', 'bucket-', '-bucket', `a${'b'.repeat(62)}c`, 'my_bucket'])(
    'names the bucket name %j it refuses',
    (name) => {
      expect(failureOf(() => readBucketName(io({ b: name }), 'b'))).toBe(
        `Input "b": "${name}" is not an S3 bucket name.`,
      );
    },
  );

  it('leaves an optional bucket empty and requires a required one', () => {
    expect(readBucketName(io({}), 'b')).toBe('');
    expect(failureOf(() => readBucketName(io({}), 'b', { required: true }))).toBe(
      'Input "b" is required.',
    );
  });
});
