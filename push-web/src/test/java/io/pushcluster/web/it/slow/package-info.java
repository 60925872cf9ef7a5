/** What tests deploy beside the server to make its store slow and flaky on purpose. */
package io.pushcluster.web.it.slow;
