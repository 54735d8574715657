import { ConfigurationError } from '../../../actions/shared/errors';
import { readChoice } from '../../../actions/shared/inputs';

// Choices of AWS's own upper-case enums (ON_FAILURE values, file-exists behaviours): written in
// any case, read in upper case.
const io = (value: string) => ({ getInput: () => value });
const ON_FAILURE = ['ROLLBACK', 'DELETE', 'DO_NOTHING'] as const;

describe('an upper-case choice', () => {
  it('reads what is written in lower or mixed case as the upper-case value', () => {
    expect(
      readChoice(io(' rollback '), 'on-failure', ON_FAILURE, 'DELETE', { upperCase: true }),
    ).toBe('ROLLBACK');
    expect(
      readChoice(io('Do_Nothing'), 'on-failure', ON_FAILURE, 'DELETE', { upperCase: true }),
    ).toBe('DO_NOTHING');
  });

  it('names the choices when the value is none of them', () => {
    expect(() =>
      readChoice(io('retain'), 'on-failure', ON_FAILURE, 'DELETE', { upperCase: true }),
    ).toThrow(
      new ConfigurationError(
        'Input "on-failure" must be one of ROLLBACK, DELETE, DO_NOTHING, not "retain".',
      ),
    );
  });
});
