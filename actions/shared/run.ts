import { AwsOperationError, ConfigurationError, StateError, describeError } from './errors';
import type { ActionIO } from './io';

/**
 * Runs an action's body and turns any failure into a failed step with a clear message:
 * what the user can fix, AWS failures with their context and resources in a state that stops the
 * action as they are; anything else with its name.
 */
export async function runAction(
  io: Pick<ActionIO, 'setFailed' | 'debug'>,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (
      error instanceof ConfigurationError ||
      error instanceof AwsOperationError ||
      error instanceof StateError
    ) {
      io.setFailed(error.message);
      return;
    }
    if (error instanceof Error && error.stack) io.debug(error.stack);
    io.setFailed(`Unexpected failure: ${describeError(error)}`);
  }
}
