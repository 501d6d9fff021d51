/**
 * What each Node entry of the library does when it loads (`vision-kit`,
 * `/grpc`, `/serving`, `/testing`, `/cli` and the binary): Vision's tables
 * registered, the strict template parser provided (a bad template is
 * refused with where it goes wrong: path-template.ts, readPathTemplate) and
 * the nearest-name hints installed (schema/reason-hints.ts). It sits in this
 * layer because it is the first that reaches all three; browser entries
 * call none of it.
 */
import { provideReasonHints } from '../schema/reason-hints.js';
import { registerVisionTables } from '../schema/vision-tables.js';
import { provideStrictTemplateParser } from './parse-path-template.js';

/** Sets up a Node entry (see the module comment); calling it again changes nothing. */
export function setUpNodeEntry(): void {
  registerVisionTables();
  provideStrictTemplateParser();
  provideReasonHints();
}
