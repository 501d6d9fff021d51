/**
 * Surviving mutants judged equivalent: no program can tell them from the
 * original (a fast path whose slow path gives the same answer, a cache, a
 * comparison reached only when its operands differ, dead defensive code).
 * MUTATION.md marks each survivor found here with its reason, and shows the
 * score with these left out beside the plain one. Matched by module, mutator,
 * the mutated source text and the replacement (as MUTATION.md lists them), so
 * a moved line keeps its note; a changed one needs judging again.
 */

/** One judged survivor. */
export interface Equivalent {
  readonly module: string;
  readonly mutator: string;
  readonly original: string;
  readonly replacement: string;
  readonly reason: string;
}

const PLAIN_FAST_PATH =
  'the `plain` regex is a fast path of expand: a mutant that makes it match less sends values to the checked slow path, which gives the same text';
const NO_DEEP = 'without `**` (deep = -1) `extra` is 0, so both branches give the same index';
const NOT_AFTER_DEEP =
  'no wildcard follows `**` (the parser refuses it) and literals never hold "" or dots, so the wider check finds nothing new';
const DEAD_BRACE =
  'a "{" after a segment is refused by wholeSegment() and by the parse loop alike, same position and reason: either check alone suffices';
const MASK_CACHE = 'the FieldMask cache: the uncached path gives the same text, and its size bound is not observable';
const OMIT_FAST = 'the precomputed `omit` lists are a fast path; withoutPathFields() gives the same JSON';

const WRITER_ROOM = "the writer's buffer size only: it still grows to at least the bytes needed (max(half, needed) is what is needed)";
const SHORT_ASCII = 'fast path of short ASCII strings: what it no longer takes goes through TextEncoder, which gives the same bytes';
const ONE_BYTE_BOOL = 'fast path of one-byte bools: the varint read it falls back to gives the same value and position';
const FLOAT_FAST =
  "float32Text's fast path: a number of at most 6 characters has at most 6 significant digits, which toPrecision(6), the slow path, gives back the same";
const PLAIN_STRING = 'the PLAIN regex is a fast path: a string it does not match goes to JSON.stringify, which writes the same text';
const UNKNOWN_COUNT =
  'counting set properties against fields found is a fast path: the search for an unknown property it gates finds nothing when there is none';

const HB_STRING_FAST =
  'fast path of pathValues: fieldValueToString gives a string field its string back as it is (lone surrogates included)';
const RT_PAST_END =
  'a "**" span let past the last segment: walks that start beyond the end never reach i === n, so they find nothing and add no method';
const OB_PROTO_TAIL =
  "operations.proto's rules end in `**` (or `**:cancel`), whose name takes the whole tail: a route's `**` sampled as one segment or two compares the same";

const P = 'transcoding/path-template';
const PM = 'transcoding/path-match';
const T = 'transcoding/transcode-request';
const TR_UNKNOWN_COUNT =
  'counting set properties against fields found is a fast path: refuseUnknown, which it gates, finds the same unknown property or none';

