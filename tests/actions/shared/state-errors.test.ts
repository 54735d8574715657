import { StateError, withContext } from '../../../actions/shared/errors';
import { runAction } from '../../../actions/shared/run';
import { failureRecorder } from './failure-recorder';

// A resource in a state that stops the action (a rollback, a timeout) reads as it was written,
// even when it is found inside an AWS step.
const rolledBack = 'Stack app is UPDATE_ROLLBACK_COMPLETE; the update was rolled back.';

describe('a resource in a state that stops the action', () => {
  it('passes through an AWS step unchanged', async () => {
    const error = new StateError(rolledBack);

    const thrown = await withContext('could not follow stack app', () =>
      Promise.reject(error),
    ).catch((e: unknown) => e);

    expect(thrown).toBe(error);
  });

  it('fails the step with its own message and no debug stack trace', async () => {
    const { io, failures, debug } = failureRecorder();

    await runAction(io, () => Promise.reject(new StateError(rolledBack)));

    expect(failures).toEqual([rolledBack]);
    expect(debug).toEqual([]);
  });
});
