package io.spillway.servlet.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.core.testing.Prerequisites;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real clients, same upload: curl {@code -F}, the JDK HttpClient, Apache HttpClient 5's
 * {@code MultipartEntityBuilder} and OkHttp each send the same two files and the same fields
 * (UTF-8, repeated, empty); the application sees identical digests, names and field maps, on both
 * routes and with both parsers.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientConformanceTest {

    @RegisterExtension
    static final Targets TARGETS = new Targets();
    private static final long DOC_SIZE = 1_500_000;
    private static final String TITLE = "Grüße, “quoted” & 日本";
    private static final String DOC_NAME = "report 2024.bin";
    private static final String NOTES_NAME = "notes.txt";
    private static final byte[] NOTES = "first line\r\n--not a boundary\r\nlast line".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path files;
    private static Path doc;
    private static Path notes;

    /** One client sending the upload to a URL, answering the echo's JSON. */
    @FunctionalInterface
    interface Client {
        String upload(String url) throws Exception;
    }

    @BeforeAll
    static void writeFiles() throws IOException {
        doc = files.resolve("doc.bin");
        try (InputStream in = new GeneratedStream(77, DOC_SIZE)) {
            Files.copy(in, doc);
        }
        notes = Files.write(files.resolve("notes.txt"), NOTES);
        Http.client();
    }

    static Stream<Arguments> clientsOnEveryMode() {
        Map<String, Client> clients = new LinkedHashMap<>();
        clients.put("curl", ClientConformanceTest::curl);
        clients.put("JDK HttpClient", ClientConformanceTest::jdk);
        clients.put("Apache HttpClient 5", ClientConformanceTest::apache);
        clients.put("OkHttp", ClientConformanceTest::okHttp);
        return Mode.all().flatMap(mode -> clients.entrySet().stream()
                .map(c -> Arguments.of(mode, c.getKey(), c.getValue())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientsOnEveryMode")
    void sameUpload_arrivesIdentically(Mode mode, String name, Client client) throws Exception {
        if (name.equals("curl")) {
            Prerequisites.require(curlPath() != null,
                    "curl is not on the PATH (apt-get install curl; scripts/test.sh does); the other clients still ran");

        }
        Target target = TARGETS.get(mode);
        Baseline baseline = target.baseline();
        Map<String, Object> echo = Json.parseObject(client.upload(target.uri("/upload?q=1").toString()));
        assertEquals(expectedFields(), echo.get("parameters"), name);
        assertEquals(expectedFiles(), files(echo), name);
        if (!mode.buffered()) {
            assertEquals("STREAMED", echo.get("route"), name);
        }
        baseline.assertRestored();
    }

    private static Map<String, Object> expectedFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("q", List.of("1"));
        fields.put("title", List.of(TITLE));
        fields.put("tags", List.of("a", "b"));
        fields.put("empty", List.of(""));
        return fields;
    }

    private static List<Map<String, Object>> expectedFiles() throws IOException {
        List<Map<String, Object>> expected = new ArrayList<>();
        expected.add(file("doc", DOC_NAME, DOC_SIZE, GeneratedStream.sha256Of(77, DOC_SIZE)));
        expected.add(file("notes", NOTES_NAME, NOTES.length, Responses.sha256(NOTES)));
        return expected;
    }

    private static List<Map<String, Object>> files(Map<String, Object> echo) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (Map<String, Object> part : Responses.parts(echo)) {
            if (part.get("fileName") != null) {
                files.add(file((String) part.get("name"), (String) part.get("fileName"),
                        ((Number) part.get("size")).longValue(), (String) part.get("sha256")));
            }
        }
        return files;
    }

    private static Map<String, Object> file(String name, String fileName, long size, String sha256) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", name);
        file.put("fileName", fileName);
        file.put("size", size);
        file.put("sha256", sha256);
        return file;
    }

    private static String curl(String url) throws IOException, InterruptedException {
        Path output = Files.createTempFile(files, "curl-", ".json");
        Path title = Files.writeString(files.resolve("title.txt"), TITLE, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(curlPath(), "--silent", "--show-error", "--fail", "--output",
                output.toString(), "--form", "title=<" + title, "--form-string", "tags=a",
                "--form-string", "tags=b", "--form-string", "empty=",
                "--form", "doc=@" + doc + ";filename=" + DOC_NAME + ";type=application/octet-stream",
                "--form", "notes=@" + notes + ";filename=" + NOTES_NAME + ";type=text/plain", url)
                .redirectErrorStream(true).start();
        String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "curl finished");
        assertEquals(0, process.exitValue(), "curl: " + messages);
        String body = Files.readString(output);
        Files.delete(output);
        return body;
    }

    private static String jdk(String url) throws IOException {
        MultipartBody body = new MultipartBody().field("title", TITLE).field("tags", "a").field("tags", "b")
                .field("empty", "").file("doc", DOC_NAME, "application/octet-stream", () -> open(doc), DOC_SIZE)
                .file("notes", NOTES_NAME, "text/plain", () -> open(notes), NOTES.length).end();
        HttpResponse<String> response = Http.post(java.net.URI.create(url), body);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static String apache(String url) throws Exception {
        ContentType utf8 = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
        HttpPost post = new HttpPost(url);
        post.setEntity(MultipartEntityBuilder.create().setCharset(StandardCharsets.UTF_8)
                .addTextBody("title", TITLE, utf8).addTextBody("tags", "a", utf8).addTextBody("tags", "b", utf8)
                .addTextBody("empty", "", utf8)
                .addBinaryBody("doc", doc.toFile(), ContentType.APPLICATION_OCTET_STREAM, DOC_NAME)
                .addBinaryBody("notes", notes.toFile(), ContentType.TEXT_PLAIN, NOTES_NAME).build());
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            return client.execute(post, response -> {
                assertEquals(200, response.getCode());
                return EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            });
        }
    }

    private static String okHttp(String url) throws IOException {
        OkHttpClient client = new OkHttpClient();
        okhttp3.MultipartBody body = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
                .addFormDataPart("title", TITLE).addFormDataPart("tags", "a").addFormDataPart("tags", "b")
                .addFormDataPart("empty", "")
                .addFormDataPart("doc", DOC_NAME, RequestBody.create(doc.toFile(),
                        okhttp3.MediaType.get("application/octet-stream")))
                .addFormDataPart("notes", NOTES_NAME, RequestBody.create(notes.toFile(), okhttp3.MediaType.get("text/plain")))
                .build();
        try (Response response = client.newCall(new Request.Builder().url(url).post(body).build()).execute()) {
            assertEquals(200, response.code());
            return response.body().string();
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    private static InputStream open(Path path) {
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String curlPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "curl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
