package io.pushcluster.web.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program with a time limit, its output and errors captured in a file. A program
 * still running at the limit is killed with everything it started.
 */
public final class BoundedCommand {

    /** How a run ended; exit is -1 when the program could not be started or was killed. */
    public record Outcome(int exit, boolean timedOut, String output) {

        public boolean succeeded() {
            return exit == 0 && !timedOut;
        }
    }

    private BoundedCommand() {
    }

    public static Outcome run(Path directory, Map<String, String> environment, Duration limit, Path log, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Outcome(-1, false, "could not start " + String.join(" ", command) + ": " + e.getMessage());
        }
        boolean finished;
        try {
            finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        return new Outcome(finished ? process.exitValue() : -1, !finished, read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
