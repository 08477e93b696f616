package io.spillway.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.core.routing.Route;
import io.spillway.core.upload.UploadRecord;
import io.spillway.servlet.testing.TestServer;
import io.spillway.servlet.testing.TestServers;
import jakarta.servlet.Filter;
import jakarta.servlet.MultipartConfigElement;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application servlets over real HTTP in an embedded Tomcat. Tomcat's own multipart parsing
 * stands in for Spillway's filter here (the browser tests run the real filter), and a small filter
 * sets the {@link UploadRecord} attribute the way Spillway does.
 */
class UploadServletTest {

    private static final String BOUNDARY = "----spillway-test-boundary";

    @TempDir
    Path temp;

    @RegisterExtension
    final TestServers servers = new TestServers();

    private String base;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void startTomcat() {
        Filter facts = (request, response, chain) -> {
            request.setAttribute(UploadRoute.ATTRIBUTE,
                    new UploadRecord("1a", Route.Kind.BUFFERED, "13 B <= 10 MiB threshold", List.of()));
            chain.doFilter(request, response);
        };
        TestServer server = servers.start(TestServer.builder()
                .contextParameter(SampleContextListener.STORAGE_PARAM, temp.resolve("files").toString())
                .listener(SampleContextListener.class)
                .filter("facts", facts, Map.of(), "/upload")
                .servlet(new UploadServlet(), new MultipartConfigElement(temp.toString()), "/upload")
                .servlet(new FilesServlet(), null, "/files", "/files/*"));
        base = "http://127.0.0.1:" + server.port();
    }



    @Test
    void post_storesEveryFilePartAndListsItWithDigestAndRoute() throws Exception {
        byte[] first = FileStoreTest.seeded(200_000, 7);
        byte[] second = "hello, world!".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(multipart(
                field("note", "a plain field is ignored"),
                file("file", "first.bin", first),
                file("file", "../second.txt", second)));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json;charset=UTF-8", response.headers().firstValue("Content-Type").orElseThrow());
        List<Map<String, Object>> answered = files(response.body());
        assertEquals(2, answered.size());
        assertEquals("first.bin", answered.get(0).get("name"));
        assertEquals(FileStoreTest.sha256(first), answered.get(0).get("sha256"));
        assertEquals("second.txt", answered.get(1).get("name"));
        assertEquals(13L, answered.get(1).get("size"));
        assertEquals("BUFFERED", answered.get(1).get("route"));
        assertEquals("13 B <= 10 MiB threshold", answered.get(1).get("reason"));

        List<Map<String, Object>> listed = files(get("/files").body());
        assertEquals(2, listed.size());
        assertTrue(listed.containsAll(answered), listed.toString());
    }

    @Test
    void post_withoutAFilePart_is400() throws Exception {
        HttpResponse<String> response = post(multipart(field("note", "no file")));

        assertEquals(400, response.statusCode());
        assertEquals("{\"error\":\"the request holds no file part\"}", response.body());
    }

    @Test
    void post_thatIsNotMultipart_is415() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(new byte[10])).build(), BodyHandlers.ofString());

        assertEquals(415, response.statusCode());
        assertEquals("{\"error\":\"expected multipart/form-data, got application/octet-stream\"}", response.body());
    }

    @Test
    void get_onTheUploadUrl_is405() throws Exception {
        HttpResponse<String> response = get("/upload");

        assertEquals(405, response.statusCode());
        assertEquals("POST, PUT, PATCH", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void delete_removesAStoredFileAndAnswers404ForAnUnknownId() throws Exception {
        post(multipart(file("file", "a.bin", new byte[] {1, 2, 3})));
        String id = (String) files(get("/files").body()).get(0).get("id");

        HttpResponse<String> deleted = delete("/files/" + id);
        HttpResponse<String> again = delete("/files/" + id);

        assertEquals(204, deleted.statusCode());
        assertEquals(404, again.statusCode());
        assertEquals(List.of(), files(get("/files").body()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> files(String json) {
        return (List<Map<String, Object>>) Json.parseObject(json).get("files");
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(), BodyHandlers.ofString());
    }

    private static byte[] field(String name, String value) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] file(String name, String fileName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] multipart(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
