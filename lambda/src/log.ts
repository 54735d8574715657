import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { DEFAULT_SERVICE_NAME } from './metrics';

/** One structured log entry: its level, its message and its fields. */
export type LogEntry = {
  readonly level: 'INFO' | 'WARN';
  readonly message: string;
} & Readonly<Record<string, unknown>>;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Powertools Logger: one JSON line an entry (INFO on stdout, WARN on stderr; Lambda sends both
 * to CloudWatch Logs). Its level comes from POWERTOOLS_LOG_LEVEL, else the function's
 * AWS_LAMBDA_LOG_LEVEL, else INFO; its service from POWERTOOLS_SERVICE_NAME (the stack sets its
 * name), as the metrics' does.
 */
export function createLogger(env: Environment): Logger {
  const level = env.POWERTOOLS_LOG_LEVEL?.trim() || env.AWS_LAMBDA_LOG_LEVEL?.trim() || 'INFO';
  return new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME,
    logLevel: level.toUpperCase() as LogLevel,
  });
}

/** The detector's log seam, written through the logger. */
export function logTo(logger: Logger): (entry: LogEntry) => void {
  return ({ level, message, ...fields }) => {
    if (level === 'WARN') logger.warn(message, fields);
    else logger.info(message, fields);
  };
}

type Invoked = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

/**
 * Correlates each invocation's lines: the Lambda request id (and cold start, function version)
 * from the context, and the batch's first Kinesis sequence number, where a redelivery starts.
 */
export function withCorrelation(logger: Logger, handler: Invoked) {
  return (event: KinesisStreamEvent, context?: Context): Promise<KinesisStreamBatchResponse> => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    logger.appendKeys({ firstSequenceNumber: event.Records[0]?.kinesis.sequenceNumber });
    return handler(event);
  };
}
