/**
 * Anys read from proto3 JSON hold the message they were read as and make
 * their bytes only when those are read: the same values as the bytes form
 * wherever the binary codec is loaded, and no binary codec at all on the
 * browser entry's path (a child process that loads only the JSON reader).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeMessage, encodeMessage, messageFromJson, messageToJson, packAny, unpackAny } from 'vision-kit/codec';
import { heldMessage } from '../../src/codec/held-any.js';
import { deepEqual, sameAny } from '../../src/lro/deep-equal.js';
import { redactValue } from '../../src/transport/redact.js';
import { SOURCE_FLAGS } from '../support/source-flags.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const METADATA = 'google.cloud.vision.v1p4beta1.OperationMetadata';
const URL_PREFIX = 'type.googleapis.com/';
const OPERATION_JSON = {
  name: 'operations/7',
  metadata: { '@type': URL_PREFIX + METADATA, state: 'RUNNING', createTime: '2026-12-01T10:00:00.250Z' },
};
const METADATA_MESSAGE = { state: 2, createTime: { seconds: '1796119200', nanos: 250000000 }, updateTime: undefined };

type Operation = { name: string; metadata: { typeUrl: string; value: Uint8Array } };

describe('codec: Anys read from JSON hold their message', () => {
  it('hold the message read, and read as the same Any the bytes give', () => {
    const op = messageFromJson<Operation>('google.longrunning.Operation', OPERATION_JSON);
    const held = heldMessage(op.metadata);
    assert.ok(held !== undefined);
    assert.equal(held.typeName, METADATA);
    assert.deepEqual(held.message, METADATA_MESSAGE);
    assert.deepEqual(op.metadata, packAny(METADATA, METADATA_MESSAGE));
    assert.deepEqual(decodeMessage(METADATA, op.metadata.value), METADATA_MESSAGE);
    const fromBytes = decodeMessage<Operation>('google.longrunning.Operation', encodeMessage('google.longrunning.Operation', op));
    assert.deepEqual(fromBytes, op);
    assert.equal(heldMessage(fromBytes.metadata), undefined);
  });

  it('unpack to the message they hold, and write it back as the same JSON', () => {
    const op = messageFromJson<Operation>('google.longrunning.Operation', OPERATION_JSON);
    assert.equal(unpackAny(op.metadata, METADATA), heldMessage(op.metadata)?.message);
    assert.deepEqual(messageToJson('google.longrunning.Operation', op), OPERATION_JSON);
    assert.throws(() => unpackAny(op.metadata, 'google.rpc.Status'), /expected an Any of google\.rpc\.Status, got google\.cloud/);
  });

  it('take bytes assigned to value, and read as bytes once their type URL changes', () => {
    const op = messageFromJson<Operation>('google.longrunning.Operation', OPERATION_JSON);
    const other = encodeMessage(METADATA, { state: 3 });
    op.metadata.value = other;
    assert.equal(heldMessage(op.metadata), undefined);
    assert.deepEqual(unpackAny(op.metadata, METADATA), { ...METADATA_MESSAGE, state: 3, createTime: undefined });
    const again = messageFromJson<Operation>('google.longrunning.Operation', OPERATION_JSON);
    again.metadata.typeUrl = `${URL_PREFIX}google.cloud.vision.v1p4beta1.BatchOperationMetadata`;
    assert.equal(heldMessage(again.metadata), undefined);
    assert.deepEqual(again.metadata.value, encodeMessage(METADATA, METADATA_MESSAGE));
  });

  it('compare by their messages in the poller, and are redacted in their message', () => {
    const a = messageFromJson<Operation>('google.longrunning.Operation', OPERATION_JSON);
    const b = messageFromJson<Operation>('google.longrunning.Operation', OPERATION_JSON);
    const c = messageFromJson<Operation>('google.longrunning.Operation', {
      ...OPERATION_JSON,
      metadata: { ...OPERATION_JSON.metadata, state: 'DONE' },
    });
    assert.equal(sameAny(a.metadata, b.metadata), true);
    assert.equal(sameAny(a.metadata, c.metadata), false);
    assert.equal(sameAny(a.metadata, packAny(METADATA, METADATA_MESSAGE)), false, 'held and bytes: decoded and compared by the caller');
    assert.equal(deepEqual(a, b), true);
    assert.equal(deepEqual(a, c), false);

    const secret = 'sk-live-12345';
    const withSecret = messageFromJson<{ name: string; error: { details: Operation['metadata'][] } }>('google.longrunning.Operation', {
      name: 'operations/8',
      error: { code: 3, message: 'bad', details: [{ '@type': `${URL_PREFIX}google.rpc.ErrorInfo`, reason: `key ${secret}` }] },
    });
    const redacted = redactValue(withSecret, [secret]);
    const detail = redacted.error.details[0]!;
    assert.deepEqual(heldMessage(detail)?.message, { reason: 'key [redacted]', domain: '', metadata: {} });
    const original = heldMessage(withSecret.error.details[0])?.message as { reason: string } | undefined;
    assert.match(original?.reason ?? '', /sk-live/, 'the original is left as it was');
  });

  it('need no binary codec: without it, only reading their bytes fails, and says what to import', async () => {
    const script = `
      (await import('./src/schema/vision-tables.ts')).registerVisionTables();
      const { messageFromJson } = await import('./src/codec/json/from-json.ts');
      const { messageToJsonText } = await import('./src/codec/json/to-json.ts');
      const { unpackAny } = await import('./src/codec/any.ts');
      const op = messageFromJson('google.longrunning.Operation', ${JSON.stringify(OPERATION_JSON)});
      const out = { unpacked: unpackAny(op.metadata, '${METADATA}'), text: messageToJsonText('google.longrunning.Operation', op) };
      try { op.metadata.value; out.read = 'no error'; } catch (e) { out.read = { code: e.code, message: e.message }; }
      console.log(JSON.stringify(out));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, [...SOURCE_FLAGS, '--input-type=module', '-e', script], { cwd: root });
    const out = JSON.parse(stdout) as { unpacked: unknown; text: string; read: { code: number; message: string } };
    assert.deepEqual(out.unpacked, { state: 2, createTime: { seconds: '1796119200', nanos: 250000000 } });
    assert.deepEqual(JSON.parse(out.text), OPERATION_JSON);
    assert.equal(out.read.code, 9);
    assert.match(
      out.read.message,
      /needs the binary codec, which vision-kit\/browser leaves out: import anything from 'vision-kit\/codec'/,
    );
  });
});
