package io.spillway.core.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What some tests need from the machine (a small filesystem, curl, tus-js-client), and what a test
 * does when it is missing: it is skipped with a message that says what is missing and how to get
 * it ({@code scripts/test.sh} prepares all of it), or, where every prerequisite is required (CI
 * sets {@value #REQUIRE_VARIABLE}{@code =true}), it fails, so that CI cannot pass by skipping.
 */
public final class Prerequisites {

    /** The environment variable that turns a missing prerequisite from a skip into a failure. */
    public static final String REQUIRE_VARIABLE = "SPILLWAY_REQUIRE_PREREQUISITES";
    /** The system property naming a small, writable filesystem (a tmpfs of about 64 MB). */
    public static final String SMALL_FS_PROPERTY = "spillway.smallFs";
    /** The environment variable naming that filesystem; {@code scripts/test.sh} sets it when it runs as root. */
    public static final String SMALL_FS_VARIABLE = "SPILLWAY_SMALL_FS";

    private Prerequisites() {
    }

    /**
     * Goes on when the prerequisite is met; otherwise skips the test (or fails it, where
     * {@value #REQUIRE_VARIABLE} is {@code true}) saying what is missing.
     *
     * @param missing what is missing and how to get it, e.g. "curl is not installed (apt-get install curl)"
     */
    public static void require(boolean met, String missing) {
        if (met) {
            return;
        }
        if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
            fail("prerequisite missing (" + REQUIRE_VARIABLE + " is true): " + missing);
        }
        assumeTrue(false, "skipped, prerequisite missing: " + missing);
    }

    /** The small filesystem named by {@value #SMALL_FS_PROPERTY} or {@value #SMALL_FS_VARIABLE}, when one is. */
    public static Optional<Path> smallFilesystem() {
        String configured = System.getProperty(SMALL_FS_PROPERTY, System.getenv(SMALL_FS_VARIABLE));
        return configured == null || configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured));
    }

    /** The small filesystem, required as {@link #require} does; it must be a writable directory. */
    public static Path requireSmallFilesystem() {
        Optional<Path> configured = smallFilesystem();
        require(configured.isPresent(), "no small filesystem given: set -D" + SMALL_FS_PROPERTY + " or "
                + SMALL_FS_VARIABLE + " to a writable mount of 64 MB or so (scripts/test.sh mounts a tmpfs when it"
                + " runs as root)");
        Path path = configured.orElseThrow();
        if (!Files.isDirectory(path) || !Files.isWritable(path)) {
            fail(SMALL_FS_VARIABLE + " is not a writable directory: " + path);
        }
        return path;
    }
}
