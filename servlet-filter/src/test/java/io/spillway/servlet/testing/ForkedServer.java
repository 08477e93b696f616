package io.spillway.servlet.testing;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link ForkedServerMain} (or another main class) in a child JVM with its own heap limit,
 * on the test class path, and collects its output so a test can check for OutOfMemoryError.
 */
public final class ForkedServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final StringBuffer output = new StringBuffer();

    private ForkedServer(Process process, int port, BufferedReader reader) {
        this.process = process;
        this.port = port;
        CompletableFuture.runAsync(() -> drain(reader));
    }

    /** Starts {@link ForkedServerMain} with {@code -Xmx} and the filter's init-params. */
    public static ForkedServer start(String xmx, Map<String, String> params) {
        List<String> args = new ArrayList<>();
        params.forEach((k, v) -> args.add(k + "=" + v));
        return start(List.of("-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError"), ForkedServerMain.class.getName(), args);
    }

    /**
     * Starts {@link ForkedServerMain} with {@code -Xmx} and the filter's init-params, in a process
     * that may open at most {@code maxDescriptors} file descriptors (its soft and hard limit, set
     * with the shell's {@code ulimit -n} before the JVM starts, so that the JVM cannot raise it).
     */
    public static ForkedServer startWithDescriptorLimit(String xmx, int maxDescriptors, Map<String, String> params) {
        List<String> args = new ArrayList<>();
        params.forEach((k, v) -> args.add(k + "=" + v));
        return start(List.of("sh", "-c", "ulimit -n " + maxDescriptors + " && exec \"$0\" \"$@\""),
                List.of("-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError"), ForkedServerMain.class.getName(), args);
    }

    public static ForkedServer start(List<String> jvmArgs, String mainClass, List<String> args) {
        return start(List.of(), jvmArgs, mainClass, args);
    }

    private static ForkedServer start(List<String> launcher, List<String> jvmArgs, String mainClass,
                                      List<String> args) {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder early = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    ForkedServer server = new ForkedServer(process, Integer.parseInt(line.substring(5).trim()), reader);
                    server.output.append(early);
                    return server;
                }
                early.append(line).append('\n');
            }
            throw new IllegalStateException("forked server exited before it was ready:\n" + early);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the child printed so far. */
    public String output() {
        return output.toString();
    }

    /** Kills the child with SIGKILL, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
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
