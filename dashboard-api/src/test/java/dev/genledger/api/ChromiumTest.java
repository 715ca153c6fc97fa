package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** Without Chromium the browser tests fail on CI and are skipped elsewhere, both saying what to install. */
class ChromiumTest {
    @Test
    void missingChromiumFailsOnCi(@TempDir Path dir) {
        assertThatThrownBy(() -> Chromium.require(List.of(dir.resolve("chromium")), "true"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("install Debian's chromium package");
    }

    @Test
    void missingChromiumSkipsElsewhere(@TempDir Path dir) {
        assertThatThrownBy(() -> Chromium.require(List.of(dir.resolve("chromium")), null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("install Debian's chromium package");
        assertThatThrownBy(() -> Chromium.require(List.of(dir.resolve("chromium")), "false"))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void theFirstExecutableCandidateIsUsed(@TempDir Path dir) throws Exception {
        Path notExecutable = java.nio.file.Files.createFile(dir.resolve("chromium"));
        Path executable = java.nio.file.Files.createFile(dir.resolve("chromium-browser"));
        assertThat(executable.toFile().setExecutable(true)).isTrue();
        assertThat(Chromium.require(List.of(notExecutable, executable), "true")).isEqualTo(executable);
    }
}
