#!/usr/bin/env node
// The `hawiya` admin CLI: runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv, process.env);
