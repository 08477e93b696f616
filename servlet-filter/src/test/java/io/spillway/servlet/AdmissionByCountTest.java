package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.ForkedServer;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import io.spillway.servlet.testing.RawClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission by count in a forked JVM at {@code -Xmx64m}: with {@code memoryPerUpload=2MB}, at most
 * about 16 slow uploads fit within half of the memory left (fewer while the heap is fuller); the
 * next ones get 503 with Retry-After at once, before their bodies are read; the admitted ones
 * complete byte for byte, and once they are done a new upload is admitted again.
 */
class AdmissionByCountTest {

    private static final String BOUNDARY = "admission-boundary-5";
    private static final int CLIENTS = 60;
    private static final int FILE_SIZE = 200_000;

    @TempDir
    Path temp;

    @Test
    void uploadsBeyondWhatMemoryHolds_get503WithRetryAfter_theOthersComplete() throws Exception {
        try (ForkedServer server = ForkedServer.start("64m", Map.of("tempDirectory", temp.resolve("spill").toString(),
                "diskReserve", "0", "inMemoryThreshold", "0", "minUploadRate", "0", "memoryPerUpload", "2MB",
                "retryAfter", "7s"))) {
            byte[] file = GeneratedStream.bytes(77, FILE_SIZE);
            long length = RawClient.multipartPrefixLength(BOUNDARY) + FILE_SIZE
                    + RawClient.multipartSuffix(BOUNDARY).length();
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    RawClient client = new RawClient(server.port());
                    clients.add(client);
                    client.startMultipart("/upload", BOUNDARY, length).send(Arrays.copyOf(file, 1000));
                }
                Thread.sleep(2000);
                List<RawClient> admitted = new ArrayList<>();
                int refused = 0;
                for (RawClient client : clients) {
                    String early = client.readResponse(200);
                    if (early.isEmpty()) {
                        admitted.add(client);
                        continue;
                    }
                    refused++;
                    assertTrue(early.startsWith("HTTP/1.1 503"), early);
                    assertTrue(early.contains("Retry-After: 7"), early);
                    assertTrue(early.contains("too many uploads in flight: "), early);
                }
                assertEquals(CLIENTS, admitted.size() + refused);
                assertTrue(admitted.size() >= 1 && refused >= 20, admitted.size() + " admitted, " + refused + " refused");
                for (RawClient client : admitted) {
                    client.send(Arrays.copyOfRange(file, 1000, FILE_SIZE));
                    client.send(RawClient.multipartSuffix(BOUNDARY));
                }
                for (RawClient client : admitted) {
                    String response = client.readResponse(20_000);
                    assertTrue(response.startsWith("HTTP/1.1 200"), response);
                    assertTrue(response.contains(GeneratedStream.sha256Of(77, FILE_SIZE)), response);
                }
            } finally {
                for (RawClient client : clients) {
                    client.close();
                }
            }
            HttpResponse<String> after = Http.post(server.uri("/upload"),
                    new MultipartBody().generatedFile("file", "after.bin", 78, FILE_SIZE).end());
            assertEquals(200, after.statusCode(), "room again once the others are done: " + after.body());
            assertTrue(server.isAlive());
            assertFalse(server.output().contains("OutOfMemoryError"), server.output());
        }
    }
}
