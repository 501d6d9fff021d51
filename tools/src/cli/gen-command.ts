/**
 * `vision-kit gen`: typed bindings and gen-time tables for any protos — a
 * googleapis API by its path (`google/cloud/speech/v1`) or folders of your
 * own — written into a folder of yours, importing vision-kit by package
 * name (tools/src/gen/). Progress and results on stderr; a failure is one
 * line naming the step (exit 1); `--check` exits 1 when the folder is not
 * what a fresh run writes, listing the files.
 */
import type { Command } from 'commander';
import { CliError } from 'vision-kit/cli';
import { GenStepError } from '../gen/gen-error.js';
import { type GenResult, generateBindings } from '../gen/write-bindings.js';

interface GenFlags {
  out: string;
  include: string[];
  serviceConfig: string[];
  protosOut?: string;
  check?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Registers `gen`. */
export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('generate typed bindings and tables for googleapis paths or proto folders into a folder of yours')
    .argument('<inputs...>', 'googleapis import paths (google/cloud/speech/v1), proto folders, or .proto files')
    .requiredOption('-o, --out <dir>', 'the folder to write (it holds generated files only)')
    .option('-I, --include <dir>', 'a folder imports are resolved in, before the pinned googleapis protos (repeatable)', collect, [])
    .option(
      '--service-config <file>',
      "the API's service config (<api>_<version>.yaml, beside its protos in the googleapis repository): its Operations routes (repeatable)",
      collect,
      [],
    )
    .option('--protos-out <dir>', 'also write the compiled .proto files into this folder')
    .option('--check', 'write nothing; exit 1 when --out differs from a fresh generation')
    .action(async (inputs: string[], flags: GenFlags) => {
      const t0 = performance.now();
      let result: GenResult;
      try {
        result = await generateBindings({
          inputs,
          out: flags.out,
          includes: flags.include,
          serviceConfigs: flags.serviceConfig,
          protosOut: flags.protosOut,
          check: flags.check === true,
        });
      } catch (err) {
        if (err instanceof GenStepError) throw new CliError(err.message, 1, { cause: err });
        throw err;
      }
      for (const s of result.skipped) {
        process.stderr.write(`gen: left out ${s.method} (${s.kind}; the clients and the serving layer are unary)\n`);
      }
      for (const service of result.unroutedOperations) {
        process.stderr.write(
          `gen: warning: ${service} returns long-running operations, but no --service-config names it: over REST its clients poll ` +
            'where Vision keeps its operations (GET /v1/{name=operations/*}, /v1/{name=projects/*/locations/*/operations/*}, …); ' +
            'if the API keeps them elsewhere, give its service config (<api>_<version>.yaml, beside its protos in the googleapis repository)\n',
        );
      }
      const where = flags.out;
      const count = `${result.files.length} files`;
      if (flags.check) {
        if (result.differences.length === 0) {
          process.stderr.write(`gen --check: ${where} is up to date (${count})\n`);
          return;
        }
        process.stderr.write(
          `gen --check: ${where} differs from a fresh generation (${result.differences.length} files); run vision-kit gen without --check:\n` +
            result.differences.map((l) => `  ${l}\n`).join(''),
        );
        process.exitCode = 1;
        return;
      }
      const ms = Math.round(performance.now() - t0);
      process.stderr.write(result.written ? `gen: wrote ${count} to ${where} in ${ms} ms\n` : `gen: ${where} is up to date (${count})\n`);
    });
}
