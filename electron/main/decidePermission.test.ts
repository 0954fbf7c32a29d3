import { describe, expect, it } from 'vitest';
import { decidePermission } from './decidePermission.js';

describe('decidePermission', () => {
  it('denies every permission Electron can ask about, from any origin', () => {
    const permissions = [
      'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media',
      'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection',
      'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb',
    ];
    for (const p of permissions) {
      expect(decidePermission(p, 'file:///app/index.html'), p).toBe(false);
      expect(decidePermission(p), p).toBe(false);
    }
  });
});
