// The one session store of the app. Created when the module is first imported, which
// `next build` also does: with keys resolved on first use, a build needs no SESSION_KEYS,
// and instrumentation.js stops a server without them as it starts, saying how to make a key.
import { createSessionStore } from 'jwe-session';

export const store = createSessionStore({
  // Secure is off only because this example runs over plain HTTP on localhost: browsers keep
  // a Secure cookie only from HTTPS. Keep the default, secure: true, in a real app.
  cookie: { name: 'session', secure: false },
});
