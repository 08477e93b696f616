package io.spillway.core.upload;

import static io.spillway.core.testing.ScriptedMultipartParser.part;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.UploadRejectedException;
import io.spillway.core.config.SpillwayConfig;
import io.spillway.core.multipart.MalformedMultipartException;
import io.spillway.core.multipart.MultipartParser;
import io.spillway.core.storage.TempStorage;
import io.spillway.core.testing.ScriptedMultipartParser;
import io.spillway.core.testing.SeededBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receiver with a scripted parser: the body is the parts' contents one after the other, so
 * these tests are about routes, limits and cleanup, not about multipart framing.
 */
@Timeout(60)
class MultipartReceiverTest {

    private static final byte[] BOUNDARY = "outer".getBytes(StandardCharsets.ISO_8859_1);
    private static final long KIB = 1024;

    @TempDir
    Path tmp;

    private TempStorage storage;
    private final ScriptedMultipartParser parser = new ScriptedMultipartParser();
    private SpillwayConfig config = SpillwayConfig.custom()
            .maxRequestSize(10 * KIB * KIB)
            .maxFileSize(KIB * KIB)
            .maxFieldSize(KIB)
            .maxParts(5)
            .build();

    @BeforeEach
    void openStorage() throws IOException {
        storage = TempStorage.open(tmp.resolve("spillway"));
    }

    private static String field(String name) {
        return "Content-Disposition: form-data; name=\"" + name + "\"";
    }

    private static String file(String name, String fileName) {
        return "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                + "Content-Type: application/octet-stream";
    }

    private static byte[] concat(byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    private List<ReceivedPart> receive(byte[] body, long allowance) throws IOException {
        return receive(new ByteArrayInputStream(body), allowance, null);
    }

    private List<ReceivedPart> receive(InputStream body, long allowance, String digest) throws IOException {
        return new MultipartReceiver(parser, config, storage, digest)
                .receive(body, BOUNDARY, allowance, DiskGuard.unlimited());
    }

    /** Checks that receiving is refused with a {@code type} of this status and reason, leaving no temp file. */
    private <E extends UploadRejectedException> void assertRefusedLeavingNothing(Class<E> type, int status,
            String reason, Executable receiving) throws IOException {
        E e = assertThrows(type, receiving);
        assertEquals(status, e.status());
        assertEquals(reason, e.reason());
        assertNothingLeftOnDisk();
    }

    /** Receives a body of {@code length} zero bytes, which must be refused with a {@code type}; returns the refusal. */
    private <E extends UploadRejectedException> E refusalOf(Class<E> type, int length) {
        return assertThrows(type, () -> receive(new byte[length], 0));
    }

    private void assertNothingLeftOnDisk() throws IOException {
        assertEquals(0, storage.countFiles());
    }

    // routes

    @Test
    void receive_fieldAndSmallFile_areHeldInMemoryEvenWithoutAllowance() throws IOException {
        byte[] title = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] data = SeededBytes.of(1, 100);
        parser.body("outer", part(field("title"), title.length), part(file("doc", "../../etc/a.txt"), data.length));

        List<ReceivedPart> parts = receive(concat(title, data), 0);

        assertEquals(2, parts.size());
        ReceivedPart first = parts.get(0);
        assertEquals("title", first.name());
        assertNull(first.fileName());
        assertFalse(first.isFile());
        assertArrayEquals(title, first.content().bytes());
        ReceivedPart second = parts.get(1);
        assertEquals("doc", second.name());
        assertEquals("a.txt", second.fileName());
        assertEquals("application/octet-stream", second.contentType());
        assertEquals(100, second.size());
        assertTrue(second.content().inMemory());
        assertArrayEquals(data, second.content().bytes());
        assertNothingLeftOnDisk();
    }

    @Test
    void receive_streamedRoute_largeFileGoesToATempFile() throws IOException {
        byte[] data = SeededBytes.of(2, 200_000);
        parser.body("outer", part(file("doc", "big.bin"), data.length));

        ReceivedPart part = receive(data, 0).get(0);

        assertFalse(part.content().inMemory());
        assertTrue(storage.contains(part.content().file()));
        assertTrue(part.content().file().getFileName().toString().startsWith("spw-"));
        assertArrayEquals(data, part.content().bytes());
        assertEquals(1, storage.countFiles());
    }

