/**
 * `vision-kit/transcoding` (browser-safe): `google.api.http` both ways.
 * `transcodeRequest` turns a request into the HTTP call a client sends;
 * `createGateway` matches an HTTP request to a method and decodes it, for a
 * server; path templates parse, match and expand on their own. The bindings
 * of `google.longrunning.Operations` that clients send and servers answer
 * are here too.
 *
 * @module vision-kit/transcoding
 */

import { registerVisionTables } from './schema/vision-tables.js';
import { provideStrictTemplateParser } from './transcoding/parse-path-template.js';

// The table rows the transcoder reads (also exported by the main entry).
export type { HttpBinding, MethodRow } from '../gen/schema/services.js';
export type { DecodedRequest, Gateway, GatewayMatch, GatewayMiss, GatewayRoute, SystemParameters } from './transcoding/gateway.js';
export { createGateway } from './transcoding/gateway.js';
export type { RoutedOperationsRpc } from './transcoding/operations-bindings.js';
export {
  CANCEL_OPERATION_BINDINGS,
  DELETE_OPERATION_BINDINGS,
  GET_OPERATION_BINDINGS,
  restBindings,
  servedBindings,
  servedOperationBindings,
} from './transcoding/operations-bindings.js';
export { parsePathTemplate } from './transcoding/parse-path-template.js';
export { captureSegments, matchPath } from './transcoding/path-match.js';
export type { ExpandFailure, SegmentKind, TemplateSegment, TemplateVariable } from './transcoding/path-template.js';
export { PathTemplate } from './transcoding/path-template.js';
export { TemplateError } from './transcoding/template-error.js';
export type { TranscodedRequest, TranscodeOptions } from './transcoding/transcode-request.js';
export { transcodeRequest } from './transcoding/transcode-request.js';

// Every type of Vision's tables can be looked up by name through this entry (vision-tables.ts).
registerVisionTables();
// A bad template is refused with where it goes wrong (path-template.ts, readPathTemplate).
provideStrictTemplateParser();
