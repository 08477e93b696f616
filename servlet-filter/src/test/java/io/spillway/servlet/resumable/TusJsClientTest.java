package io.spillway.servlet.resumable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spillway.core.internal.json.Json;
import io.spillway.core.testing.Prerequisites;
import io.spillway.servlet.testing.CuttingProxy;
import io.spillway.servlet.testing.RecordingServlet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unmodified tus-js-client (4.3.1, pinned in {@code src/test/node/package-lock.json}) runs
 * under Node against {@code MemoryAwareUploadFilter}, with its retries off, speaking tus 1.0 and
 * the IETF Resumable Uploads draft. The network drops in the middle of a request without the
 * server noticing; a new {@code tus.Upload}, started at once, resumes from the upload URL on its
 * first try, and the application receives the file with the source's SHA-256.
 *
 * <p>{@code scripts/test.sh} installs the client ({@code npm ci}); without it the test is skipped
 * locally and fails on CI ({@code CI} set).
 */
class TusJsClientTest {

    private static final Path NODE_PROJECT = Path.of("src", "test", "node");
    private static final int SIZE = 8 << 20;
    private static final int CHUNK = 2 << 20;

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @ValueSource(strings = {"tus-v1", "ietf-draft-05"})
    void droppedConnection_aNewUploadResumesAtOnce_andTheApplicationGetsTheFile(String protocol) throws Exception {
        requireClient();
        RecordingServlet app = new RecordingServlet();
        try (ResumableServer server = ResumableServer.startForClients(tempDir, app);
             CuttingProxy proxy = new CuttingProxy(server.port())) {
            proxy.armStallAfter(CHUNK + CHUNK / 2);
            Map<String, Object> result = run("http://127.0.0.1:" + proxy.port() + "/upload", protocol);
            assertTrue(proxy.didCut());
            assertNotNull(result.get("firstError"), "the drop failed the first upload: " + result);
            long resumedAt = ((Number) result.get("resumedAt")).longValue();
            assertTrue(resumedAt >= CHUNK && resumedAt < 2L * CHUNK,
                    "resumed from the offset the dropped request settled on: " + result);
            assertEquals(1, app.deliveries.size());
            assertEquals(List.of(Map.of("name", "file", "fileName", "node.bin", "contentType", "application/x-test",
                    "size", (long) SIZE, "sha256", expectedSha256())), app.deliveries.peek().get("parts"));
        }
        assertEquals(Map.of(), Disk.awaitEmpty(tempDir));
    }

    private static Map<String, Object> run(String endpoint, String protocol) throws Exception {
        Process node = new ProcessBuilder("node", "upload.mjs", endpoint, protocol, Integer.toString(SIZE),
                Integer.toString(CHUNK)).directory(NODE_PROJECT.toFile()).redirectErrorStream(true).start();
        if (!node.waitFor(120, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            fail("tus-js-client did not finish within two minutes");
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String last = output.substring(output.lastIndexOf('\n') + 1);
        assertEquals(0, node.exitValue(), output);
        Map<String, Object> result = Json.parseObject(last);
        assertEquals(null, result.get("error"), output);
        return result;
    }

    private static void requireClient() {
        boolean installed = Files.isDirectory(NODE_PROJECT.resolve("node_modules").resolve("tus-js-client"));
        Prerequisites.require(installed,
                "tus-js-client is not installed: run 'npm ci' in servlet-filter/src/test/node (scripts/test.sh does)");

    }

    /** The SHA-256 of the bytes upload.mjs generates: byte i is {@code (i * 31 + (i >> 13)) & 0xff}. */
    private static String expectedSha256() throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] bytes = new byte[SIZE];
            for (int i = 0; i < SIZE; i++) {
                bytes[i] = (byte) (i * 31 + (i >> 13));
            }
            return HexFormat.of().formatHex(digest.digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
