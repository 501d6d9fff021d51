import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { CallCommandOptions } from './call-options.js';
import type { RegisterCommand } from './register-command.js';

/** Registers `vision-kit call <Method>` (docs/cli.md); the work lives in `call-impl.ts`. */
export const registerCall: RegisterCommand = (program: Command) => {
  program
    .command('call')
    .description('call one method of ImageAnnotator, ProductSearch or Operations and print the response as proto3 JSON')
    .argument('[method]', 'method name, e.g. GetProduct, getProduct or AsyncBatchAnnotateImages (any case)')
    .option('--json <json>', 'the request in proto3 JSON, or @file.json', '{}')
    .option(
      '--transport <kind>',
      'grpc or rest (default: follows from --endpoint, then the environment; gRPC that cannot speak gRPC moves to REST when its REST endpoint is known)',
    )
    .option(
      '--endpoint <endpoint>',
      'host:port (gRPC) or http(s)://host:port (REST); default VISION_EMULATOR_HOST, VISION_EMULATOR_REST, else Google',
    )
    .option('--wait', 'wait until the returned operation (for GetOperation: the one named) is done and print the final Operation')
    .option('--api-key <key>', 'an API key (sent as x-goog-api-key)')
    .option('--plaintext', 'no TLS to a non-loopback endpoint')
    .option('--list', 'list every method with its request type, and call nothing')
    .action(async (method: string | undefined, options: CallCommandOptions, command: Command) => {
      if (options.list === true) {
        const { methodList } = await import('./call-methods.js');
        process.stdout.write(methodList());
        return;
      }
      if (method === undefined) {
        throw new CliError("missing the method, e.g. 'vision-kit call GetProduct --json …' (vision-kit call --list lists them)");
      }
      const { runCall } = await import('./call-impl.js');
      process.exitCode = await runCall(method, { ...options, verbose: command.optsWithGlobals().verbose === true });
    });
};
