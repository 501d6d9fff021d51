/**
 * A small API of the tests' own (`acme.shelf.v1`) for the generator's
 * tests: it imports what vision-kit ships (google.longrunning, Timestamp)
 * and what it does not (`google/type/date.proto`), has an
 * operation-returning method, a streaming one, and a file that imports a
 * sibling by its root-relative path.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The files, by path relative to the proto root. */
export const SHELF_PROTOS: Readonly<Record<string, string>> = {
  'acme/shelf/v1/book.proto': [
    'syntax = "proto3";',
    'package acme.shelf.v1;',
    'import "google/protobuf/timestamp.proto";',
    'import "google/type/date.proto";',
    '// A book.',
    'message Book {',
    '  string name = 1;',
    '  google.type.Date published = 2;',
    '  google.protobuf.Timestamp shelved = 3;',
    '}',
    '',
  ].join('\n'),
  'acme/shelf/v1/shelf.proto': [
    'syntax = "proto3";',
    'package acme.shelf.v1;',
    'import "acme/shelf/v1/book.proto";',
    'import "google/api/annotations.proto";',
    'import "google/longrunning/operations.proto";',
    '// A shelf of books.',
    'service Shelf {',
    '  rpc GetBook(GetBookRequest) returns (Book) {',
    '    option (google.api.http) = { get: "/v1/{name=books/*}" };',
    '  }',
    '  rpc Reshelve(ReshelveRequest) returns (google.longrunning.Operation) {',
    '    option (google.api.http) = { post: "/v1/{name=books/*}:reshelve" body: "*" };',
    '    option (google.longrunning.operation_info) = { response_type: "Book" metadata_type: "ReshelveMetadata" };',
    '  }',
    '  rpc WatchBooks(GetBookRequest) returns (stream Book);',
    '}',
    'message GetBookRequest { string name = 1; }',
    'message ReshelveRequest { string name = 1; }',
    'message ReshelveMetadata { int32 percent = 1; }',
    '',
  ].join('\n'),
};

/** Writes `files` below `dir`. */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** A fresh temporary folder holding `protos/` with {@link SHELF_PROTOS} (plus `extra`); the caller removes it. */
export function shelfProject(extra: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vision-kit-gen-shelf-'));
  writeTree(join(dir, 'protos'), { ...SHELF_PROTOS, ...extra });
  return dir;
}
