import { homePage } from '../../../demo/html.js';
import { page } from '../lib/server/pages.js';

/** GET /: the calculator, notes and sign-in forms, and the session panel. */
export const GET = ({ locals }) => page(locals, 200, homePage);
