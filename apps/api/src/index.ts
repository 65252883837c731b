export { type ApiOptions, default as app } from './app.js';
export { type ApiServer, apiOptionsFromConfig, createApiServer, type ServerOptions } from './server.js';
