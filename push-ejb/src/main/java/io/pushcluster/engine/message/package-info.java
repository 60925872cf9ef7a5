/**
 * Messages as they travel: JSON validity, and the two JSON forms gopush-cluster clients read
 * (the pushed JSON raw, for clients that send a version; the pushed JSON as a string, for the rest).
 */
package io.pushcluster.engine.message;
