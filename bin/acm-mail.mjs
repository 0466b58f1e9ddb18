#!/usr/bin/env node
// The acm-mail command. The project ships TypeScript without a build step; tsx's loader runs it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../handlers/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
