/**
 * The programs a user writes against bindings that `vision-kit gen` made in
 * their project (test/packaging/generated-apis.test.ts writes them into a
 * packed install, type-checks them with tsc and runs the output with plain
 * node): for Speech v1 and Document AI v1, a server built with
 * `vision-kit/serving` (a test double of the API on 127.0.0.1), a client
 * that starts an operation, waits on it with progress, meets a typed failure
 * and saves a handle, and a second process that resumes the saved handle.
 * Each prints one JSON line on stdout.
 */

/** `src/transport.ts`: the transport of a client process, from its argv (`grpc|rest grpcAddress httpUrl`). */
export const TRANSPORT_PROGRAM = `import { createGrpcTransport, createRestTransport, type GrpcTransportOptions, type Transport } from 'vision-kit';

/** The transport named by argv: \`grpc <address> <url>\` or \`rest <address> <url>\`. */
export function transportFromArgs(definitions: GrpcTransportOptions['definitions']): { kind: string; transport: Transport } {
  const [kind, grpc, http] = process.argv.slice(2);
  if (kind === 'grpc' && grpc) return { kind, transport: createGrpcTransport({ endpoint: grpc, definitions }) };
  if (kind === 'rest' && http) return { kind, transport: createRestTransport({ baseUrl: http }) };
  throw new Error('usage: grpc|rest <grpc address> <http url> [saved handle]');
}

/** Polls often: the test doubles move one step per poll. */
export const SCHEDULE = { initialDelay: 5, multiplier: 1, maxDelay: 5, jitter: 0 };
`;

/** `src/speech-server.ts`: a Speech v1 test double. */
export const SPEECH_SERVER = `import { Code, VisionError } from 'vision-kit';
import { createOperationStore, defineService, packAny, startServer } from 'vision-kit/serving';
import { SpeechDefinition } from './gen/speech/google/cloud/speech/v1/cloud_speech.js';
// Registers Speech's types (for packAny) and its services and operation routes (for the REST handler).
import './gen/speech/index.js';

const METADATA = 'google.cloud.speech.v1.LongRunningRecognizeMetadata';
const jobs = new Map<string, { uri: string; polls: number }>();
const operations = createOperationStore({
  namePrefix: '', // Speech names its operations by a number
  onPoll(name, store) {
    const job = jobs.get(name);
    if (job === undefined || store.get(name)?.done) return;
    job.polls += 1;
    const metadata = packAny(METADATA, { progressPercent: Math.min(100, job.polls * 50), startTime: { seconds: '1700000000', nanos: 0 }, uri: job.uri });
    if (job.polls < 2) store.update(name, { metadata });
    else if (job.uri.endsWith('/missing.flac')) {
      store.update(name, {
        metadata,
        error: new VisionError(Code.NOT_FOUND, \`\${job.uri} was not found\`, {
          details: [{ type: 'google.rpc.ResourceInfo', value: { resourceType: 'storage.googleapis.com/Object', resourceName: job.uri, owner: '', description: 'no such object' } }],
        }),
      });
    } else {
      const response = { results: [{ alternatives: [{ transcript: 'hello world', confidence: 0.5, words: [] }], languageCode: 'en-us' }], totalBilledTime: { seconds: '3', nanos: 0 } };
      store.update(name, { metadata, response: packAny('google.cloud.speech.v1.LongRunningRecognizeResponse', response) });
    }
  },
});
const speech = defineService(SpeechDefinition, {
  async LongRunningRecognize(request) {
    const uri = request.audio?.uri ?? '';
    if (!uri.startsWith('gs://')) {
      throw new VisionError(Code.INVALID_ARGUMENT, 'audio.uri must be a gs:// URI', {
        details: [{ type: 'google.rpc.BadRequest', value: { fieldViolations: [{ field: 'audio.uri', description: 'must be a gs:// URI' }] } }],
      });
    }
    const operation = operations.start({ metadata: packAny(METADATA, { progressPercent: 0, uri }) });
    jobs.set(operation.name, { uri, polls: 0 });
    return operation;
  },
});
const server = await startServer([speech, operations.service]);
process.stdout.write(\`\${JSON.stringify({ grpc: server.grpcAddress, http: server.httpUrl })}\\n\`);
process.once('SIGTERM', () => void server.close(100).then(() => process.exit(0)));
`;

