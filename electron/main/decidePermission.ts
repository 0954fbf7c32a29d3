/**
 * Permission requests and checks from web content (camera, microphone, geolocation, notifications,
 * clipboard, HID/serial/USB, fullscreen, …) — Electron checklist item 5. Hearth needs none of them, so the
 * answer is always "no"; an allow-list would go here, keyed by permission name, if a feature ever needs one.
 * Pure so that it is unit-tested; main.ts passes it to `setPermissionRequestHandler` and
 * `setPermissionCheckHandler` (and denies device selection with `setDevicePermissionHandler`).
 */
export function decidePermission(_permission: string, _requestingUrl?: string): boolean {
  return false;
}
