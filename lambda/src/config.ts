import { DEFAULT_THRESHOLDS, type Thresholds } from './classify';
import { DEFAULT_EXCURSION_SETTINGS, type ExcursionSettings } from './excursion';

// Re-exported where the configuration is read, for callers that configure the detector.
export { DEFAULT_THRESHOLDS, type Thresholds };

/** A mistake in the function's configuration: fails the cold start, naming the variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export interface DetectorConfig {
  readonly tableName: string;
  readonly topicArn: string;
  readonly deadLetterQueueUrl: string;
  readonly thresholds: Thresholds;
  /** When excursions close and what is sent; absent: DEFAULT_EXCURSION_SETTINGS. */
  readonly excursions?: ExcursionSettings;
  /** Messages the topic gets a minute at most; absent: DEFAULT_ALERT_MESSAGES_PER_MINUTE. */
  readonly alertMessagesPerMinute?: number;
}

/** A person reads ten e-mails a minute; beyond that, one digest says more than more e-mails. */
export const DEFAULT_ALERT_MESSAGES_PER_MINUTE = 10;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads and validates the detector's environment; throws a ConfigurationError naming the variable. */
export function loadConfig(env: Environment): DetectorConfig {
  const tableName = required(env, 'ANOMALY_TABLE_NAME');
  if (!TABLE_NAME.test(tableName)) {
    throw new ConfigurationError(
      `ANOMALY_TABLE_NAME "${tableName}" is not a valid DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -).`,
    );
  }
  const topicArn = required(env, 'ALERT_TOPIC_ARN');
  if (!TOPIC_ARN.test(topicArn)) {
    throw new ConfigurationError(`ALERT_TOPIC_ARN "${topicArn}" is not an SNS topic ARN.`);
  }
  const deadLetterQueueUrl = required(env, 'DEAD_LETTER_QUEUE_URL');
  if (
    !URL.canParse(deadLetterQueueUrl) ||
    !/^https?:$/.test(new URL(deadLetterQueueUrl).protocol)
  ) {
    throw new ConfigurationError(
      `DEAD_LETTER_QUEUE_URL "${deadLetterQueueUrl}" is not an SQS queue URL (https://…).`,
    );
  }
  const coldBelowF = optionalNumber(env, 'COLD_BELOW_F', DEFAULT_THRESHOLDS.coldBelowF);
  const hotAboveF = optionalNumber(env, 'HOT_ABOVE_F', DEFAULT_THRESHOLDS.hotAboveF);
  if (coldBelowF > hotAboveF) {
    throw new ConfigurationError(
      `COLD_BELOW_F (${coldBelowF}) must not be above HOT_ABOVE_F (${hotAboveF}).`,
    );
  }
  return {
    tableName,
    topicArn,
    deadLetterQueueUrl,
    thresholds: { coldBelowF, hotAboveF },
    excursions: loadExcursionSettings(env),
    alertMessagesPerMinute: loadMessagesPerMinute(env),
  };
}

/** Optional EXCURSION_HOLD_SECONDS (0-86400, fractions allowed) and ALERT_ON_CLOSE (true/false). */
function loadExcursionSettings(env: Environment): ExcursionSettings {
  const holdRaw = env.EXCURSION_HOLD_SECONDS?.trim();
  const holdSeconds = holdRaw ? Number(holdRaw) : DEFAULT_EXCURSION_SETTINGS.holdMs / 1000;
  if (!Number.isFinite(holdSeconds) || holdSeconds < 0 || holdSeconds > 86_400) {
    throw new ConfigurationError(
      `EXCURSION_HOLD_SECONDS "${holdRaw ?? ''}" is not a number of seconds from 0 to 86400.`,
    );
  }
  const closeRaw = env.ALERT_ON_CLOSE?.trim().toLowerCase();
  if (closeRaw && closeRaw !== 'true' && closeRaw !== 'false') {
    throw new ConfigurationError(`ALERT_ON_CLOSE "${closeRaw}" must be true or false.`);
  }
  return {
    ...DEFAULT_EXCURSION_SETTINGS,
    holdMs: Math.round(holdSeconds * 1000),
    alertOnClose: closeRaw ? closeRaw === 'true' : DEFAULT_EXCURSION_SETTINGS.alertOnClose,
  };
}

/** Optional ALERT_MESSAGES_PER_MINUTE: a whole number from 1. */
function loadMessagesPerMinute(env: Environment): number {
  const raw = env.ALERT_MESSAGES_PER_MINUTE?.trim();
  if (!raw) return DEFAULT_ALERT_MESSAGES_PER_MINUTE;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(
      `ALERT_MESSAGES_PER_MINUTE "${raw}" is not a whole number of messages a minute from 1.`,
    );
  }
  return value;
}

function required(env: Environment, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigurationError(`${name} is not set; the detector needs it.`);
  return value;
}

function optionalNumber(env: Environment, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigurationError(`${name} "${raw}" is not a number of degrees Fahrenheit.`);
  }
  return value;
}
