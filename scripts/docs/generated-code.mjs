// A TypeDoc plugin (loaded by typedoc.jsonc) for the generated code (gen/)
// that the entries re-export: the API's messages and enums, the service
// definitions, the gen-time tables.
//
// 1. ts-proto gives each message an interface and a value of the same name
//    (the message's binary codec, `MessageFns<T>`). The entries export
//    messages as types only, so the codec stays out of browser bundles, yet
//    TypeDoc documents the value half too: a comment-less variable or type
//    alias beside the interface, naming the unexported `MessageFns`. What the
//    export gives a user is the interface; the plugin drops the value half.
//
// 2. Generated code carries the comments of its protos (and of the table
//    generator); it is never edited by hand, so a proto element without a
//    comment (a map entry's key and value, the inner fields of ts-proto's
//    service definitions) cannot be fixed here. The plugin lists those
//    declarations as intentionally undocumented, so the "every export has a
//    doc comment" check holds for the hand-written code (src/, tools/src/)
//    and still fails on any of it. The walk below mirrors the one of
//    TypeDoc 0.28's documentation check (which reflections it visits, under
//    which name), so that every listed name is one the check meets: a name
//    it never meets, or a generated declaration this walk misses, fails the
//    build with TypeDoc's own message.

import { Converter, DeclarationReflection, ReflectionKind, ReflectionType } from 'typedoc';

/** True when `reflection` is declared only in the generated code (gen/). */
function isGenerated(reflection) {
  const sources = reflection.sources ?? [];
  return sources.length > 0 && sources.every((s) => s.fileName.startsWith('gen/'));
}

/** Drops the codec value (variable or type alias) beside each generated message interface. */
function dropCodecValues(project) {
  const kinds = ReflectionKind.Variable | ReflectionKind.TypeAlias;
  for (const value of project.getReflectionsByKind(kinds)) {
    if (!isGenerated(value)) continue;
    const interfaceBeside = value.parent?.children?.some(
      (child) => child !== value && child.name === value.name && child.kindOf(ReflectionKind.Interface),
    );
    if (interfaceBeside) project.removeReflection(value);
  }
}

/** The reflection kinds the documentation check visits, as TypeDoc expands `requiredToBeDocumented`. */
function checkedKinds(required) {
  let kinds = required.reduce((all, name) => all | ReflectionKind[name], 0);
  if (kinds & ReflectionKind.FunctionOrMethod) kinds = (kinds | ReflectionKind.CallSignature) & ~ReflectionKind.FunctionOrMethod;
  if (kinds & ReflectionKind.Constructor) kinds = (kinds | ReflectionKind.ConstructorSignature) & ~ReflectionKind.Constructor;
  if (kinds & ReflectionKind.Accessor) {
    kinds = (kinds | ReflectionKind.GetSignature | ReflectionKind.SetSignature) & ~ReflectionKind.Accessor;
  }
  return kinds;
}

/** The full names of the generated declarations the documentation check would report. */
function undocumentedGenerated(project, required) {
  const names = new Set();
  const toProcess = project.getReflectionsByKind(checkedKinds(required));
  const seen = new Set();
  outer: while (toProcess.length > 0) {
    const ref = toProcess.shift();
    if (seen.has(ref)) continue;
    seen.add(ref);
    for (let r = ref.parent; r; r = r.parent) if (r.kindOf(ReflectionKind.Parameter)) continue outer;
    if (ref.kindOf(ReflectionKind.TypeLiteral) && ref.parent?.kindOf(ReflectionKind.TypeAlias)) {
      toProcess.push(ref.parent);
      continue;
    }
    if (ref.kindOf(ReflectionKind.CallSignature) && ref.parent?.kindOf(ReflectionKind.TypeLiteral)) {
      toProcess.push(ref.parent.parent);
      continue;
    }
    if (ref.kindOf(ReflectionKind.ConstructorSignature) && ref.parent?.parent?.kindOf(ReflectionKind.TypeAlias)) {
      toProcess.push(ref.parent.parent);
      continue;
    }
    if (ref instanceof DeclarationReflection) {
      const signatures = ref.type instanceof ReflectionType ? ref.type.declaration.getNonIndexSignatures() : ref.getNonIndexSignatures();
      if (signatures.length > 0) {
        toProcess.push(...signatures);
        if (ref.kindOf(ReflectionKind.SignatureContainer)) continue;
      }
    }
    const documented = ref.hasComment() || (ref.kindOf(ReflectionKind.SomeSignature) && ref.parent?.hasComment());
    const generated = isGenerated(ref.kindOf(ReflectionKind.SomeSignature) ? ref.parent : ref);
    if (!documented && generated && project.getSymbolIdFromReflection(ref)) names.add(ref.getFriendlyFullName());
  }
  return [...names];
}

/** Registers the plugin with a TypeDoc application. */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => dropCodecValues(context.project));
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const required = app.options.getValue('requiredToBeDocumented');
    const listed = app.options.getValue('intentionallyNotDocumented');
    app.options.setValue('intentionallyNotDocumented', [...listed, ...undocumentedGenerated(context.project, required)]);
  });
}
