package io.spillway.servlet.hardening;

import static io.spillway.servlet.hardening.Responses.assertEchoed;
import static io.spillway.servlet.hardening.Responses.assertRefused;
import static io.spillway.servlet.hardening.Responses.part;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.FastMultipartParser;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.testing.Prerequisites;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.core.upload.ReceivedPart;
import io.spillway.servlet.FileUpload2Parser;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import io.spillway.servlet.testing.TestServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * THREATS.md 25, a full disk: 507, the partial file deleted, earlier uploads intact, and success
 * once space returns. Two ways:
 * <ul>
 *   <li>fault injection, without HTTP: the receiver writes to a real directory while its
 *       {@link DiskGuard} reads the free space of a simulated small disk that another writer
 *       fills;</li>
 *   <li>a real small filesystem over HTTP, where writes end in {@code ENOSPC}: a tmpfs (or any
 *       small mount) named by the system property {@value Prerequisites#SMALL_FS_PROPERTY} or the
 *       environment variable {@value Prerequisites#SMALL_FS_VARIABLE}; {@code scripts/test.sh}
 *       mounts one when it runs as root. Skipped, saying so, when none is given (failed in CI,
 *       see {@link Prerequisites}).</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFullTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path temp;

    static Stream<MultipartParser> parsers() {
        return Stream.of(new FileUpload2Parser(), new FastMultipartParser());
    }

    // fault injection: a simulated 48 MiB disk

    @ParameterizedTest
    @MethodSource("parsers")
    void simulatedFullDisk_is507_partialDeleted_earlierUploadIntact_thenSucceedsOnceSpaceReturns(MultipartParser parser)
            throws IOException {
        TempStorage storage = TempStorage.open(temp.resolve("spill"));
        AtomicLong otherWriters = new AtomicLong();
        long capacity = 48 * MIB;
        DiskGuard guard = new DiskGuard(
                () -> capacity - otherWriters.get() - DirectorySampler.bytesUnder(storage.root()), 8 * MIB);
        MultipartReceiver receiver = new MultipartReceiver(parser, SpillwayConfig.ofDefaults(), storage, "SHA-256");

        List<ReceivedPart> earlier = receive(receiver, guard, Body.create().generatedFile("a", "a.bin", 251, 6 * MIB)
                .generatedFile("b", "b.bin", 252, 6 * MIB).close());
        Set<String> earlierFiles = Baseline.files(storage.root());
        assertEquals(2, earlierFiles.size());

        UploadRejectedException tooBig = assertThrows(UploadRejectedException.class, () -> receive(receiver, guard,
                Body.create().generatedFile("c", "c.bin", 253, 60 * MIB).close()));
        assertEquals(507, tooBig.status());
        assertTrue(tooBig.reason().startsWith("not enough disk space"), tooBig.reason());
        assertEquals(earlierFiles, Baseline.files(storage.root()), "the partial file is gone, the earlier ones stay");

        otherWriters.set(30 * MIB);
        UploadRejectedException filledByOthers = assertThrows(UploadRejectedException.class, () -> receive(receiver,
                guard, Body.create().field("x", "1").generatedFile("d", "d.bin", 254, 20 * MIB).close()));
        assertEquals(507, filledByOthers.status());
        assertEquals(earlierFiles, Baseline.files(storage.root()));

        otherWriters.set(0);
        List<ReceivedPart> later = receive(receiver, guard, Body.create().generatedFile("e", "e.bin", 255, 20 * MIB).close());
        assertEquals(GeneratedStream.sha256Of(255, 20 * MIB), digestOf(later.get(0)));
        assertEquals(GeneratedStream.sha256Of(251, 6 * MIB), digestOf(earlier.get(0)), "earlier upload intact");
        assertEquals(GeneratedStream.sha256Of(252, 6 * MIB), digestOf(earlier.get(1)), "earlier upload intact");
        earlier.forEach(p -> p.content().release());
        later.forEach(p -> p.content().release());
        assertEquals(Set.of(), Baseline.files(storage.root()));
    }

    private static List<ReceivedPart> receive(MultipartReceiver receiver, DiskGuard guard, Body body) throws IOException {
        try (InputStream in = body.stream()) {
            return receiver.receive(in, body.boundary().getBytes(StandardCharsets.ISO_8859_1), 0, guard);
        }
    }

    // a real small filesystem

    @Test
    void realFullFilesystem_is507_partialDeleted_earlierUploadIntact_thenSucceedsOnceSpaceReturns() throws Exception {
        Path smallFs = Prerequisites.requireSmallFilesystem();

        Path root = Files.createTempDirectory(smallFs, "disk-full-");
        Path kept = Files.createDirectory(root.resolve("kept"));
        Path ballast = root.resolve("ballast");
        try (Target target = Target.start(root.resolve("spill"), Map.of("inMemoryThreshold", "0", "diskReserve", "4MB",
                "maxFileSize", "1GB", "maxRequestSize", "1GB"), new KeepingServlet(kept), Target.PLENTY)) {
            long free = target.filter().storage().usableSpace();
            assertTrue(free >= 48 * MIB && free < 1024 * MIB, "a small filesystem with room for the test: " + free);

            Baseline baseline = target.baseline();
            assertEchoed(target.send(Body.create().generatedFile("doc", "a.bin", 261, 8 * MIB).close()
                    .post("/upload?keep=a.bin")));
            String earlier = GeneratedStream.sha256Of(261, 8 * MIB);
            assertEquals(earlier, sha256(kept.resolve("a.bin")));
            baseline.assertRestored();

            RawHttpClient.Response declared = target.send(RawHttpClient.request("POST", "/upload")
                    .header("Content-Type", Body.create().contentType()).declaredLength(free + MIB));
            assertRefused(declared, 507, "not enough disk space");
            baseline.assertRestored();

            Body endless = Body.create().generatedFile("doc", "c.bin", 262, free + 8 * MIB).close();
            assertRefused(target.send(endless.post("/upload").framing(Framing.CHUNKED)), 507, "");
            baseline.assertRestored();
            assertEquals(earlier, sha256(kept.resolve("a.bin")), "the earlier upload is intact");

            Body admitted = Body.create().generatedFile("doc", "d.bin", 263, 30 * MIB).close();
            GatedStream gated = new GatedStream(admitted.stream(), MIB);
            CompletableFuture<RawHttpClient.Response> filledMeanwhile = CompletableFuture.supplyAsync(() ->
                    target.send(RawHttpClient.request("POST", "/upload").header("Content-Type", admitted.contentType())
                            .body(() -> gated, admitted.length())));
            assertTrue(gated.awaitGate(30), "the upload started");
            ClientAbortTest.awaitTrue("its partial file", () -> target.tempFiles() == 1);
            fill(ballast);
            gated.open();
            RawHttpClient.Response full = filledMeanwhile.get(60, TimeUnit.SECONDS);
            assertEquals(507, full.status(), full.toString());
            Responses.assertShortReason(full);
            baseline.assertRestored();
            assertEquals(earlier, sha256(kept.resolve("a.bin")), "the earlier upload is intact");

            Files.delete(ballast);
            Map<String, Object> echo = assertEchoed(target.send(Body.create()
                    .generatedFile("doc", "e.bin", 264, 20 * MIB).close().post("/upload")));
            assertEquals(GeneratedStream.sha256Of(264, 20 * MIB), part(echo, 0).get("sha256"));
            baseline.assertRestored();
        } finally {
            TestServer.deleteTree(root);
        }
    }

    /**
     * Writes zeros until the filesystem is full. Whether it is full is read from the filesystem, not
     * from the error's text, which the C library words in the machine's language.
     */
    private static void fill(Path ballast) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(ballast, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                zeros.clear();
                channel.write(zeros);
            }
        } catch (IOException full) {
            long left = Files.getFileStore(ballast).getUsableSpace();
            assertTrue(left < zeros.capacity(), "filled up, " + left + " bytes left: " + full);
        }
    }

    private static String digestOf(ReceivedPart part) throws IOException {
        try (InputStream in = part.content().open()) {
            return GeneratedStream.sha256Of(in);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return GeneratedStream.sha256Of(in);
        }
    }

    /** The echo application, which also keeps the part {@code doc} as {@code ?keep=name}. */
    static final class KeepingServlet extends PartsEchoServlet {
        private static final long serialVersionUID = 1L;
        private final transient Path directory;

        KeepingServlet(Path directory) {
            this.directory = directory;
        }

        @Override
        protected void afterParts(HttpServletRequest request) throws IOException {
            String name = request.getParameter("keep");
            if (name == null) {
                return;
            }
            try {
                request.getPart("doc").write(directory.resolve(name).toString());
            } catch (ServletException e) {
                throw new IOException(e);
            }
        }
    }
}
