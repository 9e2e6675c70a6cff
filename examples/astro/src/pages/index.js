import { homePage } from '../../../demo/html.js';
import { elsewhere, page } from '../lib/respond.js';

export const GET = ({ locals }) => page(locals, 200, homePage);
export const ALL = elsewhere;
