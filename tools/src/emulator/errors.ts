/**
 * Builders for the canonical errors the emulator answers, with the
 * `google.rpc` details Google's front ends attach (BadRequest field
 * violations for INVALID_ARGUMENT, ResourceInfo for NOT_FOUND and
 * ALREADY_EXISTS, PreconditionFailure for FAILED_PRECONDITION).
 */
import { Code, VisionError } from 'vision-kit';

/** INVALID_ARGUMENT naming the field (proto path such as `product_set.display_name`). */
export function invalidArgument(field: string, description: string): VisionError {
  return new VisionError(Code.INVALID_ARGUMENT, field ? `${field}: ${description}` : description, {
    details: [{ type: 'google.rpc.BadRequest', value: { fieldViolations: [{ field, description }] } }],
  });
}

/** NOT_FOUND for a resource, e.g. `notFound('Product', name)`. */
export function notFound(resourceType: string, resourceName: string, description?: string): VisionError {
  return new VisionError(Code.NOT_FOUND, description ?? `${resourceType} not found: ${resourceName}`, {
    details: [
      {
        type: 'google.rpc.ResourceInfo',
        value: { resourceType, resourceName, owner: '', description: description ?? 'not found' },
      },
    ],
  });
}

/** ALREADY_EXISTS for a resource name. */
export function alreadyExists(resourceType: string, resourceName: string): VisionError {
  return new VisionError(Code.ALREADY_EXISTS, `${resourceType} already exists: ${resourceName}`, {
    details: [{ type: 'google.rpc.ResourceInfo', value: { resourceType, resourceName, owner: '', description: 'already exists' } }],
  });
}

/** FAILED_PRECONDITION with one PreconditionFailure violation. */
export function failedPrecondition(subject: string, description: string, type = 'STATE'): VisionError {
  return new VisionError(Code.FAILED_PRECONDITION, description, {
    details: [{ type: 'google.rpc.PreconditionFailure', value: { violations: [{ type, subject, description }] } }],
  });
}
