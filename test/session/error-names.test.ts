// A production bundle renames classes: Next.js logged a SessionConfigError as
// `cE [SessionConfigError]: ...`, because Node's util.inspect (and so console.error) prints the
// class's own `name` before the message. Each error class states its name, the class's and
// the instance's, so a minified bundle prints the readable one. Checked on a real minified
// bundle of src/errors.ts: rolldown (the bundler vitest runs on) with its identifiers
// mangled and keepNames off, as a production build does.
import { inspect } from 'node:util';
import { rolldown } from 'rolldown';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors.js';

async function minifiedErrors(): Promise<{ code: string; module: Record<string, unknown> }> {
  const bundle = await rolldown({
    input: new URL('../../src/errors.ts', import.meta.url).pathname,
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
    logLevel: 'silent',
  });
  const { output } = await bundle.generate({ format: 'es', minify: true, keepNames: false });
  await bundle.close();
  const code = (output[0] as { code: string }).code;
  const module = await import(`data:text/javascript,${encodeURIComponent(code)}`);
  return { code, module };
}

type ErrorClass = new (...args: never[]) => Error;

function errorClasses(module: Record<string, unknown>): [string, ErrorClass][] {
  return Object.entries(module).filter(
    (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function',
  );
}

describe('error class names', () => {
  it('survive a minified bundle: util.inspect starts with the readable name', async () => {
    const { code, module } = await minifiedErrors();
    const classes = errorClasses(module);
    expect(classes.map(([name]) => name).sort()).toEqual(
      errorClasses(errors)
        .map(([name]) => name)
        .sort(),
    );
    for (const [name, errorClass] of classes) {
      // The bundle did rename the class: its binding is not its name.
      expect(code).not.toMatch(new RegExp(`class ${name}\\b`));
      const error = new errorClass(...(['x', 'y', []] as never[]));
      expect(errorClass.name).toBe(name);
      expect(error.name).toBe(name);
      expect(inspect(error)).toMatch(new RegExp(`^${name}: `));
      expect(inspect(errorClass)).toMatch(new RegExp(`^\\[class ${name} extends `));
    }
  });

  it('are set as a function name is: not enumerable, not writable', () => {
    for (const [name, errorClass] of errorClasses(errors)) {
      expect(Object.getOwnPropertyDescriptor(errorClass, 'name')).toEqual({
        value: name,
        writable: false,
        enumerable: false,
        configurable: true,
      });
      expect(Object.keys(errorClass)).toEqual([]);
    }
  });
});
