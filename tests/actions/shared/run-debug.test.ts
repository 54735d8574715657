import { runAction } from '../../../actions/shared/run';
import { failureRecorder } from './failure-recorder';

// The debug log of an unexpected failure: the stack trace when there is one, nothing otherwise.
describe('the debug log of an unexpected failure', () => {
  it('has no line for an Error without a stack trace', async () => {
    const { io, failures, debug } = failureRecorder();
    const error = new RangeError('out of range');
    error.stack = '';

    await runAction(io, () => Promise.reject(error));

    expect(failures).toEqual(['Unexpected failure: RangeError: out of range']);
    expect(debug).toEqual([]);
  });

  it('has no line for a thrown value that is not an Error, whatever it carries', async () => {
    const { io, failures, debug } = failureRecorder();

    await runAction(io, () => {
      // A thrown object that only looks like an Error, as some libraries throw.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw { stack: 'not a trace', toString: () => 'odd failure' };
    });

    expect(failures).toEqual(['Unexpected failure: odd failure']);
    expect(debug).toEqual([]);
  });
});
