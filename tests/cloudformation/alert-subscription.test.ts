import { CHECK_DEVICE_PREFIX } from '../../actions/lambda-deploy/src/pre-traffic-check';
import { loadTemplate } from './template';

describe('the alert e-mail subscription', () => {
  it("filters out the release pre-traffic check's device, and only it", () => {
    // Prepare
    const template = loadTemplate('anomaly-detection.json');

    // Act
    const props = template.Resources.AlertEmailSubscription?.Properties;

    // Assess: a check's hot and cold readings must not e-mail anyone; real devices still do.
    expect(props?.FilterPolicyScope).toBe('MessageAttributes');
    expect(props?.FilterPolicy).toEqual({
      deviceId: [{ 'anything-but': { prefix: CHECK_DEVICE_PREFIX } }],
    });
  });
});
