import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, type ErrorDetail, VisionError } from 'vision-kit';
import {
  errorFromRestResponse,
  errorFromStatus,
  errorFromStatusBytes,
  errorFromStatusJson,
  errorToRestBody,
  errorToStatus,
  errorToStatusBytes,
  httpStatusFromCode,
  normalizeMessage,
  packAny,
  statusToJson,
} from 'vision-kit/codec';
import { arbitraryMessage } from '../support/arbitrary-message.js';
import { loadTsProtoCodecs } from '../support/ts-proto-codecs.js';

const DETAIL_TYPES = [
  'google.rpc.ErrorInfo',
  'google.rpc.RetryInfo',
  'google.rpc.BadRequest',
  'google.rpc.QuotaFailure',
  'google.rpc.Help',
  'google.rpc.LocalizedMessage',
];

function detail(type: string, partial: object): ErrorDetail {
  return { type, value: normalizeMessage(type, partial) };
}

const SAMPLE = new VisionError(Code.INVALID_ARGUMENT, 'request is bad', {
  httpStatus: 400,
  details: [
    detail('google.rpc.ErrorInfo', { reason: 'BAD_IMAGE', domain: 'vision.googleapis.com', metadata: { 'image.index': '0' } }),
    detail('google.rpc.RetryInfo', { retryDelay: { seconds: '2', nanos: 500000000 } }),
    detail('google.rpc.BadRequest', { fieldViolations: [{ field: 'requests[0].features[1].type', description: 'unknown' }] }),
  ],
});

/** Same error through gRPC bytes and through a REST body. */
function viaBytes(e: VisionError): VisionError {
  return errorFromStatusBytes(errorToStatusBytes(e));
}
function viaRest(e: VisionError): VisionError {
  const body = errorToRestBody(e);
  return errorFromRestResponse(body.error.code, JSON.stringify(body));
}

