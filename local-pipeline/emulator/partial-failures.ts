/**
 * The fault proxy's partial failures, one builder per batch operation. They are real: the
 * entries reported as failed are removed from the request before it reaches moto, so they are
 * genuinely not written, exactly as AWS behaves; moto's answer then reports them failed.
 */

export interface PartialFailure {
  /** The request moto receives: the entries that succeed. */
  readonly request: Buffer;
  /** moto's answer with the failed entries reported as the service would. */
  response(upstreamBody: Buffer): Buffer;
}

export function partialFailure(
  operation: string,
  body: Buffer,
  share: number,
  random: () => number,
): PartialFailure {
  switch (operation) {
    case 'PutRecords':
      return kinesisPartial(body, share, random);
    case 'BatchWriteItem':
      return dynamoPartial(body, share, random);
    case 'PublishBatch':
      return snsPartial(body, share, random);
    default:
      throw new Error(`partial failure is not supported for ${operation}`);
  }
}

/** Chooses round(share × n) distinct indices out of n. */
function pickFailed(n: number, share: number, random: () => number): Set<number> {
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return new Set(indices.slice(0, Math.round(share * n)));
}

function kinesisPartial(body: Buffer, share: number, random: () => number): PartialFailure {
  const request = JSON.parse(body.toString('utf8')) as { Records: unknown[] };
  const failed = pickFailed(request.Records.length, share, random);
  const kept = request.Records.filter((_, i) => !failed.has(i));
  return {
    request: Buffer.from(JSON.stringify({ ...request, Records: kept })),
    response: (upstreamBody) => {
      const answer = JSON.parse(upstreamBody.toString('utf8')) as {
        Records: unknown[];
        FailedRecordCount?: number;
      };
      const upstreamRecords = [...answer.Records];
      const records = request.Records.map((_, i) =>
        failed.has(i)
          ? {
              ErrorCode: 'ProvisionedThroughputExceededException',
              ErrorMessage: 'Rate exceeded for shard (injected)',
            }
          : upstreamRecords.shift(),
      );
      return Buffer.from(
        JSON.stringify({
          ...answer,
          Records: records,
          FailedRecordCount: (answer.FailedRecordCount ?? 0) + failed.size,
        }),
      );
    },
  };
}

type WriteRequests = Record<string, unknown[]>;

function dynamoPartial(body: Buffer, share: number, random: () => number): PartialFailure {
  const request = JSON.parse(body.toString('utf8')) as { RequestItems: WriteRequests };
  const all = Object.entries(request.RequestItems).flatMap(([table, writes]) =>
    writes.map((write) => ({ table, write })),
  );
  const failed = pickFailed(all.length, share, random);
  const group = (keep: boolean) => {
    const grouped: WriteRequests = {};
    all.forEach(({ table, write }, i) => {
      if (failed.has(i) !== keep) (grouped[table] ??= []).push(write);
    });
    return grouped;
  };
  const kept = group(true);
  const unprocessed = group(false);
  return {
    request: Buffer.from(JSON.stringify({ ...request, RequestItems: kept })),
    response: (upstreamBody) => {
      const answer = JSON.parse(upstreamBody.toString('utf8')) as Record<string, unknown>;
      return Buffer.from(JSON.stringify({ ...answer, UnprocessedItems: unprocessed }));
    },
  };
}

function snsPartial(body: Buffer, share: number, random: () => number): PartialFailure {
  const form = new URLSearchParams(body.toString('utf8'));
  const prefix = 'PublishBatchRequestEntries.member.';
  const members = new Map<number, [string, string][]>();
  const rest: [string, string][] = [];
  for (const [key, value] of form) {
    const match = new RegExp(`^${prefix.replaceAll('.', '\\.')}(\\d+)\\.(.+)$`).exec(key);
    if (match) {
      const index = Number(match[1]);
      members.set(index, [...(members.get(index) ?? []), [match[2]!, value]]);
    } else {
      rest.push([key, value]);
    }
  }
  const ordered = [...members.entries()].sort(([a], [b]) => a - b).map(([, fields]) => fields);
  const failed = pickFailed(ordered.length, share, random);
  const forwarded = new URLSearchParams(rest);
  const failedIds: string[] = [];
  let position = 0;
  ordered.forEach((fields, i) => {
    if (failed.has(i)) {
      failedIds.push(fields.find(([name]) => name === 'Id')?.[1] ?? String(i));
      return;
    }
    position += 1;
    for (const [name, value] of fields) forwarded.append(`${prefix}${position}.${name}`, value);
  });
  const failedXml = failedIds
    .map(
      (id) =>
        `<member><Id>${id}</Id><Code>InternalError</Code><Message>Injected failure</Message><SenderFault>false</SenderFault></member>`,
    )
    .join('');
  return {
    request: Buffer.from(forwarded.toString()),
    response: (upstreamBody) =>
      Buffer.from(
        upstreamBody
          .toString('utf8')
          .replace(/<Failed\s*\/>|<Failed>[\s\S]*?<\/Failed>/, '')
          .replace('</Successful>', `</Successful><Failed>${failedXml}</Failed>`),
      ),
  };
}
