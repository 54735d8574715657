import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  GetOpenIDConnectProviderCommand,
  ListOpenIDConnectProvidersCommand,
} from '@aws-sdk/client-iam';
import type { Stack } from '@aws-sdk/client-cloudformation';
import { ConfigurationError, withContext } from '../../actions/shared/errors';
import type { AwsClients } from './deps';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

export interface CallerAccount {
  readonly accountId: string;
  readonly arn: string;
}

/**
 * Who the credentials belong to (the first AWS call: no credentials fail here, before anything
 * is read or changed), checked against --account-id.
 */
export async function callerAccount(
  clients: Pick<AwsClients, 'sts'>,
  expected: string | undefined,
): Promise<CallerAccount> {
  const identity = await withContext('could not identify the caller (sts:GetCallerIdentity)', () =>
    clients.sts.send(new GetCallerIdentityCommand({})),
  );
  const accountId = identity.Account ?? '';
  if (expected !== undefined && accountId !== expected) {
    throw new ConfigurationError(
      `Wrong account: the credentials (${identity.Arn ?? '?'}) belong to account ${accountId}, not ${expected} (--account-id). Nothing was done; switch credentials or fix --account-id.`,
    );
  }
  return { accountId, arn: identity.Arn ?? '' };
}

/**
 * Whether this environment's bootstrap stack must hold the account's GitHub OIDC provider: yes
 * when it already does (CreateOidcProvider=true on a stack that exists: turning it off would
 * delete the provider every other environment's roles trust), else only when the account has none.
 */
export async function needsOidcProvider(
  clients: Pick<AwsClients, 'iam'>,
  stack: Stack | undefined,
): Promise<boolean> {
  const ours = stack?.Parameters?.find((p) => p.ParameterKey === 'CreateOidcProvider');
  if (ours?.ParameterValue === 'true' && stack?.StackStatus !== 'ROLLBACK_COMPLETE') return true;
  return !(await accountHasGitHubProvider(clients));
}

async function accountHasGitHubProvider(clients: Pick<AwsClients, 'iam'>): Promise<boolean> {
  return withContext("could not list the account's OIDC providers", async () => {
    const { OpenIDConnectProviderList = [] } = await clients.iam.send(
      new ListOpenIDConnectProvidersCommand({}),
    );
    for (const { Arn } of OpenIDConnectProviderList) {
      if (!Arn) continue;
      const provider = await clients.iam.send(
        new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: Arn }),
      );
      if ((provider.Url ?? '').replace(/^https:\/\//, '').replace(/\/$/, '') === GITHUB_OIDC_HOST)
        return true;
    }
    return false;
  });
}
