export { SettingsStore } from './SettingsStore.js';
export { FileKeySecretStore, type SecretStore } from './SecretStore.js';
