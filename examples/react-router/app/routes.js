import { route } from '@react-router/dev/routes';

// Every route is a resource route (a loader or action returning a Response, no component):
// the pages are the demo's own HTML (../demo/html.js), so every example serves the same markup.
export default [
  route('/', 'routes/home.js'),
  route('result', 'routes/result.js'),
  route('calculate', 'routes/calculate.js'),
  route('notes', 'routes/notes.js'),
  route('login', 'routes/login.js'),
  route('logout', 'routes/logout.js'),
  route('logout-everywhere', 'routes/logout-everywhere.js'),
  route('session.json', 'routes/session-json.js'),
  route('*', 'routes/not-found.js'),
];
