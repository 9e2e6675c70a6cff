// Any other path: 404 (or 405 with Allow, for a known path under another method).
import { elsewhere } from '../lib/respond.js';

export const ALL = elsewhere;