describe('rpc-status: VisionError ⇄ google.rpc.Status ⇄ bytes ⇄ REST body', () => {
  it('round trips ErrorInfo, RetryInfo and BadRequest details, deep-equal through bytes and through JSON', () => {
    assert.deepStrictEqual(viaBytes(SAMPLE), SAMPLE);
    assert.deepStrictEqual(viaRest(SAMPLE), SAMPLE);
    assert.deepStrictEqual(viaRest(SAMPLE), viaBytes(SAMPLE));
    assert.deepStrictEqual(errorFromStatusJson(JSON.parse(JSON.stringify(statusToJson(SAMPLE)))), SAMPLE);
  });

  it('writes the Google REST error body', () => {
    const body = errorToRestBody(SAMPLE);
    assert.deepStrictEqual(body.error.code, 400);
    assert.equal(body.error.status, 'INVALID_ARGUMENT');
    assert.equal(body.error.message, 'request is bad');
    assert.deepStrictEqual(body.error.details?.[0], {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'BAD_IMAGE',
      domain: 'vision.googleapis.com',
      metadata: { 'image.index': '0' },
    });
    assert.deepStrictEqual(body.error.details?.[1], { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.500s' });
    assert.equal('details' in errorToRestBody(new VisionError(Code.NOT_FOUND, 'x')).error, false);
    assert.equal(errorToRestBody(new VisionError(Code.NOT_FOUND, 'x')).error.code, 404);
  });

  it('writes the CLI line {"code","message","details"} and its bytes decode with ts-proto', async () => {
    assert.deepStrictEqual(statusToJson(new VisionError(Code.NOT_FOUND, 'gone')), { code: 5, message: 'gone', details: [] });
    const codecs = await loadTsProtoCodecs();
    const status = codecs.get('google.rpc.Status')?.decode(errorToStatusBytes(SAMPLE));
    assert.deepStrictEqual(status, errorToStatus(SAMPLE));
  });

  it('round trips random errors with random known details (property)', () => {
    const detailArb = fc
      .constantFrom(...DETAIL_TYPES)
      .chain((type) => arbitraryMessage(type, { maxDepth: 3, maxLength: 2 }).map((value): ErrorDetail => ({ type, value })));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.string({ maxLength: 20 }),
        fc.array(detailArb, { maxLength: 3 }),
        (code, message, details) => {
          const e = new VisionError(code as Code, message, { details, httpStatus: httpStatusFromCode(code as Code) });
          assert.deepStrictEqual(viaBytes(e), e);
          assert.deepStrictEqual(viaRest(e), e);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps unknown detail types raw: bytes from gRPC, JSON from REST', () => {
    const raw = new Uint8Array([8, 1]);
    const fromBytes = errorFromStatus({ code: 9, message: 'm', details: [{ typeUrl: 'type.googleapis.com/acme.Thing', value: raw }] });
    assert.deepStrictEqual(fromBytes.details, [{ type: 'acme.Thing', bytes: raw }]);
    assert.deepStrictEqual(errorFromStatusBytes(errorToStatusBytes(fromBytes)).details, fromBytes.details);
    const fromRest = errorFromRestResponse(
      400,
      '{"error":{"code":400,"message":"m","status":"FAILED_PRECONDITION","details":[{"@type":"type.googleapis.com/acme.Thing","a":1}]}}',
    );
    assert.equal(fromRest.code, Code.FAILED_PRECONDITION);
    assert.deepStrictEqual(fromRest.details, [{ type: 'acme.Thing', json: { a: 1 } }]);
    assert.deepStrictEqual(errorToRestBody(fromRest).error.details, [{ '@type': 'type.googleapis.com/acme.Thing', a: 1 }]);
  });

  it('maps codes outside 0–16 to UNKNOWN and Any details of known types that do not decode to raw bytes', () => {
    const e = errorFromStatus({
      code: 99,
      message: 'odd',
      details: [{ typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo', value: new Uint8Array([0x0a, 9]) }],
    });
    assert.equal(e.code, Code.UNKNOWN);
    assert.deepStrictEqual(e.details, [{ type: 'google.rpc.ErrorInfo', bytes: new Uint8Array([0x0a, 9]) }]);
  });

  it('never throws on malformed status bytes: fallback, else INTERNAL', () => {
    const bad = new Uint8Array([0x0a, 0x7f]);
    assert.equal(errorFromStatusBytes(bad).code, Code.INTERNAL);
    const f = errorFromStatusBytes(bad, { code: Code.UNAVAILABLE, message: 'from trailers' });
    assert.equal(f.code, Code.UNAVAILABLE);
    assert.equal(f.rawMessage, 'from trailers');
  });

  it('packs a detail given as JSON only when its type is known', () => {
    const e = new VisionError(Code.ABORTED, 'x', {
      details: [
        { type: 'google.rpc.ErrorInfo', json: { reason: 'R' } },
        { type: 'acme.Thing', json: { a: 1 } },
      ],
    });
    const s = errorToStatus(e);
    assert.equal(s.details.length, 1);
    assert.deepStrictEqual(s.details[0], packAny('google.rpc.ErrorInfo', normalizeMessage('google.rpc.ErrorInfo', { reason: 'R' })));
  });
});

describe('rpc-status: reading REST error answers', () => {
  const wrapped = '{"error":{"code":404,"message":"Not found","status":"NOT_FOUND"}}';
  const cases: [string, number, string, Code, RegExp][] = [
    ['the wrapped form', 404, wrapped, Code.NOT_FOUND, /^Not found$/],
    ['the unwrapped form (gax issue 1303)', 404, '{"code":404,"message":"Not found","status":"NOT_FOUND"}', Code.NOT_FOUND, /^Not found$/],
    ['the array form', 404, `[${wrapped}]`, Code.NOT_FOUND, /^Not found$/],
    [
      'a status name that beats the HTTP code',
      400,
      '{"error":{"code":400,"message":"m","status":"FAILED_PRECONDITION"}}',
      Code.FAILED_PRECONDITION,
      /^m$/,
    ],
    [
      'an unknown status name (HTTP code used)',
      429,
      '{"error":{"code":429,"message":"m","status":"SLOW_DOWN"}}',
      Code.RESOURCE_EXHAUSTED,
      /^m$/,
    ],
    ['no status name (HTTP code used)', 403, '{"error":{"code":403,"message":"nope"}}', Code.PERMISSION_DENIED, /^nope$/],
    [
      'an HTML error page',
      502,
      '<html>\n<head><title>502 Bad Gateway</title></head>\n<body>bad gateway</body></html>',
      Code.UNAVAILABLE,
      /^HTTP 502 .*<html> <head><title>502 Bad Gateway/,
    ],
    ['a truncated JSON body', 500, '{"error":{"code":500,"mess', Code.INTERNAL, /^HTTP 500 .*\{"error":\{"code":500,"mess/],
    ['an empty body', 503, '', Code.UNAVAILABLE, /^HTTP 503 with an empty body$/],
    ['a status with no code of its own', 418, 'I am a teapot', Code.UNKNOWN, /^HTTP 418 .*teapot/],
    ['JSON that is not an error', 400, '"just a string"', Code.INVALID_ARGUMENT, /^HTTP 400/],
    ['an error without message', 404, '{"error":{}}', Code.NOT_FOUND, /^HTTP 404$/],
    [
      'details that are not objects or not decodable',
      400,
      '{"error":{"message":"m","details":[5,{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":7}]}}',
      Code.INVALID_ARGUMENT,
      /^m$/,
    ],
  ];
  for (const [what, status, body, code, message] of cases) {
    it(`reads ${what}`, () => {
      const e = errorFromRestResponse(status, body);
      assert.ok(e instanceof VisionError);
      assert.equal(e.code, code);
      assert.equal(e.httpStatus, status);
      assert.match(e.rawMessage, message);
    });
  }

  it('keeps the excerpt of a long page short', () => {
    const e = errorFromRestResponse(500, `<html>${'x'.repeat(10_000)}</html>`);
    assert.ok(e.rawMessage.length < 220, String(e.rawMessage.length));
  });

  it('never throws, whatever the body (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((j) => JSON.stringify(j)),
          fc.jsonValue().map((j) => JSON.stringify({ error: j })),
        ),
        (status, body) => {
          const e = errorFromRestResponse(status, body);
          assert.ok(e instanceof VisionError);
          assert.ok(VisionError.isCode(e.code));
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});
