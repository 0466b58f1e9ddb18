#!/usr/bin/env node
// The acm-mail command. The project ships TypeScript without a build step; tsx's loader runs it.
import { register } from 'tsx/esm/api';

// On Node.js below 22 every AWS SDK v3 client prints a nine-line NodeVersionSupportWarning ("versions published after
// the first week of January 2027 will require node >=22") the first time one is created. It concerns SDK releases
// newer than the ones package-lock.json pins, which support Node 20; the README says so once ("Node.js version").
// This variable is the SDK's documented switch for exactly that warning and nothing else (aws/aws-sdk-js-v3 issue
// #7983, "January 2027: End of Support for Node.js 20.x"; read in @aws-sdk/core, emitWarningIfUnsupportedVersion).
// A value the user set stays.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../handlers/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
