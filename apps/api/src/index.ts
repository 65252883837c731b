export { type ApiOptions, default as app } from './app.js';
export { apiOptionsFromConfig, createApiServer, runApiServer, type ServerOptions } from './server.js';
