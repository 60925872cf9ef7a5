package io.pushcluster.web.it;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition, by name and labels: {@code push_pushes_total{kind="private",ret="0"}},
 * the labels sorted and MicroProfile's own ({@code mp_scope}, {@code mp_app}) left out. Also each
 * metric family's {@code # TYPE}.
 */
record PrometheusText(Map<String, Double> samples, Map<String, String> types) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static PrometheusText parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).trim().split("\\s+");
                types.put(parts[0], parts[1]);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            TreeSet<String> labels = new TreeSet<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    if (!l.group(1).startsWith("mp_")) {
                        labels.add(l.group(1) + "=\"" + l.group(2) + "\"");
                    }
                }
            }
            String id = m.group(1) + (labels.isEmpty() ? "" : "{" + String.join(",", labels) + "}");
            samples.merge(id, Double.parseDouble(m.group(3)), Double::sum);
        }
        return new PrometheusText(samples, types);
    }

    /** The sample's value, 0 when absent. */
    double value(String id) {
        return samples.getOrDefault(id, 0.0);
    }

    long count(String id) {
        return (long) value(id);
    }
}
