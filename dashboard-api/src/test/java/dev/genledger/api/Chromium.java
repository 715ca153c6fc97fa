package dev.genledger.api;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium for the browser tests. Nothing is ever downloaded: without the package the
 * tests fail on CI (CI=true), where {@code .ci/run} installs it, and are skipped elsewhere.
 */
final class Chromium {
    private Chromium() {}

    static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));

    static final String MISSING = "no Chromium at " + CANDIDATES + "; install Debian's chromium package "
            + "(apt-get install chromium) to run the browser tests of the web dashboard";

    /** Headless, quiet, and fit for a container without a GPU or a big /dev/shm. */
    static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    /** The executable; when there is none, fails the test on CI and skips it elsewhere. */
    static Path require() {
        return require(CANDIDATES, System.getenv("CI"));
    }

    /** @param ci the value of the CI environment variable; "true" on CI */
    static Path require(List<Path> candidates, String ci) {
        Path found = candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (found == null) {
            if ("true".equals(ci)) {
                fail(MISSING);
            }
            Assumptions.assumeTrue(false, MISSING);
        }
        return found;
    }
}
