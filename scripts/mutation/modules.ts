/**
 * The core modules that `npm run test:mutation` mutates, each with the fast
 * unit tests that cover it. A mutant is run only against these files (and,
 * within them, only against the tests that reach its code), never against the
 * real-server suites: those take seconds per file, and a module needs
 * hundreds of mutant runs.
 *
 * A module's name is its path under `src/` without `.ts`
 * (`transcoding/path-template`).
 */

/** One mutated module and the tests run against its mutants. */
export interface MutationModule {
  /** The source file, relative to the repository root. */
  readonly source: string;
  /** The test files, relative to the repository root; all of them must be fast. */
  readonly tests: readonly string[];
}

const TRANSCODING_TESTS = [
  'test/transcoding/path-template.test.ts',
  'test/transcoding/path-template.mutation.test.ts',
  'test/transcoding/gateway.test.ts',
  'test/transcoding/known-bugs.test.ts',
];

/** Every module, in the order `--all` runs them (the most used first). */
export const MUTATION_MODULES: Readonly<Record<string, MutationModule>> = {
  'transcoding/path-template': {
    source: 'src/transcoding/path-template.ts',
    tests: [...TRANSCODING_TESTS, 'test/transcoding/template-readers.test.ts'],
  },
  'transcoding/path-match': {
    source: 'src/transcoding/path-match.ts',
    tests: TRANSCODING_TESTS,
  },
  'transcoding/parse-path-template': {
    source: 'src/transcoding/parse-path-template.ts',
    tests: [...TRANSCODING_TESTS, 'test/transcoding/template-readers.test.ts'],
  },
  'transport/retry': {
    source: 'src/transport/retry.ts',
    tests: ['test/transport/retry.test.ts', 'test/transport/retry.mutation.test.ts'],
  },
  'lro/schedule': {
    source: 'src/lro/schedule.ts',
    tests: ['test/lro/schedule.test.ts', 'test/lro/schedule.mutation.test.ts'],
  },
  'transcoding/transcode-request': {
    source: 'src/transcoding/transcode-request.ts',
    tests: [
      'test/transcoding/transcode-request.test.ts',
      'test/transcoding/transcode-request.mutation.test.ts',
      'test/transcoding/known-bugs.test.ts',
    ],
  },
  'lro/timer-queue': {
    source: 'src/lro/timer-queue.ts',
    tests: ['test/lro/timer-queue.mutation.test.ts'],
  },
  'codec/json/to-json': {
    source: 'src/codec/json/to-json.ts',
    tests: ['test/codec/proto-json.test.ts', 'test/codec/proto-json-to.mutation.test.ts'],
  },
  'codec/json/from-json': {
    source: 'src/codec/json/from-json.ts',
    tests: ['test/codec/proto-json.test.ts', 'test/codec/proto-json-from.mutation.test.ts'],
  },
  'codec/binary-codec': {
    source: 'src/codec/binary-codec.ts',
    tests: ['test/codec/binary-codec.test.ts', 'test/codec/binary-codec.mutation.test.ts'],
  },
  'codec/wire': {
    source: 'src/codec/wire.ts',
    tests: ['test/codec/wire.mutation.test.ts', 'test/codec/wire.test.ts'],
  },
  'transcoding/gateway': {
    source: 'src/transcoding/gateway.ts',
    tests: [...TRANSCODING_TESTS, 'test/transcoding/gateway.mutation.test.ts'],
  },
  'transport/redact': {
    source: 'src/transport/redact.ts',
    tests: ['test/transport/memory-transport.test.ts', 'test/transport/redact.mutation.test.ts'],
  },
  'lro/lro-handle': {
    source: 'src/lro/lro-handle.ts',
    // The fast value checks first: a mutant they fail ends there, before a rule test can hang on it.
    tests: ['test/lro/lro-handle.mutation.test.ts', 'test/lro/handles.test.ts', 'test/lro/lifecycle.test.ts', 'test/lro/deadlines.test.ts'],
  },
  'lro/poller': {
    source: 'src/lro/poller.ts',
    tests: [
      'test/lro/poller.mutation.test.ts',
      'test/lro/lro-handle.mutation.test.ts',
      'test/lro/handles.test.ts',
      'test/lro/deadlines.test.ts',
    ],
  },
  'lro/operations-transport': {
    source: 'src/lro/operations-transport.ts',
    tests: ['test/lro/operations-transport.mutation.test.ts'],
  },
  'lro/poller-core': {
    source: 'src/lro/poller-core.ts',
    tests: ['test/lro/poller-core.mutation.test.ts', 'test/lro/lro-handle.mutation.test.ts', 'test/lro/scale.test.ts'],
  },
  'lro/check-operation': {
    source: 'src/lro/check-operation.ts',
    tests: ['test/lro/check-operation.mutation.test.ts', 'test/lro/handles.test.ts'],
  },
  'codec/json/json-error': {
    source: 'src/codec/json/json-error.ts',
    tests: [
      'test/codec/json-error.mutation.test.ts',
      'test/codec/proto-json.test.ts',
      'test/codec/proto-json-from.mutation.test.ts',
      'test/codec/proto-json-to.mutation.test.ts',
    ],
  },
  'transcoding/http-binding': {
    source: 'src/transcoding/http-binding.ts',
    tests: [
      'test/transcoding/gateway.test.ts',
      'test/transcoding/transcode-request.test.ts',
      'test/transcoding/transcode-request.mutation.test.ts',
      'test/transcoding/known-bugs.test.ts',
      'test/transcoding/lenient-requests.test.ts',
      'test/transcoding/http-binding.mutation.test.ts',
    ],
  },
  'transcoding/percent-encoding': {
    source: 'src/transcoding/percent-encoding.ts',
    tests: [
      'test/transcoding/path-template.test.ts',
      'test/transcoding/path-template.mutation.test.ts',
      'test/transcoding/gateway.test.ts',
      'test/transcoding/transcode-request.test.ts',
      'test/transcoding/percent-encoding.mutation.test.ts',
    ],
  },
  'transcoding/route-trie': {
    source: 'src/transcoding/route-trie.ts',
    tests: ['test/transcoding/route-trie.mutation.test.ts', 'test/transcoding/gateway.test.ts', 'test/transcoding/known-bugs.test.ts'],
  },
  'transcoding/operations-bindings': {
    source: 'src/transcoding/operations-bindings.ts',
    tests: ['test/transcoding/operations-bindings.mutation.test.ts', 'test/serving/operations-served.test.ts'],
  },
  'schema/reason-hints': {
    source: 'src/schema/reason-hints.ts',
    tests: ['test/schema/reason-hints.test.ts'],
  },
};

/** The module names, for usage messages. */
export function moduleNames(): string[] {
  return Object.keys(MUTATION_MODULES);
}
