import { resultPage } from '../../../demo/html.js';
import { elsewhere, page } from '../lib/respond.js';

export const GET = ({ locals }) => page(locals, 200, resultPage);
export const ALL = elsewhere;
