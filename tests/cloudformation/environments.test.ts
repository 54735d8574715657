import { physicalNames } from '../../bootstrap/src/environments';
import { readTemplate, renderTemplate, SAMPLE, type RenderedTemplate } from '../iam/render';
import { loadTemplate } from './template';

// Two environments in one account: production keeps today's names, any other takes `-E` on
// every physical name (through the stack name for the names CloudFormation derives from it), and
// the two never share a named resource. The names agree with bootstrap/src/environments.ts, which
// the bootstrap scopes each environment's roles by.
const render = (environment: string): RenderedTemplate =>
  renderTemplate(
    readTemplate('anomaly-detection.json'),
    { EnvironmentName: environment },
    { ...SAMPLE, stackName: physicalNames(environment).stackName },
  );

// Ids CloudFormation or the service picks (EC2 ids, key ids), and links between resources, are not
// names; a security group's generated name is (its ARN holds only its id).
const NAMELESS =
  /^AWS::(EC2::(?!SecurityGroup$)|CloudFormation::|Lambda::(Version|EventSourceMapping|Permission)$|SNS::Subscription|SQS::QueuePolicy|S3::BucketPolicy|KMS::Key$)/;

const namesOf = (template: RenderedTemplate): Record<string, string> =>
  Object.fromEntries(
    Object.values(template.resources)
      .filter((resource) => !NAMELESS.test(resource.type) && resource.arns.length > 0)
      .map((resource) => [resource.logicalId, `${resource.name} ${resource.arns[0]!}`]),
  );

describe('anomaly-detection.json per environment', () => {
  it("keeps production's physical names", () => {
    const production = render('production');
    expect(production.outputs).toMatchObject({
      StreamName: 'm03p02_raw_data_stream',
      TableName: 'm03p02_anomaly_data',
      FunctionName: 'm03p02_anomaly_detector',
      DetectorDeploymentApplicationName: 'anomaly-detection-detector',
      CodeDeployApplicationName: 'anomaly-detection-producer',
    });
    expect(production.resources.AlertTopic!.name).toBe('m03p02_anomaly_alerts');
    expect(production.resources.DetectorLogGroup!.name).toBe('/aws/lambda/m03p02_anomaly_detector');
    expect(production.resources.EncryptionKeyAlias!.name).toBe('alias/anomaly-detection-data');
  });

  it.each(['staging', 'qa-2'])('suffixes every physical name of %s', (environment) => {
    const names = physicalNames(environment);
    const rendered = render(environment);
    expect(rendered.outputs).toMatchObject({
      StreamName: names.streamName,
      TableName: names.tableName,
      FunctionName: names.functionName,
    });
    expect(rendered.resources.AlertTopic!.name).toBe(names.topicName);
    expect(rendered.resources.DetectorLogGroup!.name).toBe(`/aws/lambda/${names.functionName}`);
    const unsuffixed = Object.entries(namesOf(rendered)).filter(
      ([, arn]) => !arn.includes(`-${environment}`),
    );
    expect(unsuffixed).toEqual([]);
    expect(Object.keys(namesOf(rendered)).length).toBeGreaterThan(20);
  });

  it('gives staging and production no physical name in common', () => {
    const identifiers = (template: RenderedTemplate) =>
      Object.values(namesOf(template)).flatMap((both) => both.split(' '));
    const production = new Set(identifiers(render('production')));
    const shared = identifiers(render('staging')).filter((one) => production.has(one));
    expect(shared).toEqual([]);
  });

  it('takes the environment as a parameter that defaults to production and is checked', () => {
    const parameter = loadTemplate('anomaly-detection.json').Parameters
      .EnvironmentName as unknown as {
      Default: string;
      AllowedPattern: string;
    };
    expect(parameter.Default).toBe('production');
    const pattern = new RegExp(parameter.AllowedPattern);
    expect(['staging', 'production', 'qa-2'].every((name) => pattern.test(name))).toBe(true);
    expect(['Staging', 'prod_1', 'x-', ''].some((name) => pattern.test(name))).toBe(false);
  });
});

describe('bootstrap-oidc.json per environment', () => {
  const bootstrap = loadTemplate('bootstrap-oidc.json');

  it('keeps the account-wide OIDC provider when an environment bootstrap stack goes', () => {
    expect(bootstrap.Resources.GitHubOidcProvider).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('grants no role a wildcard over the stack name, which would reach `<stack>-E` too', () => {
    expect(JSON.stringify(bootstrap.Resources)).not.toContain('${StackName}-*');
    expect(JSON.stringify(bootstrap.Resources)).not.toContain('${StackName}*');
  });
});
