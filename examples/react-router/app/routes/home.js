import { homePage } from '../../../demo/html.js';
import { elsewhere, page } from '../demo.server.js';

export const action = elsewhere;

export const loader = ({ context }) => page(context, 200, homePage);
