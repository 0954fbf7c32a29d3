export { createApp, type HearthApp } from './createApp.js';
export { AppServices, type AppServicesOptions } from './AppServices.js';
export { createHandlers, type HandlerTable } from './createHandlers.js';
export { Dispatcher } from './Dispatcher.js';
export type { HandlerContext } from './HandlerContext.js';
export { HEARTH_VERSION } from './version.js';
export { defaultDataDir } from './defaultDataDir.js';
export { createDirectClient } from './createDirectClient.js';
