import type { Command } from 'commander';
import type { AnnotateCommandOptions } from '../annotate/annotate-options.js';

/** Registers `vision-kit annotate` (the main job, docs/cli.md); the work lives in `../annotate/run-annotate.ts`. */
export function registerAnnotate(program: Command): void {
  program
    .command('annotate')
    .description('annotate image files, folders or gs:// URIs with asyncBatchAnnotateImages (the embedded emulator by default)')
    .argument('<inputs...>', 'image files, folders of images, or gs:// objects and folders')
    .option('--features <list>', 'comma-separated Feature.Type names', 'IMAGE_PROPERTIES,CROP_HINTS')
    .option('--output <gs-uri>', 'where the output files go (a folder ends in "/"); default gs://vision-kit-out/<timestamp>/')
    .option('--batch-size <n>', 'responses per output file, 1-100', '20')
    .option('--transport <kind>', 'grpc or rest (default grpc, or what --endpoint is)')
    .option(
      '--endpoint <endpoint>',
      'host:port (gRPC) or http(s)://host:port (REST) of an emulator or of Google; default VISION_EMULATOR_HOST/_REST, else an embedded emulator',
    )
    .option(
      '--data-dir <dir>',
      'state folder of the embedded emulator; output files are found (or copied) under DIR/gcs/',
      '.vision-emulator',
    )
    .option('--json', 'print one JSON document (summary, full responses, output files) instead of text')
    .option('--product-set <name>', 'projects/P/locations/L/productSets/S to search (adds PRODUCT_SEARCH)')
    .option('--product-category <category>', 'product category for PRODUCT_SEARCH (e.g. apparel-v2)')
    .option('--api-key <key>', "an API key (an emulator's --auth-token, or a Google API key)")
    .option('--plaintext', 'no TLS to a non-loopback gRPC endpoint')
    .option('--verbose', 'emulator logs and stack traces')
    .addHelpText(
      'after',
      `
Examples:
  vision-kit annotate samples/                       # the embedded emulator, gRPC
  vision-kit annotate samples/flag.png --transport rest --json
  vision-kit annotate photos/ --endpoint vision.googleapis.com:443 --output gs://my-bucket/run1/

Without --endpoint (and without VISION_EMULATOR_HOST/VISION_EMULATOR_REST) an
emulator starts in-process on free ports over --data-dir. Local files are
uploaded through the storage API next to the output; the output files are read
back and printed with their gs:// URIs and local paths. Exit 0 when every image
was annotated, 1 when the call, the operation or an image failed, 2 for bad input.`,
    )
    .action(async (inputs: string[], options: AnnotateCommandOptions, command: Command) => {
      const { runAnnotate } = await import('../annotate/run-annotate.js');
      const verbose = (command.optsWithGlobals() as { verbose?: boolean }).verbose === true;
      process.exitCode = await runAnnotate(inputs, { ...options, verbose });
    });
}
