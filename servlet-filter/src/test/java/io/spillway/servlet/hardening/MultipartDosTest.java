package io.spillway.servlet.hardening;

import static io.spillway.servlet.hardening.Responses.assertClientError;
import static io.spillway.servlet.hardening.Responses.assertEchoed;
import static io.spillway.servlet.hardening.Responses.assertRefused;
import static io.spillway.servlet.hardening.Responses.assertRoute;
import static io.spillway.servlet.hardening.Responses.part;
import static io.spillway.servlet.hardening.Responses.parts;
import static io.spillway.servlet.hardening.Responses.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.RawHttpClient;
import io.spillway.servlet.testing.RawHttpClient.Framing;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * THREATS.md 1-9, multipart parsing as a denial of service, on both routes and with every parser:
 * each case gets a deliberate status with a short reason (or, for valid bodies, the exact bytes),
 * and leaves the temp directory, descriptors and budget as it found them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultipartDosTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();
    private static final String MAX_PARTS_REASON = "more than maxParts 50 parts";

    static Stream<Mode> modes() {
        return Mode.all();
    }

    // 1. part flood

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void partFlood_tenThousandTinyParts_is413AfterMaxParts(Mode mode) {
        TARGETS.get(mode).assertRefusedAndRestored(Body.fieldFlood(10_000, "v").post("/upload"), 413,
                MAX_PARTS_REASON);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void partFlood_nestedInOneMixedPart_is413AfterMaxParts(Mode mode) {
        TARGETS.get(mode).assertRefusedAndRestored(nestedFiles(10_000).post("/upload"), 413, MAX_PARTS_REASON);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void maxParts_countsTheOuterAndTheNestedParts_exactly(Mode mode) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        Map<String, Object> echo = assertEchoed(target.send(nestedFiles(49).post("/upload")));
        assertEquals(49, parts(echo).size());
        assertEquals("files", part(echo, 48).get("name"));
        assertRefused(target.send(nestedFiles(50).post("/upload")), 413, MAX_PARTS_REASON);
        baseline.assertRestored();
    }

    // 2. part-header bloat

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void partHeaderBloat_manyLines_is413(Mode mode) {
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"\r\n");
        body.stream(() -> new PatternStream("X-Pad: 0123456789abcdef0123456789abcdef\r\n".getBytes(StandardCharsets.US_ASCII),
                40L * 25_000), 40L * 25_000);
        body.text("\r\nv\r\n").close();
        assertRefusedAtTheHeaderLimit(mode, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void partHeaderBloat_oneEndlessLine_is413(Mode mode) {
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"; x=\"");
        body.stream(() -> new PatternStream(new byte[] {'a'}, 10L << 20), 10L << 20);
        assertRefusedAtTheHeaderLimit(mode, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void unterminatedHeaderBlock_atTheEndOfTheBody_is400(Mode mode) {
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"\r\n");
        TARGETS.get(mode).assertRefusedAndRestored(body.post("/upload"), 400, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void headersJustUnderTheLimit_areAccepted(Mode mode) {
        Target target = TARGETS.get(mode);
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"a\"\r\n");
        body.text(("X-Pad: " + "p".repeat(90) + "\r\n").repeat(38)).text("\r\nvalue\r\n").close();
        Map<String, Object> echo = assertEchoed(target.send(body.post("/upload")));
        assertEquals(Map.of("a", List.of("value")), echo.get("parameters"));
    }

    // 3. boundary abuse

    static Stream<Arguments> badBoundaries() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode mode : Mode.all().toList()) {
            cases.add(Arguments.of(mode, "missing", "multipart/form-data"));
            cases.add(Arguments.of(mode, "empty", "multipart/form-data; boundary="));
            cases.add(Arguments.of(mode, "quoted empty", "multipart/form-data; boundary=\"\""));
            cases.add(Arguments.of(mode, "71 characters", "multipart/form-data; boundary=" + "b".repeat(71)));
            cases.add(Arguments.of(mode, "5000 characters", "multipart/form-data; boundary=" + "b".repeat(5000)));
            cases.add(Arguments.of(mode, "duplicated", "multipart/form-data; boundary=abc; boundary=abd"));
            cases.add(Arguments.of(mode, "duplicated, same value", "multipart/form-data; boundary=abc; boundary=abc"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badBoundaries")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void badBoundary_is400_withoutWaitingForTheBody(Mode mode, String name, String contentType) {
        TARGETS.get(mode).assertRefusedAndRestored(RawHttpClient.request("POST", "/upload")
                .header("Content-Type", contentType).declaredLength(100L << 20), 400,
                "multipart request without a valid boundary");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void boundaryOfSeventyCharacters_quotedOrNot_isAccepted(Mode mode) {
        Target target = TARGETS.get(mode);
        String boundary = "'()+_,-./:=?" + "B".repeat(58);
        for (String type : List.of("multipart/form-data; boundary=" + boundary,
                "multipart/form-data; boundary=\"" + boundary + "\"; charset=UTF-8")) {
            byte[] content = GeneratedStream.bytes(70, 100_000);
            Body body = Body.withBoundary(boundary).file("doc", "seventy.bin", content).close();
            RawHttpClient.Response response = target.send(RawHttpClient.request("POST", "/upload")
                    .header("Content-Type", type).body(body::stream, body.length()));
            Map<String, Object> echo = assertEchoed(response);
            assertRoute(mode, echo);
            assertEquals(sha256(content), part(echo, 0).get("sha256"));
        }
    }

    // 4. content that almost matches the boundary, one byte per TCP write

    static Stream<Arguments> framings() {
        return Mode.all().flatMap(m -> Stream.of(Arguments.of(m, Framing.CONTENT_LENGTH), Arguments.of(m, Framing.CHUNKED)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("framings")
    void nearBoundaryContent_inOneByteWrites_isStoredExactly(Mode mode, Framing framing) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        String b = Body.BOUNDARY;
        String partial = b.substring(0, b.length() - 1);
        byte[] tricky = concat("--" + partial, "\r\n--" + partial, "\r\n--" + partial + "X", "\n--" + b, "\r--" + b,
                "--" + b, "\r\n-" + b, "\r\r\n--" + partial, "\r\n--" + b.toLowerCase(), "\r\n\r\n--", "\r");
        byte[] endsLikeADelimiter = concat("payload", "\r\n--" + partial);
        byte[] binary = GeneratedStream.bytes(44, 1500);
        Body body = Body.create().file("tricky", "tricky.bin", tricky).file("tail", "tail.bin", endsLikeADelimiter)
                .file("binary", "binary.bin", binary).field("field", "\r\n-").close();
        RawHttpClient.Response response = target.send(body.post("/upload").framing(framing).pieces(1, Duration.ZERO));
        Map<String, Object> echo = assertEchoed(response);
        assertEquals(sha256(tricky), part(echo, 0).get("sha256"));
        assertEquals((long) tricky.length, part(echo, 0).get("size"));
        assertEquals(sha256(endsLikeADelimiter), part(echo, 1).get("sha256"));
        assertEquals(sha256(binary), part(echo, 2).get("sha256"));
        assertEquals(Map.of("field", List.of("\r\n-")), echo.get("parameters"));
        baseline.assertRestored();
    }

    // 5. linear time on pathological bytes (a hang or quadratic scan would hit the timeout)

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void megabytesOfCrlfBeforeTheFirstBoundary_areSkipped(Mode mode) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        long preamble = 8L << 20;
        byte[] content = GeneratedStream.bytes(55, 10_000);
        Body body = Body.create().stream(() -> new PatternStream(new byte[] {'\r', '\n'}, preamble), preamble)
                .text("\r\n").file("doc", "after-preamble.bin", content).close();
        Map<String, Object> echo = assertEchoed(target.send(body.post("/upload")));
        assertEquals(sha256(content), part(echo, 0).get("sha256"));
        baseline.assertRestored();
    }

    static Stream<Arguments> pathologicalContents() {
        String partial = "\r\n--" + Body.BOUNDARY.substring(0, Body.BOUNDARY.length() - 1);
        return Mode.all().flatMap(m -> Stream.of(
                Arguments.of(m, "CR then 50 MB of CR", new byte[] {'\r'}, 50L << 20),
                Arguments.of(m, "20 MB of almost-delimiters", partial.getBytes(StandardCharsets.US_ASCII), 20L << 20),
                Arguments.of(m, "20 MB of CRLF-dash-dash", "\r\n--".getBytes(StandardCharsets.US_ASCII), 20L << 20)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pathologicalContents")
    void pathologicalContent_isStoredExactly(Mode mode, String name, byte[] pattern, long size) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        Body body = Body.create().fileHead("doc", "pathological.bin")
                .stream(() -> new PatternStream(pattern, size), size).text("\r\n").close();
        Map<String, Object> echo = assertEchoed(target.send(body.post("/upload")));
        assertRoute(mode, echo);
        assertEquals(size, part(echo, 0).get("size"));
        assertEquals(PatternStream.sha256(pattern, size), part(echo, 0).get("sha256"));
        baseline.assertRestored();
    }

    // 6. a huge field without a file name

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("framings")
    void hugeField_is413AtMaxFieldSize_andNeverGrowsOnDisk(Mode mode, Framing framing) throws Exception {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        long size = 200L << 20;
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"big\"\r\n\r\n")
                .stream(() -> new PatternStream(new byte[] {'f'}, size), size).text("\r\n").close();
        try (DirectorySampler disk = DirectorySampler.start(target.tempDirectory())) {
            assertRefused(target.send(body.post("/upload").framing(framing)), 413,
                    "field 'big' exceeds maxFieldSize 1.0 MiB");
            assertTrue(disk.maxBytes() <= (1L << 20) + (64 << 10), "bytes on disk at most: " + disk.maxBytes());
        }
        baseline.assertRestored();
    }

    // 7. truncated bodies

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("framings")
    void missingClosingBoundary_is400_andThePartialFileIsDeleted(Mode mode, Framing framing) {
        Body body = Body.create().field("a", "1").fileHead("doc", "cut.bin")
                .stream(() -> new GeneratedStream(71, 3_000_000), 3_000_000);
        TARGETS.get(mode).assertRefusedAndRestored(body.post("/upload").framing(framing), 400, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void delimiterWithoutAnotherPart_is400(Mode mode) {
        Body body = Body.create().generatedFile("doc", "a.bin", 72, 200_000).delimiter();
        TARGETS.get(mode).assertRefusedAndRestored(body.post("/upload"), 400, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void emptyBody_is400(Mode mode) {
        TARGETS.get(mode).assertRefusedAndRestored(Body.create().post("/upload"), 400, "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void bodyShorterThanItsContentLength_thenFin_is400_andThePartialFileIsDeleted(Mode mode) throws Exception {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        Body body = Body.create().generatedFile("doc", "short.bin", 73, 2_000_000);
        try (RawHttpClient client = RawHttpClient.connect(target.port())) {
            client.write(body.post("/upload").declaredLength(body.length() + 1_000_000).head());
            client.write(body.stream(), 64 << 10, Duration.ZERO);
            client.finish();
            RawHttpClient.Response response = client.readResponse();
            assertEquals(400, response.status(), "tomcat's own answer to a failed read: " + response);
            Responses.assertNoStackTrace(response);
        }
        baseline.assertRestored();
    }

    // 8. malformed structure

    static Stream<Arguments> malformedBodies() {
        String b = Body.BOUNDARY;
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("header name with a space", "--" + b + "\r\nContent Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("header line without a colon", "--" + b + "\r\nContent-Disposition form-data\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("header name with a control character", "--" + b + "\r\nContent-\u0001Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("LF-only lines", "--" + b + "\nContent-Disposition: form-data; name=\"a\"\n\nv\n--" + b + "--\n");
        bodies.put("missing Content-Disposition", "--" + b + "\r\nContent-Type: text/plain\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("Content-Disposition without a name", "--" + b + "\r\nContent-Disposition: form-data\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("unterminated quoted name", "--" + b + "\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("garbage after the delimiter", "--" + b + "garbage\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + b + "--\r\n");
        bodies.put("nested multipart/mixed without a boundary", "--" + b + "\r\nContent-Disposition: form-data; name=\"files\"\r\n"
                + "Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Disposition: file; filename=\"a.txt\"\r\n\r\nA\r\n--x--\r\n--" + b + "--\r\n");
        bodies.put("multipart/mixed nested twice", "--" + b + "\r\nContent-Disposition: form-data; name=\"files\"\r\n"
                + "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n"
                + "--inner\r\n\r\nA\r\n--inner--\r\n--outer--\r\n--" + b + "--\r\n");
        bodies.put("nested part ends without its closing delimiter", "--" + b + "\r\nContent-Disposition: form-data; name=\"files\"\r\n"
                + "Content-Type: multipart/mixed; boundary=inner\r\n\r\n--inner\r\nContent-Disposition: file; filename=\"a.txt\"\r\n\r\nA\r\n--" + b + "--\r\n");
        bodies.put("no delimiter at all", "just some text that is not multipart at all\r\n");
        bodies.put("closing delimiter only", "--" + b + "--\r\n" + "--" + b + "\r\n");
        return Mode.all().flatMap(m -> bodies.entrySet().stream().map(e -> Arguments.of(m, e.getKey(), e.getValue())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("malformedBodies")
    void malformedStructure_is4xx(Mode mode, String name, String text) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        RawHttpClient.Response response = target.send(Body.create().text(text).post("/upload"));
        if (name.equals("closing delimiter only")) {
            assertEquals(List.of(), parts(assertEchoed(response)), "no parts, then an epilogue");
        } else if (name.equals("garbage after the delimiter") && response.status() == 200) {
            assertEquals(List.of(), parts(assertEchoed(response)), "a line that is not a delimiter is preamble");
        } else {
            assertRefused(response, 400, "");
        }
        baseline.assertRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void randomBytes_are400(Mode mode) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        for (int seed = 0; seed < 10; seed++) {
            byte[] junk = GeneratedStream.bytes(900 + seed, 50_000);
            assertRefused(target.send(Body.create().bytes(junk).post("/upload")), 400, "");
        }
        baseline.assertRestored();
    }

    // 9. lying lengths

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void declaredLengthOverMaxRequestSize_is413_beforeTheBodyIsRead(Mode mode) {
        Target target = TARGETS.get(mode, Map.of("maxRequestSize", "1MB", "maxFileSize", "1MB"));
        Baseline baseline = target.baseline();
        RawHttpClient.Response response = target.send(RawHttpClient.request("POST", "/upload")
                .header("Content-Type", Body.create().contentType()).declaredLength(10L << 30));
        assertRefused(response, 413, "request body of 10");
        assertTrue(response.text().contains("GiB exceeds maxRequestSize 1"), response.text());
        baseline.assertRestored();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("framings")
    void bodyOfExactlyMaxRequestSize_isAccepted_oneByteMore_is413(Mode mode, Framing framing) {
        long limit = 64 << 10;
        Target target = TARGETS.get(mode, Map.of("maxRequestSize", "64KB", "maxFileSize", "64KB"));
        Baseline baseline = target.baseline();
        long overhead = Body.create().generatedFile("doc", "limit.bin", 74, 0).close().length();
        Body exact = Body.create().generatedFile("doc", "limit.bin", 74, limit - overhead).close();
        assertEquals(limit, exact.length());
        Map<String, Object> echo = assertEchoed(target.send(exact.post("/upload").framing(framing)));
        assertEquals(GeneratedStream.sha256Of(74, limit - overhead), part(echo, 0).get("sha256"));
        Body oneMore = Body.create().generatedFile("doc", "limit.bin", 74, limit - overhead + 1).close();
        RawHttpClient.Response response = target.send(oneMore.post("/upload").framing(framing));
        assertRefused(response, 413, framing == Framing.CHUNKED ? "request body exceeds maxRequestSize 64"
                : "request body of 64");
        baseline.assertRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void contentLengthShorterThanTheBody_is400(Mode mode) {
        Body body = Body.create().generatedFile("doc", "a.bin", 75, 100_000).close();
        TARGETS.get(mode).assertRefusedAndRestored(body.post("/upload").declaredLength(body.length() - 100), 400, "");
    }

    static Stream<Arguments> badFraming() {
        return Mode.all().flatMap(m -> Stream.of(
                Arguments.of(m, "Content-Length and chunked", List.of("Content-Length: 10", "Transfer-Encoding: chunked")),
                Arguments.of(m, "two Content-Lengths", List.of("Content-Length: 10", "Content-Length: 11")),
                Arguments.of(m, "non-numeric Content-Length", List.of("Content-Length: ten")),
                Arguments.of(m, "negative Content-Length", List.of("Content-Length: -5")),
                Arguments.of(m, "overflowing Content-Length", List.of("Content-Length: 99999999999999999999999"))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badFraming")
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void badFramingHeaders_areRefusedWith4xx(Mode mode, String name, List<String> headers) {
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        RawHttpClient.Request request = RawHttpClient.request("POST", "/upload").framing(Framing.NONE)
                .header("Content-Type", Body.create().contentType());
        headers.forEach(h -> request.header(h.substring(0, h.indexOf(':')), h.substring(h.indexOf(':') + 2)));
        RawHttpClient.Response response = target.send(request.body("0123456789".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(response.status() >= 400 && response.status() < 500, name + ": " + response.status());
        baseline.assertRestored();
    }

    /**
     * Posts the body to the mode's target: refused with 413 at the part-header limit, the target
     * restored. Every parser words it its own way; the status and the subject are what matter.
     */
    private static void assertRefusedAtTheHeaderLimit(Mode mode, Body body) {
        RawHttpClient.Response response = TARGETS.get(mode).assertRefusedAndRestored(body.post("/upload"), 413, "");
        assertTrue(response.text().contains("header") && response.text().contains("4096"), response.text());
    }

    private static Body nestedFiles(int count) {
        Body body = Body.create().delimiter().text("Content-Disposition: form-data; name=\"files\"\r\n"
                + "Content-Type: multipart/mixed; boundary=inner\r\n\r\n");
        for (int i = 0; i < count; i++) {
            body.text("--inner\r\nContent-Disposition: file; filename=\"f" + i + ".txt\"\r\n\r\nv\r\n");
        }
        return body.text("--inner--\r\n\r\n").close();
    }

    private static byte[] concat(String... texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String text : texts) {
            out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }
}
