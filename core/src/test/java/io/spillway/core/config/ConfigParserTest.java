package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private static final String KNOWN = "tempDirectory, maxFileSize, maxRequestSize, maxParts, maxFieldSize, "
            + "maxPartHeaderSize, inMemoryThreshold, memoryFraction, criticalHeapRatio, diskReserve, "
            + "unknownLengthBuffer, memoryPerUpload, probeInterval, retryAfter, uploadExpiry, minUploadRate, minRateWindow, "
            + "progressRetention, digestAlgorithm, parser, stalledUploadTimeout, shutdownTimeout, storage, "
            + "streamedStorage, nonBlockingIntake";

    private final ConfigParser parser = new ConfigParser();

    @Test
    void names_listsEveryParameterInDocumentationOrder() {
        assertEquals(KNOWN, String.join(", ", parser.names()));
    }

    @Test
    void names_cannotBeModified() {
        assertThrows(UnsupportedOperationException.class, () -> parser.names().add("x"));
    }

    @Test
    void parse_nothing_givesTheDefaults() {
        assertEquals(SpillwayConfig.ofDefaults(), parser.parse(Map.of()));
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.of("tempDirectory", (Function<SpillwayConfig, Object>) SpillwayConfig::tempDirectory, null),
                Arguments.of("maxFileSize", (Function<SpillwayConfig, Object>) SpillwayConfig::maxFileSize, 8 * GIB),
                Arguments.of("maxRequestSize", (Function<SpillwayConfig, Object>) SpillwayConfig::maxRequestSize, 8 * GIB),
                Arguments.of("maxParts", (Function<SpillwayConfig, Object>) SpillwayConfig::maxParts, 50),
                Arguments.of("maxFieldSize", (Function<SpillwayConfig, Object>) SpillwayConfig::maxFieldSize, MIB),
                Arguments.of("maxPartHeaderSize", (Function<SpillwayConfig, Object>) SpillwayConfig::maxPartHeaderSize, 4096),
                Arguments.of("inMemoryThreshold", (Function<SpillwayConfig, Object>) SpillwayConfig::inMemoryThreshold, 10 * MIB),
                Arguments.of("memoryFraction", (Function<SpillwayConfig, Object>) SpillwayConfig::memoryFraction, 0.5),
                Arguments.of("criticalHeapRatio", (Function<SpillwayConfig, Object>) SpillwayConfig::criticalHeapRatio, 0.9),
                Arguments.of("diskReserve", (Function<SpillwayConfig, Object>) SpillwayConfig::diskReserve, 512 * MIB),
                Arguments.of("unknownLengthBuffer", (Function<SpillwayConfig, Object>) SpillwayConfig::unknownLengthBuffer, MIB),
                Arguments.of("memoryPerUpload", (Function<SpillwayConfig, Object>) SpillwayConfig::memoryPerUpload, 256 * 1024L),
                Arguments.of("probeInterval", (Function<SpillwayConfig, Object>) SpillwayConfig::probeInterval, Duration.ofSeconds(1)),
                Arguments.of("retryAfter", (Function<SpillwayConfig, Object>) SpillwayConfig::retryAfter, Duration.ofSeconds(5)),
                Arguments.of("uploadExpiry", (Function<SpillwayConfig, Object>) SpillwayConfig::uploadExpiry, Duration.ofHours(24)),
                Arguments.of("minUploadRate", (Function<SpillwayConfig, Object>) SpillwayConfig::minUploadRate, 1024L),
                Arguments.of("minRateWindow", (Function<SpillwayConfig, Object>) SpillwayConfig::minRateWindow, Duration.ofSeconds(20)),
                Arguments.of("progressRetention", (Function<SpillwayConfig, Object>) SpillwayConfig::progressRetention, Duration.ofMinutes(5)),
                Arguments.of("digestAlgorithm", (Function<SpillwayConfig, Object>) SpillwayConfig::digestAlgorithm, null),
                Arguments.of("parser", (Function<SpillwayConfig, Object>) SpillwayConfig::parser, "fast"),
                Arguments.of("stalledUploadTimeout", (Function<SpillwayConfig, Object>) SpillwayConfig::stalledUploadTimeout,
                        Duration.ofSeconds(10)),
                Arguments.of("shutdownTimeout", (Function<SpillwayConfig, Object>) SpillwayConfig::shutdownTimeout, Duration.ofSeconds(10)),
                Arguments.of("storage", (Function<SpillwayConfig, Object>) SpillwayConfig::storage, "local"),
                Arguments.of("streamedStorage", (Function<SpillwayConfig, Object>) SpillwayConfig::streamedStorage,
                        "local"),
                Arguments.of("nonBlockingIntake", (Function<SpillwayConfig, Object>) SpillwayConfig::nonBlockingIntake,
                        false));
    }

    @ParameterizedTest(name = "{0} defaults to {2}")
    @MethodSource("defaults")
    void parse_parameterNotGiven_takesItsDefault(String name, Function<SpillwayConfig, Object> getter, Object expected) {
        assertTrue(parser.names().contains(name));
        assertEquals(expected, getter.apply(parser.parse(Map.of())));
    }

    @Test
    void defaults_coverEveryParameter() {
        assertEquals(parser.names().size(), defaults().count());
    }

    static Stream<Arguments> goodValues() {
        return Stream.of(
                Arguments.of("tempDirectory", "/srv/uploads", (Function<SpillwayConfig, Object>) SpillwayConfig::tempDirectory, Path.of("/srv/uploads")),
                Arguments.of("tempDirectory", " /srv/uploads ", (Function<SpillwayConfig, Object>) SpillwayConfig::tempDirectory, Path.of("/srv/uploads")),
                Arguments.of("maxFileSize", "100MB", (Function<SpillwayConfig, Object>) SpillwayConfig::maxFileSize, 100 * MIB),
                Arguments.of("maxRequestSize", "1GiB", (Function<SpillwayConfig, Object>) SpillwayConfig::maxRequestSize, GIB),
                Arguments.of("maxParts", "7", (Function<SpillwayConfig, Object>) SpillwayConfig::maxParts, 7),
                Arguments.of("maxParts", " 7 ", (Function<SpillwayConfig, Object>) SpillwayConfig::maxParts, 7),
                Arguments.of("maxFieldSize", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::maxFieldSize, 0L),
                Arguments.of("maxPartHeaderSize", "64", (Function<SpillwayConfig, Object>) SpillwayConfig::maxPartHeaderSize, 64),
                Arguments.of("maxPartHeaderSize", "1MB", (Function<SpillwayConfig, Object>) SpillwayConfig::maxPartHeaderSize, 1 << 20),
                Arguments.of("inMemoryThreshold", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::inMemoryThreshold, 0L),
                Arguments.of("inMemoryThreshold", "64KB", (Function<SpillwayConfig, Object>) SpillwayConfig::inMemoryThreshold, 64 * 1024L),
                Arguments.of("memoryFraction", "1", (Function<SpillwayConfig, Object>) SpillwayConfig::memoryFraction, 1.0),
                Arguments.of("memoryFraction", ".25", (Function<SpillwayConfig, Object>) SpillwayConfig::memoryFraction, 0.25),
                Arguments.of("criticalHeapRatio", "0.95", (Function<SpillwayConfig, Object>) SpillwayConfig::criticalHeapRatio, 0.95),
                Arguments.of("diskReserve", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::diskReserve, 0L),
                Arguments.of("unknownLengthBuffer", "256KB", (Function<SpillwayConfig, Object>) SpillwayConfig::unknownLengthBuffer, 256 * 1024L),
                Arguments.of("memoryPerUpload", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::memoryPerUpload, 0L),
                Arguments.of("probeInterval", "500ms", (Function<SpillwayConfig, Object>) SpillwayConfig::probeInterval, Duration.ofMillis(500)),
                Arguments.of("retryAfter", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::retryAfter, Duration.ZERO),
                Arguments.of("uploadExpiry", "7d", (Function<SpillwayConfig, Object>) SpillwayConfig::uploadExpiry, Duration.ofDays(7)),
                Arguments.of("minUploadRate", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::minUploadRate, 0L),
                Arguments.of("minRateWindow", "1m", (Function<SpillwayConfig, Object>) SpillwayConfig::minRateWindow, Duration.ofMinutes(1)),
                Arguments.of("progressRetention", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::progressRetention, Duration.ZERO),
                Arguments.of("digestAlgorithm", "SHA-256", (Function<SpillwayConfig, Object>) SpillwayConfig::digestAlgorithm, "SHA-256"),
                Arguments.of("digestAlgorithm", "MD5", (Function<SpillwayConfig, Object>) SpillwayConfig::digestAlgorithm, "MD5"),
                Arguments.of("digestAlgorithm", "none", (Function<SpillwayConfig, Object>) SpillwayConfig::digestAlgorithm, null),
                Arguments.of("digestAlgorithm", "", (Function<SpillwayConfig, Object>) SpillwayConfig::digestAlgorithm, null),
                Arguments.of("parser", "fileupload2", (Function<SpillwayConfig, Object>) SpillwayConfig::parser, "fileupload2"),
                Arguments.of("parser", " FileUpload2 ", (Function<SpillwayConfig, Object>) SpillwayConfig::parser, "fileupload2"),
                Arguments.of("parser", "fast", (Function<SpillwayConfig, Object>) SpillwayConfig::parser, "fast"),
                Arguments.of("stalledUploadTimeout", "500ms",
                        (Function<SpillwayConfig, Object>) SpillwayConfig::stalledUploadTimeout, Duration.ofMillis(500)),
                Arguments.of("shutdownTimeout", "0", (Function<SpillwayConfig, Object>) SpillwayConfig::shutdownTimeout, Duration.ZERO),
                Arguments.of("shutdownTimeout", "30s", (Function<SpillwayConfig, Object>) SpillwayConfig::shutdownTimeout, Duration.ofSeconds(30)),
                Arguments.of("storage", " LOCAL ", (Function<SpillwayConfig, Object>) SpillwayConfig::storage, "local"),
                Arguments.of("nonBlockingIntake", " TRUE ", (Function<SpillwayConfig, Object>) SpillwayConfig::nonBlockingIntake, true),
                Arguments.of("streamedStorage", " Local ", (Function<SpillwayConfig, Object>) SpillwayConfig::streamedStorage,
                        "local"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("goodValues")
    void parse_goodValue_isApplied(String name, String value, Function<SpillwayConfig, Object> getter, Object expected) {
        assertEquals(expected, getter.apply(parser.parse(Map.of(name, value))));
    }

    @ParameterizedTest(name = "{0}=''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            tempDirectory       | relative/dir | tempDirectory must be an absolute path: 'relative/dir'; example: tempDirectory=/var/tmp/spillway
            tempDirectory       | "   "      | tempDirectory value was set to '   ', which is not valid; example: tempDirectory=/var/tmp/spillway
            maxFileSize         | lots         | maxFileSize value was set to 'lots', which is not valid; example: maxFileSize=4GB
            maxFileSize         | -1           | maxFileSize value was set to '-1', which is not valid; example: maxFileSize=4GB
            maxFileSize         | 0            | maxFileSize must be at least 1: '0'; example: maxFileSize=4GB
            maxRequestSize      | 10XB         | maxRequestSize value was set to '10XB', which is not valid; example: maxRequestSize=4GB
            maxRequestSize      | 0            | maxRequestSize must be at least 1: '0'; example: maxRequestSize=4GB
            maxParts            | many         | maxParts value was set to 'many', which is not valid; example: maxParts=50
            maxParts            | 10KB         | maxParts value was set to '10KB', which is not valid; example: maxParts=50
            maxParts            | 99999999999  | maxParts value was set to '99999999999', which is not valid; example: maxParts=50
            maxParts            | 0            | maxParts must be at least 1: '0'; example: maxParts=50
            maxParts            | -3           | maxParts must be at least 1: '-3'; example: maxParts=50
            maxFieldSize        | 1 meg        | maxFieldSize value was set to '1 meg', which is not valid; example: maxFieldSize=1MB
            maxPartHeaderSize   | 63           | maxPartHeaderSize must be between 64 and 1MB: '63'; example: maxPartHeaderSize=4KB
            maxPartHeaderSize   | 2MB          | maxPartHeaderSize must be between 64 and 1MB: '2MB'; example: maxPartHeaderSize=4KB
            maxPartHeaderSize   | big          | maxPartHeaderSize value was set to 'big', which is not valid; example: maxPartHeaderSize=4KB
            inMemoryThreshold   | 10 mega      | inMemoryThreshold value was set to '10 mega', which is not valid; example: inMemoryThreshold=10MB
            memoryFraction      | half         | memoryFraction value was set to 'half', which is not valid; example: memoryFraction=0.5
            memoryFraction      | 50%          | memoryFraction value was set to '50%', which is not valid; example: memoryFraction=0.5
            memoryFraction      | 0            | memoryFraction must be greater than 0 and at most 1: '0'; example: memoryFraction=0.5
            memoryFraction      | 1.5          | memoryFraction must be greater than 0 and at most 1: '1.5'; example: memoryFraction=0.5
            criticalHeapRatio   | NaN          | criticalHeapRatio value was set to 'NaN', which is not valid; example: criticalHeapRatio=0.9
            criticalHeapRatio   | 2            | criticalHeapRatio must be greater than 0 and at most 1: '2'; example: criticalHeapRatio=0.9
            diskReserve         | -512MB       | diskReserve value was set to '-512MB', which is not valid; example: diskReserve=512MB
            unknownLengthBuffer | 1e6          | unknownLengthBuffer value was set to '1e6', which is not valid; example: unknownLengthBuffer=1MB
            probeInterval       | 1000         | probeInterval value was set to '1000', which is not valid; example: probeInterval=1s
            probeInterval       | 0            | probeInterval must be longer than 0: '0'; example: probeInterval=1s
            retryAfter          | soon         | retryAfter value was set to 'soon', which is not valid; example: retryAfter=5s
            uploadExpiry        | 1 day        | uploadExpiry value was set to '1 day', which is not valid; example: uploadExpiry=24h
            uploadExpiry        | 0s           | uploadExpiry must be longer than 0: '0s'; example: uploadExpiry=24h
            minUploadRate       | fast         | minUploadRate value was set to 'fast', which is not valid; example: minUploadRate=1KB
            minRateWindow       | 0ms          | minRateWindow must be longer than 0: '0ms'; example: minRateWindow=20s
            minRateWindow       | 20           | minRateWindow value was set to '20', which is not valid; example: minRateWindow=20s
            progressRetention   | -5m          | progressRetention value was set to '-5m', which is not valid; example: progressRetention=5m
            digestAlgorithm     | SHA-999      | digestAlgorithm value was set to 'SHA-999', which is not valid; example: digestAlgorithm=SHA-256
            parser              | slow         | parser must be fast or fileupload2: 'slow'; example: parser=fast
            parser              | ""         | parser must be fast or fileupload2: ''; example: parser=fast
            stalledUploadTimeout | 0s          | stalledUploadTimeout must be longer than 0: '0s'; example: stalledUploadTimeout=10s
            stalledUploadTimeout | 10          | stalledUploadTimeout value was set to '10', which is not valid; example: stalledUploadTimeout=10s
            storage             | s3           | storage must be local (storage=s3 needs spillway-s3.jar on the class path): 's3'; example: storage=local
            storage             | disk/2       | storage must be local: 'disk/2'; example: storage=local
            nonBlockingIntake   | yes          | nonBlockingIntake value was set to 'yes', which is not valid; example: nonBlockingIntake=true
            streamedStorage     | s3           | streamedStorage must be local or store: 's3'; example: streamedStorage=local
            streamedStorage     | store        | streamedStorage=store needs storage set to an object store, but storage is local; example: storage=s3
            """)
    void parse_badValue_namesTheParameterEchoesTheValueAndShowsAnExample(String name, String value, String message) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(Map.of(name, value)));
        assertEquals(List.of(message), e.problems());
        assertEquals("invalid Spillway configuration:\n  " + message, e.getMessage());
    }

    @Test
    void parse_everyParameter_namesItselfEchoesTheValueAndShowsAnExample() {
        for (String name : parser.names()) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> parser.parse(Map.of(name, "?")), name);
            String problem = e.problems().get(0);
            assertTrue(problem.startsWith(name + " "), problem);
            assertTrue(problem.contains("'?'"), problem);
            assertTrue(problem.contains("; example: " + name + "="), problem);
        }
    }

    @Test
    void parse_everyExample_isItselfAcceptedByItsParameter() {
        for (String name : parser.names()) {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(Map.of(name, "?")));
            String problem = e.problems().get(0);
            String example = problem.substring(problem.indexOf("example: " + name + "=") + ("example: " + name + "=").length());
            parser.parse(Map.of(name, example));
        }
    }

    @Test
    void parse_nullValue_isReportedAsEmpty() {
        Map<String, String> values = new HashMap<>();
        values.put("maxParts", null);
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(values));
        assertEquals(List.of("maxParts value was set to '', which is not valid; example: maxParts=50"), e.problems());
    }

    @Test
    void parse_tempDirectoryWithNul_isNotValid() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parser.parse(Map.of("tempDirectory", "/tmp/a\0b")));
        assertEquals(List.of("tempDirectory value was set to '/tmp/a\0b', which is not valid; "
                + "example: tempDirectory=/var/tmp/spillway"), e.problems());
    }

    @Test
    void parse_unknownName_listsTheKnownNames() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parser.parse(Map.of("maxFileSzie", "10MB")));
        assertEquals(List.of("unknown parameter maxFileSzie; known parameters are " + KNOWN), e.problems());
    }

    @Test
    void parse_nameInTheWrongCase_isUnknown() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parser.parse(Map.of("MaxFileSize", "10MB")));
        assertTrue(e.problems().get(0).startsWith("unknown parameter MaxFileSize; "));
    }

    @Test
    void parse_ignoredNames_areSkippedEvenWhenUnknown() {
        SpillwayConfig config = parser.parse(Map.of("enforce", "false", "maxParts", "3"), Set.of("enforce"));
        assertEquals(3, config.maxParts());
    }

    @Test
    void parse_ignoredKnownName_isNotApplied() {
        SpillwayConfig config = parser.parse(Map.of("maxParts", "3"), Set.of("maxParts"));
        assertEquals(50, config.maxParts());
    }

    @Test
    void parse_severalProblems_areReportedAtOnceInNameOrder() {
        Map<String, String> values = Map.of(
                "memoryFraction", "2",
                "maxParts", "0",
                "bogus", "1",
                "probeInterval", "1000",
                "maxFileSize", "10MB");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parser.parse(values));
        List<String> expected = List.of(
                "unknown parameter bogus; known parameters are " + KNOWN,
                "maxParts must be at least 1: '0'; example: maxParts=50",
                "memoryFraction must be greater than 0 and at most 1: '2'; example: memoryFraction=0.5",
                "probeInterval value was set to '1000', which is not valid; example: probeInterval=1s");
        assertEquals(expected, e.problems());
        assertEquals("invalid Spillway configuration:\n  " + String.join("\n  ", expected), e.getMessage());
    }

    @Test
    void parse_maxFileSizeAboveMaxRequestSize_isRefused() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parser.parse(Map.of("maxFileSize", "2GB", "maxRequestSize", "1GB")));
        assertEquals(List.of("maxFileSize must not exceed maxRequestSize: 2.0 GiB > 1.0 GiB"), e.problems());
    }

    @Test
    void parse_maxFileSizeAboveTheDefaultMaxRequestSize_isRefused() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parser.parse(Map.of("maxFileSize", "16GB")));
        assertEquals(List.of("maxFileSize must not exceed maxRequestSize: 16 GiB > 8.0 GiB"), e.problems());
    }

    @Test
    void parse_maxFileSizeEqualToMaxRequestSize_isAccepted() {
        SpillwayConfig config = parser.parse(Map.of("maxFileSize", "1GB", "maxRequestSize", "1GB"));
        assertEquals(GIB, config.maxFileSize());
        assertEquals(GIB, config.maxRequestSize());
    }

    @Test
    void parse_onlyMaxRequestSizeBelowTheDefaultFileSize_capsTheDefaultMaxFileSize() {
        SpillwayConfig config = parser.parse(Map.of("maxRequestSize", "100MB"));
        assertEquals(100 * MIB, config.maxRequestSize());
        assertEquals(100 * MIB, config.maxFileSize());
    }

    @Test
    void parse_malformedMaxRequestSize_isNotAlsoReportedAsAConflictWithMaxFileSize() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parser.parse(Map.of("maxFileSize", "16GB", "maxRequestSize", "huge")));
        assertEquals(List.of("maxRequestSize value was set to 'huge', which is not valid; example: maxRequestSize=4GB"),
                e.problems());
    }

    @Test
    void parse_doesNotTouchTheValuesMap() {
        Map<String, String> values = new HashMap<>(Map.of("maxParts", "9"));
        parser.parse(values);
        assertEquals(Map.of("maxParts", "9"), values);
    }

    @Test
    void parse_twiceWithTheSameParser_givesIndependentResults() {
        assertEquals(9, parser.parse(Map.of("maxParts", "9")).maxParts());
        assertEquals(50, parser.parse(Map.of()).maxParts());
        assertNull(parser.parse(Map.of()).tempDirectory());
    }
}
