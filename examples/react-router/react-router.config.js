// Server rendering on, and route middleware (React Router 7's `future.v8_middleware`, the
// default in v8): app/root.jsx runs the session middleware before every loader and action.
export default {
  ssr: true,
  future: { v8_middleware: true },
};
