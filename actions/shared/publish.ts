import type { ActionIO } from './io';

/**
 * What a step hands on: its outputs, set together, and its part of the job summary, the one
 * place a person reads. Every action ends through here, whether it succeeded or not.
 */
export async function publishResult(
  io: Pick<ActionIO, 'setOutput' | 'summary'>,
  outputs: Readonly<Record<string, string>>,
  summary: string,
): Promise<void> {
  for (const [name, value] of Object.entries(outputs)) io.setOutput(name, value);
  await io.summary.addRaw(summary.endsWith('\n') ? summary : `${summary}\n`).write();
}
