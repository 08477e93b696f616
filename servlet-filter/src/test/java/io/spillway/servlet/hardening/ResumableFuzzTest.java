package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.resumable.ByteRange;
import io.spillway.core.resumable.ContentRange;
import io.spillway.core.resumable.NewUpload;
import io.spillway.core.resumable.ResumableUploads;
import io.spillway.core.resumable.UploadState;
import io.spillway.core.resumable.WriteOutcome;
import io.spillway.core.storage.LocalResumableStore;
import io.spillway.servlet.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the resumable engine behind Content-Range uploads (THREATS.md 12-16):
 * <ul>
 *   <li>any {@code Content-Range} header: a range within its total, a status query, or a 400;
 *       never another exception, and what parses prints back as it was read;</li>
 *   <li>random sequences of chunk operations (right bytes, exclusive ends, other bytes, wrong
 *       lengths, another total, out of order, repeated, after completion) against
 *       {@link ChunkModel}: every outcome as predicted, the stored ranges equal to the model's
 *       after every step, refusals change nothing, and the completed file is exactly the model's.</li>
 * </ul>
 * Regression inputs live in {@code ResumableFuzzTestInputs}; see the package documentation to fuzz.
 */
class ResumableFuzzTest {

    private static final Path ROOT = temporaryDirectory();

    @AfterAll
    static void deleteRoot() {
        TestServer.deleteTree(ROOT);
    }

    @FuzzTest(maxDuration = "5m")
    void anyContentRangeHeader_isARange_aQuery_orA400(byte[] raw) {
        String header = new String(raw, StandardCharsets.ISO_8859_1);
        ContentRange range;
        try {
            range = ContentRange.parse(header);
        } catch (UploadRejectedException refused) {
            assertEquals(400, refused.status());
            assertTrue(refused.reason().length() < 200, "a short reason: " + refused.reason());
            return;
        }
        assertTrue(range.total() >= 0, header);
        if (range.isQuery()) {
            assertEquals(range, parse("bytes */" + range.total()));
            return;
        }
        assertTrue(range.first() >= 0 && range.first() <= range.last() && range.last() <= range.total()
                && range.total() > 0, header + " -> " + range);
        assertEquals(range, parse(range.toString()), "prints back as read");
        for (long length : new long[] {range.inclusiveLength(), range.last() - range.first()}) {
            if (range.accepts(length)) {
                ByteRange span = spanOf(range, length);
                assertTrue(span.start() == range.first() && span.end() <= range.total() && span.length() == length,
                        header + " with " + length + " bytes -> " + span);
            }
        }
        assertThrows(UploadRejectedException.class, () -> range.span(range.inclusiveLength() + 1));
    }

