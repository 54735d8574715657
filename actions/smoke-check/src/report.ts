import type { ActionIO } from '../../shared/io';
import { table } from '../../shared/summary';
import { formatDuration } from '../../shared/wait';
import type { KnownReading } from './deps';
import type { SmokeCheckInputs } from './inputs';

export interface SmokeCheckResult {
  readonly reading: KnownReading;
  readonly anomaly: string | undefined;
  readonly waitedMs: number;
  readonly failure: string | undefined;
}

export async function publishResult(
  io: ActionIO,
  inputs: SmokeCheckInputs,
  result: SmokeCheckResult,
): Promise<void> {
  const { reading } = result;
  io.setOutput('device-id', reading.deviceId);
  io.setOutput('timestamp', reading.timestamp);
  io.setOutput('anomaly', result.anomaly ?? '');
  io.setOutput('waited-seconds', String(Math.round(result.waitedMs / 1000)));
  const passed = result.failure === undefined;
  await io.summary
    .addRaw(
      [
        `## ${passed ? '✅' : '❌'} Smoke check: ${passed ? `${inputs.expectedAnomaly} stored in ${formatDuration(result.waitedMs)}` : 'failed'}`,
        '',
        table(
          ['reading', 'stream', 'table', 'expected', 'stored'],
          [
            [
              `${reading.deviceId} at ${reading.timestamp}, ${reading.temperature} °F`,
              inputs.streamName,
              inputs.tableName,
              inputs.expectedAnomaly,
              result.anomaly ?? 'nothing',
            ],
          ],
        ),
        ...(result.failure ? ['', result.failure] : []),
        '',
      ].join('\n'),
    )
    .write();
}
