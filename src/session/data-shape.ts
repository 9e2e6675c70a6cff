import { sealedTimes } from '../codec/claims-check.js';
import type { CodecConfig } from '../codec/codec-config.js';
import { assertJsonValue, isRecord, parseRecord } from '../codec/json-value.js';
import type { Claims, SessionRecord } from '../codec/token-format.js';
import type { OpenedToken } from '../codec/unseal.js';
import { SessionRejectedError } from '../errors.js';
import type { StandardSchemaV1 } from '../standard-schema.js';
import { nameShown } from '../util/printable.js';

/** The shape options as checked at startup. Internal. */
export interface DataShape {
  /** 0 when the store has no version. */
  readonly version: number;
  readonly migrate: ((data: SessionRecord, fromVersion: number) => unknown) | undefined;
  readonly schema: StandardSchemaV1 | undefined;
}

/** What a token opened to once its data has the current shape. */
export interface Shaped extends OpenedToken {
  /** The data changed here (migrated, or the schema's output differs): write it back. */
  readonly reshaped: boolean;
  /** The version it was migrated from, if it was. */
  readonly migratedFrom: number | undefined;
}

// Refusals of an authentic cookie whose data is newer than this store knows. During a rolling
// deploy that raises `version`, a browser moves between old and new processes: an old one
// that deleted the cookie would log the user out of the new ones too. So the old process
// serves an empty session and leaves the cookie alone, unless the app writes or ends the
// session (a login or a logout replaces or clears it, as always).
const ofNewerDeploy = new WeakSet<SessionRejectedError>();

/** Whether a rejection is of a cookie to leave in the browser (see ofNewerDeploy). */
export function isOfNewerDeploy(rejection: SessionRejectedError): boolean {
  return ofNewerDeploy.has(rejection);
}

function refuse(codec: CodecConfig, opened: OpenedToken, detail: string): SessionRejectedError {
  // The token was authentic: say whose it was, as for an expired one.
  return new SessionRejectedError(
    'invalid-data',
    detail,
    sealedTimes(codec, opened.claims, opened.keyId),
  );
}

// An issue's path names keys, never values: fit for logs, unlike its message, which a custom
// schema may build from the value. A record's keys are data, though, so each key is quoted
// unless it is a plain name or an index.
function pathOf(issue: StandardSchemaV1.Issue | undefined): string {
  const path = issue?.path
    ?.map((p) => (typeof p === 'object' ? p.key : p))
    .map((key) => (typeof key === 'number' ? key : nameShown(String(key))))
    .join('.');
  return path ? ` at ${path}` : '';
}

type Outcome = Shaped | SessionRejectedError;

/**
 * Brings an opened token's data to the store's shape: migrated from an older version, then
 * validated by the schema. Never throws: a failure is an `invalid-data` rejection. Answers
 * at once when no step returns a promise.
 */
export function shapeData(
  shape: DataShape,
  codec: CodecConfig,
  opened: OpenedToken,
): Outcome | Promise<Outcome> {
  const from = opened.claims.v ?? 0;
  if (from > shape.version) {
    const newer = refuse(
      codec,
      opened,
      `sealed with data version ${from}, newer than this store's ${shape.version}: left in the browser for the deploy that wrote it`,
    );
    ofNewerDeploy.add(newer);
    return newer;
  }
  if (from === shape.version || !shape.migrate) {
    return validate(shape, codec, opened, opened.data, from === shape.version ? undefined : from);
  }
  let data: unknown;
  try {
    data = shape.migrate(opened.data, from);
  } catch {
    return refuse(codec, opened, `migrate threw for data version ${from}`);
  }
  if (data instanceof Promise) {
    return data.then(
      (migrated) => validate(shape, codec, opened, migrated, from),
      () => refuse(codec, opened, `migrate failed for data version ${from}`),
    );
  }
  return validate(shape, codec, opened, data, from);
}

function validate(
  shape: DataShape,
  codec: CodecConfig,
  opened: OpenedToken,
  data: unknown,
  migratedFrom: number | undefined,
): Outcome | Promise<Outcome> {
  const schema = shape.schema;
  if (!schema) return finish(codec, opened, data, migratedFrom);
  let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;
  try {
    result = schema['~standard'].validate(data);
  } catch {
    return refuse(codec, opened, 'schema threw while validating');
  }
  if (result instanceof Promise) {
    return result.then(
      (r) => checked(codec, opened, r, migratedFrom),
      () => refuse(codec, opened, 'schema failed while validating'),
    );
  }
  return checked(codec, opened, result, migratedFrom);
}

function checked(
  codec: CodecConfig,
  opened: OpenedToken,
  result: StandardSchemaV1.Result<unknown>,
  migratedFrom: number | undefined,
): Outcome {
  if (result.issues) {
    const count = result.issues.length;
    return refuse(
      codec,
      opened,
      `schema refused the data${pathOf(result.issues[0])} (${count} issue${count === 1 ? '' : 's'})`,
    );
  }
  return finish(codec, opened, result.value, migratedFrom);
}

function finish(
  codec: CodecConfig,
  opened: OpenedToken,
  data: unknown,
  migratedFrom: number | undefined,
): Outcome {
  if (data === opened.data && migratedFrom === undefined) {
    return { ...opened, reshaped: false, migratedFrom };
  }
  if (!isRecord(data)) return refuse(codec, opened, 'migrated or validated data is not an object');
  // A migration or a schema's output replaced the data: it must be what JSON gives back, or
  // the next read would see something else.
  try {
    assertJsonValue(data, 'session');
  } catch {
    return refuse(codec, opened, 'migrated or validated data is not JSON-safe');
  }
  const dataJson = JSON.stringify(data);
  // A fresh record with a null prototype, whatever the migration or schema built.
  const record: SessionRecord = parseRecord(dataJson);
  const reshaped = migratedFrom !== undefined || dataJson !== opened.dataJson;
  return { ...opened, data: record, dataJson, reshaped, migratedFrom };
}

/** The claims a shape adds to a new token: the current version, when the store has one. */
export function versionClaim(shape: DataShape | undefined): Pick<Claims, 'v'> {
  return shape && shape.version > 0 ? { v: shape.version } : {};
}