    @Test
    void receive_bufferedRouteWithTheWholeBodyAllowed_neverTouchesTheDisk() throws IOException {
        byte[] a = SeededBytes.of(3, 200_000);
        byte[] b = SeededBytes.of(4, 300_000);
        parser.body("outer", part(file("a", "a.bin"), a.length), part(file("b", "b.bin"), b.length));

        List<ReceivedPart> parts = receive(concat(a, b), a.length + b.length);

        assertTrue(parts.get(0).content().inMemory());
        assertTrue(parts.get(1).content().inMemory());
        assertArrayEquals(a, parts.get(0).content().bytes());
        assertArrayEquals(b, parts.get(1).content().bytes());
        assertNothingLeftOnDisk();
    }

    @Test
    void receive_allowanceUsedUpByTheFirstFile_spillsTheNext() throws IOException {
        byte[] a = SeededBytes.of(5, 200_000);
        byte[] b = SeededBytes.of(6, 200_000);
        parser.body("outer", part(file("a", "a.bin"), a.length), part(file("b", "b.bin"), b.length));

        List<ReceivedPart> parts = receive(concat(a, b), 250_000);

        assertTrue(parts.get(0).content().inMemory());
        assertFalse(parts.get(1).content().inMemory());
        assertArrayEquals(b, parts.get(1).content().bytes());
    }

    @Test
    void receive_withDigest_digestsEveryPart() throws IOException {
        byte[] data = SeededBytes.of(7, 150_000);
        parser.body("outer", part(file("doc", "d.bin"), data.length));
        ReceivedPart part = receive(new ByteArrayInputStream(data), 0, "SHA-256").get(0);
        assertEquals(SeededBytes.sha256(data), part.digest());
    }

    @Test
    void receive_withoutDigest_hasNoDigest() throws IOException {
        parser.body("outer", part(file("doc", "d.bin"), 10));
        assertNull(receive(new byte[10], 0).get(0).digest());
    }

    @Test
    void receive_emptyFileInput_isAFileWithAnEmptyName() throws IOException {
        parser.body("outer", part(file("doc", ""), 0));
        ReceivedPart part = receive(new byte[0], 0).get(0);
        assertTrue(part.isFile());
        assertEquals("", part.fileName());
        assertEquals(0, part.size());
    }

    @Test
    void receive_noParts_givesAnEmptyList() throws IOException {
        parser.body("outer");
        assertEquals(List.of(), receive(new byte[0], 0));
    }

    // nested multipart/mixed

    @Test
    void receive_nestedMixed_givesFilesUnderTheOuterName() throws IOException {
        byte[] a = SeededBytes.of(8, 50_000);
        byte[] b = SeededBytes.of(9, 10);
        parser.body("outer", part("Content-Disposition: form-data; name=\"files\"\r\n"
                        + "Content-Type: multipart/mixed; boundary=inner", a.length + b.length))
                .body("inner",
                        part("Content-Disposition: attachment; filename=\"a.bin\"", a.length),
                        part("Content-Disposition: attachment", b.length));

        List<ReceivedPart> parts = receive(concat(a, b), 0);

        assertEquals(List.of("outer", "inner"), parser.opened());
        assertEquals(2, parts.size());
        assertEquals("files", parts.get(0).name());
        assertEquals("a.bin", parts.get(0).fileName());
        assertArrayEquals(a, parts.get(0).content().bytes());
        assertEquals("files", parts.get(1).name());
        assertTrue(parts.get(1).isFile());
        assertArrayEquals(b, parts.get(1).content().bytes());
    }

    @Test
    void receive_mixedNestedTwoLevels_is400AndLeavesNothing() throws IOException {
        byte[] data = SeededBytes.of(10, 100_000);
        parser.body("outer", part(file("first", "first.bin"), data.length),
                        part("Content-Disposition: form-data; name=\"files\"\r\n"
                                + "Content-Type: multipart/mixed; boundary=inner", 10))
                .body("inner", part("Content-Disposition: attachment\r\nContent-Type: multipart/mixed; boundary=deeper", 10));

        assertRefusedLeavingNothing(MalformedMultipartException.class, 400,
                "multipart/mixed nested more than one level", () -> receive(concat(data, new byte[10]), 0));
    }

