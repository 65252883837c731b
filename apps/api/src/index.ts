export { type ApiOptions, default as app, POLL_QUEUE_NAME } from './app.js';
export { generateToken, hashToken, parseScopes, SCOPES, type Scope } from './auth/tokens.js';
export { apiOptionsFromConfig, createApiServer, runApiServer, type ServerOptions } from './server.js';
