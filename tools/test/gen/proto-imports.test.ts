/**
 * The generator's import reader (tools/src/gen/proto-imports.ts): only real
 * top-level import statements count — not text in comments or in string
 * literals (`"/v1/{name=a/**}"` opens no comment) — with where each starts.
 */
import assert from 'node:assert/strict';
import { protoImports } from '../../src/gen/proto-imports.js';

describe('vision-kit gen: reading the imports of a .proto file', () => {
  it('finds plain, public and weak imports with their line and column', () => {
    const text = [
      'syntax = "proto3";',
      'package a.b;',
      '',
      'import "google/api/annotations.proto";',
      '  import public "a/b/c.proto";',
      "import weak 'a/b/d.proto';",
    ].join('\n');
    assert.deepEqual(protoImports(text), [
      { path: 'google/api/annotations.proto', line: 4, column: 1 },
      { path: 'a/b/c.proto', line: 5, column: 3 },
      { path: 'a/b/d.proto', line: 6, column: 1 },
    ]);
  });

  it('ignores imports in comments, in strings and inside braces', () => {
    const text = [
      'syntax = "proto3";',
      '// import "in/line/comment.proto";',
      '/* import "in/block/comment.proto"; */',
      'service S {',
      '  rpc Get(R) returns (R) { option (google.api.http) = { get: "/v1/{name=operations/**}" }; }',
      '}',
      'import "after/the/service.proto";',
      'message R { string s = 1 [default = "import \\"no.proto\\";"]; }',
      '/* an unclosed comment: import "never.proto";',
    ].join('\n');
    assert.deepEqual(protoImports(text), [{ path: 'after/the/service.proto', line: 7, column: 1 }]);
  });

  it('finds nothing in a file without imports, and does not throw on text that does not compile (buf reports it)', () => {
    assert.deepEqual(protoImports('syntax = "proto3";\nmessage A {}\n'), []);
    assert.deepEqual(protoImports('syntax = "proto3;\nimport "x.proto"'), []);
    assert.deepEqual(protoImports('import'), []);
  });
});
