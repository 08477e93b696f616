package io.spillway.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SpillwayConfigTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void ofDefaults_holdsEveryDocumentedDefault() {
        SpillwayConfig c = SpillwayConfig.ofDefaults();
        assertNull(c.tempDirectory());
        assertEquals(8 * GIB, c.maxFileSize());
        assertEquals(Param.MAX_FILE_SIZE.defaultValue(), c.maxFileSize());
        assertEquals(8 * GIB, c.maxRequestSize());
        assertEquals(Param.MAX_REQUEST_SIZE.defaultValue(), c.maxRequestSize());
        assertEquals(50, c.maxParts());
        assertEquals(Param.MAX_PARTS.defaultValue(), c.maxParts());
        assertEquals(MIB, c.maxFieldSize());
        assertEquals(4096, c.maxPartHeaderSize());
        assertEquals(10 * MIB, c.inMemoryThreshold());
        assertEquals(0.5, c.memoryFraction());
        assertEquals(0.9, c.criticalHeapRatio());
        assertEquals(512 * MIB, c.diskReserve());
        assertEquals(MIB, c.unknownLengthBuffer());
        assertEquals(Duration.ofSeconds(1), c.probeInterval());
        assertEquals(Duration.ofSeconds(5), c.retryAfter());
        assertEquals(Duration.ofHours(24), c.uploadExpiry());
        assertEquals(1024, c.minUploadRate());
        assertEquals(Duration.ofSeconds(20), c.minRateWindow());
        assertEquals(Duration.ofMinutes(5), c.progressRetention());
        assertNull(c.digestAlgorithm());
        assertEquals("fast", c.parser());
        assertEquals(SpillwayConfig.PARSER_FAST, Param.PARSER.defaultValue());
    }

    @Test
    void custom_withoutChanges_equalsDefaults() {
        assertEquals(SpillwayConfig.ofDefaults(), SpillwayConfig.custom().build());
    }

    private static SpillwayConfig everythingChanged() {
        return SpillwayConfig.custom()
                .tempDirectory(Path.of("/srv/spillway"))
                .maxFileSize(GIB)
                .maxRequestSize(2 * GIB)
                .maxParts(7)
                .maxFieldSize(64 * 1024)
                .maxPartHeaderSize(512)
                .inMemoryThreshold(2 * MIB)
                .memoryFraction(0.25)
                .criticalHeapRatio(0.8)
                .diskReserve(GIB)
                .unknownLengthBuffer(256 * 1024)
                .probeInterval(Duration.ofMillis(250))
                .retryAfter(Duration.ofSeconds(30))
                .uploadExpiry(Duration.ofDays(2))
                .minUploadRate(10 * 1024)
                .minRateWindow(Duration.ofMinutes(1))
                .progressRetention(Duration.ZERO)
                .digestAlgorithm("SHA-256")
                .parser(SpillwayConfig.PARSER_FILEUPLOAD2)
                .stalledUploadTimeout(Duration.ofSeconds(3))
                .shutdownTimeout(Duration.ofSeconds(3))
                .build();
    }

    @Test
    void builder_setsEveryField() {
        SpillwayConfig c = everythingChanged();
        assertEquals(Path.of("/srv/spillway"), c.tempDirectory());
        assertEquals(GIB, c.maxFileSize());
        assertEquals(2 * GIB, c.maxRequestSize());
        assertEquals(7, c.maxParts());
        assertEquals(64 * 1024, c.maxFieldSize());
        assertEquals(512, c.maxPartHeaderSize());
        assertEquals(2 * MIB, c.inMemoryThreshold());
        assertEquals(0.25, c.memoryFraction());
        assertEquals(0.8, c.criticalHeapRatio());
        assertEquals(GIB, c.diskReserve());
        assertEquals(256 * 1024, c.unknownLengthBuffer());
        assertEquals(Duration.ofMillis(250), c.probeInterval());
        assertEquals(Duration.ofSeconds(30), c.retryAfter());
        assertEquals(Duration.ofDays(2), c.uploadExpiry());
        assertEquals(10 * 1024, c.minUploadRate());
        assertEquals(Duration.ofMinutes(1), c.minRateWindow());
        assertEquals(Duration.ZERO, c.progressRetention());
        assertEquals("SHA-256", c.digestAlgorithm());
        assertEquals("fileupload2", c.parser());
        assertEquals(Duration.ofSeconds(3), c.stalledUploadTimeout());
        assertEquals(Duration.ofSeconds(3), c.shutdownTimeout());
    }

    @Test
    void toBuilder_copiesEveryField() {
        SpillwayConfig c = everythingChanged();
        assertEquals(c, c.toBuilder().build());
        assertNotEquals(SpillwayConfig.ofDefaults(), c);
    }

    @Test
    void toBuilder_changesOnlyWhatIsSet() {
        SpillwayConfig c = everythingChanged().toBuilder().maxParts(9).build();
        assertEquals(9, c.maxParts());
        assertEquals(everythingChanged().toBuilder().maxParts(9).build(), c);
        assertEquals(7, everythingChanged().maxParts());
    }

    @Test
    void build_nullDuration_throwsNamingTheField() {
        assertBuildRefusesNull("probeInterval", b -> b.probeInterval(null));
        assertBuildRefusesNull("retryAfter", b -> b.retryAfter(null));
        assertBuildRefusesNull("uploadExpiry", b -> b.uploadExpiry(null));
        assertBuildRefusesNull("minRateWindow", b -> b.minRateWindow(null));
        assertBuildRefusesNull("progressRetention", b -> b.progressRetention(null));
        assertBuildRefusesNull("parser", b -> b.parser(null));
        assertBuildRefusesNull("stalledUploadTimeout", b -> b.stalledUploadTimeout(null));
    }

    @Test
    void describe_listsEveryEffectiveValueInBrackets() {
        assertEquals("tempDirectory=[/srv/spillway], maxFileSize=[1.0 GiB], maxRequestSize=[2.0 GiB], maxParts=[7], "
                        + "maxFieldSize=[64 KiB], maxPartHeaderSize=[512], inMemoryThreshold=[2.0 MiB], "
                        + "memoryFraction=[0.25], criticalHeapRatio=[0.8], diskReserve=[1.0 GiB], "
                        + "unknownLengthBuffer=[256 KiB], memoryPerUpload=[256 KiB], probeInterval=[250ms], retryAfter=[30s], uploadExpiry=[2d], "
                        + "minUploadRate=[10 KiB/s], minRateWindow=[1m], progressRetention=[0], "
                        + "digestAlgorithm=[SHA-256], parser=[fileupload2], stalledUploadTimeout=[3s], shutdownTimeout=[3s], "
                        + "storage=[local], streamedStorage=[local], nonBlockingIntake=[false]",
                everythingChanged().describe());
    }

    @Test
    void describe_defaults() {
        String described = SpillwayConfig.ofDefaults().toBuilder().tempDirectory(Path.of("/tmp/spillway")).build()
                .describe();
        assertEquals("tempDirectory=[/tmp/spillway], maxFileSize=[8.0 GiB], maxRequestSize=[8.0 GiB], maxParts=[50], "
                        + "maxFieldSize=[1.0 MiB], maxPartHeaderSize=[4096], inMemoryThreshold=[10 MiB], "
                        + "memoryFraction=[0.5], criticalHeapRatio=[0.9], diskReserve=[512 MiB], "
                        + "unknownLengthBuffer=[1.0 MiB], memoryPerUpload=[256 KiB], probeInterval=[1s], retryAfter=[5s], uploadExpiry=[1d], "
                        + "minUploadRate=[1.0 KiB/s], minRateWindow=[20s], progressRetention=[5m], "
                        + "digestAlgorithm=[none], parser=[fast], stalledUploadTimeout=[10s], shutdownTimeout=[10s], "
                        + "storage=[local], streamedStorage=[local], nonBlockingIntake=[false]",
                described);
    }

    @Test
    void describe_hugeDurationFromTheBuilder_doesNotThrow() {
        SpillwayConfig c = SpillwayConfig.custom().uploadExpiry(Duration.ofDays(365L * 1_000_000_000)).build();
        assertTrue(c.describe().contains("uploadExpiry=[365000000000d]"), c.describe());
    }

    @Test
    void builtInCode_outOfRangeValues_areRefusedWithTheFieldsName() {
        assertRefused("maxFileSize must be at least 1: 0", b -> b.maxFileSize(0));
        assertRefused("maxRequestSize must be at least 1: -5", b -> b.maxRequestSize(-5));
        assertRefused("maxParts must be at least 1: 0", b -> b.maxParts(0));
        assertRefused("maxFieldSize must be at least 0: -1", b -> b.maxFieldSize(-1));
        assertRefused("maxPartHeaderSize must be between 64 and 1MB: 10", b -> b.maxPartHeaderSize(10));
        assertRefused("inMemoryThreshold must be at least 0: -1", b -> b.inMemoryThreshold(-1));
        assertRefused("diskReserve must be at least 0: -1", b -> b.diskReserve(-1));
        assertRefused("unknownLengthBuffer must be at least 0: -1", b -> b.unknownLengthBuffer(-1));
        assertRefused("minUploadRate must be at least 0: -1", b -> b.minUploadRate(-1));
        assertRefused("memoryFraction must be greater than 0 and at most 1: 0.0", b -> b.memoryFraction(0));
        assertRefused("criticalHeapRatio must be greater than 0 and at most 1: 1.5", b -> b.criticalHeapRatio(1.5));
        assertRefused("memoryFraction must be greater than 0 and at most 1: NaN", b -> b.memoryFraction(Double.NaN));
        assertRefused("probeInterval must be longer than 0: 0", b -> b.probeInterval(Duration.ZERO));
        assertRefused("uploadExpiry must be longer than 0: -1h", b -> b.uploadExpiry(Duration.ofHours(-1)));
        assertRefused("minRateWindow must be longer than 0: 0", b -> b.minRateWindow(Duration.ZERO));
        assertRefused("stalledUploadTimeout must be longer than 0: 0", b -> b.stalledUploadTimeout(Duration.ZERO));
        assertRefused("retryAfter must not be negative: -5s", b -> b.retryAfter(Duration.ofSeconds(-5)));
        assertRefused("progressRetention must not be negative: -1m", b -> b.progressRetention(Duration.ofMinutes(-1)));
        assertRefused("shutdownTimeout must not be negative: -1s", b -> b.shutdownTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void builtInCode_theLimitsThemselves_areAccepted() {
        SpillwayConfig c = SpillwayConfig.custom().maxFileSize(1).maxRequestSize(1).maxParts(1).maxFieldSize(0)
                .maxPartHeaderSize(64).inMemoryThreshold(0).diskReserve(0).unknownLengthBuffer(0).minUploadRate(0)
                .memoryFraction(1).criticalHeapRatio(1).retryAfter(Duration.ZERO).progressRetention(Duration.ZERO)
                .shutdownTimeout(Duration.ZERO).probeInterval(Duration.ofMillis(1)).build();
        assertEquals(64, c.maxPartHeaderSize());
        assertEquals(1.0, c.memoryFraction());
    }

    private static void assertRefused(String message, java.util.function.Consumer<SpillwayConfig.Builder> change) {
        SpillwayConfig.Builder builder = SpillwayConfig.custom();
        change.accept(builder);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(message, e.getMessage());
    }

    /** Checks that a config built with {@code field} set to null is refused, naming the field. */
    private static void assertBuildRefusesNull(String field, UnaryOperator<SpillwayConfig.Builder> setToNull) {
        assertEquals(field, assertThrows(NullPointerException.class,
                () -> setToNull.apply(SpillwayConfig.custom()).build()).getMessage());
    }
}
