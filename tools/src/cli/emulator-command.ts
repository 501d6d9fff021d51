/**
 * `vision-kit emulator`: runs the local Vision emulator until SIGINT/SIGTERM.
 * The first stdout line is the ready line
 * `{"grpc":"127.0.0.1:PORT","http":"http://127.0.0.1:PORT","dataDir":"/abs"}`,
 * printed once both ports listen and the data dir is recovered; logs go to stderr.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from 'vision-kit/cli';
import type { RunningEmulator } from '../emulator/emulator.js';

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function rate(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

/**
 * Why `--grpc-port` and `--http-port` cannot be used together, or undefined
 * when they can: they must differ unless both are 0 (any free port).
 */
function samePortsMessage(grpcPort: number, httpPort: number): string | undefined {
  if (grpcPort !== httpPort || grpcPort === 0) return undefined;
  return `--grpc-port and --http-port are both ${grpcPort}; the two ports must differ (0 picks any free port)`;
}

interface EmulatorFlags {
  grpcPort: number;
  httpPort: number;
  dataDir: string;
  authToken?: string;
  fixtures?: string;
  opStepMs: number;
  faultRate: number;
  faultLatencyMs: number;
  renderBudgetMs: number;
  maxInflightMib: number;
  indexIntervalMs: number;
}

/** Registers `emulator`. */
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('run the local Vision emulator (gRPC + REST + Cloud Storage subset) on 127.0.0.1')
    .addOption(new Option('--grpc-port <n>', 'gRPC port (0 picks a free one)').default(8089).argParser(integer('--grpc-port', 0, 65535)))
    .addOption(
      new Option('--http-port <n>', 'HTTP port: REST, storage, demo (0 picks a free one)')
        .default(8090)
        .argParser(integer('--http-port', 0, 65535)),
    )
    .option('--data-dir <dir>', 'state folder (persistent)', '.vision-emulator')
    .option('--auth-token <token>', 'require this bearer token or API key on every request')
    .option('--fixtures <dir>', 'folder of <sha256 of image bytes>.json AnnotateImageResponse fixtures')
    .addOption(
      new Option('--op-step-ms <ms>', 'time per image/page/CSV line of an operation')
        .default(20)
        .argParser(integer('--op-step-ms', 0, 3_600_000)),
    )
    .addOption(new Option('--fault-rate <r>', 'rate (0-1) of injected transient UNAVAILABLE/503 answers').default(0).argParser(rate))
    .addOption(
      new Option('--fault-latency-ms <ms>', 'latency added to every API call')
        .default(0)
        .argParser(integer('--fault-latency-ms', 0, 600_000)),
    )
    .addOption(
      new Option('--render-budget-ms <ms>', 'time opening a PDF or rendering one page may take before it is stopped (DEADLINE_EXCEEDED)')
        .default(10_000)
        .argParser(integer('--render-budget-ms', 1, 3_600_000)),
    )
    .addOption(
      new Option('--max-inflight-mib <n>', 'MiB that requests in flight may hold while they are read; past it new ones are refused (429)')
        .default(256)
        .argParser(integer('--max-inflight-mib', 16, 1_048_576)),
    )
    .addOption(
      new Option('--index-interval-ms <ms>', 'Product Search index interval (0: every change is searchable at once)')
        .default(0)
        .argParser(integer('--index-interval-ms', 0, 86_400_000)),
    )
    .action(async (flags: EmulatorFlags, command: Command) => {
      const same = samePortsMessage(flags.grpcPort, flags.httpPort);
      if (same) command.error(same, { exitCode: 2, code: 'commander.usage' });
      const { startEmulator, EmulatorOptionError, EmulatorPortInUseError } = await import('../emulator/emulator.js');
      let emulator: RunningEmulator;
      try {
        emulator = await startEmulator({
          grpcPort: flags.grpcPort,
          httpPort: flags.httpPort,
          dataDir: flags.dataDir,
          opStepMs: flags.opStepMs,
          faultRate: flags.faultRate,
          faultLatencyMs: flags.faultLatencyMs,
          renderBudgetMs: flags.renderBudgetMs,
          maxInflightMib: flags.maxInflightMib,
          indexIntervalMs: flags.indexIntervalMs,
          ...(flags.authToken ? { authToken: flags.authToken } : {}),
          ...(flags.fixtures ? { fixturesDir: flags.fixtures } : {}),
        });
      } catch (err) {
        // A data dir or fixtures folder that cannot be used: bad input, reported like a bad flag.
        if (err instanceof EmulatorOptionError) command.error(err.message, { exitCode: 2, code: 'commander.usage' });
        if (err instanceof EmulatorPortInUseError) {
          const flag = err.side === 'gRPC' ? '--grpc-port' : '--http-port';
          throw new CliError(
            `cannot start the emulator: its ${err.side} port ${err.port} on ${err.host} is already in use; pass ${flag} <n> for another port, or ${flag} 0 for any free one`,
            1,
            { cause: err },
          );
        }
        const code = (err as { code?: string }).code;
        if (code === 'EADDRINUSE')
          throw new CliError(`cannot listen: ${(err as Error).message} (pick other ports or 0)`, 1, { cause: err });
        throw new CliError(err instanceof Error ? err.message : String(err), 1, { cause: err });
      }
      // The handlers are in place before the ready line is printed: a supervisor may
      // send SIGTERM as soon as it reads that line, and the stop must be a clean one.
      const stopped = new Promise<void>((resolveStop) => {
        const stop = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.stderr.write(`vision-kit emulator: ${signal}, stopping\n`);
          void emulator.stop().then(resolveStop, (err: unknown) => {
            process.stderr.write(`vision-kit emulator: error while stopping: ${String(err)}\n`);
            resolveStop();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      process.stdout.write(`${emulator.readyLine()}\n`);
      process.stderr.write(`vision-kit emulator: demo page at ${emulator.httpUrl}/${flags.authToken ? '?key=<your --auth-token>' : ''}\n`);
      await stopped;
    });
}