/** `src/speech-client.ts`: waits, sees progress, meets a typed failure, saves a handle. */
export const SPEECH_CLIENT = `import { createClient, type Lro, LroOperationError, VisionError } from 'vision-kit';
import type { LongRunningRecognizeMetadata, LongRunningRecognizeResponse } from './gen/speech/google/cloud/speech/v1/cloud_speech.js';
import { SpeechDefinition } from './gen/speech/google/cloud/speech/v1/cloud_speech.js';
import { Speech } from './gen/speech/index.js';
import { SCHEDULE, transportFromArgs } from './transport.js';

const { transport } = transportFromArgs([SpeechDefinition]);
// No routes option: Speech's operation routes come with its generated descriptor.
const speech = createClient(Speech, transport, { lro: { schedule: SCHEDULE } });
const config = { languageCode: 'en-US', sampleRateHertz: 16000 };

const job: Lro<LongRunningRecognizeResponse, LongRunningRecognizeMetadata> = await speech.longRunningRecognize({ config, audio: { uri: 'gs://audio/hello.flac' } });
const progress: number[] = [];
const result = await job.wait({ onProgress: (m: LongRunningRecognizeMetadata) => progress.push(m.progressPercent) });
const transcript: string | undefined = result?.results[0]?.alternatives[0]?.transcript;

let failure: object | undefined;
try {
  await (await speech.longRunningRecognize({ config, audio: { uri: 'gs://audio/missing.flac' } })).wait();
} catch (err) {
  if (!(err instanceof LroOperationError)) throw err;
  failure = { type: err.name, code: err.codeName, message: err.rawMessage, details: err.details };
}
let refused: object | undefined;
try {
  await speech.longRunningRecognize({ config, audio: { uri: 'https://elsewhere/a.flac' } });
} catch (err) {
  if (!(err instanceof VisionError)) throw err;
  refused = { code: err.codeName, details: err.details };
}
const pending = await speech.longRunningRecognize({ config, audio: { uri: 'gs://audio/later.flac' } });
process.stdout.write(\`\${JSON.stringify({ name: job.name, progress, transcript, billed: result?.totalBilledTime, failure, refused, saved: JSON.stringify(pending) })}\\n\`);
transport.close();
`;

/** `src/speech-resume.ts`: a second process that resumes a saved handle (argv[5]). */
export const SPEECH_RESUME = `import { createClient, createOperationsTransport, createPoller, descriptorOf } from 'vision-kit';
import { SpeechDefinition } from './gen/speech/google/cloud/speech/v1/cloud_speech.js';
import { Speech } from './gen/speech/index.js';
import { SCHEDULE, transportFromArgs } from './transport.js';

const { transport } = transportFromArgs([SpeechDefinition]);
const speech = createClient(Speech, transport);
// A poller of its own with no routes: the descriptor brings Speech's.
const poller = createPoller({ transport: createOperationsTransport(transport), schedule: SCHEDULE });
const again = poller.resume(descriptorOf(speech.longRunningRecognize), JSON.parse(process.argv[5] ?? ''));
const progress: number[] = [];
const result = await again.wait({ onProgress: (m) => progress.push(m.progressPercent) });
process.stdout.write(\`\${JSON.stringify({ name: again.name, progress, transcript: result?.results[0]?.alternatives[0]?.transcript })}\\n\`);
transport.close();
`;

/** `src/documentai-server.ts`: a Document AI v1 test double (its documents carry google.type.Date values). */
export const DOCUMENTAI_SERVER = `import { Code, VisionError } from 'vision-kit';
import { createOperationStore, defineService, packAny, startServer } from 'vision-kit/serving';
import { DocumentProcessorServiceDefinition } from './gen/documentai/google/cloud/documentai/v1/document_processor_service.js';
import './gen/documentai/index.js';

const METADATA = 'google.cloud.documentai.v1.BatchProcessMetadata';
const STATE = { RUNNING: 2, SUCCEEDED: 3, FAILED: 6 } as const;
const batches = new Map<string, { processor: string; polls: number }>();
const operations = createOperationStore({
  namePrefix: 'projects/p/locations/us/operations/',
  onPoll(name, store) {
    const batch = batches.get(name);
    if (batch === undefined || store.get(name)?.done) return;
    batch.polls += 1;
    const updateTime = { seconds: String(1700000000 + batch.polls), nanos: 0 };
    if (batch.polls < 3) {
      store.update(name, { metadata: packAny(METADATA, { state: STATE.RUNNING, stateMessage: \`step \${batch.polls}\`, updateTime }) });
    } else if (batch.processor.endsWith('/broken')) {
      store.update(name, {
        metadata: packAny(METADATA, { state: STATE.FAILED, updateTime }),
        error: new VisionError(Code.FAILED_PRECONDITION, 'the processor is disabled', {
          details: [{ type: 'google.rpc.ErrorInfo', value: { reason: 'PROCESSOR_DISABLED', domain: 'documentai.googleapis.com', metadata: { processor: batch.processor } } }],
        }),
      });
    } else {
      store.update(name, { metadata: packAny(METADATA, { state: STATE.SUCCEEDED, updateTime }), response: packAny('google.cloud.documentai.v1.BatchProcessResponse', {}) });
    }
  },
});
const documents = defineService(DocumentProcessorServiceDefinition, {
  async ProcessDocument(request) {
    return {
      document: {
        text: 'Invoice of 1 March 2024',
        entities: [{ type: 'invoice_date', mentionText: '1 March 2024', normalizedValue: { text: '2024-03-01', dateValue: { year: 2024, month: 3, day: 1 } } }],
        uri: request.gcsDocument?.gcsUri ?? '',
      },
    };
  },
  async BatchProcessDocuments(request) {
    const operation = operations.start({ metadata: packAny(METADATA, { state: STATE.RUNNING, createTime: { seconds: '1700000000', nanos: 0 } }) });
    batches.set(operation.name, { processor: request.name, polls: 0 });
    return operation;
  },
});
const server = await startServer([documents, operations.service]);
process.stdout.write(\`\${JSON.stringify({ grpc: server.grpcAddress, http: server.httpUrl })}\\n\`);
process.once('SIGTERM', () => void server.close(100).then(() => process.exit(0)));
`;

