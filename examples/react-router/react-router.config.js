// Server rendering on, and route middleware: app/root.jsx runs the session middleware before
// every loader and action. React Router 7 runs middleware only behind `future.v8_middleware`;
// React Router 8 always does, and refuses to build while the flag is set. The config cannot ask
// React Router which it is (the flag is read, not offered), so it reads the major version.
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('@react-router/dev/package.json');

export default {
  ssr: true,
  ...(Number.parseInt(version, 10) < 8 && { future: { v8_middleware: true } }),
};
