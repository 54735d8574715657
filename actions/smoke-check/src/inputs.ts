import { ConfigurationError } from '../../shared/errors';
import { readChoice, readInteger, readString } from '../../shared/inputs';
import type { ActionIO } from '../../shared/io';

export interface SmokeCheckInputs {
  readonly streamName: string;
  readonly tableName: string;
  readonly deviceId: string;
  readonly temperature: number;
  readonly expectedAnomaly: 'HOT' | 'COLD';
  readonly timeoutSeconds: number;
  readonly pollSeconds: number;
}

// The names Kinesis and DynamoDB accept, so a wrong output wired in fails before any call.
const STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const DEVICE_ID = /^[A-Za-z0-9_.:-]{1,40}$/;
// What the sensor can report (lambda/src/reading.ts): anything else is rejected, not stored.
const SENSOR_RANGE_F = { min: -40, max: 176 };

export function getInputs(io: Pick<ActionIO, 'getInput'>): SmokeCheckInputs {
  const streamName = named(io, 'stream-name', STREAM_NAME, 'a Kinesis stream name');
  const tableName = named(io, 'table-name', TABLE_NAME, 'a DynamoDB table name');
  const deviceId = named(io, 'device-id', DEVICE_ID, 'a device id (letters, digits, _.:-)', {
    fallback: 'smoke-check',
  });
  const pollSeconds = readInteger(io, 'poll-seconds', { fallback: 5, min: 1, max: 60 });
  const timeoutSeconds = readInteger(io, 'timeout-seconds', { fallback: 180, min: 10, max: 900 });
  if (pollSeconds >= timeoutSeconds)
    throw new ConfigurationError(
      `Input "poll-seconds" (${pollSeconds}) must be shorter than "timeout-seconds" (${timeoutSeconds}).`,
    );
  return {
    streamName,
    tableName,
    deviceId,
    temperature: temperatureOf(io),
    expectedAnomaly:
      readChoice(io, 'expected-anomaly', ['hot', 'cold'] as const, 'hot') === 'cold'
        ? 'COLD'
        : 'HOT',
    timeoutSeconds,
    pollSeconds,
  };
}

function named(
  io: Pick<ActionIO, 'getInput'>,
  name: string,
  pattern: RegExp,
  what: string,
  options: { fallback?: string } = {},
): string {
  const value = readString(io, name, { required: options.fallback === undefined, ...options });
  if (!pattern.test(value))
    throw new ConfigurationError(`Input "${name}": "${value}" is not ${what}.`);
  return value;
}

function temperatureOf(io: Pick<ActionIO, 'getInput'>): number {
  const raw = readString(io, 'temperature', { fallback: '104.5' });
  const value = Number(raw);
  if (!/^-?\d+(\.\d+)?$/.test(raw) || value < SENSOR_RANGE_F.min || value > SENSOR_RANGE_F.max)
    throw new ConfigurationError(
      `Input "temperature" must be a number of °F from ${SENSOR_RANGE_F.min} to ${SENSOR_RANGE_F.max}, not "${raw}".`,
    );
  return value;
}
