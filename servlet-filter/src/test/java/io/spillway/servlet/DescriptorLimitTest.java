package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.ForkedServer;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.RawClient;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission by file descriptors, proven in a forked JVM that may open only 160 (it needs about 56
 * when idle): slow uploads are opened one after another, each holding its connection and its
 * part's temp file, until the process's free descriptors are down to the reserve (64 here). From
 * then on a new upload gets {@code 503} with {@code Retry-After} before its body is read, instead
 * of the server failing to accept a connection or to open a file ("Too many open files"); a
 * plain GET is still answered, and every admitted upload completes intact. A refused client
 * closes its connection once it has read the refusal, as a client that honours it does.
 */
class DescriptorLimitTest {

    private static final int DESCRIPTOR_LIMIT = 160;
    private static final int CLIENTS = 80;
    private static final int SIZE = 64 * 1024;
    private static final int FIRST_BYTES = 16 * 1024;
    private static final String BOUNDARY = "descriptorLimitBoundary";

    @TempDir
    Path temp;

    @Test
    void uploadsBeyondTheDescriptorReserve_get503_andTheAdmittedOnesComplete() throws Exception {
        try (ForkedServer server = ForkedServer.startWithDescriptorLimit("128m", DESCRIPTOR_LIMIT, Map.of(
                "tempDirectory", temp.resolve("spill").toString(), "diskReserve", "0", "inMemoryThreshold", "0",
                "memoryPerUpload", "0", "minUploadRate", "0", "probeInterval", "100ms"))) {
            List<Held> open = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            int completed = 0;
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    RawClient client = startUpload(server, i);
                    String early = client.readResponse(100);
                    if (early.isEmpty()) {
                        open.add(new Held(client, i));
                    } else {
                        refusals.add(early);
                        client.close();
                    }
                }
                HttpResponse<String> get = Http.send(HttpRequest.newBuilder(server.uri("/heap")).GET().build());
                assertEquals(200, get.statusCode(), "a plain GET while the uploads are held");
                for (Held held : open) {
                    String response = finish(held);
                    if (response.startsWith("HTTP/1.1 200")) {
                        completed++;
                    } else {
                        refusals.add(response);
                    }
                }
            } finally {
                for (Held held : open) {
                    held.client().close();
                }
            }
            assertFalse(refusals.isEmpty(), "all " + CLIENTS + " admitted at a limit of " + DESCRIPTOR_LIMIT
                    + " descriptors:\n" + server.output());
            for (String refusal : refusals) {
                assertTrue(refusal.startsWith("HTTP/1.1 503"), refusal);
                assertTrue(refusal.contains("Retry-After: "), refusal);
                assertTrue(refusal.contains("too few file descriptors left"), refusal);
            }
            assertTrue(completed >= 10, completed + " completed; first refusal: " + refusals.get(0));
            assertEquals(CLIENTS, completed + refusals.size());
            assertTrue(server.isAlive());
            assertFalse(server.output().contains("Too many open files"), server.output());
        }
    }

    /** An upload admitted so far: its connection, and the seed of its content. */
    private record Held(RawClient client, int seed) {
    }

    /** Sends the head and the first bytes of upload {@code i}, as a slow client does before it pauses. */
    private static RawClient startUpload(ForkedServer server, int i) throws Exception {
        RawClient client = new RawClient(server.port()).startMultipart("/upload", BOUNDARY,
                RawClient.multipartPrefixLength(BOUNDARY) + SIZE + RawClient.multipartSuffix(BOUNDARY).length());
        client.send(Arrays.copyOf(GeneratedStream.bytes(i, SIZE), FIRST_BYTES));
        return client;
    }

    /**
     * Sends the rest of an upload and returns the answer; a {@code 200} must carry the digest of
     * the whole file. An upload refused after the early look fails to send the rest or answers
     * its refusal.
     */
    private static String finish(Held held) throws Exception {
        byte[] content = GeneratedStream.bytes(held.seed(), SIZE);
        try {
            held.client().send(Arrays.copyOfRange(content, FIRST_BYTES, SIZE));
            held.client().send(RawClient.multipartSuffix(BOUNDARY));
        } catch (IOException refusedAndClosed) {
            // the answer, if any, is already on its way
        }
        String response = held.client().readResponse(30_000);
        if (response.startsWith("HTTP/1.1 200")) {
            assertTrue(response.contains(GeneratedStream.sha256Of(held.seed(), SIZE)), response);
        }
        return response;
    }
}
