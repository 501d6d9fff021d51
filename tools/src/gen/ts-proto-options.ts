/**
 * ts-proto's options for every binding the generator writes (and for
 * vision-kit's own gen/): the message shape the library works with
 * (CONTRIBUTING's "Message shape"): generic service definitions, int64 as
 * decimal strings, Timestamps as messages, `fromPartial` but no JSON
 * methods (proto3 JSON is the library's own codec), ES module imports with
 * `.js` suffixes.
 */
export const TS_PROTO_OPTIONS: readonly string[] = Object.freeze([
  'outputServices=generic-definitions',
  'esModuleInterop=true',
  'importSuffix=.js',
  'forceLong=string',
  'useDate=false',
  'outputJsonMethods=false',
  'outputPartialMethods=true',
  'useExactTypes=false',
  'unrecognizedEnum=false',
  'exportCommonSymbols=false',
  'outputIndex=false',
]);
