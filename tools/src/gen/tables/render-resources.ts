/** `schema/resources.ts`: the `google.api.resource` types of the generated files and their name patterns. */
import type { TableModel } from './model.js';
import { HEADER, lit } from './names.js';

/** Renders `schema/resources.ts`; with `typesFrom` the row type is imported from there instead of declared. */
export function renderResources({ resources }: TableModel, typesFrom: string | undefined): string {
  const lines = [HEADER];
  if (typesFrom) {
    lines.push(`import type { ResourceRow } from '${typesFrom}/resources.js';`, '');
  } else
    lines.push(
      '/** A `google.api.resource` type: its name patterns and, when declared on one, its message. */',
      'export interface ResourceRow {',
      '  readonly patterns: readonly string[];',
      '  readonly message?: string;',
      '}',
      '',
    );
  lines.push(
    '/** Every resource type declared in the generated protos, by type (e.g. `vision.googleapis.com/Product`). */',
    'export const RESOURCES: { readonly [type: string]: ResourceRow } = {',
  );
  for (const [type, row] of resources) lines.push(`  ${lit(type)}: ${lit(row)},`);
  lines.push('};', '');
  return lines.join('\n');
}
