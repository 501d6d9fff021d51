/**
 * Node's file-system errors in plain words, for messages about a path the
 * user named (an input image, a data dir, a fixtures folder): the errno code
 * of an error, and a few words for the codes such a path runs into.
 */

/** The errno code of a Node error (`''` when it has none). */
export function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Words for the errno codes a path the user named may run into. */
const WORDS: { readonly [code: string]: string } = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
};

/** A few words for `err`: its errno code's, else its message. */
export function errnoWords(err: unknown): string {
  return WORDS[errnoOf(err)] ?? (err instanceof Error ? err.message : String(err));
}
