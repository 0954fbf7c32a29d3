import os from 'node:os';
import path from 'node:path';

/**
 * Where Hearth keeps its data when not told otherwise: HEARTH_DATA_DIR, else the platform's per-user
 * application-data folder (the same folder Electron's `app.getPath('userData')` uses for "Hearth").
 */
export function defaultDataDir(): string {
  if (process.env.HEARTH_DATA_DIR) return path.resolve(process.env.HEARTH_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Hearth');
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Hearth');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Hearth');
  }
}
