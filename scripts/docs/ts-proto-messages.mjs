// A TypeDoc plugin (loaded by typedoc.jsonc) for the ts-proto messages the
// entries re-export.
//
// ts-proto gives each message an interface and a value of the same name (the
// message's binary codec, `MessageFns<T>`). The entries export messages as
// types only (`export type { Status }`), so the codec stays out of browser
// bundles. TypeDoc documents the value half of such an export as a second,
// comment-less type alias (`type Status = MessageFns<Status>`), which would
// fail the reference for a missing comment and for the unexported
// `MessageFns`. What the export gives a user is the interface; this plugin
// drops the alias beside it.

import { Converter, ReflectionKind } from 'typedoc';

/** True when `reflection` is declared only in the generated code (gen/). */
function isGenerated(reflection) {
  const sources = reflection.sources ?? [];
  return sources.length > 0 && sources.every((s) => s.fileName.startsWith('gen/'));
}

/** Registers the plugin with a TypeDoc application. */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const { project } = context;
    for (const alias of project.getReflectionsByKind(ReflectionKind.TypeAlias)) {
      if (!isGenerated(alias)) continue;
      const interfaceBeside = alias.parent?.children?.some(
        (child) => child !== alias && child.name === alias.name && child.kindOf(ReflectionKind.Interface),
      );
      if (interfaceBeside) project.removeReflection(alias);
    }
  });
}
