/**
 * `npm run gen` and `npm run gen:check`: vision-kit's own bindings, made by
 * the generator users run (`vision-kit gen`, tools/src/gen/), in two uses:
 *
 * 1. Vision: `google/cloud/vision/v1p4beta1`, `google/longrunning` and
 *    `google/rpc/error_details.proto` (named because nothing imports it)
 *    from the pinned googleapis package, every module generated (this is
 *    the runtime other bindings import: `runtime: 'self'`), with Vision's
 *    service config (vision_v1p4beta1.yaml: its Operations routes), the
 *    compiled protos into proto/ and the modules and tables into gen/;
 * 2. test: the test-only protos of test/protos/ into test/gen/ exactly as a
 *    user's bindings are made (with the service configs beside them),
 *    importing the modules of step 1 by package name (`vision-kit/gen/…`).
 *
 * Both write below a staging folder; run.ts swaps the three trees in all or
 * nothing, check.ts compares them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBindings } from '../../tools/src/gen/build-bindings.js';
import { GenStepError } from '../../tools/src/gen/gen-error.js';
import { OPTION_ONLY_FILES, protoFileOf, VISION_KIT_GEN } from '../../tools/src/gen/runtime-modules.js';
import type { Command } from '../../tools/src/gen/tool-paths.js';
import { writeFiles } from '../../tools/src/gen/write-bindings.js';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Vision's inputs: googleapis import paths. */
export const VISION_INPUTS: readonly string[] = ['google/cloud/vision/v1p4beta1', 'google/longrunning', 'google/rpc/error_details.proto'];

/** Vision's service config (the facts of its Operations routes; see the file's comment). */
export const VISION_SERVICE_CONFIG = 'scripts/gen/vision_v1p4beta1.yaml';

/** The trees `npm run gen` writes, relative to the root (and to a staging folder). */
export const OUTPUTS: readonly string[] = ['proto', 'gen', 'test/gen'];

/** The test-only protos' folder, relative to the root. */
export const TEST_PROTOS = 'test/protos';

/** Overrides for the pipeline's own tests (each defaults to the real thing). */
export interface VisionGenOptions {
  /** The googleapis protos: a package name or an absolute folder laid out like it. */
  readonly googleapis?: string | undefined;
  /** The test protos' folder (absolute). */
  readonly testProtos?: string | undefined;
  /** A protoc plugin to run instead of ts-proto's. */
  readonly plugin?: Command | undefined;
}

/** The options from the environment: VISION_KIT_PROTO_PACKAGE, VISION_KIT_TEST_PROTOS, VISION_KIT_GEN_PLUGIN (a script run with node). */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): VisionGenOptions {
  return {
    googleapis: env.VISION_KIT_PROTO_PACKAGE || undefined,
    testProtos: env.VISION_KIT_TEST_PROTOS || undefined,
    plugin: env.VISION_KIT_GEN_PLUGIN ? [process.execPath, env.VISION_KIT_GEN_PLUGIN] : undefined,
  };
}

/**
 * Generates proto/, gen/ and test/gen/ below `stage`. Resolves to the
 * milliseconds per step; rejects with a GenStepError (a failure of the test
 * protos is reported as step "test").
 */
export async function generateVision(stage: string, options: VisionGenOptions = {}): Promise<Record<string, number>> {
  const vision = await buildBindings({
    inputs: VISION_INPUTS,
    serviceConfigs: [VISION_SERVICE_CONFIG],
    cwd: ROOT,
    runtime: 'self',
    googleapis: options.googleapis,
    plugin: options.plugin,
  });
  writeFiles(join(stage, 'proto'), vision.protos);
  writeFiles(join(stage, 'gen'), vision.files);
  const t0 = performance.now();
  const modules = [...vision.files.keys()].filter((f) => !f.startsWith('schema/')).map(protoFileOf);
  try {
    const testProtos = options.testProtos ?? join(ROOT, TEST_PROTOS);
    const test = await buildBindings({
      inputs: [testProtos],
      // The service configs beside the test protos (jobs_v1.yaml).
      serviceConfigs: readdirSync(testProtos)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => join(testProtos, f)),
      cwd: ROOT,
      runtime: { specifier: VISION_KIT_GEN, files: new Set(modules.filter((f) => !OPTION_ONLY_FILES.has(f))) },
      googleapis: options.googleapis,
      plugin: options.plugin,
    });
    writeFiles(join(stage, 'test', 'gen'), test.files);
  } catch (err) {
    if (err instanceof GenStepError) throw new GenStepError('test', err.reason, { cause: err });
    throw err;
  }
  return { ...vision.timings, test: Math.round(performance.now() - t0) };
}
