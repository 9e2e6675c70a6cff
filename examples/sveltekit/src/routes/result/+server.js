import { resultPage } from '../../../../demo/html.js';
import { page } from '../../lib/server/pages.js';

/** GET /result: the calculation read back from the session, or a note that there is none. */
export const GET = ({ locals }) => page(locals, 200, resultPage);
