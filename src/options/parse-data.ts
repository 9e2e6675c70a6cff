import type { DataShape } from '../session/data-shape.js';
import type { StandardSchemaV1 } from '../standard-schema.js';
import { bad } from './checks.js';
import type { DataOptions } from './store-options.js';

/** Checks the `data` group once, at startup; undefined when the store has no data shape. */
export function parseData(options: DataOptions<unknown>): DataShape | undefined {
  const { version, migrate, schema } = options;
  if (version === undefined && migrate === undefined && schema === undefined) return undefined;
  if (
    version !== undefined &&
    (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
  ) {
    bad('data.version', `${String(version)} is invalid: use a whole number from 1`);
  }
  if (migrate !== undefined && typeof migrate !== 'function') {
    bad('data.migrate', 'must be a function');
  }
  if (migrate !== undefined && version === undefined) {
    bad('data.migrate', 'needs `version`: the data version migrate brings older cookies up to');
  }
  if (version !== undefined && migrate === undefined && schema === undefined) {
    bad(
      'data.version',
      'needs `migrate` or `schema`: without either, a cookie of an older version could only be refused',
    );
  }
  if (
    schema !== undefined &&
    (typeof schema !== 'object' ||
      schema === null ||
      typeof (schema as Partial<StandardSchemaV1>)['~standard']?.validate !== 'function')
  ) {
    bad(
      'data.schema',
      'must be a Standard Schema (zod, valibot, arktype…): no "~standard".validate',
    );
  }
  return {
    version: version ?? 0,
    migrate: migrate as DataShape['migrate'],
    schema: schema as StandardSchemaV1 | undefined,
  };
}
