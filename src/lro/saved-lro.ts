/**
 * A handle as plain data (`lro.toJSON()`), to store and `resume()` later,
 * in this or another process. It holds no credentials and no endpoint.
 */
export interface SavedLro {
  /** The operation's resource name. */
  readonly name: string;
  /** The method id the operation belongs to (`service full name/Method`). */
  readonly method: string;
  /** When the handle was made (ISO 8601, UTC). */
  readonly startTime: string;
  /** The handle's deadline (ISO 8601, UTC); absent when it has none. */
  readonly deadline?: string;
}
