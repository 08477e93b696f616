package io.spillway.servlet.resumable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.servlet.testing.ContentRangeSlices;
import io.spillway.servlet.testing.ForkedServer;
import io.spillway.servlet.testing.ForkedServerMain;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server JVM is killed with SIGKILL while it receives a chunk, and started again on the same
 * temp directory: the status it reports is exactly what was committed before the crash, the
 * client resumes from it, the application receives the file with the source's digest, and no file
 * is left afterwards.
 */
class CrashRecoveryTest {

    private static final int SLICE = 5_000_000;
    private static final int TOTAL = 8 * SLICE + 777;

    @TempDir
    Path tempDir;

    /** The forked JVMs' own temp directory (Tomcat's base dir): a killed JVM cannot clean it up itself. */
    @TempDir
    Path jvmTemp;

    @Test
    void sigkillDuringAChunk_restart_statusShowsOnlyCommittedBytes_andTheUploadCompletes() throws Exception {
        byte[] file = GeneratedStream.bytes(20, TOTAL);
        Map<String, String> params = Map.of("tempDirectory", tempDir.toString(), "maxFileSize", "100MB",
                "maxRequestSize", "100MB", "diskReserve", "0");
        String id;
        ForkedServer first = fork(params);
        try {
            id = send(first, null, file, 0).headers().firstValue("Upload-Id").orElseThrow();
            send(first, id, file, 1);
            send(first, id, file, 3);
            try (Socket interrupted = new Socket(InetAddress.getLoopbackAddress(), first.port())) {
                OutputStream out = interrupted.getOutputStream();
                out.write(("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Range: bytes " + 2 * SLICE + "-" + (3 * SLICE - 1) + "/" + TOTAL + "\r\n"
                        + "Upload-Id: " + id + "\r\nContent-Length: " + SLICE + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(file, 2 * SLICE, SLICE / 2);
                out.flush();
                awaitStagedBytes();
                first.kill();
            }
        } finally {
            first.kill();
        }
        assertFalse(first.isAlive());
        try (Stream<Path> left = Files.list(jvmTemp)) {
            assertTrue(left.anyMatch(p -> p.getFileName().toString().startsWith("spillway-tomcat-")),
                    "the killed server's Tomcat directory stays in jvmTemp, which JUnit removes");
        }
        assertTrue(stagingBytes() > 0, "the chunk in flight was being received when the server died");

        ForkedServer second = fork(params);
        try {
            assertEquals(0, stagingBytes(), "recovery removed the half-received chunk");
            assertEquals(4L * SLICE, Files.size(tempDir.resolve("resumable").resolve(id).resolve("data")));
            HttpResponse<String> status = Http.send(HttpRequest.newBuilder(second.uri("/upload"))
                    .header("Content-Range", "bytes */" + TOTAL).header("Upload-Id", id)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, status.statusCode(), status.body());
            assertEquals(Map.of("uploadId", id, "received", 2L * SLICE, "total", (long) TOTAL, "complete", false,
                    "ranges", List.of(List.of(0L, 2L * SLICE - 1), List.of(3L * SLICE, 4L * SLICE - 1))),
                    Json.parseObject(status.body()));

            HttpResponse<String> last = null;
            for (int slice : new int[] {2, 4, 5, 6, 7, 8}) {
                last = send(second, id, file, slice);
            }
            List<?> parts = (List<?>) Json.parseObject(last.body()).get("parts");
            assertEquals(1, parts.size(), last.body());
            assertEquals(Disk.sha256(file, 0, file.length), ((Map<?, ?>) parts.get(0)).get("sha256"));
            assertEquals((long) TOTAL, ((Map<?, ?>) parts.get(0)).get("size"));
            assertEquals(Map.of(), Disk.awaitEmpty(tempDir), "no orphan file after the upload completed");
        } finally {
            second.close();
        }
        assertEquals(Map.of(), Disk.snapshot(tempDir));
    }

    private ForkedServer fork(Map<String, String> params) {
        List<String> args = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return ForkedServer.start(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + jvmTemp),
                ForkedServerMain.class.getName(), args);
    }

    private static HttpResponse<String> send(ForkedServer server, String id, byte[] file, int slice) {
        int from = slice * SLICE;
        int to = Math.min(file.length, from + SLICE);
        HttpResponse<String> response = new ContentRangeSlices(server.uri("/upload"), "POST", "crash.bin", file)
                .send(id, from, to);
        assertEquals(200, response.statusCode(), response.body());
        return response;
    }

    private void awaitStagedBytes() {
        await("a quarter of the slice staged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> stagingBytes() >= SLICE / 4);
    }


    private long stagingBytes() {
        Path staging = tempDir.resolve("resumable").resolve(ResumableProtocols.STAGING);
        try (Stream<Path> files = Files.list(staging)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