/** `src/documentai-client.ts`: a sync call with a google.type.Date, then an operation as for Speech. */
export const DOCUMENTAI_CLIENT = `import { createClient, type Lro, LroOperationError } from 'vision-kit';
import type { BatchProcessMetadata, BatchProcessResponse } from './gen/documentai/google/cloud/documentai/v1/document_processor_service.js';
import { DocumentProcessorServiceDefinition } from './gen/documentai/google/cloud/documentai/v1/document_processor_service.js';
import type { DateMessage } from './gen/documentai/google/type/date.js';
import { DocumentProcessorService } from './gen/documentai/index.js';
import { SCHEDULE, transportFromArgs } from './transport.js';

const { transport } = transportFromArgs([DocumentProcessorServiceDefinition]);
const documents = createClient(DocumentProcessorService, transport, { lro: { schedule: SCHEDULE } });
const processor = 'projects/p/locations/us/processors/invoices';

const processed = await documents.processDocument({ name: processor, gcsDocument: { gcsUri: 'gs://docs/invoice.pdf', mimeType: 'application/pdf' } });
const date: DateMessage | undefined = processed.document?.entities[0]?.normalizedValue?.dateValue;

const batch: Lro<BatchProcessResponse, BatchProcessMetadata> = await documents.batchProcessDocuments({ name: processor });
const states: string[] = [];
const result = await batch.wait({ onProgress: (m: BatchProcessMetadata) => states.push(\`\${m.state} \${m.stateMessage}\`) });

let failure: object | undefined;
try {
  await (await documents.batchProcessDocuments({ name: 'projects/p/locations/us/processors/broken' })).wait();
} catch (err) {
  if (!(err instanceof LroOperationError)) throw err;
  failure = { type: err.name, code: err.codeName, message: err.rawMessage, details: err.details, state: (err.snapshot?.metadata ? 'with metadata' : 'none') };
}
const pending = await documents.batchProcessDocuments({ name: processor });
process.stdout.write(\`\${JSON.stringify({ name: batch.name, date, uri: processed.document?.uri, states, result, failure, saved: JSON.stringify(pending) })}\\n\`);
transport.close();
`;

/** `src/documentai-resume.ts`: the second process for Document AI. */
export const DOCUMENTAI_RESUME = `import { createClient, createOperationsTransport, createPoller, descriptorOf } from 'vision-kit';
import { DocumentProcessorServiceDefinition } from './gen/documentai/google/cloud/documentai/v1/document_processor_service.js';
import { DocumentProcessorService } from './gen/documentai/index.js';
import { SCHEDULE, transportFromArgs } from './transport.js';

const { transport } = transportFromArgs([DocumentProcessorServiceDefinition]);
const documents = createClient(DocumentProcessorService, transport);
const poller = createPoller({ transport: createOperationsTransport(transport), schedule: SCHEDULE });
const again = poller.resume(descriptorOf(documents.batchProcessDocuments), JSON.parse(process.argv[5] ?? ''));
const states: number[] = [];
const result = await again.wait({ onProgress: (m) => states.push(m.state) });
process.stdout.write(\`\${JSON.stringify({ name: again.name, states, result })}\\n\`);
transport.close();
`;

/** The app's package.json and tsconfig.json: ES modules, strict TypeScript compiled into build/. */
export const APP_PACKAGE_JSON = `${JSON.stringify({ name: 'my-app', private: true, type: 'module' }, null, 2)}\n`;
export const APP_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: true,
      rootDir: 'src',
      outDir: 'build',
    },
    include: ['src'],
  },
  null,
  2,
)}\n`;
