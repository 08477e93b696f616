package io.spillway.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.core.internal.json.Json;
import io.spillway.core.memory.MemoryBudget;
import io.spillway.servlet.testing.GeneratedStream;
import io.spillway.servlet.testing.Http;
import io.spillway.servlet.testing.MultipartBody;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-registration in a Tomcat that really scans {@code WEB-INF/lib}: a webapp directory whose
 * {@code web.xml} declares no filter and whose {@code WEB-INF/lib} holds the servlet-filter jar
 * (zipped here from the compiled classes, {@code META-INF/web-fragment.xml} included) and the core
 * jar. The application servlet comes from the test class path and sees the filter's work only
 * through the Servlet API and the request attribute.
 */
class AutoRegistrationTest {

    private static final String APP = """
              <servlet>
                <servlet-name>app</servlet-name>
                <servlet-class>io.spillway.servlet.AutoRegistrationTest$AttributeServlet</servlet-class>
              </servlet>
              <servlet-mapping>
                <servlet-name>app</servlet-name>
                <url-pattern>/upload/*</url-pattern>
                <url-pattern>/custom/*</url-pattern>
              </servlet-mapping>
            """;

    @TempDir
    Path temp;

    private Tomcat tomcat;

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void jarInWebInfLib_routesUploads_andServesProgressAndHealth() throws Exception {
        start(webXml("", ""));
        MultipartBody body = new MultipartBody().generatedFile("doc", "a.bin", 41, 100_000).end();
        HttpResponse<String> upload = Http.post(uri("/upload/files"), body);
        assertEquals(200, upload.statusCode(), upload.body());
        Map<String, Object> json = Http.json(upload);
        assertTrue(String.valueOf(json.get("upload")).matches("(BUFFERED|STREAMED): .+"), json.toString());
        assertEquals(List.of(Map.of("name", "doc", "size", 100_000L, "sha256", GeneratedStream.sha256Of(41, 100_000))),
                json.get("parts"));

        String id = upload.headers().firstValue("X-Progress-Id").orElseThrow();
        Map<String, Object> progress = Http.json(get("/spillway/progress?id=" + id));
        assertEquals("done", progress.get("state"));
        assertEquals(body.length(), progress.get("bytesReceived"));
        HttpResponse<String> health = get("/spillway/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(Map.of("BUFFERED", 1L, "STREAMED", 0L).keySet(), ((Map<?, ?>) Http.json(health).get("routed")).keySet());
    }

    @Test
    void absoluteOrderingWithoutSpillway_turnsItOff() throws Exception {
        start(webXml("", "<absolute-ordering/>"));
        Map<String, Object> json = Http.json(Http.post(uri("/upload"), new MultipartBody().field("a", "b").end()));
        assertNull(json.get("upload"), "not filtered");
        assertEquals(404, get("/spillway/health").statusCode());
    }

    @Test
    void metadataComplete_turnsItOff() throws Exception {
        start(webXml("metadata-complete=\"true\"", ""));
        assertNull(Http.json(Http.post(uri("/upload"), new MultipartBody().field("a", "b").end())).get("upload"));
        assertEquals(404, get("/spillway/progress?id=x").statusCode());
    }

    @Test
    void webXml_overridesInitParamsAndMappings_ofTheFragmentsFilter() throws Exception {
        start(webXml("", """
                <filter>
                  <filter-name>spillway</filter-name>
                  <init-param><param-name>inMemoryThreshold</param-name><param-value>0</param-value></init-param>
                </filter>
                <filter-mapping>
                  <filter-name>spillway</filter-name>
                  <url-pattern>/custom/*</url-pattern>
                </filter-mapping>
                """));
        MultipartBody small = new MultipartBody().file("doc", "a.txt", new byte[100]).end();
        Map<String, Object> custom = Http.json(Http.post(uri("/custom/x"), small));
        assertEquals("STREAMED: " + small.length() + " B > inMemoryThreshold 0 B", custom.get("upload"),
                "web.xml's init-param applies to the fragment's filter");
        assertNull(Http.json(Http.post(uri("/upload"), new MultipartBody().field("a", "b").end())).get("upload"),
                "the fragment's /upload mapping is replaced");
        assertEquals(200, get("/spillway/health").statusCode(), "the fragment's servlets stay");
    }

    private void start(String webXml) throws Exception {
        Path war = Files.createDirectories(temp.resolve("webapp"));
        Path lib = Files.createDirectories(war.resolve("WEB-INF/lib"));
        Files.writeString(war.resolve("WEB-INF/web.xml"), webXml);
        jar(MemoryAwareUploadFilter.class, lib.resolve("spillway-servlet-filter.jar"));
        jar(MemoryBudget.class, lib.resolve("spillway-core.jar"));
        assertTrue(Files.exists(classesOf(MemoryAwareUploadFilter.class).resolve("META-INF/web-fragment.xml")));

        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(temp.resolve("tomcat")).toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", war.toString());
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        context.setJarScanner(scanner);
        tomcat.start();
        assertTrue(context.getState().isAvailable(), "webapp started");
    }

    private static String webXml(String attributes, String extra) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "version=\"6.0\" " + attributes + ">\n" + extra + APP + "</web-app>\n";
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path);
    }

    private HttpResponse<String> get(String path) {
        return Http.send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    /** The directory (or jar) a class was loaded from: target/classes in a reactor build. */
    private static Path classesOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Zips the compiled classes of a module into a jar, or copies the jar when they are one already. */
    private static void jar(Class<?> type, Path target) throws Exception {
        Path classes = classesOf(type);
        if (Files.isRegularFile(classes)) {
            Files.copy(classes, target);
            return;
        }
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path path : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                jar.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                Files.copy(path, jar);
                jar.closeEntry();
            }
        }
    }

    /** The application: reports the upload attribute (as text) and the parts it sees through the Servlet API. */
    public static class AttributeServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, Object> result = new LinkedHashMap<>();
            Object upload = request.getAttribute("io.spillway.upload");
            result.put("upload", upload == null ? null : upload.toString());
            List<Object> parts = new ArrayList<>();
            if (upload != null) {
                try {
                    for (Part part : request.getParts()) {
                        if (part.getSubmittedFileName() != null) {
                            parts.add(Map.of("name", part.getName(), "size", part.getSize(), "sha256", sha256(part)));
                        }
                    }
                } catch (ServletException e) {
                    result.put("partsError", e.getMessage());
                }
            }
            result.put("parts", parts);
            byte[] json = Json.write(result).getBytes(StandardCharsets.UTF_8);
            response.setContentType("application/json");
            response.getOutputStream().write(json);
        }

        private static String sha256(Part part) throws IOException {
            var sha = GeneratedStream.sha256();
            try (InputStream in = part.getInputStream()) {
                sha.update(in.readAllBytes());
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

}
