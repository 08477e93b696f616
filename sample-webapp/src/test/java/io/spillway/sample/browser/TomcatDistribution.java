package io.spillway.sample.browser;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The real Tomcat distribution (unpacked from {@code org.apache.tomcat:tomcat:tar.gz} at package
 * time) running the sample WAR as ROOT, started with {@code bin/catalina.sh run} in its own
 * process. A separate CATALINA_BASE keeps the distribution pristine and survives restarts, so a
 * test can kill the server mid-upload and start it again on the same port and directories.
 */
final class TomcatDistribution implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final Path base;
    private final int port;
    private final String heap;
    private Process process;

    private TomcatDistribution(Path home, Path base, int port, String heap) {
        this.home = home;
        this.base = base;
        this.port = port;
        this.heap = heap;
    }

    /** Prepares a fresh CATALINA_BASE with the WAR as ROOT on a free port; does not start. */
    static TomcatDistribution prepare(Path home, Path war, Path base, String heap) throws IOException {
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("no Tomcat distribution at " + home + "; run the package phase first");
        }
        deleteRecursively(base);
        for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
            for (Path file : conf.filter(Files::isRegularFile).toList()) {
                Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
            }
        }
        int port = freePort();
        String serverXml = Files.readString(home.resolve("conf/server.xml"), StandardCharsets.UTF_8)
                .replace("port=\"8005\"", "port=\"-1\"")
                .replace("<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                        "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"");
        if (!serverXml.contains("port=\"" + port + "\"")) {
            throw new IllegalStateException("cannot find the HTTP connector in " + home.resolve("conf/server.xml"));
        }
        Files.writeString(base.resolve("conf/server.xml"), serverXml, StandardCharsets.UTF_8);
        Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        return new TomcatDistribution(home, base, port, heap);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    Path base() {
        return base;
    }

    /** Starts {@code catalina.sh run} and waits until the sample answers. */
    void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("tomcat is already running");
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("logs/console.log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("JRE_HOME");
        env.remove("JAVA_OPTS");
        env.put("CATALINA_OPTS", "-Xmx" + heap);
        env.remove("CATALINA_PID");
        process = builder.start();
        Process started = process;
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "stop-tomcat-on-exit"));
        waitUntilUp();
    }

    /** Kills the JVM at once (SIGKILL), as a crash or a pulled plug would. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    /** Stops Tomcat gracefully (SIGTERM runs its shutdown hook), killing it if it hangs. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        process = null;
    }

    private void waitUntilUp() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            await("tomcat serves the sample").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> servesTheSample(client));
        } catch (ConditionTimeoutException timedOut) {
            throw new IllegalStateException("tomcat did not serve the sample within " + START_TIMEOUT + "; see "
                    + console(), timedOut);
        }
    }

    /** Whether the sample answers 200; fails at once when Tomcat has exited. */
    private boolean servesTheSample(HttpClient client) throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException("tomcat exited with " + process.exitValue() + "; see " + console());
        }
        try {
            return client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "files"))
                    .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }


    private Path console() {
        return base.resolve("logs/console.log");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
