package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.spillway.core.internal.json.Json;
import io.spillway.core.storage.LocalResumableStore;
import io.spillway.servlet.resumable.ResumableProtocols;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.RawHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cross-cutting checks on Content-Range uploads over HTTP (THREATS.md 12-16 and 21): after every
 * chunk a refusal leaves the stored bytes and state exactly as they were, the staging area empty,
 * the budget and descriptors back at their baseline; a chunk cut off by FIN or RST leaves the
 * upload as it was and does not lock it; random chunk sequences follow {@link ChunkModel} step
 * by step; a completed upload leaves nothing at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResumableHardeningTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();

    private static Target target() {
        return TARGETS.get(Mode.STREAMED, Map.of("maxFileSize", "16MB", "maxRequestSize", "16MB",
                "stalledUploadTimeout", "2s"));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomChunkSequence_overHttp_followsTheModel_andEveryRefusalChangesNothing(long seed) {
        Target target = target();
        Baseline empty = target.baseline();
        Random random = new Random(seed);
        int total = 1 + random.nextInt(300_000);
        byte[] truth = GeneratedStream.bytes(seed, total);
        ChunkModel model = new ChunkModel(total);
        String id = null;
        List<String> history = new ArrayList<>();
        ChunkModel.Kind[] kinds = ChunkModel.Kind.values();
        for (int step = 0; step < 30 || !model.completed(); step++) {
            ChunkModel.Kind kind = step >= 30 || id == null ? ChunkModel.Kind.RIGHT : kinds[random.nextInt(kinds.length)];
            int first;
            int length;
            if (step >= 30) {
                List<Long> gap = firstGap(model);
                first = gap.get(0).intValue();
                length = (int) (gap.get(1) - first + 1);
            } else {
                first = random.nextInt(total);
                length = 1 + random.nextInt(Math.min(total - first, 80_000));
            }
            if (kind == ChunkModel.Kind.EXCLUSIVE_END && first + length > total) {
                kind = ChunkModel.Kind.RIGHT;
            }
            ChunkModel.Chunk chunk = model.next(truth, kind, first, length, random.nextInt(1 << 16));
            history.add(chunk.toString());
            id = send(target, id, chunk, model, history, random);
        }
        ChunkModel.Chunk late = model.next(truth, ChunkModel.Kind.RIGHT, 0, 1, 0);
        RawHttpClient.Response after = target.send(chunkRequest(id, late, "PUT"));
        assertEquals(409, after.status(), "a chunk after completion of " + id + ": " + after + " after " + history);
        empty.assertRestored();
    }

    /** How a client goes away in the middle of a chunk. */
    enum Abort { FIN, RST }

    @ParameterizedTest
    @EnumSource(Abort.class)
    void chunkCutOff_leavesTheUploadAsItWas_andTheRetrySucceeds(Abort abort) throws IOException {
        Target target = target();
        Baseline empty = target.baseline();
        byte[] file = GeneratedStream.bytes(31, 2_000_000);
        ChunkModel model = new ChunkModel(file.length);
        ChunkModel.Chunk head = model.next(file, ChunkModel.Kind.RIGHT, 0, 500_000, 0);
        String id = send(target, null, head, model, new ArrayList<>(List.of(head.toString())), new Random(1));
        Baseline during = target.baseline();
        Map<String, String> before = tree(target.tempDirectory());
        try (RawHttpClient client = RawHttpClient.connect(target.port())) {
            client.write(RawHttpClient.request("PUT", "/upload").header("Content-Type", "application/octet-stream")
                    .header("Content-Range", "bytes 500000-1999999/2000000").header("Upload-Id", id)
                    .declaredLength(1_500_000).head());
            client.write(file, 500_000, 700_000);
            ClientAbortTest.awaitTrue("the server to be receiving the chunk", () -> stagedChunks(target) > 0);
            if (abort == Abort.FIN) {
                client.finish();
                client.awaitClose(Duration.ofSeconds(10));
            } else {
                client.reset();
            }
        }
        ClientAbortTest.awaitTrue("the request thread to be freed", () -> target.server().busyThreads() == 0);
        during.assertRestored();
        ClientAbortTest.awaitTrue("the cut chunk's staging to be gone", () -> before.equals(tree(target.tempDirectory())));
        assertEquals(before, tree(target.tempDirectory()), "the cut chunk left no trace");
        ChunkModel.Chunk rest = model.next(file, ChunkModel.Kind.RIGHT, 500_000, 1_500_000, 0);
        send(target, id, rest, model, new ArrayList<>(List.of(rest.toString())), new Random(2));
        empty.assertRestored();
    }

    /**
     * Chunks being received right now. A test that cuts a chunk off waits for one first: a reset
     * that comes before the server has even read the request head leaves nothing to check yet,
     * and the server would stage (then discard) the bytes it had buffered only after the checks.
     */
    private static long stagedChunks(Target target) {
        Path staging = target.tempDirectory().resolve("resumable").resolve(ResumableProtocols.STAGING);
        try (Stream<Path> files = Files.list(staging)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException notCreatedYet) {
            return 0;
        }
    }

    /**
     * Sends a chunk (with a random method), checks the answer and the disk against the model, and
     * returns the upload id.
     */
    private static String send(Target target, String id, ChunkModel.Chunk chunk, ChunkModel model,
                               List<String> history, Random random) {
        Baseline baseline = target.baseline();
        Map<String, String> before = id == null ? Map.of() : tree(target.tempDirectory());
        String method = List.of("POST", "PUT", "PATCH").get(random.nextInt(3));
        RawHttpClient.Response response = target.send(chunkRequest(id, chunk, method));
        String context = history + " -> " + response;
        switch (chunk.expected()) {
            case STORED -> {
                assertEquals(200, response.status(), context);
                Map<String, Object> status = Json.parseObject(response.text());
                assertEquals(model.ranges(), status.get("ranges"), context);
                assertEquals(model.contiguous(), status.get("received"), context);
                assertEquals(false, status.get("complete"), context);
                return id == null ? response.header("Upload-Id") : id;
            }
            case COMPLETED -> {
                Map<String, Object> echo = Responses.assertEchoed(response);
                Map<String, Object> part = Responses.part(echo, 0);
                assertEquals(Responses.sha256(model.file()), part.get("sha256"), context);
                assertEquals((long) model.total(), part.get("size"), context);
                return id == null ? response.header("Upload-Id") : id;
            }
            case CONFLICT, TOTAL_CHANGED, GONE -> assertEquals(409, response.status(), context);
            case BAD_LENGTH -> assertEquals(400, response.status(), context);
            default -> fail(context);
        }
        Responses.assertShortReason(response);
        baseline.assertRestored();
        assertEquals(before, tree(target.tempDirectory()), context + ": a refusal changes nothing on disk");
        return id;
    }

    private static RawHttpClient.Request chunkRequest(String id, ChunkModel.Chunk chunk, String method) {
        RawHttpClient.Request request = RawHttpClient.request(method, "/upload")
                .header("Content-Type", "application/octet-stream").header("Content-Range", chunk.header())
                .body(chunk.body());
        if (id != null) {
            request.header("Upload-Id", id);
        } else {
            request.header("Content-Disposition", "attachment; filename=\"model.bin\"");
        }
        return request;
    }

    private static List<Long> firstGap(ChunkModel model) {
        long next = 0;
        for (List<Long> range : model.ranges()) {
            if (range.get(0) > next) {
                return List.of(next, range.get(0) - 1);
            }
            next = range.get(1) + 1;
        }
        return List.of(next, (long) model.total() - 1);
    }

    /** Every file under a directory with the SHA-256 of its bytes (walked again if a file vanishes meanwhile). */
    static Map<String, String> tree(Path root) {
        for (int attempt = 0; ; attempt++) {
            try {
                return walkTree(root);
            } catch (UncheckedIOException vanished) {
                if (attempt >= 20) {
                    throw vanished;
                }
            }
        }
    }

    private static Map<String, String> walkTree(Path root) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile)
                    .filter(p -> !LocalResumableStore.isEndingRecord(root.relativize(p))).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    files.put(root.relativize(file).toString(), GeneratedStream.sha256Of(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
