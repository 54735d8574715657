import { StateError } from '../../shared/errors';
import { runAction } from '../../shared/run';
import { knownReading, putReading, waitForAnomaly } from './check';
import type { SmokeCheckDeps } from './deps';
import { getInputs } from './inputs';
import { publishResult } from './report';

export type { SmokeCheckDeps } from './deps';

export function run(deps: SmokeCheckDeps): Promise<void> {
  return runAction(deps.io, () => smokeCheck(deps));
}

/** Read inputs → put the known reading → wait for its anomaly → report (then fail if it is wrong). */
async function smokeCheck(deps: SmokeCheckDeps): Promise<void> {
  const inputs = getInputs(deps.io);
  const reading = knownReading(deps, inputs);
  const started = deps.clock.now();
  const sequence = await putReading(deps, inputs, reading);
  deps.io.info(
    `Put ${reading.deviceId} ${reading.timestamp} on ${inputs.streamName} (${sequence})`,
  );
  let anomaly: string | undefined;
  let failure: string | undefined;
  try {
    anomaly = await waitForAnomaly(deps, inputs, reading, started + inputs.timeoutSeconds * 1000);
    if (anomaly !== inputs.expectedAnomaly)
      failure = `The reading was stored as "${anomaly}", not ${inputs.expectedAnomaly}: the detector's thresholds or classification differ from what the check expects.`;
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    failure = error.message;
  }
  await publishResult(deps.io, inputs, {
    reading,
    anomaly,
    waitedMs: deps.clock.now() - started,
    failure,
  });
  if (failure) throw new StateError(failure);
}
