package io.spillway.servlet.hardening;

import static io.spillway.servlet.hardening.Responses.assertEchoed;
import static io.spillway.servlet.hardening.Responses.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.Param;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.FastMultipartParser;
import io.spillway.core.multipart.MultipartLimits;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.multipart.MultipartReader;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.upload.DiskGuard;
import io.spillway.core.upload.MultipartReceiver;
import io.spillway.servlet.FileUpload2Parser;
import io.spillway.servlet.MemoryAwareUploadFilter;
import io.spillway.servlet.testing.PartsEchoServlet;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.TestServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One regression test per known CVE class in upload handling (like Tomcat's
 * {@code TestSecurity2023}). The receiver-level cases count the bytes the server consumed, so
 * "refused early" is a measurement: a flood is refused after its first few parts, not after
 * reading (or buffering) all of it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CveRegressionTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();
    /** Read-ahead a parser may do beyond the point of refusal: its buffer, twice, with room to spare. */
    private static final long READ_AHEAD = 256 << 10;

    @TempDir
    Path temp;

    static Stream<Arguments> receivers() {
        return Stream.of(new FileUpload2Parser(), new FastMultipartParser()).flatMap(parser -> Stream.of(
                Arguments.of(parser.getClass().getSimpleName(), parser, 0L),
                Arguments.of(parser.getClass().getSimpleName(), parser, 1L << 30)));
    }

    @DisplayName("CVE-2023-24998: a flood of parts is refused after maxParts, nested ones counted")
    @ParameterizedTest(name = "{0}, memory allowance {2}")
    @MethodSource("receivers")
    void cve_2023_24998_partFlood(String name, MultipartParser parser, long allowance) throws IOException {
        byte[] part = ("--" + Body.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Body flat = Body.create().stream(() -> new PatternStream(part, part.length * 50_000L), part.length * 50_000L).close();
        assertRefusedEarly(parser, allowance, flat, 413, "50");
        byte[] inner = "--inner\r\nContent-Disposition: file; filename=\"f.txt\"\r\n\r\nv\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        Body nested = Body.create().delimiter().text("Content-Disposition: form-data; name=\"files\"\r\n"
                + "Content-Type: multipart/mixed; boundary=inner\r\n\r\n")
                .stream(() -> new PatternStream(inner, inner.length * 50_000L), inner.length * 50_000L)
                .text("--inner--\r\n\r\n").close();
        assertRefusedEarly(parser, allowance, nested, 413, "50");
    }

    @DisplayName("CVE-2023-24998: over HTTP, on both routes and with both parsers")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spillway.servlet.hardening.Mode#all")
    void cve_2023_24998_partFlood_overHttp(Mode mode) {
        TARGETS.get(mode).assertRefusedAndRestored(Body.fieldFlood(10_000, "").post("/upload"), 413,
                "more than maxParts 50 parts");
    }

    @DisplayName("CVE-2014-0050: a boundary longer than the parser's buffer is refused, never loops")
    @ParameterizedTest(name = "{0}, memory allowance {2}")
    @MethodSource("receivers")
    void cve_2014_0050_boundaryLongerThanTheBuffer(String name, MultipartParser parser, long allowance) {
        byte[] boundary = "b".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
        byte[] body = ("--" + "b".repeat(200_000) + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--"
                + "b".repeat(200_000) + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThrows(UploadRejectedException.class, () -> {
            MultipartReader reader = parser.open(new java.io.ByteArrayInputStream(body), boundary, new MultipartLimits(4096));
            while (reader.nextPart() != null) {
                reader.content().transferTo(java.io.OutputStream.nullOutputStream());
            }
        }, "a 200,000-byte boundary");
        assertEquals(null, MultipartReceiver.boundaryOf("multipart/form-data; boundary=" + "b".repeat(4100)));
    }

    @DisplayName("CVE-2014-0050: over HTTP, a 4,100-character boundary is 400 before the body is read")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spillway.servlet.hardening.Mode#all")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void cve_2014_0050_boundaryLongerThanTheBuffer_overHttp(Mode mode) {
        TARGETS.get(mode).assertRefusedAndRestored(RawHttpClient.request("POST", "/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + "b".repeat(4100)).declaredLength(1L << 30),
                400, "multipart request without a valid boundary");
    }

    @DisplayName("CVE-2023-26048: a huge field without a file name is refused at maxFieldSize, whatever the memory")
    @ParameterizedTest(name = "{0}, memory allowance {2}")
    @MethodSource("receivers")
    void cve_2023_26048_hugeFieldWithoutFileName(String name, MultipartParser parser, long allowance) throws IOException {
        long size = 200L << 20;
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"big\"\r\n\r\n")
                .stream(() -> new PatternStream(new byte[] {'f'}, size), size).text("\r\n").close();
        assertRefusedWithin(parser, allowance, body, "maxFieldSize", Param.MAX_FIELD_SIZE.defaultValue());
    }

    @DisplayName("CVE-2025-48976: part headers are bounded by maxPartHeaderSize, one block or many lines")
    @ParameterizedTest(name = "{0}, memory allowance {2}")
    @MethodSource("receivers")
    void cve_2025_48976_partHeaders(String name, MultipartParser parser, long allowance) throws IOException {
        long size = 100L << 20;
        Body lines = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"\r\n")
                .stream(() -> new PatternStream("X-Header: 0123456789\r\n".getBytes(StandardCharsets.US_ASCII), size), size)
                .text("\r\nv\r\n").close();
        assertRefusedWithin(parser, allowance, lines, "4096", Param.MAX_PART_HEADER_SIZE.defaultValue());
        Body oneLine = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"; x=\"")
                .stream(() -> new PatternStream(new byte[] {'h'}, size), size).close();
        assertRefusedEarly(parser, allowance, oneLine, 413, "4096");
    }

    @DisplayName("CVE-2025-48976: over HTTP, on both routes and with both parsers")
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.spillway.servlet.hardening.Mode#all")
    void cve_2025_48976_partHeaders_overHttp(Mode mode) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"\r\n")
                .text("X-Header: 0123456789\r\n".repeat(10_000)).text("\r\nv\r\n").close();
        RawHttpClient.Response response = target.send(body.post("/upload"));
        assertRefused(response, 413, "");
        assertTrue(response.text().contains("4096"), response.text());
        baseline.assertRestored();
    }

    @DisplayName("CVE-2013-0248: temp files live in a private directory of the server's, 0600, under random names")
    @Test
    void cve_2013_0248_tempFiles() throws IOException {
        MemoryAwareUploadFilter filter = new MemoryAwareUploadFilter(() -> Target.PLENTY, java.time.Clock.systemUTC());
        try (TestServer server = TestServer.builder().filter(filter, Map.of("inMemoryThreshold", "0", "diskReserve", "0"),
                "/upload").servlet("/upload", new StorageInspectorServlet()).start()) {
            Path root = filter.storage().root();
            assertNotEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize(), root,
                    "not the shared temp directory itself");
            assertEquals("spillway", root.getFileName().toString());
            Body body = Body.create().generatedFile("a", "a.bin", 1, 50_000).generatedFile("b", "b.bin", 2, 50_000).close();
            Map<String, Object> echo = assertEchoed(body.post("/upload").send(server.port()));
            assertEquals("rwx------", echo.get("rootPermissions"));
            for (Object file : (List<?>) echo.get("files")) {
                Map<?, ?> f = (Map<?, ?>) file;
                assertEquals("rw-------", f.get("permissions"));
                assertEquals(Boolean.TRUE, f.get("regularFile"));
                assertTrue(f.get("storageName").toString().matches("spw-[0-9a-f]{32}\\.part"), f.toString());
            }
        }
    }

    @DisplayName("CVE-2013-0248: a temp directory planted as a symbolic link is refused")
    @Test
    void cve_2013_0248_plantedTempDirectory() throws IOException {
        Path victim = Files.createDirectory(temp.resolve("victim"));
        String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(victim));
        Path planted = Files.createSymbolicLink(temp.resolve("spillway"), victim);
        IOException refused = assertThrows(IOException.class, () -> TempStorage.open(planted));
        assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
        assertEquals(permissions, PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(java.util.Set.of(), Baseline.files(victim));
    }

    @DisplayName("CVE-2025-24813: chunk files are never named by the client, and their state is never serialized Java")
    @Test
    void cve_2025_24813_clientNamedChunkFiles() throws IOException {
        Path spill = temp.resolve("spill-24813");
        try (Target target = Target.start(spill, Map.of("inMemoryThreshold", "0"), new PartsEchoServlet(), Target.PLENTY)) {
            Set<String> tomcatBefore = Baseline.files(target.server().baseDir());
            byte[] evil = "EVIL-BYTES".getBytes(StandardCharsets.US_ASCII);
            for (String path : List.of("/upload/..%2F..%2Fwork%2Fevil.session", "/upload/evil.session",
                    "/upload/%2e%2e/%2e%2e/evil.session", "/upload/evil.session;jsessionid=evil")) {
                RawHttpClient.Response partialPut = target.send(RawHttpClient.request("PUT", path)
                        .header("Content-Type", "application/octet-stream").header("Content-Range", "bytes 0-9/20")
                        .body(evil));
                assertTrue(partialPut.status() == 200 || partialPut.status() / 100 == 4, path + ": " + partialPut);
            }
            for (String id : List.of("../../evil.session", "..%2F..%2Fevil.session", "evil.session", "e".repeat(4000),
                    "%00", "0123456789abcdef0123456789abcdeg", "0123456789ABCDEF0123456789ABCDEF")) {
                RawHttpClient.Response refused = target.send(RawHttpClient.request("PUT", "/upload")
                        .header("Content-Type", "application/octet-stream").header("Content-Range", "bytes 10-19/20")
                        .header("Upload-Id", id).body(evil));
                assertTrue(refused.status() == 400 || refused.status() == 404, id + ": " + refused);
            }
            RawHttpClient.Response named = target.send(RawHttpClient.request("PUT", "/upload")
                    .header("Content-Type", "application/octet-stream").header("Content-Range", "bytes 0-9/20")
                    .header("Content-Disposition", "attachment; filename=\"../../../../work/evil.session\"").body(evil));
            assertEquals(200, named.status(), named.toString());
            String encoded = java.util.Base64.getEncoder().encodeToString("../../evil.session".getBytes(StandardCharsets.UTF_8));
            RawHttpClient.Response created = target.send(RawHttpClient.request("POST", "/upload/")
                    .header("Tus-Resumable", "1.0.0").header("Upload-Length", "20")
                    .header("Upload-Metadata", "filename " + encoded).body(new byte[0]));
            assertEquals(201, created.status(), created.toString());
            RawHttpClient.Response traversal = target.send(RawHttpClient.request("PATCH", "/upload/..%2F..%2Fevil.session")
                    .header("Tus-Resumable", "1.0.0").header("Upload-Offset", "0")
                    .header("Content-Type", "application/offset+octet-stream").body(evil));
            assertTrue(traversal.status() / 100 == 4, traversal.toString());

            for (String file : Baseline.files(spill)) {
                assertTrue(file.matches("resumable/[0-9a-f]{32}/(data|state\\.json)|resumable/staging/spw-[0-9a-f]{32}[.a-z]*"
                        + "|spw-[0-9a-f]{32}\\.part"), "a server-made name: " + file);
                if (file.endsWith("state.json")) {
                    byte[] state = Files.readAllBytes(spill.resolve(file));
                    assertEquals('{', state[0], "JSON, never serialized Java: " + file);
                }
            }
            Set<String> tomcatAfter = new java.util.TreeSet<>(Baseline.files(target.server().baseDir()));
            tomcatAfter.removeAll(tomcatBefore);
            assertEquals(Set.of(), tomcatAfter, "nothing written into the container's directories");
            try (Stream<Path> everything = Stream.concat(Files.walk(spill), Files.walk(target.server().baseDir()))) {
                assertEquals(List.of(), everything.filter(p -> p.getFileName().toString().toLowerCase().contains("evil")
                        || p.getFileName().toString().toLowerCase().contains("session")).toList());
            }
        }
    }

    /**
     * Receives a body that must be refused; asserts the status, a word of the reason, that nothing
     * stayed on disk and that the receiver stopped reading early. Returns the bytes it consumed.
     */
    private long assertRefusedEarly(MultipartParser parser, long allowance, Body body, int status, String reasonWord)
            throws IOException {
        TempStorage storage = TempStorage.open(temp.resolve("spill"));
        MultipartReceiver receiver = new MultipartReceiver(parser, SpillwayConfig.ofDefaults(), storage, null);
        CountingStream counted = new CountingStream(body.stream());
        UploadRejectedException refused = assertThrows(UploadRejectedException.class, () -> receiver.receive(counted,
                Body.BOUNDARY.getBytes(StandardCharsets.US_ASCII), allowance, DiskGuard.unlimited()));
        assertEquals(status, refused.status(), refused.reason());
        assertTrue(refused.reason().contains(reasonWord), refused.reason());
        assertEquals(0, storage.countFiles(), "nothing left on disk");
        assertTrue(counted.count() < body.length() / 4, "stopped reading early: " + counted.count() + " of "
                + body.length() + " bytes");
        return counted.count();
    }

    /**
     * Like {@link #assertRefusedEarly} with 413, and the receiver read no further than {@code limit}
     * plus the {@link #READ_AHEAD} a parser may do beyond it.
     */
    private void assertRefusedWithin(MultipartParser parser, long allowance, Body body, String reasonWord, long limit)
            throws IOException {
        long consumed = assertRefusedEarly(parser, allowance, body, 413, reasonWord);
        assertTrue(consumed <= limit + READ_AHEAD, "consumed " + consumed);
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        private long count;

        CountingStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
