/**
 * The engine's settings, read once from MicroProfile Config with their documented defaults: one class
 * per concern ({@link io.pushcluster.engine.config.PushSettings}, {@link io.pushcluster.engine.config.RedisSettings})
 * over one {@link io.pushcluster.engine.config.SettingsReader}, which the web tier's transport settings use too.
 */
package io.pushcluster.engine.config;
