/**
 * Messages as they travel: JSON validity, the two JSON forms gopush-cluster clients read (the pushed
 * JSON raw, for clients that send a version; the pushed JSON as a string, for the rest), and the
 * public stream every subscriber receives ({@link io.pushcluster.engine.message.PublicStream}).
 */
package io.pushcluster.engine.message;
