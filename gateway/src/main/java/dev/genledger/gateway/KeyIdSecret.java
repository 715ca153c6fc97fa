package dev.genledger.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret behind key ids: from configuration, or generated once into the data dir (readable by
 * its owner only) and read back on every later start, so a key keeps its id across restarts.
 */
final class KeyIdSecret {
    static final String FILE = "key-id.secret";

    private KeyIdSecret() {}

    static byte[] load(String configured, Path dataDir) {
        if (configured != null) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String hex = HexFormat.of().formatHex(random);
                try {
                    Files.writeString(file, hex + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                    try {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system: the data dir's own protection applies
                    }
                } catch (FileAlreadyExistsException e) {
                    // another process wrote it first: use theirs
                }
            }
            String hex = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (hex.length() < 32) {
                throw new IllegalStateException(file + " holds " + hex.length() + " characters; a key-id secret "
                        + "needs at least 32 (delete the file to generate a new one: key ids will change)");
            }
            return hex.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
