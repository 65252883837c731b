export { type Env, EnvSchema } from './env.js';
export { type Config, ConfigError, decodeKey, type LogLevel, loadConfig } from './load-config.js';
export { createLogger, type Logger, type LoggerFactoryOptions } from './logger.js';
