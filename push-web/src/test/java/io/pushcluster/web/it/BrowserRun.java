package io.pushcluster.web.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code e2e.mjs} or {@code dashboard.mjs} (in push-web/src/test/browser) with Node.js, playwright-core and Debian's
 * headless Chromium against a running server, and fails with its output when a check fails. Node.js,
 * npm and Chromium must be installed ({@code .ci/run} installs them): without them the test fails, it
 * never skips.
 */
final class BrowserRun {

    private static final Path SOURCES = Path.of(System.getProperty("push.browserTest", "src/test/browser"));
    static final Path WORK = Path.of(System.getProperty("push.browserWork", "target/browser-test"));
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "chromium.mjs", "e2e.mjs", "dashboard.mjs");

    private BrowserRun() {
    }

    /**
     * Installs the script's packages (npm ci) and runs it against the server's base URL.
     *
     * @param environment more variables for the script (E2E_ONLY, E2E_IGNORE_CERTIFICATE_ERRORS)
     */
    static void run(String baseUrl, Map<String, String> environment, String logName) throws IOException {
        run("e2e.mjs", baseUrl, environment, logName);
    }

    /** Runs one of the browser scripts ({@code e2e.mjs}, {@code dashboard.mjs}) against the server's base URL. */
    static void run(String script, String baseUrl, Map<String, String> environment, String logName) throws IOException {
        Files.createDirectories(WORK);
        requireTools();
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        BoundedCommand.Outcome install = BoundedCommand.run(WORK, Map.of(), Duration.ofMinutes(5),
                WORK.resolve("npm-ci.log"), List.of("npm", "ci", "--no-audit", "--no-fund"));
        if (!install.succeeded()) {
            fail("npm ci failed in " + WORK + " (" + describe(install) + "):\n" + install.output());
        }
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("CHROMIUM", CHROMIUM.toString());
        variables.put("TMPDIR", WORK.toAbsolutePath().toString());
        BoundedCommand.Outcome run = BoundedCommand.run(WORK, variables, Duration.ofMinutes(3), WORK.resolve(logName),
                List.of("node", script, baseUrl));
        System.out.println(run.output());
        if (!run.succeeded()) {
            fail("the browser test failed (" + describe(run) + "):\n" + run.output());
        }
    }

    private static void requireTools() {
        for (String tool : List.of("node", "npm")) {
            BoundedCommand.Outcome version = BoundedCommand.run(WORK, Map.of(), Duration.ofSeconds(60),
                    WORK.resolve(tool + "-version.log"), List.of(tool, "--version"));
            if (!version.succeeded()) {
                fail(tool + " is needed to run the browser test and did not run (install Debian's nodejs and npm, "
                        + "as .ci/run does): " + version.output());
            }
        }
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is needed to run the browser test and " + CHROMIUM + " is missing (apt-get install chromium, "
                    + "as .ci/run does; CHROMIUM names another binary)");
        }
    }

    private static String describe(BoundedCommand.Outcome outcome) {
        return outcome.timedOut() ? "killed at its time limit" : "exit " + outcome.exit();
    }
}