/** Every judged survivor. */
export const EQUIVALENT: readonly Equivalent[] = [
  ...(
    [
      [
        'ConditionalExpression',
        '!(e instanceof ProtoJsonError)',
        'false',
        'the JSON writer throws only ProtoJsonError here, and a FieldPathError that reaches asUnknownFieldError is rebuilt with the same type, path and reason',
      ],
      [
        'BlockStatement',
        '{ throw underBodyField(e, f, c.input.fullName); }',
        '{}',
        'without it the body field is written by the general path from the request root, which throws the same error with the same path',
      ],
      ['UpdateOperator', 'found++', 'found--', TR_UNKNOWN_COUNT],
      ['ConditionalExpression', 'msg[k] !== undefined', 'true', TR_UNKNOWN_COUNT],
      ['UpdateOperator', 'given++', 'given--', TR_UNKNOWN_COUNT],
      ['ConditionalExpression', 'given !== found', 'true', TR_UNKNOWN_COUNT],
    ] as const
  ).map(([mutator, original, replacement, reason]) => ({ module: T, mutator, original, replacement, reason })),
  { module: P, mutator: 'StringLiteral', original: "'(?!\\\\.\\\\.?(?:/|$))[-_.~0-9A-Za-z]+'", replacement: '""', reason: PLAIN_FAST_PATH },
  {
    module: P,
    mutator: 'ArrowFunction',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant
    original: "(s) => s.kind === 'literal' ? s.literal.replace(/[.*+?^${}()|[\\]\\\\/-]/g, '\\\\$...",
    replacement: '() => undefined',
    reason: PLAIN_FAST_PATH,
  },
  { module: P, mutator: 'ConditionalExpression', original: "s.kind === 'literal'", replacement: 'true', reason: PLAIN_FAST_PATH },
  { module: P, mutator: 'ConditionalExpression', original: "s.kind === '*'", replacement: 'true', reason: PLAIN_FAST_PATH },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant
  { module: P, mutator: 'StringLiteral', original: '`${piece}(?:/${piece})*`', replacement: '``', reason: PLAIN_FAST_PATH },
  {
    module: P,
    mutator: 'ConditionalExpression',
    original: 'v.multiSegment && plain.test(value)',
    replacement: 'false',
    reason: PLAIN_FAST_PATH,
  },
  {
    module: PM,
    mutator: 'ConditionalExpression',
    original: 'k === deep',
    replacement: 'true',
    reason:
      'a wildcard before `**` then also checks the next `extra` path segments, which later template segments check anyway (wildcards refuse "" and dots; literals never are either)',
  },
  { module: PM, mutator: 'ConditionalExpression', original: 'deep >= 0', replacement: 'true', reason: NO_DEEP },
  { module: PM, mutator: 'ConditionalExpression', original: 'deep < 0', replacement: 'false', reason: NO_DEEP },
  {
    module: P,
    mutator: 'EqualityOperator',
    original: 'colon < 0',
    replacement: 'colon <= 0',
    reason: 'a template the grammar accepts starts with "/", so its first ":" is never at 0',
  },
  {
    module: P,
    mutator: 'EqualityOperator',
    original: 'i > deep',
    replacement: 'i >= deep',
    reason: 'at i = deep the segment is `**`, never a literal',
  },
  { module: P, mutator: 'ConditionalExpression', original: 'i === deep', replacement: 'true', reason: NOT_AFTER_DEEP },
  { module: P, mutator: 'EqualityOperator', original: 'j < to', replacement: 'j <= to', reason: NOT_AFTER_DEEP },
  {
    module: P,
    mutator: 'EqualityOperator',
    original: 't > deep',
    replacement: 't >= deep',
    reason: 'at t = deepIndex, max(deepIndex, t - extra) is t either way',
  },
  { module: P, mutator: 'ConditionalExpression', original: "c === '{'", replacement: 'false', reason: DEAD_BRACE },
  { module: P, mutator: 'StringLiteral', original: "'{'", replacement: '""', reason: DEAD_BRACE },
  {
    module: P,
    mutator: 'StringLiteral',
    original: "''",
    replacement: '"Stryker was here!"',
    reason: 'HEX.test("Stryker was here!") is true, but the escape still fails on its second character, as before',
  },
  {
    module: P,
    mutator: 'MethodExpression',
    original: "this.segments.slice(start, end).some((s) => s.kind === '**')",
    replacement: "this.segments.slice(start, end).every(s => s.kind === '**')",
    reason: 'reached only for one-segment variables (longer ones are multi-segment anyway), where some and every agree',
  },
  {
    module: P,
    mutator: 'StringLiteral',
    original: "'an empty segment'",
    replacement: '""',
    reason: 'reached only by the root template "/", which another change makes valid (not tested here to leave that change free)',
  },
  {
    module: 'lro/schedule',
    mutator: 'ConditionalExpression',
    original: 'vision === undefined',
    replacement: 'false',
    reason: 'spreading undefined over the default gives an equal copy',
  },
  {
    module: 'lro/schedule',
    mutator: 'ConditionalExpression',
    original: 'schedule.jitter === 0',
    replacement: 'false',
    reason: 'fast path: base × (1 − 0 × random) is base',
  },
  {
    module: 'transport/retry',
    mutator: 'ArrayDeclaration',
    original: '[0, Infinity]',
    replacement: '[]',
    reason: "checkNumber's own defaults are 0 and Infinity",
  },
  {
    module: 'transport/retry',
    mutator: 'ConditionalExpression',
    original: 'deadline !== undefined',
    replacement: 'true',
    reason: 'now + wait >= undefined is false',
  },
  {
    module: T,
    mutator: 'ObjectLiteral',
    original: '{ enumAsInt: false }',
    replacement: '{}',
    reason: 'an absent enumAsInt reads as false',
  },
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: 'all === undefined',
    replacement: 'true',
    reason: 'a cache of option objects; new ones are equal',
  },
  {
    module: T,
    mutator: 'OptionalChaining',
    original: 'c.vars.find((v) => v.variable.name === variable)?.jsonPath',
    replacement: 'c.vars.find(v => v.variable.name === variable).jsonPath',
    reason: 'the failing variable is always one of the binding’s',
  },
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: "typeof cur === 'string' && v.leaf.scalar === ScalarType.STRING",
    replacement: 'false',
    reason: 'fast path: fieldValueToString gives a string field’s string back',
  },
  {
    module: T,
    mutator: 'StringLiteral',
    original: "'string'",
    replacement: '""',
    reason: 'fast paths (see the lines above): the slow path answers the same',
  },
  {
    module: T,
    mutator: 'ArrayDeclaration',
    original: '[root]',
    replacement: '[]',
    reason: 'the root is never a child, so the set never needs it',
  },
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: "c.body.kind !== 'field'",
    replacement: 'false',
    reason: 'from = 1 is used only for a body field',
  },
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: '!copies.has(copy)',
    replacement: 'true',
    reason: 'copying a copy again keeps what was removed from it',
  },
  { module: T, mutator: 'ConditionalExpression', original: 'c.vars.length === 0', replacement: 'false', reason: OMIT_FAST },
  { module: T, mutator: 'ConditionalExpression', original: 'omit !== undefined', replacement: 'false', reason: OMIT_FAST },
  { module: T, mutator: 'ConditionalExpression', original: 'omit === undefined', replacement: 'true', reason: OMIT_FAST },
  { module: T, mutator: 'ConditionalExpression', original: 'omit.length === 0', replacement: 'false', reason: OMIT_FAST },
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: "f.kind === 'message'",
    replacement: 'true',
    reason: "shape 'message' is set only on message fields",
  },
  ...[
    ["!Array.isArray(v) || !v.every((p) => typeof p === 'string')", 'true', 'ConditionalExpression'],
    ["!v.every((p) => typeof p === 'string')", "v.every(p => typeof p === 'string')", 'BooleanLiteral'],
    ["v.every((p) => typeof p === 'string')", "v.some(p => typeof p === 'string')", 'MethodExpression'],
    ["(p) => typeof p === 'string'", '() => undefined', 'ArrowFunction'],
    ["typeof p === 'string'", 'true', 'ConditionalExpression'],
    ["typeof p === 'string'", 'false', 'ConditionalExpression'],
    ["typeof p === 'string'", "typeof p !== 'string'", 'EqualityOperator'],
    ['text === undefined', 'true', 'ConditionalExpression'],
    ['maskCache.size >= MASK_CACHE_SIZE', 'true', 'ConditionalExpression'],
    ['maskCache.size >= MASK_CACHE_SIZE', 'false', 'ConditionalExpression'],
    ['maskCache.size >= MASK_CACHE_SIZE', 'maskCache.size > MASK_CACHE_SIZE', 'EqualityOperator'],
    ['maskCache.size >= MASK_CACHE_SIZE', 'maskCache.size < MASK_CACHE_SIZE', 'EqualityOperator'],
    ["f.shape === 'fieldMask'", 'false', 'ConditionalExpression'],
    ["'fieldMask'", '""', 'StringLiteral'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant
    ['{ out.push(`${path}=${maskParameter(f, v, path, c.input.fullName)}`); continu...', '{}', 'BlockStatement'],
  ].map(([original, replacement, mutator]) => ({
    module: T,
    mutator: mutator!,
    original: original!,
    replacement: replacement!,
    reason: MASK_CACHE,
  })),
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: "typeName === 'google.protobuf.Empty'",
    replacement: 'false',
    reason: 'Empty has no fields: walking it adds nothing',
  },
  {
    module: T,
    mutator: 'StringLiteral',
    original: "'google.protobuf.Empty'",
    replacement: '""',
    reason: 'Empty has no fields: walking it adds nothing',
  },
  {
    module: T,
    mutator: 'ConditionalExpression',
    original: "f.kind === 'enum'",
    replacement: 'false',
    reason: 'isScalarDefault also reads an enum 0 as the default',
  },
  {
    module: T,
    mutator: 'StringLiteral',
    original: "'enum'",
    replacement: '""',
    reason: 'isScalarDefault also reads an enum 0 as the default',
  },
  {
    module: 'lro/lro-handle',
    mutator: 'ConditionalExpression',
    original: '!w.active',
    replacement: 'false',
    reason:
      'defensive: every caller of #drop holds an active waiter (detaching cancels its deadline entry and its abort subscription, and the iterator forgets it)',
  },
  ...[
    [
      'OptionalChaining',
      'this.#core.transport.describe?.(rpc, this.name, this.descriptor.routes)',
      'this.#core.transport.describe(rpc, this.name, this.descriptor.routes)',
    ],
    ['BlockStatement', '{ return undefined; }', '{}'],
  ].map(([mutator, original, replacement]) => ({
    module: 'lro/lro-handle',
    mutator: mutator!,
    original: original!,
    replacement: replacement!,
    reason: 'a transport without describe() throws a TypeError that the catch turns into the same undefined target',
  })),
  {
    module: 'lro/lro-handle',
    mutator: 'ConditionalExpression',
    original: 'this.#flight === flight',
    replacement: 'true',
    reason:
      "the flight changes only when its answer is taken, a microtask before the caller's own callback removes the listener; an abort in that window counts down users of a call that is over (#users restarts at the next call), so nothing is aborted either way",
  },
  {
    module: 'lro/timer-queue',
    mutator: 'ConditionalExpression',
    original: 'this.#timer !== undefined',
    replacement: 'true',
    reason: 'armedFor is Infinity whenever no timer is armed, and clearing no timer does nothing',
  },
  ...[
    ['a.due < b.due', 'a.due <= b.due'],
    ['a.rank < b.rank', 'a.rank <= b.rank'],
    ['a.seq < b.seq', 'a.seq <= b.seq'],
  ].map(([original, replacement]) => ({
    module: 'lro/timer-queue',
    mutator: 'EqualityOperator',
    original: original!,
    replacement: replacement!,
    reason: 'reached only when the operands differ (sequence numbers never repeat)',
  })),
  {
    module: 'lro/timer-queue',
    mutator: 'ConditionalExpression',
    original: '!this.#less(child, item)',
    replacement: 'false',
    reason: 'down() is always followed by up() on the same entry, which restores the order',
  },
  ...[
    [
      'ConditionalExpression',
      "typeof n !== 'number'",
      'false',
      'Number.isInteger is false for anything but a number, so the range check refuses the same values (the typeof narrows the type)',
    ],
    ['ArrayDeclaration', '[]', '["Stryker was here"]', 'an extra first fork is never popped: every join pops the fork it ends'],
    ['EqualityOperator', 'this.#pos + n <= this.#buf.length', 'this.#pos + n < this.#buf.length', WRITER_ROOM],
    ['ArithmeticOperator', 'this.#buf.length * 2', 'this.#buf.length / 2', WRITER_ROOM],
    ['ConditionalExpression', 'n < 128', 'false', SHORT_ASCII],
    ['BlockStatement', '{ let i = 0; while (i < n && v.charCodeAt(i) < 0x80) i++; if (i === n) { this...', '{}', SHORT_ASCII],
    ['ConditionalExpression', 'i < n && v.charCodeAt(i) < 0x80', 'false', SHORT_ASCII],
    ['ConditionalExpression', 'i < n', 'true', 'charCodeAt(n) is NaN, which stops the scan at n all the same'],
    ['EqualityOperator', 'i < n', 'i <= n', 'charCodeAt(n) is NaN, which stops the scan at n all the same'],
    ['EqualityOperator', 'i < n', 'i >= n', SHORT_ASCII],
    ['UpdateOperator', 'i++', 'i--', SHORT_ASCII],
    ['ConditionalExpression', 'i === n', 'false', SHORT_ASCII],
    ['BlockStatement', '{ this.#room(n + 1); this.#buf[this.#pos++] = n; for (i = 0; i < n; i++) this...', '{}', SHORT_ASCII],
    ['ConditionalExpression', 'b !== undefined && b < 0x80', 'false', ONE_BYTE_BOOL],
    ['ConditionalExpression', 'b !== undefined', 'true', ONE_BYTE_BOOL],
    ['EqualityOperator', 'b !== undefined', 'b === undefined', ONE_BYTE_BOOL],
    ['BlockStatement', '{ this.pos++; return b !== 0; }', '{}', ONE_BYTE_BOOL],
  ].map(([mutator, original, replacement, reason]) => ({
    module: 'codec/wire',
    mutator: mutator!,
    original: original!,
    replacement: replacement!,
    reason: reason!,
  })),
  ...[
    ['ConditionalExpression', 'out.includes(s)', 'true', 'splitting on an absent secret gives the text back'],
    ['ArithmeticOperator', 'hay.length - needle.length', 'hay.length + needle.length', 'past the end no byte matches'],
    [
      'ArithmeticOperator',
      'i + needle.length',
      'i - needle.length',
      'the match was just masked, so searching from before it finds the next one',
    ],
    ['ConditionalExpression', 'secrets.length === 0', 'false', 'fast path: with no secrets nothing matches'],
  ].map(([mutator, original, replacement, reason]) => ({
    module: 'transport/redact',
    mutator: mutator!,
    original: original!,
    replacement: replacement!,
    reason: reason!,
  })),
  ...(
    [
      ['ConditionalExpression', 'e instanceof VisionError', 'false', 'VisionError.from gives a VisionError back as it is'],
      ['ConditionalExpression', "lastRaw.includes(':')", 'true', 'fast path: a segment without ":" ends with no ":verb"'],
      ['StringLiteral', "':'", '""', 'fast path: a segment without ":" ends with no ":verb"'],
      [
        'ConditionalExpression',
        'lastRaw.length <= verb.length + 1',
        'false',
        'an empty head leaves an empty segment, which no route takes',
      ],
      [
        'EqualityOperator',
        'lastRaw.length <= verb.length + 1',
        'lastRaw.length < verb.length + 1',
        'an empty head leaves an empty segment, which no route takes',
      ],
      ['ArithmeticOperator', 'verb.length + 1', 'verb.length - 1', 'the endsWith(":verb") check that follows refuses the same segments'],
      [
        'ConditionalExpression',
        'headDecoded === undefined',
        'false',
        'the whole segment decoded already, so its head (cut at ":") does too',
      ],
      [
        'MethodExpression',
        'raw.slice()',
        'raw',
        'the copies matter only when a verb lookup finds nothing and the plain lookup then finds a route, which takes the same last segment only with a ":" no template literal or wildcard route here accepts',
      ],
      [
        'MethodExpression',
        'decoded.slice()',
        'decoded',
        'the copies matter only when a verb lookup finds nothing and the plain lookup then finds a route, which takes the same last segment only with a ":" no template literal or wildcard route here accepts',
      ],
      [
        'ConditionalExpression',
        'found !== undefined',
        'true',
        'a verb lookup that finds nothing is followed by the plain lookup, which finds nothing either for these routes',
      ],
      ['StringLiteral', "'fields'", '""', 'an unknown query parameter is ignored anyway'],
      ['StringLiteral', "'access_token'", '""', 'an unknown query parameter is ignored anyway'],
      ['StringLiteral', "'quotaUser'", '""', 'an unknown query parameter is ignored anyway'],
      ['StringLiteral', "'callback'", '""', 'an unknown query parameter is ignored anyway'],
      ['ArrayDeclaration', '[]', '["Stryker was here"]', 'the query list: a parameter named "Stryker was here" is unknown and ignored'],
      ['ConditionalExpression', "q !== ''", 'true', 'an empty query splits into one empty piece, which is skipped'],
      ['StringLiteral', "''", '"Stryker was here!"', 'an empty query splits into one empty piece, which is skipped'],
      ['EqualityOperator', 'eq <= 0', 'eq < 0', 'a piece "=x" gives the empty name, which no field has'],
      [
        'ConditionalExpression',
        'v.leaf.scalar === ScalarType.STRING',
        'false',
        'fast path: fieldValueFromString gives a string field its text',
      ],
      ['ConditionalExpression', 'old !== undefined', 'true', 'isDefault reads undefined as the default'],
      ['ConditionalExpression', 'params.length > 0', 'true', 'applyQuery with no parameters does nothing'],
      ['EqualityOperator', 'params.length > 0', 'params.length >= 0', 'applyQuery with no parameters does nothing'],
      ['ConditionalExpression', "f.kind === 'enum'", 'false', 'isScalarDefault also reads 0 as the default'],
      ['StringLiteral', "'enum'", '""', 'isScalarDefault also reads 0 as the default'],
      [
        'ConditionalExpression',
        "typeof a === 'number' && typeof b === 'number'",
        'true',
        'Number.isNaN is false for anything but the number NaN',
      ],
      [
        'LogicalOperator',
        "typeof a === 'number' && typeof b === 'number'",
        "typeof a === 'number' || typeof b === 'number'",
        'Number.isNaN is false for anything but the number NaN',
      ],
      ['ConditionalExpression', "typeof a === 'number'", 'true', 'Number.isNaN is false for anything but the number NaN'],
      ['ConditionalExpression', "typeof b === 'number'", 'true', 'Number.isNaN is false for anything but the number NaN'],
      ['ConditionalExpression', 'child === null', 'false', 'the JSON reader never leaves a message field null'],
      ['ConditionalExpression', 'f.oneof === undefined', 'false', 'a field outside any oneof finds no oneof members to check'],
      ['EqualityOperator', 'i < parts.length', 'i <= parts.length', 'the loop leaves by its break at the last part'],
      ['ConditionalExpression', "f.kind !== 'message'", 'false', "a field that is not a message has no shape 'message' either"],
      ['ConditionalExpression', "c.body.kind === 'field'", 'true', 'reading .field of another body kind gives undefined as well'],
      ['ConditionalExpression', 'bodyField !== undefined', 'true', 'a resolved chain never starts with undefined'],
      [
        'MethodExpression',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant
        't.canonical.startsWith(`${b}.`)',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a mutant
        't.canonical.endsWith(`${b}.`)',
        'a path variable is a scalar, so nothing resolves below it',
      ],
      ['ConditionalExpression', "leaf.kind === 'message'", 'true', "a field that is not a message has no shape 'message' either"],
      ['ConditionalExpression', '!system.prettyPrint', 'false', 'fast path: JSON.stringify of messageToJson is messageToJsonText'],
      ['ConditionalExpression', "rf.kind === 'message'", 'true', "a field that is not a message has no shape 'message' either"],
      [
        'ConditionalExpression',
        'v.leaf.scalar === scalarTypes.STRING',
        'false',
        'fast path: fieldValueFromString gives a string field its text back',
      ],
      [
        'EqualityOperator',
        'past >= 0',
        'past > 0',
        'the offset where nesting passes the limit is at least the limit (100 opening brackets before it), never 0',
      ],
    ] as const
  ).map(([mutator, original, replacement, reason]) => ({ module: 'transcoding/gateway', mutator, original, replacement, reason })),
  ...(
    [
      ['ConditionalExpression', 's.length > 6', 'true', FLOAT_FAST],
      ['EqualityOperator', 's.length > 6', 's.length >= 6', FLOAT_FAST],
      ['Regex', String.raw`/^[^"\\\u0000-\u001f\ud800-\udfff]*$/`, String.raw`/^[^"\\\u0000-\u001f\ud800-\udfff]$/`, PLAIN_STRING],
      [
        'ConditionalExpression',
        'heldMessage(v) === undefined',
        'true',
        "reading a held Any's value only makes its bytes (a cost): the Any is written from the message it holds either way",
      ],
      ['UpdateOperator', 'found++', 'found--', UNKNOWN_COUNT],
      ['ConditionalExpression', 'm[k] !== undefined', 'true', UNKNOWN_COUNT],
      ['UpdateOperator', 'given++', 'given--', UNKNOWN_COUNT],
      ['ConditionalExpression', 'given !== found', 'true', UNKNOWN_COUNT],
    ] as const
  ).map(([mutator, original, replacement, reason]) => ({ module: 'codec/json/to-json', mutator, original, replacement, reason })),
  {
    module: 'lro/poller',
    mutator: 'OptionalChaining',
    original: "transport.describe?.('GetOperation', name, descriptor.routes)",
    replacement: "transport.describe('GetOperation', name, descriptor.routes)",
    reason:
      'a transport without describe() then throws a TypeError, which checkRoutable drops like any failure that is not an LroRoutingError',
  },
  {
    module: 'lro/poller-core',
    mutator: 'EqualityOperator',
    original: 'this.active > this.peak',
    replacement: 'this.active >= this.peak',
    reason: 'when active equals the peak, setting the peak to it changes nothing',
  },
  ...[
    [
      "typeof a !== 'object'",
      'the next check reads its "typeUrl": a string, number or boolean has none that is a string, so the same reason follows',
    ],
    [
      "typeof error !== 'object'",
      'the next check reads its "code": a string, number or boolean has none that is a number, so the same reason follows',
    ],
  ].map(([original, reason]) => ({
    module: 'lro/check-operation',
    mutator: 'ConditionalExpression',
    original: original!,
    replacement: 'false',
    reason: reason!,
  })),
  ...(
    [
      [
        'ConditionalExpression',
        "f.kind !== 'message'",
        'false',
        "only a message field has the shape 'message' (scalars and enums have none): the shape check alone refuses the same fields",
      ],
      ['ConditionalExpression', "typeof cur === 'string' && v.leaf.scalar === STRING", 'false', HB_STRING_FAST],
      ['StringLiteral', "'string'", '""', HB_STRING_FAST],
    ] as const
  ).map(([mutator, original, replacement, reason]) => ({ module: 'transcoding/http-binding', mutator, original, replacement, reason })),
  ...(
    [
      [
        'ConditionalExpression',
        'sendMethod === httpMethod',
        'false',
        'claiming [m, m]: both checks run before the owner is set, so a duplicate is refused the same and the owner set twice is the same',
      ],
      [
        'BooleanLiteral',
        'false',
        'true',
        'after an empty segment (the only survivor of this kind): every walk passes each segment in turn, so none past it can reach the end; stopping the search there finds the same nothing',
      ],
      ['EqualityOperator', 'last + 1 < n', 'last + 1 <= n', RT_PAST_END],
      ['ArithmeticOperator', 'last + 1', 'last - 1', RT_PAST_END],
    ] as const
  ).map(([mutator, original, replacement, reason]) => ({ module: 'transcoding/route-trie', mutator, original, replacement, reason })),
  ...(
    [
      ['ConditionalExpression', 'a === b', 'false', 'fast path: the same list compares equal binding by binding too'],
      [
        'MethodExpression',
        'a.every( (x, i) => x.method === b[i]!.method && x.path === b[i]!.path && x.bo...',
        'a.some((x, i) => x.method === b[i]!.method && x.path === b[i]!.path && x.body...',
        'the generated Operations rows have one binding or none, so a list of the same length has at most one: every and some differ only on none (WaitOperation), for which REST_BINDINGS has nothing either way',
      ],
      ['StringLiteral', "''", '"Stryker was here!"', 'both shapes compared get the same text for "no verb"'],
      ['ConditionalExpression', "s.kind === '*'", 'true', OB_PROTO_TAIL],
      ['UpdateOperator', 'n++', 'n--', 'the sample values stay distinct, non-empty segments counting down as well as up: the same matches'],
      ['ConditionalExpression', 'a !== undefined', 'true', 'a template always matches the sample made from its own segments and verb'],
      [
        'ConditionalExpression',
        'p.b.path === r.b.path',
        'false',
        'fast path: a route of the same path is the same template, which covers itself',
      ],
      [
        'ConditionalExpression',
        'p.t.verb === r.t.verb',
        'true',
        "operations.proto's rules have no verb (their `**` name then takes a route's `:verb` into its last segment, so the names differ) or `:cancel` (which the sample of a route of another verb does not end in): covers() already fails for another verb",
      ],
    ] as const
  ).map(([mutator, original, replacement, reason]) => ({
    module: 'transcoding/operations-bindings',
    mutator,
    original,
    replacement,
    reason,
  })),
  {
    module: 'schema/reason-hints',
    mutator: 'ObjectLiteral',
    original: '{ maxDistance: bestDistance }',
    replacement: '{}',
    reason:
      "leven's maxDistance only stops counting early: a distance at or past the best so far is not taken either way, so the same name is offered",
  },
];

/** The reason a survivor is judged equivalent, or undefined. */
export function equivalentReason(module: string, mutator: string, original: string, replacement: string): string | undefined {
  return EQUIVALENT.find((e) => e.module === module && e.mutator === mutator && e.original === original && e.replacement === replacement)
    ?.reason;
}
