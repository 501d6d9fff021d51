/**
 * Runs one measurement of `npm run bench` in this process and writes its
 * result as JSON (run.ts starts one of these per measurement, so that each
 * starts from a fresh heap and JIT).
 *
 * Usage: measure.ts <bundle|transcoding|unary|operations|codegen|install> <result.json> [--smoke]
 */
import { writeFileSync } from 'node:fs';
import { measureBundle } from './bundle.js';
import { measureCodegen } from './codegen.js';
import { measureInstall } from './install.js';
import { measureOperations } from './operations.js';
import { MEASUREMENTS, type MeasurementName } from './support/results.js';
import { measureTranscoding } from './transcode.js';
import { measureUnary } from './unary.js';

const [name, out] = process.argv.slice(2);
const smoke = process.argv.includes('--smoke');
const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
if (!MEASUREMENTS.includes(name as MeasurementName) || out === undefined) {
  process.stderr.write(`usage: measure.ts <${MEASUREMENTS.join('|')}> <result.json> [--smoke]\n`);
  process.exit(2);
}
let result: unknown;
switch (name as MeasurementName) {
  case 'bundle':
    result = await measureBundle();
    break;
  case 'transcoding':
    result = measureTranscoding({ smoke });
    break;
  case 'unary':
    result = await measureUnary({ smoke, log });
    break;
  case 'operations':
    result = await measureOperations({ smoke, log });
    break;
  case 'codegen':
    result = await measureCodegen({ smoke, log });
    break;
  case 'install':
    result = await measureInstall({ smoke, log });
    break;
}
writeFileSync(out, JSON.stringify(result));
// grpc-js and undici keep sockets a moment after close(); the result is written.
process.exit(0);
