// The pull request's check of the revision with the real CodeDeploy agent
// (local-pipeline/codedeploy/agent-check.ts); pr.yml runs it after scripts/codedeploy-agent-check.sh install.
import { runBundled } from './run-bundled.mjs';

await runBundled('local-pipeline/codedeploy/agent-check.ts', 'agent-check');
