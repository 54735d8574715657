import type { Stack } from '@aws-sdk/client-cloudformation';
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsOperationError, ConfigurationError } from '../../actions/shared/errors';
import { callerAccount, needsOidcProvider } from '../../bootstrap/src/account';

const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const clients = { sts: new STSClient({}), iam: new IAMClient({}) };

/** An account whose OIDC providers have these URLs (undefined: a provider listed without ARN). */
function providers(...urls: (string | undefined)[]): void {
  iam.on(ListOpenIDConnectProvidersCommand).resolves({
    OpenIDConnectProviderList: urls.map((url, i) => (url === undefined ? {} : { Arn: `arn:${i}` })),
  });
  urls.forEach((url, i) => {
    iam.on(GetOpenIDConnectProviderCommand, { OpenIDConnectProviderArn: `arn:${i}` }).resolves({
      Url: url,
    });
  });
}

const bootstrapStack = (createProvider: string | undefined, status = 'UPDATE_COMPLETE'): Stack => ({
  StackName: 'anomaly-detection-staging-bootstrap',
  StackStatus: status as Stack['StackStatus'],
  CreationTime: new Date(0),
  ...(createProvider === undefined
    ? {}
    : { Parameters: [{ ParameterKey: 'CreateOidcProvider', ParameterValue: createProvider }] }),
});

beforeEach(() => {
  sts.reset();
  iam.reset();
});

describe('npm run bootstrap: whose credentials', () => {
  it('names the account and the caller', async () => {
    // Prepare
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/dev' });

    // Act
    const account = await callerAccount(clients, '123456789012');

    // Assess
    expect(account).toEqual({
      accountId: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/dev',
    });
  });

  it('refuses an answer without an account when --account-id is given', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({});

    // Act
    const checked = callerAccount(clients, '123456789012');
    const unchecked = await callerAccount(clients, undefined);

    // Assess
    await expect(checked).rejects.toThrow(
      new ConfigurationError(
        'Wrong account: the credentials (?) belong to account , not 123456789012 (--account-id). Nothing was done; switch credentials or fix --account-id.',
      ),
    );
    expect(unchecked).toEqual({ accountId: '', arn: '' });
  });

  it('says which call failed when the caller cannot be identified', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).rejects(new Error('socket hang up'));

    // Act
    const identify = callerAccount(clients, undefined);

    // Assess
    await expect(identify).rejects.toThrow(
      new AwsOperationError(
        'could not identify the caller (sts:GetCallerIdentity)',
        new Error('socket hang up'),
      ),
    );
  });
});

describe('npm run bootstrap: who holds the GitHub OIDC provider', () => {
  it('keeps it in the stack that created it, without looking at the account', async () => {
    // Act
    const needed = await needsOidcProvider(clients, bootstrapStack('true'));

    // Assess
    expect(needed).toBe(true);
    expect(iam.calls()).toHaveLength(0);
  });

  it('creates it when the account has none, whatever the stack held', async () => {
    // Prepare
    providers();

    // Act
    const needed = [
      await needsOidcProvider(clients, undefined),
      await needsOidcProvider(clients, bootstrapStack('false')),
      await needsOidcProvider(clients, bootstrapStack(undefined)),
    ];

    // Assess
    expect(needed).toEqual([true, true, true]);
  });

  it('trusts the account provider when the stack that held it rolled back', async () => {
    // Prepare
    providers('token.actions.githubusercontent.com');

    // Act
    const needed = await needsOidcProvider(clients, bootstrapStack('true', 'ROLLBACK_COMPLETE'));

    // Assess
    expect(needed).toBe(false);
  });

  it.each([
    ['https://token.actions.githubusercontent.com', false],
    ['https://token.actions.githubusercontent.com/', false],
    ['token.actions.githubusercontent.com', false],
    ['https://gitlab.com', true],
    ['https://token.actions.githubusercontent.com.example.org', true],
  ])('recognises GitHub in a provider URL %s (needed: %s)', async (url, expected) => {
    // Prepare
    providers(undefined, 'https://accounts.google.com', url);

    // Act
    const needed = await needsOidcProvider(clients, bootstrapStack('false'));

    // Assess
    expect(needed).toBe(expected);
    expect(iam.commandCalls(GetOpenIDConnectProviderCommand)).toHaveLength(2);
  });

  it('says which call failed when the providers cannot be listed', async () => {
    // Prepare
    iam.on(ListOpenIDConnectProvidersCommand).rejects(new Error('throttled'));

    // Act
    const needed = needsOidcProvider(clients, undefined);

    // Assess
    await expect(needed).rejects.toThrow("could not list the account's OIDC providers: throttled");
  });
});
