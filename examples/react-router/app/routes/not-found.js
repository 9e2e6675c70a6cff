import { elsewhere } from '../demo.server.js';

// Any other path: 404, or 405 with Allow for a known path asked with another method.
export const loader = elsewhere;
export const action = elsewhere;
