package io.spillway.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.spring.boot.app.UploadApplication;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up with different properties, each a real application on embedded Tomcat: a bad
 * {@code spillway.*} value stops it with the init-param message, an unknown name is warned about; Spring's multipart limits, set
 * alone, become Spillway's on its paths, and Spillway's own win when both are set; the health
 * contributor turns DOWN above {@code criticalHeapRatio}; {@code spillway.enabled=false} turns the
 * starter off.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpillwayStarterConfigurationTest {

    private static final int TWO_MB = 2_000_000;

    @TempDir
    Path temp;

    @Test
    void badValue_stopsTheApplication_withTheInitParamMessage() {
        Throwable failure = assertThrows(Exception.class, () -> run("spillway.max-file-size=lots").close());
        assertTrue(messages(failure).contains("maxFileSize value was set to 'lots', which is not valid; "
                + "example: maxFileSize=4GB"), messages(failure));
    }

    @Test
    void unknownProperty_isIgnoredWithAWarningNamingIt(CapturedOutput output) {
        try (ConfigurableApplicationContext app = run("spillway.max-file-sise=1MB")) {
            assertEquals(200, upload(app, TWO_MB).statusCode(), "Spillway's default limit applies");
        }
        String warning = output.getOut().lines().filter(line -> line.contains("ignoring unknown Spillway properties"))
                .findFirst().orElse("");
        assertTrue(warning.contains("WARN") && warning.contains("spillway.max-file-sise"), "warned: " + warning);
    }

    @Test
    void springsMaxFileSize_setAlone_isSpillwaysLimitOnItsPaths() {
        try (ConfigurableApplicationContext app = run("spring.servlet.multipart.max-file-size=1MB")) {
            HttpResponse<String> refused = upload(app, TWO_MB);
            assertEquals(413, refused.statusCode(), refused.body());
            assertEquals("file in part 'file' exceeds maxFileSize 1.0 MiB\n", refused.body());
        }
    }

    @Test
    void spillwaysMaxFileSize_winsOverSprings() {
        try (ConfigurableApplicationContext app = run("spring.servlet.multipart.max-file-size=1MB",
                "spillway.max-file-size=10MB")) {
            HttpResponse<String> accepted = upload(app, TWO_MB);
            assertEquals(200, accepted.statusCode(), accepted.body());
            assertEquals((long) TWO_MB, Json.parseObject(accepted.body()).get("size"));
        }
    }

    @Test
    void health_isDown_aboveTheCriticalHeapRatio() {
        try (ConfigurableApplicationContext app = run("spillway.critical-heap-ratio=0.001",
                "management.endpoint.health.show-details=always")) {
            HttpResponse<String> health = Http.send(HttpRequest.newBuilder(uri(app, "/actuator/health/spillway"))
                    .GET().build());
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("DOWN", Json.parseObject(health.body()).get("status"));
        }
    }

    @Test
    void disabled_registersNoFilter() {
        try (ConfigurableApplicationContext app = run("spillway.enabled=false")) {
            assertEquals(0, app.getBeansOfType(MemoryAwareUploadFilter.class).size());
        }
    }

    private ConfigurableApplicationContext run(String... properties) {
        return new SpringApplicationBuilder(UploadApplication.class)
                .properties("server.port=0", "server.address=127.0.0.1", "spillway.disk-reserve=0",
                        "spillway.temp-directory=" + temp.resolve("spill"))
                .properties(properties)
                .run();
    }

    private static HttpResponse<String> upload(ConfigurableApplicationContext app, int size) {
        return Http.post(uri(app, "/upload"), new MultipartBody().generatedFile("file", "two.bin", 3, size).end());
    }

    private static URI uri(ConfigurableApplicationContext app, String path) {
        return URI.create("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + path);
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
