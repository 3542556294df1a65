import type { z } from 'zod';
import { ValidationError } from '../services/errors.js';
import { zodProblems } from '../services/registry/camera-input.js';

/** Parses request data with a zod schema; problems are named `<where>.<field>` (e.g. query.limit). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'body' | 'params'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    // Query values are flat: `status.0` is reported as `query.status`, the parameter a person typed.
    zodProblems(result.error).map((p) => ({ ...p, field: where === 'body' ? p.field : `${where}.${p.field.split('.')[0]}` })),
  );
}
