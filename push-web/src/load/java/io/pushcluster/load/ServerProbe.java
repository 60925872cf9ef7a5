package io.pushcluster.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the load client reads about the server: its statistics over HTTP ({@code /1/admin/stats}, or
 * the reference server's {@code /stats}), its resident memory from /proc when its pid is given, and,
 * when asked, a full GC through {@code jcmd} before reading memory so that heap figures compare.
 */
final class ServerProbe {

    private static final Pattern HEAP_BYTES = Pattern.compile("\"heapUsed\":(\\d+)");
    private static final Pattern HEAP_KB = Pattern.compile("\"heapUsedKb\":(\\d+)");

    private final URI statsUrl;
    private final String authorization;
    private final long pid;
    private final boolean gc;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerProbe(String statsUrl, String authorization, long pid, boolean gc) {
        this.statsUrl = statsUrl == null || statsUrl.equals("none") ? null : Options.loopbackUri(statsUrl);
        this.authorization = authorization;
        this.pid = pid;
        this.gc = gc && pid > 0;
    }

    /** A snapshot: RSS in KB (-1 without a pid), heap used in bytes (-1 if unknown) and the raw stats. */
    Map<String, Object> snapshot(boolean afterGc) {
        if (afterGc && gc) {
            fullGc();
        }
        String stats = stats();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rssKb", rssKb());
        s.put("heapUsedBytes", heapUsed(stats));
        s.put("gcFirst", afterGc && gc);
        s.put("stats", new Json.Raw(stats.startsWith("{") ? stats : ""));
        return s;
    }

    String stats() {
        if (statsUrl == null) {
            return "";
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(statsUrl).timeout(Duration.ofSeconds(10)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    long rssKb() {
        return rssKb(pid);
    }

    static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time the server process used so far (user and system, from /proc), in nanoseconds; -1 without a pid. */
    long cpuNanos() {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // after the command name in parentheses: state is field 3, utime 14 and stime 15 (clock ticks of 10 ms)
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time this (the load client's) process used so far, in nanoseconds. */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long heapUsed(String stats) {
        Matcher bytes = HEAP_BYTES.matcher(stats);
        if (bytes.find()) {
            return Long.parseLong(bytes.group(1));
        }
        Matcher kb = HEAP_KB.matcher(stats);
        return kb.find() ? Long.parseLong(kb.group(1)) * 1024 : -1;
    }

    private void fullGc() {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("jcmd GC.run failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
