/** A mistake the user can fix (an input, a file, a missing tool); its message says how. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** An AWS call that failed, with what we were doing when it did. */
export class AwsOperationError extends Error {
  override readonly name = 'AwsOperationError';
  constructor(
    readonly context: string,
    override readonly cause: unknown,
  ) {
    super(`${context}: ${describeError(cause)}`);
  }
}

/**
 * AWS resources in a state that stops the action: a deployment that failed or rolled back, a
 * stack that must be repaired by hand, a wait that reached its timeout. Neither an input the user
 * can fix (ConfigurationError) nor a call that failed (AwsOperationError).
 */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/** "ErrorName: message" for SDK errors, the message alone for plain ones. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const generic = error.name === 'Error' || error.name === '';
    return generic ? error.message : `${error.name}: ${error.message}`;
  }
  return String(error);
}

/** Runs `action`, wrapping any failure as an AwsOperationError with `context`. */
export async function withContext<T>(context: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (
      error instanceof ConfigurationError ||
      error instanceof AwsOperationError ||
      error instanceof StateError
    )
      throw error;
    throw new AwsOperationError(context, error);
  }
}
