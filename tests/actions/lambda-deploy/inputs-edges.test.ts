import { tmpdir } from 'node:os';
import { getInputs } from '../../../actions/lambda-deploy/src/inputs';
import { readRelease } from '../../../actions/lambda-deploy/src/release-inputs';
import { fakeIO } from '../../support/fake-io';

const ARN_CN = 'arn:aws-cn:lambda:cn-north-1:123456789012:function:detector';

describe('lambda-deploy function-name input', () => {
  it('names the missing input when function-name is not given', () => {
    const io = fakeIO({ package: '.' });

    const act = () => getInputs(io, tmpdir());

    expect(act).toThrow('Input "function-name" is required.');
  });

  it('accepts an unqualified ARN in another partition', () => {
    const io = fakeIO({ 'function-name': ARN_CN, package: '.' });

    const inputs = getInputs(io, tmpdir());

    expect(inputs.functionName).toBe(ARN_CN);
  });

  it.each([
    ['detector:live', 'live', 'detector'],
    [`${ARN_CN}:7`, '7', ARN_CN],
  ])('refuses the qualified name %s, naming the qualifier', (name, qualifier, unqualified) => {
    const io = fakeIO({ 'function-name': name, package: '.' });

    const act = () => getInputs(io, tmpdir());

    expect(act).toThrow(
      `Input "function-name": "${name}" is qualified (":${qualifier}"); code is deployed to the unqualified function, so give "${unqualified}" (and the alias to move in "alias").`,
    );
  });
});

describe('lambda-deploy release inputs', () => {
  it('accepts an alias that starts with a digit and a multi-digit version', () => {
    const io = fakeIO({ alias: '1live', version: '12' });

    const release = readRelease(io);

    expect(release).toMatchObject({ alias: '1live', version: '12' });
  });

  it('waits 60 minutes when timeout-minutes is not given', () => {
    const io = fakeIO({ alias: 'live' });

    const release = readRelease(io);

    expect(release?.timeoutMinutes).toBe(60);
  });

  it.each(['0', '361'])('refuses timeout-minutes %s', (timeout) => {
    const io = fakeIO({ alias: 'live', 'timeout-minutes': timeout });

    const act = () => readRelease(io);

    expect(act).toThrow(
      `Input "timeout-minutes" must be a whole number from 1 to 360, not "${timeout}".`,
    );
  });

  it.each(['canary:0:5', 'linear:0:5'])('refuses the zero percentage in %s', (shift) => {
    const io = fakeIO({ alias: 'live', 'traffic-shift': shift });

    const act = () => readRelease(io);

    expect(act).toThrow(`not "${shift}".`);
  });

  it.each([
    ['canary:20:5', 'TimeBasedCanary'],
    ['linear:20:5', 'TimeBasedLinear'],
  ])('asks CodeDeploy for a %s shift as %s', (shift, type) => {
    const io = fakeIO({
      alias: 'live',
      'traffic-shift': shift,
      'deployment-application': 'app',
      'deployment-group': 'group',
    });

    const release = readRelease(io);

    expect(release?.trafficShift).toMatchObject({ custom: { type, percentage: 20 } });
  });
});