    static Stream<Arguments> malformedPartHeaders() {
        return Stream.of(
                Arguments.of("nested multipart/mixed without boundary",
                        "Content-Disposition: form-data; name=\"files\"\r\nContent-Type: multipart/mixed", 10,
                        "nested multipart/mixed part without a valid boundary"),
                Arguments.of("part without name", "Content-Type: text/plain", 1,
                        "part without a Content-Disposition name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPartHeaders")
    void receive_malformedPartHeaders_is400WithTheReason(String what, String headers, int length, String reason) {
        parser.body("outer", part(headers, length));
        MalformedMultipartException e = refusalOf(MalformedMultipartException.class, length);
        assertEquals(reason, e.reason());
    }

    // limits

    @Test
    void receive_moreThanMaxParts_is413AndLeavesNothing() throws IOException {
        byte[] big = SeededBytes.of(11, 100_000);
        parser.body("outer", part(file("a", "a"), big.length), part(file("b", "b"), big.length),
                part(field("c"), 1), part(field("d"), 1), part(field("e"), 1), part(field("f"), 1));

        assertRefusedLeavingNothing(UploadRejectedException.class, 413, "more than maxParts 5 parts",
                () -> receive(concat(big, big, new byte[4]), 0));
    }

    @Test
    void receive_exactlyMaxParts_isAccepted() throws IOException {
        parser.body("outer", part(field("a"), 1), part(field("b"), 1), part(field("c"), 1), part(field("d"), 1),
                part(field("e"), 1));
        assertEquals(5, receive(new byte[5], 0).size());
    }

    @Test
    void receive_nestedPartsCountTowardsMaxParts() {
        parser.body("outer", part(field("a"), 1), part(field("b"), 1),
                        part("Content-Disposition: form-data; name=\"files\"\r\n"
                                + "Content-Type: multipart/mixed; boundary=inner", 4))
                .body("inner", part("Content-Disposition: attachment", 1), part("Content-Disposition: attachment", 1),
                        part("Content-Disposition: attachment", 1), part("Content-Disposition: attachment", 1));

        UploadRejectedException e = refusalOf(UploadRejectedException.class, 6);
        assertEquals("more than maxParts 5 parts", e.reason());
    }

    @Test
    void receive_fileOverMaxFileSize_is413AndThePartialFileIsDeleted() throws IOException {
        byte[] data = SeededBytes.of(12, (int) (KIB * KIB) + 1);
        parser.body("outer", part(file("upload", "big.bin"), data.length));

        assertRefusedLeavingNothing(UploadRejectedException.class, 413,
                "file in part 'upload' exceeds maxFileSize 1.0 MiB", () -> receive(data, 0));
    }

    @Test
    void receive_fileOfExactlyMaxFileSize_isAccepted() throws IOException {
        byte[] data = SeededBytes.of(13, (int) (KIB * KIB));
        parser.body("outer", part(file("upload", "big.bin"), data.length));
        assertEquals(KIB * KIB, receive(data, 0).get(0).size());
    }

    @Test
    void receive_fieldOverMaxFieldSize_is413() throws IOException {
        parser.body("outer", part(field("comment"), KIB + 1));
        UploadRejectedException e = refusalOf(UploadRejectedException.class, (int) KIB + 1);
        assertEquals(413, e.status());
        assertEquals("field 'comment' exceeds maxFieldSize 1.0 KiB", e.reason());
    }

    @Test
    void receive_hostileFieldName_isMadePrintableInTheReason() {
        parser.body("outer", part("Content-Disposition: form-data; name=\"x\u00e9\u0001" + "y".repeat(100) + "\"", KIB + 1));
        UploadRejectedException e = refusalOf(UploadRejectedException.class, (int) KIB + 1);
        assertEquals("field 'x??" + "y".repeat(61) + "...' exceeds maxFieldSize 1.0 KiB", e.reason());
    }

    @Test
    void receive_bodyOverMaxRequestSize_is413AndLeavesNothing() throws IOException {
        config = config.toBuilder().maxRequestSize(300_000).maxFileSize(300_000).build();
        byte[] a = SeededBytes.of(14, 200_000);
        byte[] b = SeededBytes.of(15, 200_000);
        parser.body("outer", part(file("a", "a"), a.length), part(file("b", "b"), b.length));

        assertRefusedLeavingNothing(UploadRejectedException.class, 413,
                "request body exceeds maxRequestSize 293 KiB", () -> receive(concat(a, b), 0));
    }

    // failures leave nothing behind

    @Test
    void receive_truncatedBody_is400AndLeavesNothing() throws IOException {
        byte[] data = SeededBytes.of(16, 100_000);
        parser.body("outer", part(file("a", "a"), data.length), part(file("b", "b"), data.length));
        assertThrows(MalformedMultipartException.class, () -> receive(concat(data, new byte[50_000]), 0));
        assertNothingLeftOnDisk();
    }

    @Test
    void receive_clientAbortMidPart_passesTheIOExceptionOnAndLeavesNothing() throws IOException {
        byte[] data = SeededBytes.of(17, 100_000);
        IOException reset = new IOException("Connection reset by peer");
        InputStream aborting = new SequenceInputStream(new ByteArrayInputStream(data), new InputStream() {
            @Override
            public int read() throws IOException {
                throw reset;
            }
        });
        parser.body("outer", part(file("a", "a"), data.length), part(file("b", "b"), data.length));

        IOException e = assertThrows(IOException.class, () -> receive(aborting, 0, null));

        assertSame(reset, e);
        assertNothingLeftOnDisk();
    }

    @Test
    void receive_parserRuntimeException_is400WithTheCauseAndLeavesNothing() throws IOException {
        byte[] data = SeededBytes.of(18, 100_000);
        NullPointerException bug = new NullPointerException("parser bug");
        MultipartParser failing = (body, boundary, limits) -> {
            io.spillway.core.multipart.MultipartReader inner = parser.open(body, boundary, limits);
            return new io.spillway.core.multipart.MultipartReader() {
                private int calls;

                @Override
                public io.spillway.core.multipart.PartHeaders nextPart() throws IOException {
                    if (++calls == 2) {
                        throw bug;
                    }
                    return inner.nextPart();
                }

                @Override
                public InputStream content() {
                    return inner.content();
                }
            };
        };
        parser.body("outer", part(file("a", "a"), data.length), part(file("b", "b"), 1));

        MalformedMultipartException e = assertThrows(MalformedMultipartException.class,
                () -> new MultipartReceiver(failing, config, storage, null)
                        .receive(new ByteArrayInputStream(concat(data, new byte[1])), BOUNDARY, 0, DiskGuard.unlimited()));

        assertEquals(400, e.status());
        assertEquals("malformed multipart body", e.reason());
        assertSame(bug, e.getCause());
        assertNothingLeftOnDisk();
    }

    @Test
    void receive_diskFullWhileWriting_is507AndLeavesNothing() throws IOException {
        byte[] data = SeededBytes.of(19, 200_000);
        parser.body("outer", part(file("a", "a"), data.length));
        DiskGuard full = new DiskGuard(() -> 512 * KIB, 512 * KIB);

        UploadRejectedException e = assertThrows(UploadRejectedException.class,
                () -> new MultipartReceiver(parser, config, storage, null)
                        .receive(new ByteArrayInputStream(data), BOUNDARY, 0, full));

        assertEquals(507, e.status());
        assertNothingLeftOnDisk();
    }

    @Test
    void receive_unknownDigestAlgorithm_failsWithoutLeavingFiles() throws IOException {
        parser.body("outer", part(file("a", "a"), 10));
        assertThrows(MalformedMultipartException.class, () -> receive(new ByteArrayInputStream(new byte[10]), 0, "NO-SUCH"));
        assertNothingLeftOnDisk();
    }

    // boundaryOf

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            multipart/form-data; boundary=abc                 | abc
            multipart/form-data;boundary=abc                  | abc
            multipart/form-data; BOUNDARY=abc                 | abc
            multipart/form-data; boundary="a b=c"           | a b=c
            multipart/form-data; charset=utf-8; boundary=x-1  | x-1
            multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW | ----WebKitFormBoundary7MA4YWxkTrZu0gW
            """)
    void boundaryOf_findsTheBoundary(String contentType, String boundary) {
        assertArrayEquals(boundary.getBytes(StandardCharsets.ISO_8859_1), MultipartReceiver.boundaryOf(contentType));
    }

    @Test
    void boundaryOf_seventyCharacters_isAccepted() {
        assertEquals(70, MultipartReceiver.boundaryOf("multipart/form-data; boundary=" + "b".repeat(70)).length);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=a; boundary=b", "multipart/form-data; boundary=a; Boundary=a"})
    void boundaryOf_missingEmptyOrDuplicated_isNull(String contentType) {
        assertNull(MultipartReceiver.boundaryOf(contentType));
    }

    @Test
    void boundaryOf_seventyOneCharacters_isNull() {
        assertNull(MultipartReceiver.boundaryOf("multipart/form-data; boundary=" + "b".repeat(71)));
    }

    @Test
    void printable_keepsPrintableAsciiAndShortensLongNames() {
        assertEquals("abc", MultipartReceiver.printable("abc"));
        assertEquals("a?b?", MultipartReceiver.printable("a\nb\u00e9"));
        assertEquals("x".repeat(64) + "...", MultipartReceiver.printable("x".repeat(65)));
    }

    @Test
    void receivedParts_ofAFailedUpload_areNotReturned() {
        parser.body("outer", part(file("a", "a"), 10), part("Content-Type: text/plain", 1));
        assertInstanceOf(MalformedMultipartException.class,
                assertThrows(UploadRejectedException.class, () -> receive(new byte[11], 0)));
    }
}
