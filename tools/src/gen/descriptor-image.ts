/**
 * The parts of buf's JSON descriptor image (`buf build -o -#format=json`,
 * google.protobuf.FileDescriptorSet in proto3 JSON, custom options under
 * their `[full.name]` keys) that the generator reads, and the one change it
 * makes to an image before ts-proto sees it: streaming methods removed.
 */

/** One value of an enum. */
export interface EnumValueProto {
  readonly name: string;
  readonly number: number;
}

/** An enum. */
export interface EnumProto {
  readonly name: string;
  readonly value: readonly EnumValueProto[];
}

/** A field of a message. */
export interface FieldProto {
  readonly name: string;
  readonly number: number;
  readonly label?: string;
  readonly type: string;
  readonly typeName?: string;
  readonly jsonName?: string;
  readonly oneofIndex?: number;
  readonly proto3Optional?: boolean;
  readonly options?: { readonly '[google.api.field_behavior]'?: readonly string[] };
}

/** A `google.api.resource` option. */
export interface ResourceOption {
  readonly type: string;
  readonly pattern?: readonly string[];
}

/** A message. */
export interface MessageProto {
  readonly name: string;
  readonly field?: readonly FieldProto[];
  readonly nestedType?: readonly MessageProto[];
  readonly enumType?: readonly EnumProto[];
  readonly oneofDecl?: readonly { readonly name: string }[];
  readonly options?: { readonly mapEntry?: boolean; readonly '[google.api.resource]'?: ResourceOption };
}

/** A `google.api.http` rule (HttpRule in proto3 JSON). */
export interface HttpRuleJson {
  readonly selector?: string;
  readonly get?: string;
  readonly put?: string;
  readonly post?: string;
  readonly delete?: string;
  readonly patch?: string;
  readonly custom?: { readonly kind?: string; readonly path?: string };
  readonly body?: string;
  readonly responseBody?: string;
  readonly additionalBindings?: readonly HttpRuleJson[];
}

/** A method of a service. */
export interface MethodProto {
  readonly name: string;
  readonly inputType: string;
  readonly outputType: string;
  readonly clientStreaming?: boolean;
  readonly serverStreaming?: boolean;
  readonly options?: {
    readonly '[google.api.http]'?: HttpRuleJson;
    readonly '[google.api.method_signature]'?: readonly string[];
    readonly '[google.longrunning.operation_info]'?: { readonly responseType: string; readonly metadataType: string };
  };
}

/** A service. */
export interface ServiceProto {
  readonly name: string;
  readonly method?: readonly MethodProto[];
}

/** One .proto file. */
export interface FileProto {
  readonly name: string;
  readonly package?: string;
  readonly dependency?: readonly string[];
  readonly messageType?: readonly MessageProto[];
  readonly enumType?: readonly EnumProto[];
  readonly service?: readonly ServiceProto[];
  readonly options?: { readonly '[google.api.resourceDefinition]'?: readonly ResourceOption[] };
}

/** A descriptor image: every compiled file, in dependency order. */
export interface DescriptorImage {
  readonly file: readonly FileProto[];
}

/** A method left out of the bindings, by full name, and why. */
export interface SkippedMethod {
  /** `package.Service.Method`. */
  readonly method: string;
  /** `client streaming`, `server streaming` or `bidirectional streaming`. */
  readonly kind: string;
}

/**
 * The image without its streaming methods (the clients and the serving
 * layer are unary), and which methods were left out. Everything else is
 * kept as it is, so ts-proto's output for the other methods does not change.
 */
export function withoutStreaming(image: DescriptorImage): { image: DescriptorImage; skipped: SkippedMethod[] } {
  const skipped: SkippedMethod[] = [];
  const file = image.file.map((f) => {
    if (!f.service?.some((s) => s.method?.some((m) => m.clientStreaming || m.serverStreaming))) return f;
    const service = f.service.map((s) => {
      const kept = (s.method ?? []).filter((m) => {
        if (!m.clientStreaming && !m.serverStreaming) return true;
        const kind =
          m.clientStreaming && m.serverStreaming ? 'bidirectional streaming' : m.clientStreaming ? 'client streaming' : 'server streaming';
        skipped.push({ method: `${f.package ? `${f.package}.` : ''}${s.name}.${m.name}`, kind });
        return false;
      });
      return { ...s, method: kept };
    });
    return { ...f, service };
  });
  return { image: { ...image, file }, skipped };
}
