import { NOT_GRANTED } from './execution-exceptions';
import { handlerRequests } from './handler-requests';
import { requestsFor, stackView, type IamRequest } from './operations';
import { decide, label } from './proof';
import { deployRoleActions } from './role-requests';
import { sdkCallsOfAction } from './sdk-commands';
import { ENVIRONMENTS, loadEnvironment } from './environments';
import { resource } from './stacks';

// Each environment's roles, rendered with its own parameters, do that environment's work: the
// deploy role every call of the actions on its stack, the execution role every handler permission
// of its stack's resources. Only staging's deploy role may run the smoke check.
describe.each(ENVIRONMENTS)('%s', (environment) => {
  const stacks = loadEnvironment(environment);

  it('trusts only its own GitHub environment and names its roles after its stack', () => {
    const stackName = stacks.app.sample.stackName;
    expect(stacks.bootstrap.outputs.TrustedSubject).toBe(
      `repo:octo-org/anomaly-pipeline:environment:${environment}`,
    );
    expect(stacks.deployRole.arn).toBe(`arn:aws:iam::111122223333:role/${stackName}-github-deploy`);
    expect(stacks.executionRole.arn).toBe(
      `arn:aws:iam::111122223333:role/${stackName}-cloudformation-execution`,
    );
  });

  it('lets the deploy role make every call of the actions on its own stack', async () => {
    const view = stackView(stacks);
    // smoke-check runs against staging only (see the smoke-check test below).
    const requests = deployRoleActions(environment === 'production' ? [] : ['smoke-check'])
      .flatMap(sdkCallsOfAction)
      .flatMap((call) => requestsFor(view, call));
    const refused: string[] = [];
    for (const request of requests)
      if ((await decide(stacks, stacks.deployRole, request)) !== 'Allowed')
        refused.push(label(request));
    expect(refused).toEqual([]);
    expect(requests.length).toBeGreaterThan(50);
  });

  it('lets the execution role make every handler request of its own stack', async () => {
    const { requests } = await handlerRequests(stacks.app);
    const granted = requests.filter((request) => !(request.action in NOT_GRANTED));
    const refused: string[] = [];
    for (const request of granted)
      if ((await decide(stacks, stacks.executionRole, request)) !== 'Allowed')
        refused.push(`${request.logicalId}: ${label(request)}`);
    expect(refused).toEqual([]);
    expect(granted.length).toBeGreaterThan(500);
  });

  it(`${environment === 'production' ? 'refuses' : 'allows'} the deploy role the smoke check`, async () => {
    const arn = (logicalId: string) => resource(stacks.app, logicalId).attributes.Arn!;
    const smokeCheck: IamRequest[] = [
      { action: 'kinesis:PutRecord', resource: arn('ReadingStream') },
      { action: 'dynamodb:GetItem', resource: arn('AnomalyTable') },
      ...['kinesis', 'dynamodb'].map((service) => ({
        action: service === 'kinesis' ? 'kms:GenerateDataKey' : 'kms:Decrypt',
        resource: arn('EncryptionKey'),
        context: { 'kms:ViaService': `${service}.us-east-1.amazonaws.com` },
      })),
    ];
    const decisions = await Promise.all(
      smokeCheck.map((request) => decide(stacks, stacks.deployRole, request)),
    );
    const expected = environment === 'production' ? 'ImplicitlyDenied' : 'Allowed';
    expect(decisions).toEqual(smokeCheck.map(() => expected));
  });
});
