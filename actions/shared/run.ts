import { AwsOperationError, ConfigurationError, describeError } from './errors';
import type { ActionIO } from './io';

/**
 * Runs an action's body and turns any failure into a failed step with a clear message:
 * what the user can fix as-is, AWS failures with their context, anything else with its name.
 */
export async function runAction(
  io: Pick<ActionIO, 'setFailed' | 'debug'>,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof AwsOperationError) {
      io.setFailed(error.message);
      return;
    }
    if (error instanceof Error && error.stack) io.debug(error.stack);
    io.setFailed(`Unexpected failure: ${describeError(error)}`);
  }
}
