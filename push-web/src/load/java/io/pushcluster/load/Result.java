package io.pushcluster.load;

import java.util.Map;

/** A scenario's one-line summary, its figures, and whether everything came back as expected. */
record Result(String summary, Map<String, Object> figures, boolean ok) {
}
