/**
 * AWS's published on-demand list prices, us-east-1, in dollars, for the calls this system makes,
 * each with its pricing page, as published in November 2025. Checked on the date below against
 * stored copies of those pages (no internet here): Lambda's request price is confirmed there; the
 * stored pages show no figure for the others (AWS fills its price tables in the browser) and none
 * contradicts them. `PRICES` holds what scales with readings; `FIXED_PRICES` what a stack pays by
 * the hour whatever its readings (shards, the producer instance). The bench and `npm run size`
 * both read this one table. Update the date with the values.
 */
export const PRICES_AS_OF = '2026-11-27';

export const PRICES = {
  kinesisPutPayloadUnit: {
    dollars: 0.014 / 1e6,
    per: 'PUT payload unit (25 KB of a record; each record at least one, however it is batched)',
    source: 'https://aws.amazon.com/kinesis/data-streams/pricing/ (provisioned mode)',
  },
  lambdaRequest: {
    dollars: 0.2 / 1e6,
    per: 'invocation (duration is billed on top and is not counted here)',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  dynamoWriteUnit: {
    dollars: 0.625 / 1e6,
    per: 'write request unit, on-demand (after the 2024-11-01 price cut)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoReadUnit: {
    dollars: 0.125 / 1e6,
    per: 'read request unit, on-demand (after the 2024-11-01 price cut)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  snsPublish: {
    dollars: 0.5 / 1e6,
    per: 'message published to a standard topic (64 KB chunk)',
    source: 'https://aws.amazon.com/sns/pricing/',
  },
  snsEmailDelivery: {
    dollars: 2 / 1e5,
    per: 'e-mail delivered (one subscriber)',
    source: 'https://aws.amazon.com/sns/pricing/',
  },
  sqsRequest: {
    dollars: 0.4 / 1e6,
    per: 'standard queue request',
    source: 'https://aws.amazon.com/sqs/pricing/',
  },
} as const;

export type PricedItem = keyof typeof PRICES;

export const FIXED_PRICES = {
  kinesisShardHour: {
    dollars: 0.015,
    per: 'shard-hour, provisioned mode',
    source: 'https://aws.amazon.com/kinesis/data-streams/pricing/ (provisioned mode)',
  },
  kinesisExtendedRetentionShardHour: {
    dollars: 0.02,
    per: 'shard-hour of retention beyond 24 hours (the stack keeps 168 hours by default)',
    source: 'https://aws.amazon.com/kinesis/data-streams/pricing/ (provisioned mode)',
  },
  producerInstanceHour: {
    dollars: 0.0104,
    per: 'hour of the t3.micro producer instance (Linux, on demand)',
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  },
} as const;

/** Hours in the 30-day month the per-reading figures use. */
export const HOURS_PER_MONTH = 30 * 24;

/** Readings a device sends in a 30-day month at 1 Hz. */
export const READINGS_PER_DEVICE_MONTH = 30 * 24 * 3600;

/** Dollars a device-month costs, from billable counts per 1,000 readings. */
export function dollarsPerDeviceMonth(per1000: Partial<Record<PricedItem, number>>): number {
  return Object.entries(per1000).reduce(
    (total, [item, count]) =>
      total + (count * PRICES[item as PricedItem].dollars * READINGS_PER_DEVICE_MONTH) / 1000,
    0,
  );
}
