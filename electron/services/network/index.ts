export { NetworkGuard, type NetworkPolicy } from './NetworkGuard.js';
export { NetworkBlockedError } from './NetworkBlockedError.js';
