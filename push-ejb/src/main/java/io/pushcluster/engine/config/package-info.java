/** The server's settings, read once from MicroProfile Config, with their documented defaults. */
package io.pushcluster.engine.config;
