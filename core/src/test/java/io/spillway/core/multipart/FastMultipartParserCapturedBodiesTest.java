package io.spillway.core.multipart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.core.multipart.MultipartOutcome.Failure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bodies real clients sent (see {@code captured/README.md}), parsed with several read
 * fragmentations: every part, name, file name, content type and byte is checked, and FileUpload2
 * must agree.
 */
class FastMultipartParserCapturedBodiesTest {

    /** What one part must look like. */
    private record Expected(String name, String fileName, String contentType, byte[] content) {

        static Expected field(String name, String value) {
            return new Expected(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void chrome156Form() throws IOException {
        assertParses("chrome-156.txt", "----WebKitFormBoundarylr53fcS4AhAfCKNB", List.of(
                Expected.field("title", "Caf\u00e9 \"quoted\" & more"),
                Expected.field("notes", "line one\r\nline two with \\r\\n-- dashes\r\n------WebKitFormBoundary not quite"),
                new Expected("document", "r\u00e9sum\u00e9 %22final%22.txt", "text/plain", bytes(
                        "first line\r\n--\r\n------WebKitFormBoundary\r\n\r\n--\r\nlast line without newline")),
                new Expected("nothing", "", "application/octet-stream", new byte[0]),
                Expected.field("agree", "yes")));
    }

    @Test
    void curl788Form() throws IOException {
        byte[] payload = new byte[] {'b', 'i', 'n', 'a', 'r', 'y', 0, 1, (byte) 0xff};
        assertParses("curl-7.88.txt", "------------------------18a6a25855801761", List.of(
                Expected.field("name", "Jane Doe"),
                Expected.field("comment", "multi word"),
                new Expected("upload", "payload.bin", "application/octet-stream",
                        concat(payload, bytes("\r\n--------------------------\r\n--\r\nend"))),
                new Expected("sheet", "report 2024.csv", "text/csv", bytes("a,b\r\n1,2\r\n"))));
    }

    @Test
    void firefoxStyleForm() throws IOException {
        String boundary = "---------------------------3051287961843457218264312458";
        byte[] photo = concat(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0},
                bytes("\r\n--" + boundary.substring(0, boundary.length() - 4) + "\r\n"));
        byte[] controls = new byte[32];
        for (int i = 0; i < 32; i++) {
            controls[i] = (byte) i;
        }
        photo = concat(concat(photo, controls), new byte[] {(byte) 0xff, (byte) 0xd9});
        assertParses("firefox-style.txt", boundary, List.of(
                Expected.field("title", "Gr\u00fc\u00dfe aus K\u00f6ln"),
                new Expected("photo", "holiday %22best%22.jpg", "image/jpeg", photo),
                new Expected("empty", "", "application/octet-stream", new byte[0]),
                Expected.field("message", "first\r\nsecond\r\n")));
    }

    private void assertParses(String resource, String boundary, List<Expected> expected) throws IOException {
        byte[] body = resource(resource);
        for (int chunk : new int[] {1, 2, 5, 64, Integer.MAX_VALUE}) {
            List<ParsedPart> parts = ParsedPart.readAll(new FastMultipartParser(1024).open(
                    new ChunkedInputStream(body, () -> chunk), bytes(boundary), new MultipartLimits(512)));
            assertEquals(expected.size(), parts.size(), resource);
            for (int i = 0; i < parts.size(); i++) {
                ParsedPart part = parts.get(i);
                Expected want = expected.get(i);
                String where = resource + " part " + i + " chunk " + chunk;
                assertEquals("form-data", part.headers().disposition().type(), where);
                assertEquals(want.name(), part.headers().disposition().name(), where);
                assertEquals(want.fileName(), part.headers().disposition().fileName(), where);
                assertEquals(want.contentType(), part.headers().contentType(), where);
                assertArrayEquals(want.content(), part.content(), where);
            }
        }
        MultipartOutcome fileUpload2 = MultipartOutcome.fileUpload2(new ByteArrayInputStream(body), boundary, 512, 4096);
        assertEquals(Failure.NONE, fileUpload2.failure());
        MultipartOutcome fast = MultipartOutcome.fast(new ByteArrayInputStream(body), boundary, 512, 4096,
                new Random(resource.hashCode()), true);
        assertEquals(fileUpload2, fast);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FastMultipartParserCapturedBodiesTest.class.getResourceAsStream("captured/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource captured/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
