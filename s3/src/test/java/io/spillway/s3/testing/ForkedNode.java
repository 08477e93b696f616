package io.spillway.s3.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Node} in a child JVM with its own heap limit ({@link ForkedNodeMain}), on the test class
 * path, with the object store's credentials as system properties (the SDK's default chain). Its
 * output is collected so that a test can check for {@code OutOfMemoryError}.
 */
public final class ForkedNode implements AutoCloseable {

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private ForkedNode(Process process, int port, BufferedReader reader) {
        this.process = process;
        this.port = port;
        Thread drain = new Thread(() -> drain(reader), "forked-node-output");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Starts a node with {@code -Xmx} and the filter's init-params; its {@code java.io.tmpdir} is
     * {@code tmpdir}, so that nothing it leaves lands in the machine's temp directory.
     */
    public static ForkedNode start(String xmx, Path tmpdir, Map<String, String> params) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=" + tmpdir,
                "-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY, "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY,
                "-Daws.region=" + S3ProxyServer.REGION,
                "-cp", System.getProperty("java.class.path"), ForkedNodeMain.class.getName()));
        params.forEach((name, value) -> command.add(name + "=" + value));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder early = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    ForkedNode node = new ForkedNode(process, Integer.parseInt(line.substring(5).trim()), reader);
                    node.output.append(early);
                    return node;
                }
                early.append(line).append('\n');
            }
            throw new IllegalStateException("forked node exited before it was ready:\n" + early);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void drain(BufferedReader reader) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }
}
