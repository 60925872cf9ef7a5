/** Subscriber tokens: which tokens a key accepts, until when. */
package io.pushcluster.engine.auth;
