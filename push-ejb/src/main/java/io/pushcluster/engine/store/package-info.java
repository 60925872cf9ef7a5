/**
 * The offline message store contract, {@link io.pushcluster.engine.store.MessageStore}, and the
 * selection of the backend named by the {@code push.store} setting. Each backend lives in a
 * sub-package of its own and passes the same contract tests.
 */
package io.pushcluster.engine.store;
