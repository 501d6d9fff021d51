/**
 * `npm run gen` stops on a failing buf step with one line naming the step,
 * and leaves proto/, gen/ and test/gen/ exactly as they were. Every run
 * writes into a scratch copy of the committed trees (VISION_KIT_GEN_OUT),
 * never into the working tree.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { copyOfTrees, digest, fixtureProtoPackage, runGenScript, scratch, writeTree } from './support.js';

describe('npm run gen: failing buf steps', function () {
  this.timeout(60000);
  const made: string[] = [];
  let out: string;
  before(() => made.push((out = copyOfTrees())));
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs gen into `out` and checks the common contract: exit 1, one line, nothing changed. */
  async function failingRun(env: Record<string, string>): Promise<string> {
    const before = digest(out);
    const { code, stderr } = await runGenScript('run.ts', { VISION_KIT_GEN_OUT: out, ...env });
    assert.equal(code, 1, stderr);
    assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`);
    assert.equal(digest(out), before, 'proto/, gen/ and test/gen/ untouched, no staging folder left');
    return stderr.trim();
  }

  it('stops at "export" on a proto with a syntax error, naming the file and line', async () => {
    const pkg = fixtureProtoPackage({
      'google/cloud/vision/v1p4beta1/vision.proto':
        'syntax = "proto3";\npackage google.cloud.vision.v1p4beta1;\nmessage Image { string name = 1 }\n',
    });
    made.push(pkg);
    const line = await failingRun({ VISION_KIT_PROTO_PACKAGE: pkg });
    assert.match(line, /^gen: step "export" failed: google\/cloud\/vision\/v1p4beta1\/vision\.proto:3:\d+:/);
  });

  it('stops at "export" on a missing import, naming the importing file', async () => {
    const pkg = fixtureProtoPackage({
      'google/longrunning/operations.proto':
        'syntax = "proto3";\npackage google.longrunning;\nimport "google/rpc/status_missing.proto";\nmessage Operation { string name = 1; }\n',
    });
    made.push(pkg);
    const line = await failingRun({ VISION_KIT_PROTO_PACKAGE: pkg });
    assert.match(line, /^gen: step "export" failed: google\/longrunning\/operations\.proto:3:\d+:.*(not exist|not found)/);
  });

  it('stops at "locate" on a proto folder that does not exist', async () => {
    const line = await failingRun({ VISION_KIT_PROTO_PACKAGE: '/nonexistent/vision-kit-protos' });
    assert.match(line, /^gen: step "locate" failed: proto folder \/nonexistent\/vision-kit-protos does not exist$/);
  });

  it('stops at "test" when buf build refuses a test-only proto (missing import), after the Vision steps passed', async () => {
    const protos = scratch('test-protos');
    made.push(protos);
    writeTree(protos, {
      'vision_kit/testing/v1/broken.proto':
        'syntax = "proto3";\npackage visionkit.testing.v1;\nimport "vision_kit/testing/v1/absent.proto";\nmessage Broken { Absent a = 1; }\n',
    });
    const line = await failingRun({ VISION_KIT_TEST_PROTOS: protos });
    assert.match(line, /^gen: step "test" failed: vision_kit\/testing\/v1\/broken\.proto:3:\d+:/);
  });

  it('stops at "test" on a custom binding whose kind is no HTTP method, naming the method', async () => {
    const protos = scratch('test-protos');
    made.push(protos);
    writeTree(protos, {
      'vision_kit/testing/v1/odd.proto': [
        'syntax = "proto3";',
        'package visionkit.testing.v1;',
        'import "google/api/annotations.proto";',
        'import "google/protobuf/empty.proto";',
        'service Odd {',
        '  rpc Peek(google.protobuf.Empty) returns (google.protobuf.Empty) {',
        '    option (google.api.http) = { custom: { kind: "PE EK" path: "/v1/peek" } };',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const line = await failingRun({ VISION_KIT_TEST_PROTOS: protos });
    assert.equal(
      line,
      'gen: step "test" failed: visionkit.testing.v1.Odd.Peek: custom binding kind "PE EK" is not an HTTP method (a token, or "*" for any)',
    );
  });
});
