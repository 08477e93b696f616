package io.spillway.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.config.ConfigParser;
import io.spillway.core.config.InvalidConfigException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.storage.ResumableStores;
import io.spillway.core.upload.SpillTargets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code storage=s3} and its init-params, found through the ServiceLoader like in a webapp. */
class S3ConfigTest {

    @Test
    void theProvider_isFoundOnTheClassPath() {
        assertTrue(ResumableStores.providers().get("s3") instanceof S3StoreProvider);
    }

    @Test
    void storageS3_withItsParameters_parses() {
        SpillwayConfig config = new ConfigParser().parse(Map.of("storage", "S3", "s3Bucket", "my-uploads",
                "s3Endpoint", "http://127.0.0.1:9000", "s3PathStyle", "true", "s3Prefix", "a/b/"));
        assertEquals("s3", config.storage());
        assertEquals(Map.of("s3Bucket", "my-uploads", "s3Endpoint", "http://127.0.0.1:9000", "s3PathStyle", "true",
                "s3Prefix", "a/b/"), config.storageParameters());
        S3Settings settings = S3Settings.from(config.storageParameters());
        assertEquals(S3Settings.DEFAULT_PART_SIZE, settings.partSize());
        assertTrue(settings.pathStyle());
        assertTrue(config.describe().endsWith("storage=[s3], s3Bucket=[my-uploads], s3Endpoint=[http://127.0.0.1:9000],"
                + " s3PathStyle=[true], s3Prefix=[a/b/], streamedStorage=[local], nonBlockingIntake=[false]"), config.describe());
    }

    @Test
    void streamedStorageStore_withStorageS3_parses_andItsTargetProviderIsFound() {
        SpillwayConfig config = new ConfigParser().parse(Map.of("storage", "s3", "s3Bucket", "my-uploads",
                "streamedStorage", "store"));
        assertEquals("store", config.streamedStorage());
        assertTrue(SpillTargets.providers().get("s3") instanceof S3StoreProvider);
    }

    @Test
    void streamedStorageStore_withoutAnObjectStore_isAMistake() {
        assertEquals(List.of("streamedStorage=store needs storage set to an object store, but storage is local; "
                + "example: storage=s3"), problemsOf(Map.of("streamedStorage", "store")));
    }

    @Test
    void localIsTheDefault() {
        SpillwayConfig config = new ConfigParser().parse(Map.of());
        assertEquals("local", config.storage());
        assertEquals(Map.of(), config.storageParameters());
    }

    @Test
    void everyProblem_isReportedAtOnce_namingTheParameterAndTheValue() {
        List<String> problems = problemsOf(Map.of("storage", "s3", "s3Endpoint", "ftp://x", "s3PathStyle", "yes",
                "s3PartSize", "1MB", "s3Prefix", "no-slash"));
        assertEquals(List.of(
                "s3Bucket is required with storage=s3; example: s3Bucket=my-uploads",
                "s3Endpoint must be an absolute http or https URI: 'ftp://x'; example: "
                        + "s3Endpoint=https://s3.eu-central-1.amazonaws.com",
                "s3Prefix must be empty or safe key characters ending in '/': 'no-slash'; example: "
                        + "s3Prefix=uploads/spillway/",
                "s3PathStyle must be true or false: 'yes'; example: s3PathStyle=true",
                "s3PartSize must be between 5MiB and 5GiB: '1MB'; example: s3PartSize=16MiB"), problems);
    }

    @Test
    void s3Parameters_withoutStorageS3_areAMistake() {
        assertEquals(List.of("s3Bucket applies only with storage=s3, but storage is local"),
                problemsOf(Map.of("s3Bucket", "my-uploads")));
    }

    @Test
    void anUnknownStorage_namesTheJarItNeeds() {
        assertEquals(List.of("storage must be local or s3 (storage=gcs needs spillway-gcs.jar on the class path): "
                + "'gcs'; example: storage=local"), problemsOf(Map.of("storage", "gcs")));
    }

    /** The problems that the parser reports, all at once, for these init-params. */
    private static List<String> problemsOf(Map<String, String> initParams) {
        return assertThrows(InvalidConfigException.class, () -> new ConfigParser().parse(initParams)).problems();
    }
}
