import { DEFAULT_ENVIRONMENTS } from './environments';

export const HELP = `Usage: npm run bootstrap -- --repo OWNER/NAME --environment E [flags]

Prepares one environment: deploys cloudformation/bootstrap-oidc.json as the stack
<application stack>-bootstrap (the roles the workflows assume, and the account's GitHub OIDC
provider when the account has none) with your own AWS credentials (the SDK's standard chain:
environment, profile, SSO), then the GitHub environment E and its variables.
Run it once per environment (${DEFAULT_ENVIRONMENTS.join(', then ')}); a second run changes nothing.

Flags:
  --repo OWNER/NAME         the GitHub repository whose workflows may assume the roles (required)
  --environment E           the environment: staging, production, or another name of 1-20
                            lower-case letters, digits, hyphens (required)
  --region R                the region of the stacks (default: the SDK's chain, AWS_REGION
                            or the profile); it must offer every service the stack needs
  --account-id ID           the 12-digit account the credentials must belong to: a guard
                            against deploying into the wrong account (nothing is done if not)
  --reviewers a,b           GitHub logins whose approval the environment requires (for
                            production; needs --set-github-variables to be applied)
  --alert-email ADDR        the e-mail address the environment's alerts go to (variable
                            ALERT_EMAIL)
  --set-github-variables    create or update the GitHub environment(s) and their variables
                            through the GitHub API, with GITHUB_TOKEN or the GitHub CLI's token
                            (gh auth token); without it, the gh commands to do so are printed
  --yes                     execute the change set without asking (needed without a terminal)
  --dry-run                 print the plan (the change set's changes) and stop; nothing changes
  -h, --help                this text

Output: progress on stderr; the last line of stdout is one JSON object:
  {"environment", "stackName" (the bootstrap stack), "applicationStackName", "region",
   "accountId", "deployRoleArn", "executionRoleArn", "previewRoleArn", "variables" (name → value
   for environment E), "githubEnvironments" (every GitHub environment → its variables),
   "changed" (whether this run changed the stack or GitHub), "dryRun"}
Exit status 0 when the environment is ready (or the dry run planned); 1 with a message naming
the cause otherwise (no credentials, wrong account, a denied action, a bad flag).

Environment: GITHUB_TOKEN (GitHub token), GITHUB_API_URL (GitHub API, default
https://api.github.com), AWS_ENDPOINT_URL and the other AWS SDK settings.
`;
