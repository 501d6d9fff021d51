/**
 * vision-kit/workflow, browser-safe: the annotate workflow (storage client
 * over the Cloud Storage JSON API, request builder, `runAnnotateJob`, result
 * summaries) that `vision-kit annotate` and the demo page share. A separate
 * entry so that the browser entry's REST clients and poller stay small.
 */
export * from './workflow/index.js';
