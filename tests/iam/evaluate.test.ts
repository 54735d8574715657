import { evaluate, type PolicyDocument } from './evaluate';
import { SAMPLE } from './render';

// The guards that make the evaluator's answers trustworthy.
const key = `arn:aws:kms:us-east-1:${SAMPLE.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const logGroup = (name: string) => `arn:aws:logs:us-east-1:${SAMPLE.account}:log-group:${name}`;
const keyPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroup('/aws/lambda/*') } },
    },
  ],
};
const logsAsks = (context: Record<string, string>) =>
  evaluate(
    {
      principal: 'logs.us-east-1.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: key,
      context,
      resourcePolicy: keyPolicy,
    },
    SAMPLE,
  );

describe('evaluate', () => {
  it('evaluates a kms:EncryptionContext condition with the real operator: a matching log group is allowed', async () => {
    expect(
      await logsAsks({ 'kms:EncryptionContext:aws:logs:arn': logGroup('/aws/lambda/detector') }),
    ).toBe('Allowed');
  });

  it('…and another log group is denied', async () => {
    expect(
      await logsAsks({ 'kms:EncryptionContext:aws:logs:arn': logGroup('stack-FlowLogs-X') }),
    ).toBe('ImplicitlyDenied');
  });

  it('fails on a context key the action does not have, instead of ignoring it', async () => {
    await expect(
      logsAsks({ 'lambda:FunctionArn': 'arn:aws:lambda:us-east-1:1:function:x' }),
    ).rejects.toThrow(
      'context keys lambda:FunctionArn do not apply to this action and would be ignored',
    );
  });

  it('refuses policies that use aws:PrincipalTag, which the encryption-context alias uses', async () => {
    const tagged: PolicyDocument = {
      Statement: [
        {
          ...keyPolicy.Statement[0]!,
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a' } },
        },
      ],
    };
    await expect(
      evaluate(
        {
          principal: 'logs.us-east-1.amazonaws.com',
          action: 'kms:Decrypt',
          resource: key,
          resourcePolicy: tagged,
        },
        SAMPLE,
      ),
    ).rejects.toThrow('aws:PrincipalTag');
  });
});
