/**
 * A small inline schema in the gen/schema table format, registered with
 * `registerSchema`, covering what neither the Vision protos nor the
 * generated test protos (test/gen, judged against their ts-proto code
 * elsewhere) use: every scalar kind (sint/fixed/sfixed), bool-, uint32- and
 * int64-keyed maps, enum- and message-valued maps, negative enum values,
 * recursion. protobufjs judges the binary form of these.
 */
import type { SchemaTables } from 'vision-kit/codec';

/** Full name of the all-kinds test message. */
export const KINDS = 'vk.test.Kinds';

/** The tables. */
export const TEST_SCHEMA: SchemaTables = {
  messages: {
    'vk.test.Node': [
      ['value', 1, 17, 0],
      ['next', 2, 'vk.test.Node', 0],
      ['children', 3, 'vk.test.Node', 1],
    ],
    'vk.test.Kinds.MIntEntry': [
      ['key', 1, 5, 0],
      ['value', 2, 9, 0],
    ],
    'vk.test.Kinds.MBoolEntry': [
      ['key', 1, 8, 0],
      ['value', 2, 3, 0],
    ],
    'vk.test.Kinds.MSint64Entry': [
      ['key', 1, 18, 0],
      ['value', 2, 'vk.test.Node', 0],
    ],
    'vk.test.Kinds.MUint32Entry': [
      ['key', 1, 13, 0],
      ['value', 2, 'vk.test.Shade', 0],
    ],
    'vk.test.Kinds.MFixed64Entry': [
      ['key', 1, 6, 0],
      ['value', 2, 12, 0],
    ],
    [KINDS]: [
      ['fDouble', 1, 1, 0, 'f_double'],
      ['fFloat', 2, 2, 0, 'f_float'],
      ['fInt64', 3, 3, 0, 'f_int64'],
      ['fUint64', 4, 4, 0, 'f_uint64'],
      ['fInt32', 5, 5, 0, 'f_int32'],
      ['fFixed64', 6, 6, 0, 'f_fixed64'],
      ['fFixed32', 7, 7, 0, 'f_fixed32'],
      ['fBool', 8, 8, 0, 'f_bool'],
      ['fString', 9, 9, 0, 'f_string'],
      ['fBytes', 12, 12, 0, 'f_bytes'],
      ['fUint32', 13, 13, 0, 'f_uint32'],
      ['fSfixed32', 15, 15, 0, 'f_sfixed32'],
      ['fSfixed64', 16, 16, 0, 'f_sfixed64'],
      ['fSint32', 17, 17, 0, 'f_sint32'],
      ['fSint64', 18, 18, 0, 'f_sint64'],
      ['shade', 19, 'vk.test.Shade', 0],
      ['rSint32', 20, 17, 1, 'r_sint32'],
      ['rFixed64', 21, 6, 1, 'r_fixed64'],
      ['rBool', 22, 8, 1, 'r_bool'],
      ['rDouble', 23, 1, 1, 'r_double'],
      ['rShade', 24, 'vk.test.Shade', 1, 'r_shade'],
      ['rBytes', 25, 12, 1, 'r_bytes'],
      ['mInt', 30, 'vk.test.Kinds.MIntEntry', 2, 'm_int'],
      ['mBool', 31, 'vk.test.Kinds.MBoolEntry', 2, 'm_bool'],
      ['mSint64', 32, 'vk.test.Kinds.MSint64Entry', 2, 'm_sint64'],
      ['mUint32', 33, 'vk.test.Kinds.MUint32Entry', 2, 'm_uint32'],
      ['mFixed64', 34, 'vk.test.Kinds.MFixed64Entry', 2, 'm_fixed64'],
      ['optSint32', 40, 17, 4, 'opt_sint32'],
      ['optString', 41, 9, 4, 'opt_string'],
      ['choiceText', 50, 9, 0, 'choice_text', 'choice'],
      ['choiceNode', 51, 'vk.test.Node', 0, 'choice_node', 'choice'],
      ['choiceShade', 52, 'vk.test.Shade', 0, 'choice_shade', 'choice'],
      ['node', 60, 'vk.test.Node', 0],
      ['when', 61, 'google.protobuf.Timestamp', 0],
      ['count', 62, 'google.protobuf.UInt64Value', 0],
      ['mask', 63, 'google.protobuf.FieldMask', 0],
      ['IPProtocol', 64, 9, 0],
    ],
  },
  enums: {
    'vk.test.Shade': [
      ['SHADE_UNSPECIFIED', 0],
      ['LIGHT', 1],
      ['DARK', 2],
      ['NEGATIVE', -1],
    ],
  },
};