    @FuzzTest(maxDuration = "5m")
    void randomChunkSequences_matchTheReferenceModel(FuzzedDataProvider data) throws IOException {
        int total = data.consumeInt(1, 4096);
        byte[] truth = data.consumeBytes(total);
        if (truth.length < total) {
            truth = java.util.Arrays.copyOf(truth, total);
        }
        Path directory = Files.createTempDirectory(ROOT, "engine-");
        SpillwayConfig config = SpillwayConfig.custom().maxFileSize(1 << 20).maxRequestSize(1 << 20).diskReserve(0)
                .stalledUploadTimeout(Duration.ofSeconds(1)).build();
        try (ResumableUploads uploads = ResumableUploads.open(LocalResumableStore.open(directory),
                directory.resolve("resumable").resolve("staging"), config, Clock.systemUTC())) {
            String id = uploads.create(new NewUpload(UploadState.CONTENT_RANGE, total, "f.bin", "file",
                    "application/octet-stream", null, null, null)).id();
            ChunkModel model = new ChunkModel(total);
            List<ChunkModel.Kind> kinds = List.of(ChunkModel.Kind.values());
            int steps = data.consumeInt(1, 40);
            List<ChunkModel.Chunk> sent = new ArrayList<>();
            for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
                ChunkModel.Kind kind = data.pickValue(kinds);
                int first = data.consumeInt(0, total - 1);
                int length = data.consumeInt(1, total - first);
                if (kind == ChunkModel.Kind.EXCLUSIVE_END && first + length > total) {
                    continue;
                }
                ChunkModel.Chunk chunk = model.next(truth, kind, first, length, data.consumeInt(0, 4095));
                sent.add(chunk);
                send(uploads, id, chunk, model, sent.toString(), directory);
            }
            if (!model.completed() && (data.remainingBytes() == 0 || data.consumeBoolean())) {
                for (List<Long> gap : gaps(model)) {
                    int first = gap.get(0).intValue();
                    int length = (int) (gap.get(1) - first + 1);
                    sent.add(model.next(truth, ChunkModel.Kind.RIGHT, first, length, 0));
                    send(uploads, id, sent.get(sent.size() - 1), model, sent.toString(), directory);
                }
                sent.add(model.next(truth, ChunkModel.Kind.RIGHT, 0, 1, 0));
                send(uploads, id, sent.get(sent.size() - 1), model, sent.toString(), directory);
            }
        } finally {
            TestServer.deleteTree(directory);
        }
    }

    private static void send(ResumableUploads uploads, String id, ChunkModel.Chunk chunk, ChunkModel model,
                             String history, Path directory) throws IOException {
        WriteOutcome outcome;
        try {
            outcome = uploads.writeRange(id, null, ContentRange.parse(chunk.header()), chunk.body().length,
                    new ByteArrayInputStream(chunk.body()));
        } catch (UploadRejectedException refused) {
            int expected = switch (chunk.expected()) {
                case CONFLICT, TOTAL_CHANGED -> 409;
                case BAD_LENGTH -> 400;
                case GONE -> refused.status() == 409 ? 409 : 410;
                default -> fail(history + ": refused with " + refused.status() + " " + refused.reason());
            };
            assertEquals(expected, refused.status(), history + ": " + refused.reason());
            if (!model.completed()) {
                assertEquals(model.ranges(), ranges(uploads.status(id, null)), history + ": a refusal changes nothing");
            }
            assertEquals(Set.of(), Baseline.files(directory.resolve("resumable").resolve("staging")), history);
            return;
        }
        assertTrue(chunk.expected() == ChunkModel.Outcome.STORED || chunk.expected() == ChunkModel.Outcome.COMPLETED,
                history + ": accepted, but the model expected " + chunk.expected());
        assertEquals(chunk.expected() == ChunkModel.Outcome.COMPLETED, outcome.completed(), history);
        assertEquals(model.ranges(), ranges(outcome.state()), history);
        assertEquals(model.contiguous(), outcome.state().offset(), history);
        if (outcome.completed()) {
            Path file = uploads.completedFile(id);
            assertNotNull(file, history);
            assertArrayEquals(model.file(), Files.readAllBytes(file), history + ": the assembled file");
            uploads.finish(id);
        }
    }

    /** The spans the model does not hold yet, inclusive. */
    private static List<List<Long>> gaps(ChunkModel model) {
        List<List<Long>> gaps = new ArrayList<>();
        long next = 0;
        for (List<Long> range : model.ranges()) {
            if (range.get(0) > next) {
                gaps.add(List.of(next, range.get(0) - 1));
            }
            next = range.get(1) + 1;
        }
        if (next < model.total()) {
            gaps.add(List.of(next, (long) model.total() - 1));
        }
        return gaps;
    }

    private static List<List<Long>> ranges(UploadState state) {
        List<List<Long>> ranges = new ArrayList<>();
        state.received().spans().forEach(span -> ranges.add(List.of(span.start(), span.end() - 1)));
        return ranges;
    }

    private static ContentRange parse(String header) {
        try {
            return ContentRange.parse(header);
        } catch (UploadRejectedException e) {
            throw new AssertionError(header + " should parse: " + e.reason(), e);
        }
    }

    private static ByteRange spanOf(ContentRange range, long length) {
        try {
            return range.span(length);
        } catch (UploadRejectedException e) {
            throw new AssertionError(range + " accepts " + length + " but span refuses it", e);
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("spillway-resumable-fuzz-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
