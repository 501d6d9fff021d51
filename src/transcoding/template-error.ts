import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/**
 * A path template of a `google.api.http` rule that does not follow the
 * http.proto grammar (or the stricter rules vision-kit keeps, see
 * `parsePathTemplate`), or a set of routes that cannot be served together.
 * It names the template, the 0-based character position and the reason:
 * `invalid path template "/a//b" at position 3: empty segment`.
 */
export class TemplateError extends VisionError {
  /** The template text as given. */
  readonly template: string;
  /** The 0-based index of the offending character in `template`. */
  readonly position: number;
  /** Why it was refused, without the template and position. */
  readonly reason: string;

  constructor(template: string, position: number, reason: string) {
    super(codes.INVALID_ARGUMENT, `invalid path template ${JSON.stringify(template)} at position ${position}: ${reason}`);
    this.name = 'TemplateError';
    this.template = template;
    this.position = position;
    this.reason = reason;
  }
}
